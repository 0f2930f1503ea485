//! Enterprise details for the register: industry, headcount and a contact person.

// `async_trait` cannot name the lifetime of `SchemaManager` the way the 2018 idiom lint wants.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            string_len_null(Enterprise::IndustryCode, 16),
            integer_null(Enterprise::Headcount),
            string_null(Enterprise::ContactName),
            string_len_null(Enterprise::ContactPhone, 32),
            string_null(Enterprise::ContactEmail),
            timestamp_with_time_zone_null(Enterprise::UpdatedAt),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Enterprise::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_enterprise_province")
                    .table(Enterprise::Table)
                    .col(Enterprise::Province)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_enterprise_province")
                    .table(Enterprise::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Enterprise::IndustryCode,
            Enterprise::Headcount,
            Enterprise::ContactName,
            Enterprise::ContactPhone,
            Enterprise::ContactEmail,
            Enterprise::UpdatedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Enterprise::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Province,
    IndustryCode,
    Headcount,
    ContactName,
    ContactPhone,
    ContactEmail,
    UpdatedAt,
}
