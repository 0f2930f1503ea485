//! The `review_decision` table.
use kiemtra_shared::review::Decision;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "review_decision")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub target_type: TargetType,
    pub target_id: String,
    pub decision: Decision,
    pub reason: Option<String>,
    pub reviewer_id: Uuid,
    pub decided_at: DateTimeUtc,
    /// For the agency only (never returned to an enterprise user).
    pub internal: bool,
}

/// What kind of thing `target_id` names: an evidence id, or `<response id>/<slot>` of an answer.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TargetType {
    #[sea_orm(string_value = "evidence")]
    Evidence,
    #[sea_orm(string_value = "answer")]
    Answer,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
