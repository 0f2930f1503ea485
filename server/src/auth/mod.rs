//! Authentication: passwords, access tokens, and the `CurrentUser` extractor every protected
//! handler takes.

pub mod password;
pub mod token;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, http::header, web};
use futures_util::future::LocalBoxFuture;
use kiemtra_shared::auth::{Me, Role};
use kiemtra_shared::error::codes;
use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::clock::Clock;
use crate::entities::app_user;
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in user, loaded fresh from the database on every request: a disabled account or a
/// changed role takes effect at once, even for tokens already issued.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub enterprise_id: Option<Uuid>,
    /// An enterprise user's inviting agency: the only agency whose inspections it sees.
    pub invited_by_agency_id: Option<Uuid>,
    /// When the access token of this request stops being accepted (its `exp` plus the leeway),
    /// as a Unix time: a long upload is committed only if the token still holds at its end.
    pub token_valid_until: i64,
    /// The application's clock, against which `token_valid_until` is checked.
    pub clock: Clock,
}

impl CurrentUser {
    pub fn from_model(user: &app_user::Model) -> CurrentUser {
        CurrentUser {
            id: user.id,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            agency_id: user.agency_id,
            enterprise_id: user.enterprise_id,
            invited_by_agency_id: user.invited_by_agency_id,
            token_valid_until: i64::MAX,
            clock: Clock::system(),
        }
    }

    /// Fails with 401 `token_expired` if the request's token has expired since it was checked:
    /// a write that took long (an upload over a slow link) is refused rather than committed on
    /// a credential that no longer holds.
    pub fn still_signed_in(&self) -> Result<(), AppError> {
        if self.clock.timestamp() > self.token_valid_until {
            Err(token::expired())
        } else {
            Ok(())
        }
    }

    pub fn to_me(&self) -> Me {
        Me {
            id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            agency_id: self.agency_id,
            enterprise_id: self.enterprise_id,
        }
    }

    /// Fails with 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let header = req.headers().get(header::AUTHORIZATION).cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("no AppState")))?;
            let token = header
                .as_ref()
                .and_then(|h| h.to_str().ok())
                .and_then(|h| h.strip_prefix("Bearer "))
                .ok_or_else(|| AppError::Unauthenticated {
                    code: codes::UNAUTHENTICATED,
                    message: "Sign in first: this call needs a bearer token.".to_owned(),
                })?;
            let claims = state.tokens.verify_access(token)?;
            let user = app_user::Entity::find_by_id(claims.sub)
                .one(&state.db)
                .await?
                .filter(|u| u.active && u.role == claims.role)
                .ok_or_else(token::invalid_token)?;
            let mut current = CurrentUser::from_model(&user);
            current.token_valid_until = claims.exp.saturating_add(token::LEEWAY_SECS as i64);
            current.clock = state.clock.clone();
            Ok(current)
        })
    }
}
