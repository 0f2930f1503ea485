//! Sign-in.

use kiemtra_shared::auth::{LoginRequest, LoginResponse};
use kiemtra_shared::error::codes;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::auth::{CurrentUser, password, token::TokenKeys};
use crate::entities::app_user;
use crate::error::AppError;

/// Checks the credentials and issues an access token. A wrong password, an unknown email and a
/// disabled account all answer the same 401 after the same amount of work.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &impl ConnectionTrait,
    tokens: &TokenKeys,
    request: LoginRequest,
) -> Result<LoginResponse, AppError> {
    let email = request.email.trim().to_lowercase();
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
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
    let current = user
        .filter(|u| ok && u.active)
        .and_then(|u| CurrentUser::from_model(&u))
        .ok_or_else(|| AppError::Unauthenticated {
            code: codes::INVALID_CREDENTIALS,
            message: "Wrong email or password.".to_owned(),
        })?;
    let access_token = tokens.issue_access(current.id, current.role.as_str())?;
    Ok(LoginResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: tokens.ttl_secs(),
        user: current.to_me(),
    })
}
