//! Review, findings, corrective actions and the conclusion.

use actix_web::{HttpResponse, get, patch, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::review::{
    ConclusionView, CorrectiveActionQuery, CorrectiveActionView, CreateConclusion,
    CreateCorrectiveAction, CreateFinding, CreateReview, FindingView, ReviewView, SubmitProof,
    UpdateFinding, VerifyProof,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::routes::{page_of, paging};
use crate::services::{findings, review};
use crate::state::AppState;
use kiemtra_shared::paging::PageQuery;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_review)
        .service(list_reviews)
        .service(list_findings)
        .service(propose_findings)
        .service(create_finding)
        .service(update_finding)
        .service(create_corrective_action)
        .service(inspection_corrective_actions)
        .service(follow_up_corrective_actions)
        .service(submit_proof)
        .service(verify_proof)
        .service(create_conclusion)
        .service(get_conclusion);
}

/// Approves, rejects or asks for recapture of a piece of evidence or an answer (reviewers).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = CreateReview,
    responses(
        (status = 201, description = "Decided", body = ReviewView),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 404, description = "Inspection absent or not visible", body = ErrorBody),
        (status = 409, description = "The inspection is not submitted or under review", body = ErrorBody),
        (status = 422, description = "Unknown target, or no reason for a rejection", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/reviews")]
async fn create_review(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateReview>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created()
        .json(review::decide(&state.db, &user, id.into_inner(), body.into_inner()).await?))
}

/// All review decisions of an inspection, oldest first (agency staff).
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "Decisions", body = Vec<ReviewView>),
        (status = 403, description = "Enterprise users see findings, not reviews", body = ErrorBody),
        (status = 404, description = "Inspection absent or not visible", body = ErrorBody),
    )
)]
#[get("/inspections/{id}/reviews")]
async fn list_reviews(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<ReviewView>>, AppError> {
    Ok(web::Json(
        review::list(&state.db, &user, id.into_inner()).await?,
    ))
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
    Ok(HttpResponse::Created()
        .json(findings::create_action(&state.db, &user, id.into_inner(), body.into_inner()).await?))
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
        findings::follow_up(&state.db, &user, Some(id.into_inner()), false).await?,
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
        findings::follow_up_page(&state.db, &user, None, overdue, Some(page)).await?;
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
        findings::submit_proof(&state.db, &user, id.into_inner(), body.into_inner()).await?,
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
        findings::verify(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
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
    Ok(HttpResponse::Created()
        .json(findings::conclude(&state.db, &user, id.into_inner(), body.into_inner()).await?))
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
        findings::get_conclusion(&state.db, &user, id.into_inner()).await?,
    ))
}
