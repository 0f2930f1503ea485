//! The `app_user` table.
use kiemtra_shared::auth::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub enterprise_id: Option<Uuid>,
    /// For an enterprise user: the agency whose invitation made the account. The user sees that
    /// agency's inspections of its enterprise, no other agency's (see `services::access`).
    pub invited_by_agency_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::inspection_member::Entity")]
    InspectionMember,
}

impl Related<super::inspection_member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::InspectionMember.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
