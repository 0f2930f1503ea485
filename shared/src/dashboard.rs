//! The agency's dashboard (tổng quan): where work waits, at a glance.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::inspection::InspectionStatus;

/// How many overdue actions the dashboard lists by name; the rest are counted.
pub const OVERDUE_LISTED: usize = 20;

/// `GET /dashboard`: counts over the inspections of the caller's agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The day the counts were made for (the server's date, UTC).
    pub today: NaiveDate,
    /// Every status in the order an inspection moves through them, zeros included.
    pub inspections_by_status: Vec<StatusCount>,
    /// Evidence of submitted inspections, or inspections under review, with no decision yet.
    pub evidence_awaiting_review: u64,
    /// Open corrective actions due from today to six days on.
    pub actions_due_this_week: u64,
    /// Open corrective actions past their due date.
    pub overdue_total: u64,
    /// The most overdue of them (at most [`OVERDUE_LISTED`]), most days late first.
    pub overdue: Vec<OverdueAction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: InspectionStatus,
    pub count: u64,
}

/// An open corrective action past its due date, with who must act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueAction {
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub decision_number: String,
    pub enterprise_name: String,
    pub description: String,
    pub due_date: NaiveDate,
    /// Whole days since the due date (at least 1).
    pub days_late: i64,
}
