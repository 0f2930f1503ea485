//! Sign-in, with failed attempts limited per account and per client address.

use chrono::{Duration, Utc};
use kiemtra_shared::auth::{LoginRequest, LoginResponse};
use kiemtra_shared::error::codes;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::auth::{CurrentUser, password, token::TokenKeys};
use crate::entities::{app_user, login_failure};
use crate::error::AppError;
use crate::services::sessions;

/// Failed logins counted over this window.
const FAILURE_WINDOW_MINUTES: i64 = 15;
/// Failed logins allowed per email within the window: slows password guessing on one account.
pub const MAX_FAILURES_PER_EMAIL: u64 = 5;
/// Failed logins allowed per client address within the window: slows spraying many accounts.
pub const MAX_FAILURES_PER_IP: u64 = 50;

/// Checks the credentials and issues an access and a refresh token. A wrong password, an unknown
/// email and a disabled account all answer the same 401 after the same amount of work.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &impl ConnectionTrait,
    tokens: &TokenKeys,
    request: LoginRequest,
    client_ip: &str,
) -> Result<LoginResponse, AppError> {
    let email = request.email.trim().to_lowercase();
    check_rate_limit(db, &email, client_ip).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let password = request.password;
    let (user, ok) = match user {
        Some(user) => {
            let stored = user.password_hash.clone();
            let ok = actix_web::web::block(move || password::verify(&password, &stored))
                .await
                .map_err(AppError::internal)?;
            (Some(user), ok)
        }
        None => {
            actix_web::web::block(move || password::verify_dummy(&password))
                .await
                .map_err(AppError::internal)?;
            (None, false)
        }
    };
    let Some(current) = user
        .filter(|u| ok && u.active)
        .map(|u| CurrentUser::from_model(&u))
    else {
        login_failure::ActiveModel {
            id: Set(Uuid::new_v4()),
            email: Set(email),
            ip: Set(client_ip.to_owned()),
            at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
        return Err(AppError::Unauthenticated {
            code: codes::INVALID_CREDENTIALS,
            message: "Wrong email or password.".to_owned(),
        });
    };
    sessions::issue(db, tokens, &current, None).await
}

/// Counts a password-reset request against the client address, as a failed sign-in: 429 past
/// [`MAX_FAILURES_PER_IP`], so nobody can probe addresses or flood mailboxes from one place.
pub async fn count_against_address(
    db: &impl ConnectionTrait,
    client_ip: &str,
) -> Result<(), AppError> {
    check_rate_limit(db, "", client_ip).await?;
    login_failure::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(String::new()),
        ip: Set(client_ip.to_owned()),
        at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// 429 once an email or a client address has too many recent failures. Checked before the
/// password hash is computed, so a flood of guesses cannot tie up the CPU either.
async fn check_rate_limit(
    db: &impl ConnectionTrait,
    email: &str,
    client_ip: &str,
) -> Result<(), AppError> {
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    for (column, value, max) in [
        (login_failure::Column::Email, email, MAX_FAILURES_PER_EMAIL),
        (login_failure::Column::Ip, client_ip, MAX_FAILURES_PER_IP),
    ] {
        // A reset request is recorded without an email: it counts against its address only.
        if value.is_empty() {
            continue;
        }
        let recent = login_failure::Entity::find()
            .filter(column.eq(value))
            .filter(login_failure::Column::At.gt(since));
        if recent.clone().count(db).await? >= max {
            let oldest = recent
                .order_by_asc(login_failure::Column::At)
                .one(db)
                .await?;
            let retry_after = oldest
                .map(|f| {
                    (f.at + Duration::minutes(FAILURE_WINDOW_MINUTES) - Utc::now()).num_seconds()
                })
                .unwrap_or(FAILURE_WINDOW_MINUTES * 60)
                .max(1);
            return Err(AppError::TooManyRequests {
                message: format!(
                    "Too many failed sign-ins; try again in {} minutes.",
                    (retry_after + 59) / 60
                ),
                retry_after_secs: retry_after,
            });
        }
    }
    Ok(())
}
