//! Review decisions, findings, corrective actions and conclusions.

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
                    .table(ReviewDecision::Table)
                    .col(pk_uuid(ReviewDecision::Id))
                    .col(uuid(ReviewDecision::InspectionId))
                    // `evidence` or `answer`; the id is the evidence id or `<response>/<slot>`.
                    .col(string_len(ReviewDecision::TargetType, 16))
                    .col(string(ReviewDecision::TargetId))
                    .col(string_len(ReviewDecision::Decision, 24))
                    .col(text_null(ReviewDecision::Reason))
                    .col(uuid(ReviewDecision::ReviewerId))
                    .col(timestamp_with_time_zone(ReviewDecision::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReviewDecision::Table, ReviewDecision::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReviewDecision::Table, ReviewDecision::ReviewerId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_review_target")
                    .table(ReviewDecision::Table)
                    .col(ReviewDecision::InspectionId)
                    .col(ReviewDecision::TargetType)
                    .col(ReviewDecision::TargetId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Finding::Table)
                    .col(pk_uuid(Finding::Id))
                    .col(uuid(Finding::InspectionId))
                    .col(uuid_null(Finding::ResponseId))
                    .col(string_null(Finding::Slot))
                    .col(string_null(Finding::ItemKey))
                    .col(string(Finding::Title))
                    .col(text(Finding::Description))
                    .col(text_null(Finding::LegalBasis))
                    .col(string_len(Finding::Severity, 16))
                    .col(string_len(Finding::Status, 16))
                    .col(uuid(Finding::CreatedBy))
                    .col(timestamp_with_time_zone(Finding::CreatedAt))
                    .col(timestamp_with_time_zone(Finding::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Finding::Table, Finding::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_finding_inspection")
                    .table(Finding::Table)
                    .col(Finding::InspectionId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CorrectiveAction::Table)
                    .col(pk_uuid(CorrectiveAction::Id))
                    .col(uuid(CorrectiveAction::FindingId))
                    .col(uuid(CorrectiveAction::InspectionId))
                    .col(text(CorrectiveAction::Description))
                    .col(date(CorrectiveAction::DueDate))
                    .col(string_len(CorrectiveAction::Status, 24))
                    // JSON array of evidence ids.
                    .col(json(CorrectiveAction::Proof))
                    .col(text_null(CorrectiveAction::ProofNote))
                    .col(text_null(CorrectiveAction::RejectionReason))
                    .col(uuid(CorrectiveAction::CreatedBy))
                    .col(timestamp_with_time_zone(CorrectiveAction::CreatedAt))
                    .col(timestamp_with_time_zone(CorrectiveAction::UpdatedAt))
                    .col(uuid_null(CorrectiveAction::VerifiedBy))
                    .col(timestamp_with_time_zone_null(CorrectiveAction::VerifiedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CorrectiveAction::Table, CorrectiveAction::FindingId)
                            .to(Finding::Table, Finding::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CorrectiveAction::Table, CorrectiveAction::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_corrective_action_due")
                    .table(CorrectiveAction::Table)
                    .col(CorrectiveAction::Status)
                    .col(CorrectiveAction::DueDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Conclusion::Table)
                    .col(uuid(Conclusion::InspectionId).primary_key())
                    .col(string(Conclusion::Number))
                    .col(text(Conclusion::Summary))
                    .col(text_null(Conclusion::Sanctions))
                    .col(uuid(Conclusion::ConcludedBy))
                    .col(timestamp_with_time_zone(Conclusion::ConcludedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conclusion::Table, Conclusion::InspectionId)
                            .to(Inspection::Table, Inspection::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Conclusion::Table.into_iden(),
            CorrectiveAction::Table.into_iden(),
            Finding::Table.into_iden(),
            ReviewDecision::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ReviewDecision {
    Table,
    Id,
    InspectionId,
    TargetType,
    TargetId,
    Decision,
    Reason,
    ReviewerId,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Finding {
    Table,
    Id,
    InspectionId,
    ResponseId,
    Slot,
    ItemKey,
    Title,
    Description,
    LegalBasis,
    Severity,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CorrectiveAction {
    Table,
    Id,
    FindingId,
    InspectionId,
    Description,
    DueDate,
    Status,
    Proof,
    ProofNote,
    RejectionReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    VerifiedBy,
    VerifiedAt,
}

#[derive(DeriveIden)]
enum Conclusion {
    Table,
    InspectionId,
    Number,
    Summary,
    Sanctions,
    ConcludedBy,
    ConcludedAt,
}

#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}
