//! The enterprise's side of corrective actions: sending proof of a fix.

use kiemtra_shared::review::{CorrectiveActionView, SubmitProof};
use uuid::Uuid;

use super::{ApiError, post};
use crate::auth::AuthHandle;

/// Sends the evidence (uploaded with item key `proof.<action id>`) and a note as the proof of
/// a fix.
pub async fn submit_proof(
    auth: &AuthHandle,
    action_id: Uuid,
    proof: &SubmitProof,
) -> Result<CorrectiveActionView, ApiError> {
    post(
        auth,
        &format!("/corrective-actions/{action_id}/proof"),
        proof,
    )
    .await
}
