//! Sessions: `POST /auth/login`, `/auth/refresh`, `/auth/logout`, the invitation and
//! password-reset links (`/auth/invites/{token}`, `/auth/accept-invite`, `/auth/password-reset`),
//! and `GET /me`.

use gloo::net::http::Request;
use kiemtra_shared::auth::{
    AcceptInvite, InvitePreview, LoginRequest, LoginResponse, Me, PasswordResetPreview,
    PasswordResetRequest, RefreshRequest, SetNewPassword,
};

use super::{ApiError, get, request_anonymous, send, url};
use crate::auth::AuthHandle;

/// Exchanges an email and password for a token pair. A wrong password is
/// `ApiError::Unauthenticated` with code `invalid_credentials`.
pub async fn login(email: &str, password: &str) -> Result<LoginResponse, ApiError> {
    let body = LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    request_anonymous(Request::post(&url("/auth/login")).json(&body)).await
}

/// Sets the password of an invited enterprise user, which creates the account and signs it in.
/// An unknown, spent or expired invitation is `ApiError::Rejected` with the detail code
/// [`INVITE_INVALID`]; an account that exists already for the invited email is a 409.
pub async fn accept_invite(token: &str, password: &str) -> Result<LoginResponse, ApiError> {
    let body = AcceptInvite {
        token: token.to_owned(),
        password: password.to_owned(),
    };
    request_anonymous(Request::post(&url("/auth/accept-invite")).json(&body)).await
}

/// Whom an invitation is for, before anything is typed. Unknown is `ApiError::NotFound`; used
/// or expired is `ApiError::Rejected` with status 410 and code [`LINK_USED`] or
/// `link_expired`.
pub async fn show_invite(token: &str) -> Result<InvitePreview, ApiError> {
    request_anonymous(Request::get(&url(&format!("/auth/invites/{token}"))).build()).await
}

/// Asks for a password-reset e-mail; the server answers the same whatever the address.
pub async fn request_password_reset(email: &str) -> Result<(), ApiError> {
    let body = PasswordResetRequest {
        email: email.to_owned(),
    };
    send(Request::post(&url("/auth/password-reset")).json(&body))
        .await
        .map(drop)
}

/// Whose password a reset link sets; refusals as [`show_invite`].
pub async fn show_password_reset(token: &str) -> Result<PasswordResetPreview, ApiError> {
    request_anonymous(Request::get(&url(&format!("/auth/password-reset/{token}"))).build()).await
}

/// Sets the new password with a reset link and signs in.
pub async fn complete_password_reset(
    token: &str,
    password: &str,
) -> Result<LoginResponse, ApiError> {
    let body = SetNewPassword {
        password: password.to_owned(),
    };
    request_anonymous(Request::post(&url(&format!("/auth/password-reset/{token}"))).json(&body))
        .await
}

/// Code of a one-time link (invitation, password reset) that was used already (410); the
/// other 410 is `link_expired`.
pub const LINK_USED: &str = "link_used";

/// Detail code of a refused invitation link.
pub const INVITE_INVALID: &str = "invite_invalid";
/// Detail code of a password shorter than `MIN_PASSWORD_CHARS`.
pub const PASSWORD_TOO_SHORT: &str = "password_too_short";

/// Spends a refresh token for a new pair. Presenting a spent token ends the whole session on
/// the server, so callers make sure only one refresh runs at a time.
pub async fn refresh(refresh_token: &str) -> Result<LoginResponse, ApiError> {
    let body = RefreshRequest {
        refresh_token: refresh_token.to_owned(),
    };
    request_anonymous(Request::post(&url("/auth/refresh")).json(&body)).await
}

/// Ends the session of a refresh token on the server.
pub async fn logout(refresh_token: &str) -> Result<(), ApiError> {
    let body = RefreshRequest {
        refresh_token: refresh_token.to_owned(),
    };
    send(Request::post(&url("/auth/logout")).json(&body))
        .await
        .map(drop)
}

/// The user the access token belongs to.
pub async fn me(auth: &AuthHandle) -> Result<Me, ApiError> {
    get(auth, "/me").await
}
