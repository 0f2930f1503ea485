//! Sessions and accounts: rotating refresh tokens (stored hashed, in families), enterprise
//! invitations, and failed logins for rate limiting.

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
                    .table(RefreshToken::Table)
                    .col(pk_uuid(RefreshToken::Id))
                    .col(uuid(RefreshToken::UserId))
                    .col(uuid(RefreshToken::FamilyId))
                    .col(string_len_uniq(RefreshToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshToken::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshToken::Table, RefreshToken::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_token_family")
                    .table(RefreshToken::Table)
                    .col(RefreshToken::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invite::Table)
                    .col(pk_uuid(Invite::Id))
                    .col(string_len_uniq(Invite::TokenHash, 64))
                    .col(string(Invite::Email))
                    .col(string(Invite::DisplayName))
                    .col(uuid(Invite::EnterpriseId))
                    .col(uuid(Invite::CreatedBy))
                    .col(timestamp_with_time_zone(Invite::CreatedAt))
                    .col(timestamp_with_time_zone(Invite::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invite::AcceptedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invite::Table, Invite::EnterpriseId)
                            .to(Enterprise::Table, Enterprise::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invite::Table, Invite::CreatedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailure::Table)
                    .col(pk_uuid(LoginFailure::Id))
                    .col(string(LoginFailure::Email))
                    .col(string_len(LoginFailure::Ip, 64))
                    .col(timestamp_with_time_zone(LoginFailure::At))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_login_failure_email", LoginFailure::Email),
            ("ix_login_failure_ip", LoginFailure::Ip),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginFailure::Table)
                        .col(column)
                        .col(LoginFailure::At)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginFailure::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Invite::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RefreshToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Invite {
    Table,
    Id,
    TokenHash,
    Email,
    DisplayName,
    EnterpriseId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
    Id,
    Email,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}
