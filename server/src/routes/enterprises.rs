//! The enterprise register.

use actix_web::{HttpResponse, get, patch, post, web};
use kiemtra_shared::enterprise::{
    CreateEnterprise, EnterpriseQuery, EnterpriseView, Page, UpdateEnterprise,
};
use kiemtra_shared::error::ErrorBody;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::services::enterprises;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(search_enterprises)
        .service(create_enterprise)
        .service(get_enterprise)
        .service(update_enterprise);
}

/// Searches the register by name or tax code, and province; paged.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(EnterpriseQuery),
    responses(
        (status = 200, description = "One page", body = Page<EnterpriseView>),
        (status = 422, description = "Invalid paging", body = ErrorBody),
    )
)]
#[get("/enterprises")]
async fn search_enterprises(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<EnterpriseQuery>,
) -> Result<web::Json<Page<EnterpriseView>>, AppError> {
    Ok(web::Json(
        enterprises::search(&state.db, &user, query.into_inner()).await?,
    ))
}

/// Registers an enterprise (admins, reviewers).
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    request_body = CreateEnterprise,
    responses(
        (status = 201, description = "Registered", body = EnterpriseView),
        (status = 403, description = "Not an admin or reviewer", body = ErrorBody),
        (status = 409, description = "The tax code is registered already", body = ErrorBody),
        (status = 422, description = "Invalid fields (e.g. tax code), each named", body = ErrorBody),
    )
)]
#[post("/enterprises")]
async fn create_enterprise(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateEnterprise>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created()
        .json(enterprises::create(&state.db, &user, body.into_inner()).await?))
}

/// One enterprise.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enterprise id")),
    responses(
        (status = 200, description = "The enterprise", body = EnterpriseView),
        (status = 404, description = "Absent or not visible to this user", body = ErrorBody),
    )
)]
#[get("/enterprises/{id}")]
async fn get_enterprise(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<EnterpriseView>, AppError> {
    Ok(web::Json(
        enterprises::get(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Changes an enterprise's details (admins, reviewers); the tax code does not change.
#[utoipa::path(
    tag = "enterprises",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Enterprise id")),
    request_body = UpdateEnterprise,
    responses(
        (status = 200, description = "Updated", body = EnterpriseView),
        (status = 403, description = "Not an admin or reviewer", body = ErrorBody),
        (status = 404, description = "Absent or not visible to this user", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
#[patch("/enterprises/{id}")]
async fn update_enterprise(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateEnterprise>,
) -> Result<web::Json<EnterpriseView>, AppError> {
    Ok(web::Json(
        enterprises::update(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}
