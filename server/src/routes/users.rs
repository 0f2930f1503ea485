//! Account administration (admins) and enterprise invitations (admins, reviewers).

use actix_web::{HttpResponse, get, patch, post, web};
use kiemtra_shared::auth::{
    CreateInvite, CreateUser, InviteCreated, PasswordResetLink, UpdateUser, UserView,
};
use kiemtra_shared::error::ErrorBody;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::routes::auth::links;
use crate::routes::{page_of, paging};
use crate::services::{password_reset, users};
use crate::state::AppState;
use kiemtra_shared::paging::PageQuery;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_user)
        .service(list_users)
        .service(update_user)
        .service(invite_enterprise_user)
        .service(create_password_reset);
}

/// Creates an agency account (admins only; enterprise accounts are invited).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The email has an account already", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateUser>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(users::create(&state.db, &user, body.into_inner()).await?))
}

/// Accounts of the admin's agency and the enterprise accounts; for a reviewer (who plans
/// teams), the active staff of their agency (at most 100 a page).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Accounts", body = Vec<UserView>,
            headers(("X-Total-Count" = u64, description = "How many in all"))),
        (status = 403, description = "Not an admin or reviewer", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody),
    )
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (items, total) = users::list(&state.db, &user, paging(&query)?).await?;
    Ok(page_of(items, total))
}

/// Renames, changes the role of, disables or enables an account; takes effect at once.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "Updated", body = UserView),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such account here", body = ErrorBody),
        (status = 422, description = "Change not allowed", body = ErrorBody),
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> Result<web::Json<UserView>, AppError> {
    Ok(web::Json(
        users::update(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Invites a person to act for an enterprise the caller's agency has an inspection of; the
/// answer carries the one-time link token, also e-mailed when SMTP is configured
/// (`email_delivery` says how that went).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enterprise id")),
    request_body = CreateInvite,
    responses(
        (status = 201, description = "Invitation made", body = InviteCreated),
        (status = 403, description = "Not an admin or reviewer (`forbidden`), or the agency has no inspection of this enterprise (`enterprise_not_inspected`)", body = ErrorBody),
        (status = 404, description = "No such enterprise", body = ErrorBody),
        (status = 409, description = "The email has an account already", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
#[post("/enterprises/{id}/invites")]
async fn invite_enterprise_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateInvite>,
) -> Result<HttpResponse, AppError> {
    let created = users::invite(
        &state.db,
        &links(&state),
        &user,
        id.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Makes a password-reset link for an account the admin manages, to pass on (also e-mailed
/// when SMTP is configured); audited.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 201, description = "Link made", body = PasswordResetLink),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such account here", body = ErrorBody),
        (status = 422, description = "The account is disabled", body = ErrorBody),
    )
)]
#[post("/users/{id}/password-reset")]
async fn create_password_reset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let link =
        password_reset::create_by_admin(&state.db, &links(&state), &user, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(link))
}
