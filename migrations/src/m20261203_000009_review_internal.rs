//! Review comments for the agency only ("Chỉ nội bộ"): a flag on each decision, so that the
//! reads an enterprise user makes can leave them out.

// `async_trait` cannot name the lifetime of `SchemaManager` the way the 2018 idiom lint wants.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReviewDecision::Table)
                    .add_column(boolean(ReviewDecision::Internal).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReviewDecision::Table)
                    .drop_column(ReviewDecision::Internal)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ReviewDecision {
    Table,
    Internal,
}
