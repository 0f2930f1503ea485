//! The conclusion (kết luận) that closes the review.

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::review::{ConclusionView, CreateConclusion};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::read_models;
use crate::services::findings;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_conclusion).service(get_conclusion);
}

/// Issues the conclusion, closing the review (reviewers).
#[utoipa::path(
    tag = "findings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = CreateConclusion,
    responses(
        (status = 201, description = "Concluded", body = ConclusionView),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 409, description = "Findings undecided, or not under review (allowed moves named)", body = ErrorBody),
        (status = 422, description = "Incomplete", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/conclusion")]
async fn create_conclusion(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateConclusion>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    findings::conclude(&state.db, &user, id, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .json(read_models::conclusion::get(&state.db, &state.clock, &user, id).await?))
}

/// The conclusion with its findings and corrective actions.
#[utoipa::path(
    tag = "findings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "The conclusion", body = ConclusionView),
        (status = 404, description = "Not concluded, or not visible", body = ErrorBody),
    )
)]
#[get("/inspections/{id}/conclusion")]
async fn get_conclusion(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<ConclusionView>, AppError> {
    Ok(web::Json(
        read_models::conclusion::get(&state.db, &state.clock, &user, id.into_inner()).await?,
    ))
}
