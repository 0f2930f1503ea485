//! The kiemtra database schema. Migrations are the only way the schema is made: the server runs
//! pending ones at start, and the tests build every database through them.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_initial;
mod m20261121_000002_audit_log;
mod m20261121_000003_sessions;
mod m20261121_000004_enterprise_details;
mod m20261121_000005_review;
mod m20261121_000006_sync;
mod m20261121_000007_uploads;
mod m20261121_000008_evidence_file_name;
mod m20261203_000009_review_internal;
mod m20261203_000010_invitations;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_initial::Migration),
            Box::new(m20261121_000002_audit_log::Migration),
            Box::new(m20261121_000003_sessions::Migration),
            Box::new(m20261121_000004_enterprise_details::Migration),
            Box::new(m20261121_000005_review::Migration),
            Box::new(m20261121_000006_sync::Migration),
            Box::new(m20261121_000007_uploads::Migration),
            Box::new(m20261121_000008_evidence_file_name::Migration),
            Box::new(m20261203_000009_review_internal::Migration),
            Box::new(m20261203_000010_invitations::Migration),
        ]
    }
}
