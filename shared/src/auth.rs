//! Login and the signed-in user.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a user may do. An `enterprise` user belongs to one enterprise; the others to an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum Role {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "admin"))]
    Admin,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "reviewer"))]
    Reviewer,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "inspector"))]
    Inspector,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "enterprise"))]
    Enterprise,
}

impl Role {
    /// Whether this role works in the agency screens (`/agency`) rather than the phone's field
    /// app: admins and reviewers, at the office.
    pub fn uses_agency_screens(self) -> bool {
        matches!(self, Role::Admin | Role::Reviewer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Answer to a login, a token refresh or an accepted invite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Opaque, single-use: exchange it at `/auth/refresh` for a new pair. Lives 30 days so a
    /// phone that was offline for weeks can still sync.
    pub refresh_token: String,
    pub refresh_expires_in: i64,
    pub user: Me,
}

/// `POST /auth/refresh` and `POST /auth/logout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// An agency account created by an admin (`POST /users`). Enterprise accounts are invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

/// `PATCH /users/{id}`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub enterprise_id: Option<Uuid>,
    pub active: bool,
}

/// `POST /enterprises/{id}/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    pub email: String,
    pub display_name: String,
}

/// The invitation, with its token: shown once, to be sent to the invitee as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCreated {
    pub id: Uuid,
    pub email: String,
    pub enterprise_id: Uuid,
    pub token: String,
    /// Path of the PWA's set-password page for this invitation.
    pub accept_path: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Whether the link was also e-mailed to the invitee.
    pub email_delivery: EmailDelivery,
}

/// What became of the e-mail carrying a link. Whatever it says, the link in the answer works:
/// pass it on yourself unless it says `sent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmailDelivery {
    /// No SMTP server is configured: nothing was sent.
    NotConfigured,
    /// The SMTP server accepted the e-mail.
    Sent,
    /// The SMTP server could not be reached or refused it (the server's log says why).
    Failed,
    /// Still being sent after a few seconds; the outcome goes to the server's log.
    Pending,
}

/// `GET /auth/invites/{token}`: what the invitation page greets the invitee with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePreview {
    pub email: String,
    /// The name the agency gave the invitee.
    pub display_name: String,
    pub enterprise_name: String,
    /// The inviting agency.
    pub agency_name: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /auth/password-reset`: asks for a reset link by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /users/{id}/password-reset`: a reset link an admin passes on to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetLink {
    pub user_id: Uuid,
    pub email: String,
    pub token: String,
    /// Path of the PWA's new-password page for this link.
    pub reset_path: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Whether the link was also e-mailed to the user.
    pub email_delivery: EmailDelivery,
}

/// `GET /auth/password-reset/{token}`: whose password the link resets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetPreview {
    pub email: String,
    pub display_name: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /auth/password-reset/{token}`: the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetNewPassword {
    pub password: String,
}

/// `POST /auth/accept-invite`: the invitee sets a password and is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvite {
    pub token: String,
    pub password: String,
}

/// Minimum password length for new passwords.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The signed-in user, as `GET /api/v1/me` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub enterprise_id: Option<Uuid>,
}
