//! Resumable uploads (tus 1.0): one row per upload in progress, so any API replica can take the
//! next PATCH. The bytes themselves live in S3: full 5 MiB parts of a multipart upload, and the
//! few bytes after the last full part in a `uploads/<id>/tail-<offset>` object.

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
                    .table(Upload::Table)
                    .col(pk_uuid(Upload::Id))
                    .col(uuid(Upload::EvidenceId))
                    .col(uuid(Upload::CreatedBy))
                    // The evidence metadata sent at creation (`EvidenceUploadParams` as JSON).
                    .col(text(Upload::Params))
                    // Lower-case hex SHA-256 of the whole file, as the client computed it.
                    .col(string_len_null(Upload::ClaimedSha256, 64))
                    .col(big_integer(Upload::Length))
                    .col(big_integer(Upload::Offset))
                    .col(string(Upload::StorageKey))
                    .col(string(Upload::MultipartId))
                    // JSON array of the ETags of the parts stored so far, part 1 first.
                    .col(text(Upload::PartEtags))
                    // Known once the first bytes have been checked.
                    .col(string_null(Upload::FileType))
                    // A PATCH in progress holds the upload until `locked_until`.
                    .col(uuid_null(Upload::LockToken))
                    .col(timestamp_with_time_zone_null(Upload::LockedUntil))
                    .col(timestamp_with_time_zone_null(Upload::CompletedAt))
                    .col(timestamp_with_time_zone(Upload::CreatedAt))
                    .col(timestamp_with_time_zone(Upload::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_upload_expires_at")
                    .table(Upload::Table)
                    .col(Upload::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Upload::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Upload {
    Table,
    Id,
    EvidenceId,
    CreatedBy,
    Params,
    ClaimedSha256,
    Length,
    Offset,
    StorageKey,
    MultipartId,
    PartEtags,
    FileType,
    LockToken,
    LockedUntil,
    CompletedAt,
    CreatedAt,
    ExpiresAt,
}
