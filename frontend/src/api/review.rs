//! Review decisions, the review queue and the versions of a response (agency screens).

use gloo::net::http::Request;
use kiemtra_shared::inspection::ResponseView;
use kiemtra_shared::review::{CreateReview, QueuedEvidence, ReviewView};
use uuid::Uuid;

use super::{ApiError, fetch, get, json, post};
use crate::auth::AuthHandle;

/// Records a decision on a piece of evidence or an answer.
pub async fn decide(
    auth: &AuthHandle,
    inspection_id: Uuid,
    review: &CreateReview,
) -> Result<ReviewView, ApiError> {
    post(
        auth,
        &format!("/inspections/{inspection_id}/reviews"),
        review,
    )
    .await
}

/// Every decision of an inspection, oldest first.
pub async fn list(auth: &AuthHandle, inspection_id: Uuid) -> Result<Vec<ReviewView>, ApiError> {
    get(auth, &format!("/inspections/{inspection_id}/reviews")).await
}

/// One page of the review queue, oldest first, and how many wait in all.
pub async fn queue(
    auth: &AuthHandle,
    page: u64,
    per_page: u64,
) -> Result<(Vec<QueuedEvidence>, u64), ApiError> {
    let response = fetch::<()>(
        auth,
        Request::get,
        &format!("/review-queue?page={page}&per_page={per_page}"),
        None,
    )
    .await?;
    let total = response
        .headers()
        .get("X-Total-Count")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    Ok((json(response).await?, total))
}

/// Every version of a response, the first one first.
pub async fn versions(auth: &AuthHandle, response_id: Uuid) -> Result<Vec<ResponseView>, ApiError> {
    get(auth, &format!("/responses/{response_id}/versions")).await
}
