//! Sessions: `POST /auth/login`, `/auth/refresh`, `/auth/logout`, `/auth/accept-invite`, and
//! `GET /me`.

use gloo::net::http::Request;
use kiemtra_shared::auth::{AcceptInvite, LoginRequest, LoginResponse, Me, RefreshRequest};

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
