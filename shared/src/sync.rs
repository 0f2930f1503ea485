//! Offline sync. The phone queues operations with ids it generates, pushes them in batches
//! whenever it has a connection, and pulls what changed for its user since a cursor.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::answers::Answer;
use crate::error::ErrorBody;
use crate::inspection::{InspectionSummary, ResponseView, TemplateRef};
use crate::review::{CorrectiveActionView, FindingView, ReviewView};

/// Most operations one push may carry.
pub const MAX_PUSH_OPS: usize = 1000;

/// One queued change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type", deny_unknown_fields)]
pub enum SyncOp {
    /// Start a draft response (as `POST /inspections/{id}/responses`).
    CreateResponse {
        inspection_id: Uuid,
        response_id: Uuid,
        template_id: Uuid,
    },
    /// Set one answer of a draft; `section` and `instance` place it in a repeat group.
    SetAnswer {
        response_id: Uuid,
        #[serde(default)]
        section: Option<String>,
        #[serde(default)]
        instance: Option<usize>,
        item_key: String,
        answer: Answer,
    },
    /// Remove one answer of a draft.
    ClearAnswer {
        response_id: Uuid,
        #[serde(default)]
        section: Option<String>,
        #[serde(default)]
        instance: Option<usize>,
        item_key: String,
    },
    /// Submit a draft (checked whole).
    SubmitResponse { response_id: Uuid },
    /// Open an amendment of a submitted response.
    AmendResponse {
        response_id: Uuid,
        new_response_id: Uuid,
    },
}

/// An operation with the id the client gave it: sending it again is recognised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushOp {
    pub op_id: Uuid,
    pub op: SyncOp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub ops: Vec<PushOp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    Applied,
    /// Applied by an earlier push with the same id and content; nothing changed now.
    Duplicate,
    /// Not applied; `error` says why. The other operations of the push are unaffected.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpResult {
    pub op_id: Uuid,
    pub status: OpStatus,
    pub error: Option<ErrorBody>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// One result per operation, in the order sent.
    pub results: Vec<OpResult>,
}

/// `GET /sync/pull` parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// The cursor of the previous pull; 0 (or absent) for everything.
    pub since: Option<i64>,
}

/// What changed for the user since the cursor: the current state of each changed record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Pass it as `since` next time.
    pub cursor: i64,
    /// More changes wait: pull again with the new cursor.
    pub more: bool,
    pub inspections: Vec<InspectionSummary>,
    pub templates: Vec<TemplateRef>,
    pub responses: Vec<ResponseView>,
    pub reviews: Vec<ReviewView>,
    pub findings: Vec<FindingView>,
    pub corrective_actions: Vec<CorrectiveActionView>,
}
