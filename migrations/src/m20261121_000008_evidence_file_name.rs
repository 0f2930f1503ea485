//! The original file name of a piece of evidence, as the client sent it (cleaned): it names
//! the download, never the storage key.

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
                    .table(Evidence::Table)
                    .add_column(text_null(Evidence::FileName))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Evidence::Table)
                    .drop_column(Evidence::FileName)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    FileName,
}
