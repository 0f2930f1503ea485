//! Inspections and their site-checklist response.

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::inspection::{
    InspectionDetail, InspectionSummary, ResponseView, SubmitResponse,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::services::inspections::{self, Submitted};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_inspections)
        .service(inspection_detail)
        .service(submit_site_response);
}

/// The inspections the signed-in user may see.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    responses((status = 200, description = "Inspections", body = Vec<InspectionSummary>))
)]
#[get("/inspections")]
async fn list_inspections(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<web::Json<Vec<InspectionSummary>>, AppError> {
    Ok(web::Json(inspections::list(&state.db, &user).await?))
}

/// One inspection with its site checklist, response and evidence.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "The inspection", body = InspectionDetail),
        (status = 404, description = "Absent or not visible to this user", body = ErrorBody),
    )
)]
#[get("/inspections/{id}")]
async fn inspection_detail(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<InspectionDetail>, AppError> {
    Ok(web::Json(
        inspections::detail(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Submits the site checklist (inspectors on the team). Idempotent on the response id.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = SubmitResponse,
    responses(
        (status = 201, description = "Stored", body = ResponseView),
        (status = 200, description = "The same submission was stored before", body = ResponseView),
        (status = 403, description = "Not an inspector on the team", body = ErrorBody),
        (status = 404, description = "Absent or not visible to this user", body = ErrorBody),
        (status = 409, description = "Same id with other answers, or not in progress", body = ErrorBody),
        (status = 422, description = "Invalid answers, each field named", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/site-response")]
async fn submit_site_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<SubmitResponse>,
) -> Result<HttpResponse, AppError> {
    let submitted =
        inspections::submit_site_response(&state.db, &user, id.into_inner(), body.into_inner())
            .await?;
    Ok(match submitted {
        Submitted::Created(view) => HttpResponse::Created().json(view),
        Submitted::AlreadyThere(view) => HttpResponse::Ok().json(view),
    })
}
