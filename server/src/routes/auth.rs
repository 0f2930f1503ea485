//! Sessions: login, refresh, logout, accepting an invitation; and `GET /me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kiemtra_shared::auth::{AcceptInvite, LoginRequest, LoginResponse, Me, RefreshRequest};
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
    let pair = services::users::accept_invite(&state.db, &state.tokens, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(pair))
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
