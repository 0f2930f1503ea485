//! Templates: versioned form definitions, drafted and published by admins.

use actix_web::{HttpResponse, get, post, put, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::inspection::TemplateRef;
use kiemtra_shared::template::{CreateTemplate, TemplateKind, UpdateTemplate};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::routes::{page_of, paging};
use crate::services::templates;
use crate::state::AppState;
use kiemtra_shared::paging::PageQuery;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_templates)
        .service(create_template)
        .service(get_template)
        .service(update_template)
        .service(publish_template);
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct TemplateFilter {
    /// Only templates of this kind.
    kind: Option<TemplateKind>,
    /// 1-based page number (default 1).
    page: Option<u64>,
    /// Items per page (default and at most 100).
    per_page: Option<u64>,
}

/// Template versions, newest first (admins also see drafts).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(TemplateFilter),
    responses(
        (status = 200, description = "Template versions", body = Vec<TemplateRef>,
            headers(("X-Total-Count" = u64, description = "How many in all"))),
        (status = 403, description = "Enterprise users use their inspections' templates", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody),
    )
)]
#[get("/templates")]
async fn list_templates(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<TemplateFilter>,
) -> Result<HttpResponse, AppError> {
    let page = paging(&PageQuery {
        page: filter.page,
        per_page: filter.per_page,
    })?;
    let (items, total) = templates::list(&state.db, &user, filter.kind, page).await?;
    Ok(page_of(items, total))
}

/// Creates the next draft version of a template family (admins).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    request_body = CreateTemplate,
    responses(
        (status = 201, description = "Draft created", body = TemplateRef),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "The schema has errors, each named", body = ErrorBody),
    )
)]
#[post("/templates")]
async fn create_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateTemplate>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(templates::create(&state.db, &user, body.into_inner()).await?))
}

/// One template version.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Template version id")),
    responses(
        (status = 200, description = "The version", body = TemplateRef),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
    )
)]
#[get("/templates/{id}")]
async fn get_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<TemplateRef>, AppError> {
    Ok(web::Json(
        templates::get(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Replaces a draft's name or schema (admins); a published version is immutable (409).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Template version id")),
    request_body = UpdateTemplate,
    responses(
        (status = 200, description = "Updated", body = TemplateRef),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "Published versions do not change", body = ErrorBody),
        (status = 422, description = "The schema has errors", body = ErrorBody),
    )
)]
#[put("/templates/{id}")]
async fn update_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateTemplate>,
) -> Result<web::Json<TemplateRef>, AppError> {
    Ok(web::Json(
        templates::update(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Publishes a draft, freezing it (admins).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Template version id")),
    responses(
        (status = 200, description = "Published", body = TemplateRef),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "Already published", body = ErrorBody),
        (status = 422, description = "The schema fails the publishing check", body = ErrorBody),
    )
)]
#[post("/templates/{id}/publish")]
async fn publish_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<TemplateRef>, AppError> {
    Ok(web::Json(
        templates::publish(&state.db, &user, id.into_inner()).await?,
    ))
}
