//! Inspections and their site-checklist response.

use kiemtra_shared::inspection::{
    CreateInspection, InspectionDetail, InspectionQuery, InspectionStatus, InspectionSummary,
    ResponseView, SubmitResponse, Transition, UpdateInspection,
};
use uuid::Uuid;

use super::{ApiError, get, get_counted, get_with_text, patch, post, query_string};
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

/// One page of the inspections the user may see that pass `query`, and how many pass in all.
pub async fn search(
    auth: &AuthHandle,
    query: &InspectionQuery,
) -> Result<(Vec<InspectionSummary>, u64), ApiError> {
    let text = query_string(&[
        ("status", query.status.clone()),
        ("enterprise", query.enterprise.clone()),
        ("campaign", query.campaign.clone()),
        ("decision_number", query.decision_number.clone()),
        ("from", query.from.clone()),
        ("to", query.to.clone()),
        ("sort", query.sort.clone()),
        ("page", query.page.map(|p| p.to_string())),
        ("per_page", query.per_page.map(|p| p.to_string())),
    ]);
    get_counted(auth, &format!("/inspections{text}")).await
}

/// One inspection (the agency's screens do not keep it on the device).
pub async fn get_detail(auth: &AuthHandle, id: Uuid) -> Result<InspectionDetail, ApiError> {
    get(auth, &format!("/inspections/{id}")).await
}

/// Plans an inspection.
pub async fn create(
    auth: &AuthHandle,
    plan: &CreateInspection,
) -> Result<InspectionDetail, ApiError> {
    post(auth, "/inspections", plan).await
}

/// Changes the dates or the team of a planned inspection.
pub async fn update(
    auth: &AuthHandle,
    id: Uuid,
    change: &UpdateInspection,
) -> Result<InspectionDetail, ApiError> {
    patch(auth, &format!("/inspections/{id}"), change).await
}

/// Moves an inspection to `to`, if its status machine allows.
pub async fn transition(
    auth: &AuthHandle,
    id: Uuid,
    to: InspectionStatus,
) -> Result<InspectionDetail, ApiError> {
    post(
        auth,
        &format!("/inspections/{id}/transition"),
        &Transition { to },
    )
    .await
}
