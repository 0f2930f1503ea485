//! Review decisions (reviewers approve, reject or ask for recapture of evidence and answers).

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::paging::PageQuery;
use kiemtra_shared::review::{CreateReview, QueuedEvidence, ReviewView};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::read_models::review_queue;
use crate::routes::{page_of, paging};
use crate::services::review;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_review)
        .service(list_reviews)
        .service(get_review_queue);
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

/// The review queue: every piece of evidence of the agency waiting for a decision (its
/// inspection submitted or under review, no decision on it yet), oldest upload first, with its
/// inspection's decision number and enterprise. The dashboard's `evidence_awaiting_review` is
/// its total. Reviewers and admins.
#[utoipa::path(
    tag = "review",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Evidence waiting, oldest first", body = Vec<QueuedEvidence>,
            headers(("X-Total-Count" = u64, description = "How many in all"))),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody),
    )
)]
#[get("/review-queue")]
async fn get_review_queue(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = paging(&query)?;
    let (items, total) = review_queue::page(&state.db, &user, page).await?;
    Ok(page_of(items, total))
}
