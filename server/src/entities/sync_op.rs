//! The `sync_op` table: pushed operations already applied.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_op")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub op_id: Uuid,
    pub user_id: Uuid,
    pub op_hash: String,
    pub op: String,
    pub applied_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
