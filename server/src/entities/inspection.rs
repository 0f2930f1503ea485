//! The `inspection` table.
use kiemtra_shared::inspection::InspectionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agency_id: Uuid,
    pub enterprise_id: Uuid,
    pub decision_number: String,
    pub title: String,
    pub campaign: Option<String>,
    pub status: InspectionStatus,
    pub planned_start: Date,
    pub planned_end: Date,
    pub site_template_id: Uuid,
    pub questionnaire_template_id: Option<Uuid>,
    pub self_inspection_template_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::enterprise::Entity",
        from = "Column::EnterpriseId",
        to = "super::enterprise::Column::Id"
    )]
    Enterprise,
    #[sea_orm(has_many = "super::inspection_member::Entity")]
    InspectionMember,
}

impl Related<super::enterprise::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enterprise.def()
    }
}

impl Related<super::inspection_member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::InspectionMember.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
