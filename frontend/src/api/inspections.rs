//! Inspections and their site-checklist response.

use kiemtra_shared::inspection::{
    InspectionDetail, InspectionSummary, ResponseView, SubmitResponse,
};
use uuid::Uuid;

use super::{ApiError, get_with_text, post};
use crate::auth::AuthHandle;

/// The inspections the user may see, with the JSON they were read from.
pub async fn list(auth: &AuthHandle) -> Result<(Vec<InspectionSummary>, String), ApiError> {
    get_with_text(auth, "/inspections").await
}

/// One inspection with its site checklist, its submitted response and its evidence, with the
/// JSON it was read from.
pub async fn detail(auth: &AuthHandle, id: Uuid) -> Result<(InspectionDetail, String), ApiError> {
    get_with_text(auth, &format!("/inspections/{id}")).await
}

/// Submits the site checklist. Sending the same `submission.id` again is answered with the
/// response already stored, so a retry after a lost answer does not submit twice.
pub async fn submit_site_response(
    auth: &AuthHandle,
    inspection_id: Uuid,
    submission: &SubmitResponse,
) -> Result<ResponseView, ApiError> {
    post(
        auth,
        &format!("/inspections/{inspection_id}/site-response"),
        submission,
    )
    .await
}
