//! Accounts: the agency's staff (admins manage them; reviewers read them to plan teams).

use kiemtra_shared::auth::{CreateUser, UpdateUser, UserView};
use kiemtra_shared::paging::MAX_PAGE_SIZE;
use uuid::Uuid;

use super::{ApiError, get_counted, patch, post};
use crate::auth::AuthHandle;

/// One page of the accounts, and how many there are in all.
pub async fn page(
    auth: &AuthHandle,
    page: u64,
    per_page: u64,
) -> Result<(Vec<UserView>, u64), ApiError> {
    get_counted(auth, &format!("/users?page={page}&per_page={per_page}")).await
}

/// Every account the user may read, page after page.
pub async fn all(auth: &AuthHandle) -> Result<Vec<UserView>, ApiError> {
    let mut users = Vec::new();
    for number in 1.. {
        let (items, total) = page(auth, number, MAX_PAGE_SIZE).await?;
        let last = items.is_empty();
        users.extend(items);
        if last || users.len() as u64 >= total {
            break;
        }
    }
    Ok(users)
}

pub async fn create(auth: &AuthHandle, user: &CreateUser) -> Result<UserView, ApiError> {
    post(auth, "/users", user).await
}

pub async fn update(
    auth: &AuthHandle,
    id: Uuid,
    change: &UpdateUser,
) -> Result<UserView, ApiError> {
    patch(auth, &format!("/users/{id}"), change).await
}
