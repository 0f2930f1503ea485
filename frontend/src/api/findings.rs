//! Findings, corrective actions, the conclusion and the follow-up list (agency screens).

use gloo::net::http::Request;
use kiemtra_shared::review::{
    ConclusionView, CorrectiveActionLine, CorrectiveActionStatus, CorrectiveActionView,
    CreateConclusion, CreateCorrectiveAction, CreateFinding, FindingView, UpdateFinding,
    VerifyProof,
};
use uuid::Uuid;

use super::{ApiError, fetch, get, json, post};
use crate::auth::AuthHandle;

/// Every finding of an inspection (agency staff see proposed and dismissed ones too).
pub async fn list(auth: &AuthHandle, inspection_id: Uuid) -> Result<Vec<FindingView>, ApiError> {
    get(auth, &format!("/inspections/{inspection_id}/findings")).await
}

/// Proposes a finding for each non-compliant answer that has none yet; answers all findings.
pub async fn propose(auth: &AuthHandle, inspection_id: Uuid) -> Result<Vec<FindingView>, ApiError> {
    post(
        auth,
        &format!("/inspections/{inspection_id}/findings/propose"),
        &(),
    )
    .await
}

/// A finding written by hand (recorded as confirmed).
pub async fn create(
    auth: &AuthHandle,
    inspection_id: Uuid,
    finding: &CreateFinding,
) -> Result<FindingView, ApiError> {
    post(
        auth,
        &format!("/inspections/{inspection_id}/findings"),
        finding,
    )
    .await
}

/// Edits, confirms or dismisses a finding.
pub async fn update(
    auth: &AuthHandle,
    id: Uuid,
    change: &UpdateFinding,
) -> Result<FindingView, ApiError> {
    json(
        fetch(
            auth,
            Request::patch,
            &format!("/findings/{id}"),
            Some(change),
        )
        .await?,
    )
    .await
}

pub async fn create_action(
    auth: &AuthHandle,
    finding_id: Uuid,
    action: &CreateCorrectiveAction,
) -> Result<CorrectiveActionView, ApiError> {
    post(
        auth,
        &format!("/findings/{finding_id}/corrective-actions"),
        action,
    )
    .await
}

/// The corrective actions of one inspection.
pub async fn actions(
    auth: &AuthHandle,
    inspection_id: Uuid,
) -> Result<Vec<CorrectiveActionView>, ApiError> {
    get(
        auth,
        &format!("/inspections/{inspection_id}/corrective-actions"),
    )
    .await
}

/// The conclusion, or `None` while the inspection is not concluded (404).
pub async fn conclusion(
    auth: &AuthHandle,
    inspection_id: Uuid,
) -> Result<Option<ConclusionView>, ApiError> {
    match get(auth, &format!("/inspections/{inspection_id}/conclusion")).await {
        Ok(view) => Ok(Some(view)),
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

pub async fn conclude(
    auth: &AuthHandle,
    inspection_id: Uuid,
    conclusion: &CreateConclusion,
) -> Result<ConclusionView, ApiError> {
    post(
        auth,
        &format!("/inspections/{inspection_id}/conclusion"),
        conclusion,
    )
    .await
}

/// What the follow-up board asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpFilter {
    pub status: Option<CorrectiveActionStatus>,
    pub due_within_days: Option<u32>,
}

/// One page of the follow-up list, with the total of all pages.
pub async fn follow_up(
    auth: &AuthHandle,
    filter: FollowUpFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<CorrectiveActionLine>, u64), ApiError> {
    let mut path = format!("/corrective-actions?page={page}&per_page={per_page}");
    if let Some(status) = filter.status {
        path.push_str("&status=");
        path.push_str(status_param(status));
    }
    if let Some(days) = filter.due_within_days {
        path.push_str(&format!("&due_within_days={days}"));
    }
    let response = fetch::<()>(auth, Request::get, &path, None).await?;
    let total = response
        .headers()
        .get("x-total-count")
        .and_then(|count| count.parse().ok())
        .ok_or(ApiError::UnexpectedBody)?;
    Ok((json(response).await?, total))
}

/// The query value of a status, as the API spells it.
pub fn status_param(status: CorrectiveActionStatus) -> &'static str {
    match status {
        CorrectiveActionStatus::Open => "open",
        CorrectiveActionStatus::ProofSubmitted => "proof_submitted",
        CorrectiveActionStatus::Verified => "verified",
        CorrectiveActionStatus::Overdue => "overdue",
    }
}

/// Accepts the proof of a fix, or sends the action back open with a reason.
pub async fn verify(
    auth: &AuthHandle,
    action_id: Uuid,
    decision: &VerifyProof,
) -> Result<CorrectiveActionView, ApiError> {
    post(
        auth,
        &format!("/corrective-actions/{action_id}/verify"),
        decision,
    )
    .await
}

/// Puts a submitted inspection under review (the status machine concludes only from there).
pub async fn start_review(auth: &AuthHandle, inspection_id: Uuid) -> Result<(), ApiError> {
    use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus, Transition};
    post::<_, InspectionDetail>(
        auth,
        &format!("/inspections/{inspection_id}/transition"),
        &Transition {
            to: InspectionStatus::UnderReview,
        },
    )
    .await
    .map(|_| ())
}
