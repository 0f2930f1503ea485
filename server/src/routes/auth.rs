//! Sessions: login, refresh, logout, invitations and password resets (the public halves of
//! their one-time links); and `GET /me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kiemtra_shared::auth::{
    AcceptInvite, InvitePreview, LoginRequest, LoginResponse, Me, PasswordResetPreview,
    PasswordResetRequest, RefreshRequest, SetNewPassword,
};
use kiemtra_shared::error::ErrorBody;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::services;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(accept_invite)
        .service(show_invite)
        .service(request_password_reset)
        .service(show_password_reset)
        .service(complete_password_reset)
        .service(me);
}

/// The client address for rate limiting: the TCP peer (forwarded headers can be forged).
fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Signs in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Wrong email or password", body = ErrorBody),
        (status = 422, description = "Unknown or missing fields", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins; see Retry-After", body = ErrorBody),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    let ip = client_ip(&req);
    Ok(web::Json(
        services::auth::login(&state.db, &state.tokens, body.into_inner(), &ip).await?,
    ))
}

/// Exchanges a refresh token for a new access and refresh token (the old one is spent).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New pair", body = LoginResponse),
        (status = 401, description = "Unknown, spent, revoked or expired token", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(
        services::sessions::refresh(&state.db, &state.tokens, &body.refresh_token).await?,
    ))
}

/// Ends the session of a refresh token.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out (also for unknown tokens)"))
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    services::sessions::logout(&state.db, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets the password of an invited enterprise user and signs them in.
#[utoipa::path(
    tag = "auth",
    request_body = AcceptInvite,
    responses(
        (status = 201, description = "Account created and signed in", body = LoginResponse),
        (status = 409, description = "The email has an account already", body = ErrorBody),
        (status = 422, description = "Invalid invitation or password", body = ErrorBody),
    )
)]
#[post("/auth/accept-invite")]
async fn accept_invite(
    state: web::Data<AppState>,
    body: Json<AcceptInvite>,
) -> Result<HttpResponse, AppError> {
    let pair =
        services::users::accept_invite(&state.db, &state.clock, &state.tokens, body.into_inner())
            .await?;
    Ok(HttpResponse::Created().json(pair))
}

/// What an invitation link is for, before the invitee sets a password: their e-mail and name,
/// the enterprise, the inviting agency and the expiry.
#[utoipa::path(
    tag = "auth",
    params(("token" = String, Path, description = "The invitation's token")),
    responses(
        (status = 200, description = "The invitation", body = InvitePreview),
        (status = 404, description = "No invitation has this token", body = ErrorBody),
        (status = 410, description = "Used (`link_used`) or expired (`link_expired`)", body = ErrorBody),
    )
)]
#[get("/auth/invites/{token}")]
async fn show_invite(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<InvitePreview>, AppError> {
    Ok(web::Json(
        services::users::preview_invite(&state.db, &state.clock, &token).await?,
    ))
}

/// Asks for a password-reset link by e-mail. Always 202, whether or not the address has an
/// account (and whether or not SMTP is configured), so it tells nobody which accounts exist.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the address has an active account, a link is on its way"),
        (status = 422, description = "Unknown or missing fields", body = ErrorBody),
        (status = 429, description = "Too many attempts from this address; see Retry-After", body = ErrorBody),
    )
)]
#[post("/auth/password-reset")]
async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<PasswordResetRequest>,
) -> Result<HttpResponse, AppError> {
    let ip = client_ip(&req);
    services::password_reset::request(&state.db, &links(&state), &body.email, &ip).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Whose password a reset link sets, before they type one.
#[utoipa::path(
    tag = "auth",
    params(("token" = String, Path, description = "The reset link's token")),
    responses(
        (status = 200, description = "The link is usable", body = PasswordResetPreview),
        (status = 404, description = "No usable link has this token", body = ErrorBody),
        (status = 410, description = "Used (`link_used`) or expired (`link_expired`)", body = ErrorBody),
    )
)]
#[get("/auth/password-reset/{token}")]
async fn show_password_reset(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<PasswordResetPreview>, AppError> {
    Ok(web::Json(
        services::password_reset::preview(&state.db, &links(&state), &token).await?,
    ))
}

/// Sets a new password with a reset link: the link is spent, every session of the account
/// ends, and the user is signed in afresh.
#[utoipa::path(
    tag = "auth",
    params(("token" = String, Path, description = "The reset link's token")),
    request_body = SetNewPassword,
    responses(
        (status = 200, description = "Password set and signed in", body = LoginResponse),
        (status = 404, description = "No usable link has this token", body = ErrorBody),
        (status = 410, description = "Used (`link_used`) or expired (`link_expired`)", body = ErrorBody),
        (status = 422, description = "The password is too short", body = ErrorBody),
    )
)]
#[post("/auth/password-reset/{token}")]
async fn complete_password_reset(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: Json<SetNewPassword>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(
        services::password_reset::complete(
            &state.db,
            &links(&state),
            &state.tokens,
            &token,
            body.into_inner(),
        )
        .await?,
    ))
}

/// How one-time links are made and sent, from the application state.
pub(crate) fn links(state: &AppState) -> services::users::Links<'_> {
    services::users::Links {
        clock: &state.clock,
        mailer: &state.mailer,
        public_url: &state.public_url,
    }
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Missing, invalid or expired token", body = ErrorBody),
    )
)]
#[get("/me")]
async fn me(user: CurrentUser) -> web::Json<Me> {
    web::Json(user.to_me())
}
