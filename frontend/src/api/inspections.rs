//! Inspections and their site-checklist response.

use gloo::net::http::Request;
use kiemtra_shared::inspection::{
    InspectionDetail, InspectionSummary, ResponseView, SubmitResponse,
};
use uuid::Uuid;

use super::{ApiError, authorised, request, request_with_text, url};

/// The inspections the user may see, with the JSON they were read from.
pub async fn list(token: &str) -> Result<(Vec<InspectionSummary>, String), ApiError> {
    request_with_text(authorised(Request::get(&url("/inspections")), token).build()).await
}

/// One inspection with its site checklist, its submitted response and its evidence, with the
/// JSON it was read from.
pub async fn detail(token: &str, id: Uuid) -> Result<(InspectionDetail, String), ApiError> {
    request_with_text(authorised(Request::get(&url(&format!("/inspections/{id}"))), token).build())
        .await
}

/// Submits the site checklist. Sending the same `submission.id` again is answered with the
/// response already stored, so a retry after a lost answer does not submit twice.
pub async fn submit_site_response(
    token: &str,
    inspection_id: Uuid,
    submission: &SubmitResponse,
) -> Result<ResponseView, ApiError> {
    let path = url(&format!("/inspections/{inspection_id}/site-response"));
    request(authorised(Request::post(&path), token).json(submission)).await
}
