//! The one error body every failing API call returns.

use serde::{Deserialize, Serialize};

/// JSON body of every 4xx/5xx answer: a stable machine `code`, a human `message`, and per-field
/// `details` where the input was at fault. Internal causes are never put here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub details: Vec<FieldError>,
}

/// One invalid input field: `field` is a path into the request (`answers[2].value`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Stable error codes. Clients branch on these, never on the message text.
pub mod codes {
    pub const BAD_REQUEST: &str = "bad_request";
    pub const INVALID_JSON: &str = "invalid_json";
    pub const VALIDATION: &str = "validation_failed";
    pub const UNAUTHENTICATED: &str = "unauthenticated";
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    pub const TOKEN_EXPIRED: &str = "token_expired";
    pub const TOKEN_INVALID: &str = "token_invalid";
    pub const FORBIDDEN: &str = "forbidden";
    pub const NOT_FOUND: &str = "not_found";
    pub const CONFLICT: &str = "conflict";
    pub const INVALID_TRANSITION: &str = "invalid_transition";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
    pub const DIGEST_MISMATCH: &str = "digest_mismatch";
    /// tus: the PATCH's `Upload-Offset` is not where the upload stands (409).
    pub const UPLOAD_OFFSET_MISMATCH: &str = "upload_offset_mismatch";
    /// tus: the PATCH body does not match its `Upload-Checksum` (460).
    pub const CHECKSUM_MISMATCH: &str = "checksum_mismatch";
    /// tus: another PATCH of this upload is in progress (423).
    pub const UPLOAD_LOCKED: &str = "upload_locked";
    /// tus: the request speaks a tus version this server does not (412).
    pub const TUS_VERSION: &str = "tus_version_unsupported";
    pub const IMAGE_TOO_LARGE: &str = "image_too_large";
    pub const IMAGE_CORRUPT: &str = "image_corrupt";
    pub const RATE_LIMITED: &str = "rate_limited";
    /// 403: an agency invites users only into enterprises it has an inspection of.
    pub const ENTERPRISE_NOT_INSPECTED: &str = "enterprise_not_inspected";
    /// 410: the invitation or password-reset link was used already.
    pub const LINK_USED: &str = "link_used";
    /// 410: the invitation or password-reset link has expired.
    pub const LINK_EXPIRED: &str = "link_expired";
    pub const INTERNAL: &str = "internal_error";
    pub const UNAVAILABLE: &str = "service_unavailable";
}
