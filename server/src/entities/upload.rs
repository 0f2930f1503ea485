//! The `upload` table: resumable (tus) uploads in progress.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "upload")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The evidence this upload becomes, by the client's id.
    pub evidence_id: Uuid,
    pub created_by: Uuid,
    /// `EvidenceUploadParams` as JSON.
    pub params: String,
    pub claimed_sha256: Option<String>,
    pub length: i64,
    pub offset: i64,
    /// Where the finished file goes (made by the server).
    pub storage_key: String,
    /// The S3 multipart upload the full parts go to.
    pub multipart_id: String,
    /// JSON array of the stored parts' ETags, part 1 first.
    pub part_etags: String,
    pub file_type: Option<String>,
    pub lock_token: Option<Uuid>,
    pub locked_until: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
