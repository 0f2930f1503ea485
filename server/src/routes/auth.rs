//! Sessions: login, refresh, logout, accepting an invitation; and `GET /me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kiemtra_shared::auth::{AcceptInvite, LoginRequest, LoginResponse, Me, RefreshRequest};

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::services;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
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

#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    let ip = client_ip(&req);
    Ok(web::Json(
        services::auth::login(&state.db, &state.tokens, body.into_inner(), &ip).await?,
    ))
}

#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(
        services::sessions::refresh(&state.db, &state.tokens, &body.refresh_token).await?,
    ))
}

#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    services::sessions::logout(&state.db, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[post("/auth/accept-invite")]
async fn accept_invite(
    state: web::Data<AppState>,
    body: web::Json<AcceptInvite>,
) -> Result<HttpResponse, AppError> {
    let pair = services::users::accept_invite(&state.db, &state.tokens, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(pair))
}

#[get("/me")]
async fn me(user: CurrentUser) -> web::Json<Me> {
    web::Json(user.to_me())
}
