//! The `evidence` table.
use kiemtra_shared::evidence::EvidenceKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub item_key: String,
    pub kind: EvidenceKind,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Made by the server (`evidence/<inspection>/<id>`), never from a client file name.
    pub storage_key: String,
    pub captured_at: Option<DateTimeUtc>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub uploaded_by: Uuid,
    pub uploaded_at: DateTimeUtc,
    pub derivative_state: DerivativeStatus,
    pub derivative_error: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// EXIF `DateTimeOriginal` as the camera wrote it (local time, no zone).
    pub exif_taken_at: Option<String>,
    pub exif_latitude: Option<f64>,
    pub exif_longitude: Option<f64>,
    pub device_model: Option<String>,
    /// The client's file name, cleaned by `FileName` (display and download name only).
    pub file_name: Option<String>,
}

/// How far the thumbnail and preview of an evidence are. The API's `DerivativeState` carries
/// the failure's reason (the `derivative_error` column) with it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DerivativeStatus {
    /// A document: none are made.
    #[sea_orm(string_value = "none")]
    None,
    /// Queued or being made.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "done")]
    Done,
    /// The image could not be decoded; the original is kept as uploaded.
    #[sea_orm(string_value = "failed")]
    Failed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
