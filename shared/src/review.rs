//! Review (duyệt), findings (vi phạm), corrective actions (yêu cầu khắc phục) and the conclusion
//! (kết luận thanh tra).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::template::Severity;

/// What a review decision is about: one piece of evidence, or one answer of a response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type", deny_unknown_fields)]
pub enum ReviewTarget {
    Evidence {
        id: Uuid,
    },
    /// `slot` is `items/<item>` or `repeats/<section>/<instance>/<item>`.
    Answer {
        response_id: Uuid,
        slot: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(24))"
    )
)]
pub enum Decision {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "approved"))]
    Approved,
    /// Rejected, with a reason.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "rejected"))]
    Rejected,
    /// The inspector must capture it again, with a reason saying what is wrong.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "recapture_requested"))]
    RecaptureRequested,
}

/// `POST /inspections/{id}/reviews`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateReview {
    pub target: ReviewTarget,
    pub decision: Decision,
    /// Required unless the decision is `approved`.
    pub reason: Option<String>,
    /// A comment for the agency only ("Chỉ nội bộ"): never shown to the enterprise.
    #[serde(default)]
    pub internal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub target: ReviewTarget,
    pub decision: Decision,
    pub reason: Option<String>,
    pub reviewer_id: Uuid,
    pub decided_at: DateTime<Utc>,
    /// For the agency only: no endpoint returns it to an enterprise user.
    #[serde(default)]
    pub internal: bool,
}

/// One line of the review queue (`GET /review-queue`): a piece of evidence waiting for a
/// decision, with the inspection it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedEvidence {
    pub evidence: crate::evidence::EvidenceMeta,
    pub decision_number: String,
    pub enterprise_name: String,
    /// The label of the form item it was filed under, if a form of the inspection has it
    /// (proof of a fix has none).
    pub item_label: Option<crate::template::Label>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum FindingStatus {
    /// Proposed from a non-compliant answer; a reviewer confirms or dismisses it.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "proposed"))]
    Proposed,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "confirmed"))]
    Confirmed,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "dismissed"))]
    Dismissed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingView {
    pub id: Uuid,
    pub inspection_id: Uuid,
    /// The answer it was proposed from, if any.
    pub response_id: Option<Uuid>,
    pub slot: Option<String>,
    pub item_key: Option<String>,
    pub title: String,
    pub description: String,
    /// Căn cứ pháp lý.
    pub legal_basis: Option<String>,
    pub severity: Severity,
    pub status: FindingStatus,
    pub updated_at: DateTime<Utc>,
}

/// `POST /inspections/{id}/findings`: a finding the reviewer writes by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateFinding {
    pub title: String,
    pub description: String,
    pub legal_basis: Option<String>,
    pub severity: Severity,
}

/// `PATCH /findings/{id}`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateFinding {
    pub title: Option<String>,
    pub description: Option<String>,
    pub legal_basis: Option<String>,
    pub severity: Option<Severity>,
    pub status: Option<FindingStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(24))"
    )
)]
pub enum CorrectiveActionStatus {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "open"))]
    Open,
    /// The enterprise sent proof; the agency has not verified it yet.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "proof_submitted"))]
    ProofSubmitted,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "verified"))]
    Verified,
    /// Open past its due date (derived when read, never stored).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "overdue"))]
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectiveActionView {
    pub id: Uuid,
    pub finding_id: Uuid,
    pub inspection_id: Uuid,
    pub description: String,
    pub due_date: NaiveDate,
    pub status: CorrectiveActionStatus,
    /// Evidence ids of the proof of the fix.
    pub proof: Vec<Uuid>,
    pub proof_note: Option<String>,
    /// Why the last proof was not accepted.
    pub rejection_reason: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
}

/// `POST /findings/{id}/corrective-actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCorrectiveAction {
    pub description: String,
    pub due_date: NaiveDate,
}

/// `POST /corrective-actions/{id}/proof`: evidence already uploaded to the inspection (item key
/// `proof.<corrective action id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitProof {
    pub evidence_ids: Vec<Uuid>,
    pub note: Option<String>,
}

/// `POST /corrective-actions/{id}/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyProof {
    pub accepted: bool,
    /// Required when the proof is not accepted.
    pub reason: Option<String>,
}

/// `POST /inspections/{id}/conclusion`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateConclusion {
    /// Number of the conclusion document.
    pub number: String,
    pub summary: String,
    pub sanctions: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConclusionView {
    pub inspection_id: Uuid,
    pub number: String,
    pub summary: String,
    pub sanctions: Option<String>,
    pub concluded_by: Uuid,
    pub concluded_at: DateTime<Utc>,
    pub findings: Vec<FindingView>,
    pub corrective_actions: Vec<CorrectiveActionView>,
}

/// `GET /corrective-actions` filters (the follow-up list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CorrectiveActionQuery {
    /// Only actions open past their due date (the same as `status=overdue`).
    pub overdue: Option<bool>,
    /// Only actions in this status, as the list shows it: `open` is open and not yet due,
    /// `overdue` open past its due date.
    pub status: Option<CorrectiveActionStatus>,
    /// Only open actions due from today to this many days on, today counting as the first
    /// (`7`: the dashboard's "due within 7 days"); 1 to 366.
    pub due_within_days: Option<u32>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page (default and at most 100).
    pub per_page: Option<u64>,
}

/// The largest `due_within_days` of [`CorrectiveActionQuery`].
pub const MAX_DUE_WITHIN_DAYS: u32 = 366;

/// One line of the follow-up list (`GET /corrective-actions`): the action with whom it is
/// addressed to and the inspection it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectiveActionLine {
    #[serde(flatten)]
    pub action: CorrectiveActionView,
    pub enterprise_name: String,
    pub decision_number: String,
    /// The title of the finding the action fixes.
    pub finding_title: String,
    /// Whole days past the due date while open (0 when not overdue).
    pub days_late: i64,
}
