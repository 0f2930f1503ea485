//! Operations applied by `POST /sync/push`, kept so that a resent operation is recognised.

// `async_trait` cannot name the lifetime of `SchemaManager` the way the 2018 idiom lint wants.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SyncOp::Table)
                    .col(pk_uuid(SyncOp::OpId))
                    .col(uuid(SyncOp::UserId))
                    // SHA-256 of the operation's canonical JSON: same id, other content is a conflict.
                    .col(string_len(SyncOp::OpHash, 64))
                    .col(text(SyncOp::Op))
                    .col(timestamp_with_time_zone(SyncOp::AppliedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SyncOp::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SyncOp {
    Table,
    OpId,
    UserId,
    OpHash,
    Op,
    AppliedAt,
}
