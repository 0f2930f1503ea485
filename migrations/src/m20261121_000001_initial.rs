//! The core records: agencies, enterprises, users, versioned templates, inspections with their
//! team, responses (versioned) with one row per answer, and evidence metadata (bytes in S3).

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
                    // `draft` (editable) or `published` (immutable).
                    .col(string_len(Template::Status, 16))
                    .col(uuid_null(Template::CreatedBy))
                    .col(timestamp_with_time_zone(Template::CreatedAt))
                    .col(timestamp_with_time_zone_null(Template::PublishedAt))
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
                    // Thematic campaign (chuyên đề), e.g. OSH in construction.
                    .col(string_null(Inspection::Campaign))
                    .col(string_len(Inspection::Status, 32))
                    .col(date(Inspection::PlannedStart))
                    .col(date(Inspection::PlannedEnd))
                    .col(uuid(Inspection::SiteTemplateId))
                    .col(uuid_null(Inspection::QuestionnaireTemplateId))
                    .col(uuid_null(Inspection::SelfInspectionTemplateId))
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
                    // `enterprise` or `team`: who fills it in.
                    .col(string_len(Response::Party, 16))
                    // `draft`, `submitted`, or `superseded` by an amendment.
                    .col(string_len(Response::Status, 16))
                    .col(integer(Response::Version))
                    .col(uuid_null(Response::SupersedesId))
                    .col(uuid(Response::CreatedBy))
                    .col(timestamp_with_time_zone(Response::CreatedAt))
                    .col(timestamp_with_time_zone(Response::UpdatedAt))
                    .col(uuid_null(Response::SubmittedBy))
                    .col(timestamp_with_time_zone_null(Response::SubmittedAt))
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
                            .from(Response::Table, Response::CreatedBy)
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
                    // Where the answer sits: `items/<item>` or `repeats/<section>/<n>/<item>`.
                    .col(string(Answer::Slot))
                    .col(string(Answer::ItemKey))
                    .col(json(Answer::Value))
                    .col(uuid(Answer::UpdatedBy))
                    .col(timestamp_with_time_zone(Answer::UpdatedAt))
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
                    .name("ux_answer_response_slot")
                    .table(Answer::Table)
                    .col(Answer::ResponseId)
                    .col(Answer::Slot)
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
                    // Thumbnail and preview: `none` (documents), `pending`, `done` or `failed`.
                    .col(string_len(Evidence::DerivativeState, 16))
                    .col(text_null(Evidence::DerivativeError))
                    .col(integer_null(Evidence::Width))
                    .col(integer_null(Evidence::Height))
                    .col(string_null(Evidence::ExifTakenAt))
                    .col(double_null(Evidence::ExifLatitude))
                    .col(double_null(Evidence::ExifLongitude))
                    .col(string_null(Evidence::DeviceModel))
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
    Status,
    CreatedBy,
    CreatedAt,
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
    Campaign,
    Status,
    PlannedStart,
    PlannedEnd,
    SiteTemplateId,
    QuestionnaireTemplateId,
    SelfInspectionTemplateId,
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
    Party,
    Status,
    Version,
    SupersedesId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedBy,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    Id,
    ResponseId,
    Slot,
    ItemKey,
    Value,
    UpdatedBy,
    UpdatedAt,
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
    DerivativeState,
    DerivativeError,
    Width,
    Height,
    ExifTakenAt,
    ExifLatitude,
    ExifLongitude,
    DeviceModel,
}
