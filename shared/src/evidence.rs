//! Evidence (chứng cứ): photos and documents attached to a checklist item.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::file_name::{self, FileName};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
pub enum EvidenceKind {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "photo"))]
    Photo,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "document"))]
    Document,
}

/// Query parameters of `PUT /api/v1/evidence/{id}`; the body is the file itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct EvidenceUploadParams {
    pub inspection_id: Uuid,
    pub item_key: String,
    pub kind: EvidenceKind,
    /// When the phone took the photo (not when it was uploaded).
    pub captured_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The file's original name, for display and as the download's name; only its last path
    /// component is kept, without control characters or leading dots, at most 120 characters.
    /// A name with nothing left once cleaned is ignored. It never makes the storage key.
    #[serde(
        default,
        deserialize_with = "file_name::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub file_name: Option<FileName>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceMeta {
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub item_key: String,
    pub kind: EvidenceKind,
    pub content_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the original bytes.
    pub sha256: String,
    pub captured_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub uploaded_by: Uuid,
    /// The display name of who uploaded it.
    #[serde(default)]
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: DateTime<Utc>,
    /// The original file name the client sent, cleaned (see `EvidenceUploadParams`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub file_name: Option<FileName>,
    /// The latest review decision on it, if any.
    pub review: Option<crate::review::ReviewView>,
    /// Whether its thumbnail and preview can be downloaded.
    pub derivatives: DerivativeState,
    /// Pixel size of the original, for images.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// What the photo's own EXIF says (the phone's capture time and GPS are above).
    pub exif: Option<ExifInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum DerivativeState {
    /// A document: no thumbnail or preview.
    None,
    /// Being made; the upload is already safe.
    Pending,
    Done,
    /// The image could not be decoded; the original is kept as uploaded.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExifInfo {
    /// `DateTimeOriginal` as the camera wrote it (local time, no zone).
    pub taken_at: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub device_model: Option<String>,
}
