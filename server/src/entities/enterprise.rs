//! The `enterprise` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub tax_code: String,
    pub address: String,
    pub province: String,
    pub created_at: DateTimeUtc,
    /// VSIC industry code.
    pub industry_code: Option<String>,
    pub headcount: Option<i32>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::inspection::Entity")]
    Inspection,
}

impl Related<super::inspection::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Inspection.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
