//! The `corrective_action` table.
use kiemtra_shared::review::CorrectiveActionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "corrective_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub finding_id: Uuid,
    pub inspection_id: Uuid,
    pub description: String,
    pub due_date: Date,
    /// Never `overdue`: that is derived when read.
    pub status: CorrectiveActionStatus,
    pub proof: Json,
    pub proof_note: Option<String>,
    pub rejection_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub verified_by: Option<Uuid>,
    pub verified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
