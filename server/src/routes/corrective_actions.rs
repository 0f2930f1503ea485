//! Corrective actions (yêu cầu khắc phục): required fixes, the enterprise's proof, its
//! verification, and the follow-up list with overdue actions.

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::review::{
    CorrectiveActionLine, CorrectiveActionQuery, CorrectiveActionStatus, CorrectiveActionView,
    CreateCorrectiveAction, MAX_DUE_WITHIN_DAYS, SubmitProof, VerifyProof,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::read_models;
use crate::routes::{page_of, paging};
use crate::services::findings::{self, ActionFilter};
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

/// The follow-up list: every corrective action the user may see, with the enterprise and the
/// decision number, filtered by status or by due date; overdue ones most days late first.
#[utoipa::path(
    tag = "corrective actions",
    security(("bearer" = [])),
    params(CorrectiveActionQuery),
    responses(
        (status = 200, description = "Corrective actions by due date", body = Vec<CorrectiveActionLine>,
            headers(("X-Total-Count" = u64, description = "How many in all"))),
        (status = 422, description = "Invalid paging or filter", body = ErrorBody),
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
    let filter = action_filter(&query)?;
    let (items, total) =
        read_models::follow_up::page(&state.db, &state.clock, &user, filter, page).await?;
    Ok(page_of(items, total))
}

/// The filter of the follow-up list; `overdue=true` is `status=overdue`.
fn action_filter(query: &CorrectiveActionQuery) -> Result<ActionFilter, AppError> {
    let mut errors = Vec::new();
    let overdue = query.overdue.unwrap_or(false);
    let status = match (query.status, overdue) {
        (Some(status), true) if status != CorrectiveActionStatus::Overdue => {
            errors.push(AppError::field(
                "status",
                "conflicting_filter",
                "overdue=true asks for overdue actions only.",
            ));
            None
        }
        (None, true) => Some(CorrectiveActionStatus::Overdue),
        (status, _) => status,
    };
    if let Some(days) = query.due_within_days
        && !(1..=MAX_DUE_WITHIN_DAYS).contains(&days)
    {
        errors.push(AppError::field(
            "due_within_days",
            "out_of_range",
            &format!("1 to {MAX_DUE_WITHIN_DAYS} days."),
        ));
    }
    if errors.is_empty() {
        Ok(ActionFilter {
            status,
            due_within_days: query.due_within_days,
        })
    } else {
        Err(AppError::validation(
            "The follow-up filter is not valid.",
            errors,
        ))
    }
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
