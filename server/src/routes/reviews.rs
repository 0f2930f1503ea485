//! Review decisions (reviewers approve, reject or ask for recapture of evidence and answers).

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::review::{CreateReview, ReviewView};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::services::review;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_review).service(list_reviews);
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
