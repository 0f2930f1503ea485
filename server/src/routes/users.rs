//! Account administration (admins) and enterprise invitations (admins, reviewers).

use actix_web::{HttpResponse, get, patch, post, web};
use kiemtra_shared::auth::{CreateInvite, CreateUser, UpdateUser, UserView};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::services::users;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(update)
        .service(invite);
}

#[post("/users")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CreateUser>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(users::create(&state.db, &user, body.into_inner()).await?))
}

#[get("/users")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<web::Json<Vec<UserView>>, AppError> {
    Ok(web::Json(users::list(&state.db, &user).await?))
}

#[patch("/users/{id}")]
async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: web::Json<UpdateUser>,
) -> Result<web::Json<UserView>, AppError> {
    Ok(web::Json(
        users::update(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

#[post("/enterprises/{id}/invites")]
async fn invite(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: web::Json<CreateInvite>,
) -> Result<HttpResponse, AppError> {
    let created = users::invite(&state.db, &user, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}
