//! Findings (vi phạm): proposed from non-compliant answers, recorded, confirmed or dismissed.

use actix_web::{HttpResponse, get, patch, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::review::{CreateFinding, FindingView, UpdateFinding};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::services::findings;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_findings)
        .service(propose_findings)
        .service(create_finding)
        .service(update_finding);
}

/// Findings of an inspection (the enterprise sees confirmed ones once concluded).
#[utoipa::path(
    tag = "findings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "Findings", body = Vec<FindingView>),
        (status = 404, description = "Inspection absent or not visible", body = ErrorBody),
    )
)]
#[get("/inspections/{id}/findings")]
async fn list_findings(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<FindingView>>, AppError> {
    Ok(web::Json(
        findings::list(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Proposes findings from the non-compliant answers of the submitted responses (reviewers).
#[utoipa::path(
    tag = "findings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "All findings, the new proposals included", body = Vec<FindingView>),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 409, description = "The inspection is not under review", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/findings/propose")]
async fn propose_findings(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<FindingView>>, AppError> {
    Ok(web::Json(
        findings::propose(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Records a finding by hand (reviewers).
#[utoipa::path(
    tag = "findings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = CreateFinding,
    responses(
        (status = 201, description = "Recorded", body = FindingView),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 409, description = "The inspection is not under review", body = ErrorBody),
        (status = 422, description = "Incomplete", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/findings")]
async fn create_finding(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateFinding>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created()
        .json(findings::create(&state.db, &user, id.into_inner(), body.into_inner()).await?))
}

/// Edits, confirms or dismisses a finding (reviewers).
#[utoipa::path(
    tag = "findings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Finding id")),
    request_body = UpdateFinding,
    responses(
        (status = 200, description = "Updated", body = FindingView),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
        (status = 409, description = "The inspection is past review", body = ErrorBody),
    )
)]
#[patch("/findings/{id}")]
async fn update_finding(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateFinding>,
) -> Result<web::Json<FindingView>, AppError> {
    Ok(web::Json(
        findings::update(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}
