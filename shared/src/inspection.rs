//! Inspections (cuộc thanh tra) and the responses filled for them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::answers::Answers;
pub use crate::answers::YesNo;
use crate::evidence::EvidenceMeta;
use crate::response::{Party, ResponseStatus};
use crate::template::{TemplateKind, TemplateSchema, TemplateStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Preparing => "preparing",
            Self::InProgress => "in_progress",
            Self::Submitted => "submitted",
            Self::UnderReview => "under_review",
            Self::Concluded => "concluded",
            Self::FollowUp => "follow_up",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

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

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Planned => "Kế hoạch",
            Self::Preparing => "Chuẩn bị",
            Self::InProgress => "Đang thanh tra",
            Self::Submitted => "Đã nộp",
            Self::UnderReview => "Đang duyệt",
            Self::Concluded => "Đã kết luận",
            Self::FollowUp => "Theo dõi khắc phục",
            Self::Closed => "Đã đóng",
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

/// `POST /inspections/{id}/transition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub to: InspectionStatus,
}
