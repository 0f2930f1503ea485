//! The enterprise register, and invitations of the people who act for an enterprise.

use kiemtra_shared::auth::{CreateInvite, InviteCreated};
use kiemtra_shared::enterprise::{CreateEnterprise, EnterpriseView, Page, UpdateEnterprise};
use uuid::Uuid;

use super::{ApiError, get, patch, post, query_string};
use crate::auth::AuthHandle;

/// One page of the register whose name contains `q`, or whose tax code starts with it.
pub async fn search(
    auth: &AuthHandle,
    q: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<EnterpriseView>, ApiError> {
    let query = query_string(&[
        ("q", Some(q.trim().to_owned())),
        ("page", Some(page.to_string())),
        ("per_page", Some(per_page.to_string())),
    ]);
    get(auth, &format!("/enterprises{query}")).await
}

pub async fn create(
    auth: &AuthHandle,
    enterprise: &CreateEnterprise,
) -> Result<EnterpriseView, ApiError> {
    post(auth, "/enterprises", enterprise).await
}

pub async fn update(
    auth: &AuthHandle,
    id: Uuid,
    change: &UpdateEnterprise,
) -> Result<EnterpriseView, ApiError> {
    patch(auth, &format!("/enterprises/{id}"), change).await
}

/// Invites a person to act for the enterprise; the answer carries the link to send them.
pub async fn invite(
    auth: &AuthHandle,
    id: Uuid,
    invite: &CreateInvite,
) -> Result<InviteCreated, ApiError> {
    post(auth, &format!("/enterprises/{id}/invites"), invite).await
}

pub async fn get_one(auth: &AuthHandle, id: Uuid) -> Result<EnterpriseView, ApiError> {
    get(auth, &format!("/enterprises/{id}")).await
}
