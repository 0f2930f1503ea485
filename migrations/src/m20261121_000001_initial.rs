//! Walking skeleton: agencies, enterprises, users, templates, inspections with their team,
//! site-checklist responses with answers, and evidence metadata (the bytes live in S3).

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
                    .table(Agency::Table)
                    .col(pk_uuid(Agency::Id))
                    .col(string(Agency::Name))
                    .col(timestamp_with_time_zone(Agency::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Enterprise::Table)
                    .col(pk_uuid(Enterprise::Id))
                    .col(string(Enterprise::Name))
                    .col(string_len_uniq(Enterprise::TaxCode, 14))
                    .col(string(Enterprise::Address))
                    .col(string(Enterprise::Province))
                    .col(timestamp_with_time_zone(Enterprise::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_uuid(AppUser::Id))
                    .col(string_uniq(AppUser::Email))
                    .col(string(AppUser::PasswordHash))
                    .col(string(AppUser::DisplayName))
                    .col(string_len(AppUser::Role, 16))
                    .col(uuid_null(AppUser::AgencyId))
                    .col(uuid_null(AppUser::EnterpriseId))
                    .col(boolean(AppUser::Active))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::EnterpriseId)
                            .to(Enterprise::Table, Enterprise::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Template::Table)
                    .col(pk_uuid(Template::Id))
                    .col(string(Template::Code))
                    .col(integer(Template::Version))
                    .col(string_len(Template::Kind, 32))
                    .col(string(Template::Name))
                    .col(json(Template::Schema))
                    .col(timestamp_with_time_zone(Template::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_template_code_version")
                    .table(Template::Table)
                    .col(Template::Code)
                    .col(Template::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Inspection::Table)
                    .col(pk_uuid(Inspection::Id))
                    .col(uuid(Inspection::AgencyId))
                    .col(uuid(Inspection::EnterpriseId))
                    .col(string(Inspection::DecisionNumber))
                    .col(string(Inspection::Title))
                    .col(string_len(Inspection::Status, 32))
                    .col(date(Inspection::PlannedStart))
                    .col(date(Inspection::PlannedEnd))
                    .col(uuid(Inspection::SiteTemplateId))
                    .col(timestamp_with_time_zone(Inspection::CreatedAt))
                    .col(timestamp_with_time_zone(Inspection::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Inspection::Table, Inspection::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Inspection::Table, Inspection::EnterpriseId)
                            .to(Enterprise::Table, Enterprise::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Inspection::Table, Inspection::SiteTemplateId)
                            .to(Template::Table, Template::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InspectionMember::Table)
                    .col(uuid(InspectionMember::InspectionId))
                    .col(uuid(InspectionMember::UserId))
                    .col(string_len(InspectionMember::TeamRole, 16))
                    .primary_key(
                        Index::create()
                            .col(InspectionMember::InspectionId)
                            .col(InspectionMember::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(InspectionMember::Table, InspectionMember::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(InspectionMember::Table, InspectionMember::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Response::Table)
                    .col(pk_uuid(Response::Id))
                    .col(uuid(Response::InspectionId))
                    .col(uuid(Response::TemplateId))
                    .col(uuid(Response::SubmittedBy))
                    .col(timestamp_with_time_zone(Response::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Response::Table, Response::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Response::Table, Response::TemplateId)
                            .to(Template::Table, Template::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Response::Table, Response::SubmittedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Answer::Table)
                    .col(pk_uuid(Answer::Id))
                    .col(uuid(Answer::ResponseId))
                    .col(string(Answer::ItemKey))
                    .col(json(Answer::Value))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Answer::Table, Answer::ResponseId)
                            .to(Response::Table, Response::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_answer_response_item")
                    .table(Answer::Table)
                    .col(Answer::ResponseId)
                    .col(Answer::ItemKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Evidence::Table)
                    .col(pk_uuid(Evidence::Id))
                    .col(uuid(Evidence::InspectionId))
                    .col(string(Evidence::ItemKey))
                    .col(string_len(Evidence::Kind, 16))
                    .col(string(Evidence::ContentType))
                    .col(big_integer(Evidence::SizeBytes))
                    .col(string_len(Evidence::Sha256, 64))
                    .col(string(Evidence::StorageKey))
                    .col(timestamp_with_time_zone_null(Evidence::CapturedAt))
                    .col(double_null(Evidence::Latitude))
                    .col(double_null(Evidence::Longitude))
                    .col(uuid(Evidence::UploadedBy))
                    .col(timestamp_with_time_zone(Evidence::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evidence::Table, Evidence::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evidence::Table, Evidence::UploadedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_evidence_inspection")
                    .table(Evidence::Table)
                    .col(Evidence::InspectionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Evidence::Table.into_iden(),
            Answer::Table.into_iden(),
            Response::Table.into_iden(),
            InspectionMember::Table.into_iden(),
            Inspection::Table.into_iden(),
            Template::Table.into_iden(),
            AppUser::Table.into_iden(),
            Enterprise::Table.into_iden(),
            Agency::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
    Name,
    TaxCode,
    Address,
    Province,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Role,
    AgencyId,
    EnterpriseId,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Template {
    Table,
    Id,
    Code,
    Version,
    Kind,
    Name,
    Schema,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
    AgencyId,
    EnterpriseId,
    DecisionNumber,
    Title,
    Status,
    PlannedStart,
    PlannedEnd,
    SiteTemplateId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InspectionMember {
    Table,
    InspectionId,
    UserId,
    TeamRole,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    InspectionId,
    TemplateId,
    SubmittedBy,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    Id,
    ResponseId,
    ItemKey,
    Value,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    Id,
    InspectionId,
    ItemKey,
    Kind,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    CapturedAt,
    Latitude,
    Longitude,
    UploadedBy,
    UploadedAt,
}
