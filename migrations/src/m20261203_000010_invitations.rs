//! Which agency invited each enterprise user (an enterprise user sees only that agency's
//! inspections of its enterprise), and single-use password-reset tokens.

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
                    .table(AppUser::Table)
                    .add_column(uuid_null(AppUser::InvitedByAgencyId))
                    .to_owned(),
            )
            .await?;
        // Existing enterprise accounts keep a case: the agency of the staff member whose
        // invitation they accepted, else the agency that first planned an inspection of their
        // enterprise. Plain correlated subqueries, the same on SQLite and PostgreSQL.
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE app_user SET invited_by_agency_id = (
                SELECT staff.agency_id FROM invite
                JOIN app_user AS staff ON staff.id = invite.created_by
                WHERE invite.email = app_user.email AND invite.accepted_at IS NOT NULL
                ORDER BY invite.accepted_at DESC LIMIT 1)
             WHERE role = 'enterprise'",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE app_user SET invited_by_agency_id = (
                SELECT inspection.agency_id FROM inspection
                WHERE inspection.enterprise_id = app_user.enterprise_id
                ORDER BY inspection.created_at LIMIT 1)
             WHERE role = 'enterprise' AND invited_by_agency_id IS NULL",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordReset::Table)
                    .col(pk_uuid(PasswordReset::Id))
                    .col(uuid(PasswordReset::UserId))
                    .col(string_uniq(PasswordReset::TokenHash))
                    .col(uuid_null(PasswordReset::CreatedBy))
                    .col(timestamp_with_time_zone(PasswordReset::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordReset::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordReset::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordReset::Table, PasswordReset::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordReset::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .drop_column(AppUser::InvitedByAgencyId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    InvitedByAgencyId,
}

#[derive(DeriveIden)]
enum PasswordReset {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}
