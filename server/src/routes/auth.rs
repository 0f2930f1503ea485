//! `POST /api/v1/auth/login`, `GET /api/v1/me`.

use actix_web::{get, post, web};
use kiemtra_shared::auth::{LoginRequest, LoginResponse, Me};

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::services;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login).service(me);
}

#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    Ok(web::Json(
        services::auth::login(&state.db, &state.tokens, body.into_inner()).await?,
    ))
}

#[get("/me")]
async fn me(user: CurrentUser) -> web::Json<Me> {
    web::Json(user.to_me())
}
