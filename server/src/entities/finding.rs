//! The `finding` table.
use kiemtra_shared::review::FindingStatus;
use kiemtra_shared::template::Severity;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "finding")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub response_id: Option<Uuid>,
    pub slot: Option<String>,
    pub item_key: Option<String>,
    pub title: String,
    pub description: String,
    pub legal_basis: Option<String>,
    pub severity: Severity,
    pub status: FindingStatus,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
