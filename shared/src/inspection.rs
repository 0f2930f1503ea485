//! Inspections (cuộc thanh tra) and the responses filled for them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::answers::Answers;
pub use crate::answers::YesNo;
use crate::evidence::EvidenceMeta;
use crate::response::{Party, ResponseStatus};
use crate::template::{TemplateKind, TemplateSchema, TemplateStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(32))"
    )
)]
pub enum InspectionStatus {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "planned"))]
    Planned,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "preparing"))]
    Preparing,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "in_progress"))]
    InProgress,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "submitted"))]
    Submitted,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "under_review"))]
    UnderReview,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "concluded"))]
    Concluded,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "follow_up"))]
    FollowUp,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "closed"))]
    Closed,
}

impl InspectionStatus {
    /// Every status, in the order an inspection moves through them (the dashboard's order).
    pub const ALL: [InspectionStatus; 8] = [
        Self::Planned,
        Self::Preparing,
        Self::InProgress,
        Self::Submitted,
        Self::UnderReview,
        Self::Concluded,
        Self::FollowUp,
        Self::Closed,
    ];

    /// The statuses an inspection may move to from this one: the plan is prepared and visited,
    /// the site record submitted and reviewed (or sent back for more capture), concluded,
    /// followed up and closed. Anything else is refused with these named.
    pub fn allowed_next(self) -> &'static [InspectionStatus] {
        use InspectionStatus::*;
        match self {
            Planned => &[Preparing, InProgress],
            Preparing => &[InProgress],
            InProgress => &[Submitted],
            Submitted => &[UnderReview, InProgress],
            UnderReview => &[Concluded, InProgress],
            Concluded => &[FollowUp, Closed],
            FollowUp => &[Closed],
            Closed => &[],
        }
    }
}

/// One line of the inspection list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionSummary {
    pub id: Uuid,
    pub decision_number: String,
    pub title: String,
    pub enterprise_name: String,
    pub enterprise_tax_code: String,
    pub status: InspectionStatus,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    /// Where the inspection's work stands: given to admins and reviewers in the list, absent
    /// elsewhere (the phone does not need it, and an enterprise must not see the review's
    /// progress).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<InspectionCounts>,
}

/// The figures of one line of the agency's inspection list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionCounts {
    /// Evidence without a review decision, while the inspection is submitted or under review
    /// (the dashboard's definition).
    pub evidence_awaiting_review: u64,
    pub findings_confirmed: u64,
    /// Proposed from non-compliant answers and not yet confirmed or dismissed.
    pub findings_proposed: u64,
    /// Corrective actions not verified yet (open, or with proof waiting).
    pub open_actions: u64,
}

/// `GET /inspections` filters, order and paging. Every filter is optional; an empty value is
/// no filter. A value that does not parse is a 422 naming its parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct InspectionQuery {
    /// One or several statuses, comma-separated: `planned,in_progress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The enterprise's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<String>,
    /// Part of the campaign (chuyên đề), case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Part of the decision number, case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_number: Option<String>,
    /// `YYYY-MM-DD`: inspections planned to end on or after this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `YYYY-MM-DD`: inspections planned to start on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `planned` (default: by planned start, the phone's order) or `newest` (latest planned
    /// start first, then the latest created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// 1-based page number (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// Items per page (default and at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// The order of the inspection list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InspectionSort {
    /// By planned start, earliest first: the phone's list.
    #[default]
    Planned,
    /// Latest planned start first, then the latest created: the agency's list.
    Newest,
}

impl InspectionSort {
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionSort::Planned => "planned",
            InspectionSort::Newest => "newest",
        }
    }

    pub fn parse(text: &str) -> Option<InspectionSort> {
        [InspectionSort::Planned, InspectionSort::Newest]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Parses a comma-separated list of statuses (`planned,in_progress`); `Err` carries the first
/// word that is not a status.
pub fn parse_statuses(text: &str) -> Result<Vec<InspectionStatus>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            InspectionStatus::ALL
                .into_iter()
                .find(|s| s.as_str() == part)
                .ok_or_else(|| part.to_owned())
        })
        .collect()
}

/// An inspection with its site checklist and what has been captured for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionDetail {
    pub summary: InspectionSummary,
    pub campaign: Option<String>,
    pub team: Vec<TeamMember>,
    /// The statuses this inspection may move to next.
    pub next_statuses: Vec<InspectionStatus>,
    pub site_checklist: TemplateRef,
    pub questionnaire: Option<TemplateRef>,
    pub self_inspection: Option<TemplateRef>,
    /// The current site-checklist response (latest version), if any.
    pub site_response: Option<ResponseView>,
    /// The current version of every response of this inspection.
    pub responses: Vec<ResponseView>,
    pub evidence: Vec<EvidenceMeta>,
}

/// One version of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateRef {
    pub id: Uuid,
    /// The template family: every version of one form shares it.
    pub code: String,
    pub kind: TemplateKind,
    pub name: String,
    pub version: i32,
    pub status: TemplateStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub schema: TemplateSchema,
}

/// Submit the site checklist. `id` is generated by the client so that a retried submission is
/// recognised rather than duplicated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitResponse {
    pub id: Uuid,
    pub answers: Answers,
}

/// One version of a filled form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseView {
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub template_id: Uuid,
    pub party: Party,
    pub status: ResponseStatus,
    /// 1 for the first submission; each amendment adds one.
    pub version: i32,
    /// The version this one amends.
    pub supersedes_id: Option<Uuid>,
    pub created_by: Uuid,
    pub updated_at: DateTime<Utc>,
    pub submitted_by: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub answers: Answers,
    /// The non-compliant answers, as the server's form engine judges them: yes/no items
    /// answered against their compliant answer, and measurements outside their limits with the
    /// limit applied and by how much.
    #[serde(default)]
    pub non_compliances: Vec<crate::compliance::NonCompliance>,
}

/// A member of the inspection team (đoàn thanh tra).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub user_id: Uuid,
    pub display_name: String,
    pub lead: bool,
}

/// `POST /inspections`: plan an inspection of one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInspection {
    pub enterprise_id: Uuid,
    /// Số quyết định, e.g. `125/QĐ-TTr`.
    pub decision_number: String,
    pub title: String,
    pub campaign: Option<String>,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    /// Team lead (trưởng đoàn): a reviewer or inspector of the agency.
    pub lead_id: Uuid,
    /// Team members: inspectors of the agency.
    #[serde(default)]
    pub member_ids: Vec<Uuid>,
    /// Published site checklist the team answers on site.
    pub site_template_id: Uuid,
    /// Published pre-inspection questionnaire for the enterprise.
    pub questionnaire_template_id: Option<Uuid>,
    /// Published self-inspection checklist for the enterprise.
    pub self_inspection_template_id: Option<Uuid>,
}

/// `PATCH /inspections/{id}`: new dates or a new team, while the inspection is planned. Only
/// the fields given change; `member_ids` replaces the members (the lead stays unless
/// `lead_id` names another).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateInspection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_end: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<Uuid>>,
}

/// `POST /inspections/{id}/transition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub to: InspectionStatus,
}
