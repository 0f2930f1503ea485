//! Corrective actions (yêu cầu khắc phục): required fixes, the enterprise's proof, its
//! verification, and the follow-up list with overdue actions.

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::review::{
    CorrectiveActionQuery, CorrectiveActionView, CreateCorrectiveAction, SubmitProof, VerifyProof,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::routes::{page_of, paging};
use crate::services::findings;
use crate::state::AppState;
use kiemtra_shared::paging::PageQuery;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_corrective_action)
        .service(inspection_corrective_actions)
        .service(follow_up_corrective_actions)
        .service(submit_proof)
        .service(verify_proof);
}

/// Requires a fix of a confirmed finding by a due date (reviewers).
#[utoipa::path(
    tag = "corrective actions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Finding id")),
    request_body = CreateCorrectiveAction,
    responses(
        (status = 201, description = "Required", body = CorrectiveActionView),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 409, description = "The finding is not confirmed", body = ErrorBody),
    )
)]
#[post("/findings/{id}/corrective-actions")]
async fn create_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateCorrectiveAction>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(
        findings::create_action(
            &state.db,
            &state.clock,
            &user,
            id.into_inner(),
            body.into_inner(),
        )
        .await?,
    ))
}

/// The corrective actions of one inspection.
#[utoipa::path(
    tag = "corrective actions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "Corrective actions", body = Vec<CorrectiveActionView>),
        (status = 404, description = "Inspection absent or not visible", body = ErrorBody),
    )
)]
#[get("/inspections/{id}/corrective-actions")]
async fn inspection_corrective_actions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<CorrectiveActionView>>, AppError> {
    Ok(web::Json(
        findings::follow_up(&state.db, &state.clock, &user, Some(id.into_inner()), false).await?,
    ))
}

/// The follow-up list: every corrective action the user may see, or only the overdue ones.
#[utoipa::path(
    tag = "corrective actions",
    security(("bearer" = [])),
    params(CorrectiveActionQuery),
    responses(
        (status = 200, description = "Corrective actions by due date", body = Vec<CorrectiveActionView>,
            headers(("X-Total-Count" = u64, description = "How many in all"))),
        (status = 422, description = "Invalid paging", body = ErrorBody),
    )
)]
#[get("/corrective-actions")]
async fn follow_up_corrective_actions(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<CorrectiveActionQuery>,
) -> Result<HttpResponse, AppError> {
    let page = paging(&PageQuery {
        page: query.page,
        per_page: query.per_page,
    })?;
    let overdue = query.overdue.unwrap_or(false);
    let (items, total) =
        findings::follow_up_page(&state.db, &state.clock, &user, None, overdue, Some(page)).await?;
    Ok(page_of(items, total))
}

/// The enterprise sends proof of a fix (evidence uploaded with item key `proof.<id>`).
#[utoipa::path(
    tag = "corrective actions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Corrective action id")),
    request_body = SubmitProof,
    responses(
        (status = 200, description = "Proof submitted", body = CorrectiveActionView),
        (status = 403, description = "Not the enterprise", body = ErrorBody),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
        (status = 409, description = "Already verified", body = ErrorBody),
        (status = 422, description = "Unknown evidence", body = ErrorBody),
    )
)]
#[post("/corrective-actions/{id}/proof")]
async fn submit_proof(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<SubmitProof>,
) -> Result<web::Json<CorrectiveActionView>, AppError> {
    Ok(web::Json(
        findings::submit_proof(
            &state.db,
            &state.clock,
            &user,
            id.into_inner(),
            body.into_inner(),
        )
        .await?,
    ))
}

/// Accepts the proof, or sends the action back open with a reason (reviewers).
#[utoipa::path(
    tag = "corrective actions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Corrective action id")),
    request_body = VerifyProof,
    responses(
        (status = 200, description = "Verified or reopened", body = CorrectiveActionView),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 409, description = "No proof waiting", body = ErrorBody),
        (status = 422, description = "No reason for a refusal", body = ErrorBody),
    )
)]
#[post("/corrective-actions/{id}/verify")]
async fn verify_proof(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<VerifyProof>,
) -> Result<web::Json<CorrectiveActionView>, AppError> {
    Ok(web::Json(
        findings::verify(
            &state.db,
            &state.clock,
            &user,
            id.into_inner(),
            body.into_inner(),
        )
        .await?,
    ))
}
