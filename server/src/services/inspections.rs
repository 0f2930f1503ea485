//! Inspections: planning one, and its status machine. Who may see which is in
//! [`access`](crate::services::access); the list and the detail are read models
//! ([`crate::read_models::inspections`]).

use chrono::Utc;
use kiemtra_shared::inspection::{CreateInspection, InspectionStatus};
use kiemtra_shared::template::{TemplateKind, TemplateStatus};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db_enum::{from_db, to_db};
use crate::entities::{app_user, enterprise, inspection, inspection_member};
use crate::error::AppError;
use crate::services::audit::{self, AuditEntry};
use crate::services::{access, templates};

/// The stored status of an inspection.
pub fn status(row: &inspection::Model) -> Result<InspectionStatus, AppError> {
    from_db(&row.status)
}

/// Plans an inspection (admins and reviewers of the agency) and answers its id.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    request: CreateInspection,
) -> Result<Uuid, AppError> {
    access::require_planner(user)?;
    let agency_id = user.agency_id.ok_or(AppError::Forbidden)?;
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("decision_number", &request.decision_number, 64),
        ("title", &request.title, 255),
    ] {
        let len = value.trim().chars().count();
        if len == 0 || len > max {
            errors.push(AppError::field(
                field,
                "invalid_length",
                &format!("1 to {max} characters."),
            ));
        }
    }
    if request.planned_end < request.planned_start {
        errors.push(AppError::field(
            "planned_end",
            "before_start",
            "The inspection cannot end before it starts.",
        ));
    }
    if enterprise::Entity::find_by_id(request.enterprise_id)
        .one(db)
        .await?
        .is_none()
    {
        errors.push(AppError::field(
            "enterprise_id",
            "unknown_enterprise",
            "No such enterprise.",
        ));
    }
    for (field, id, kind) in [
        (
            "site_template_id",
            Some(request.site_template_id),
            TemplateKind::SiteChecklist,
        ),
        (
            "questionnaire_template_id",
            request.questionnaire_template_id,
            TemplateKind::Questionnaire,
        ),
        (
            "self_inspection_template_id",
            request.self_inspection_template_id,
            TemplateKind::SelfInspection,
        ),
    ] {
        let Some(id) = id else { continue };
        match templates::find(db, id).await? {
            Some(t) if t.kind == kind && t.status == TemplateStatus::Published => {}
            Some(_) => errors.push(AppError::field(
                field,
                "wrong_template",
                &format!("Attach a published template of kind {}.", to_db(kind)),
            )),
            None => errors.push(AppError::field(
                field,
                "unknown_template",
                "No such template version.",
            )),
        }
    }
    let mut team_ids = vec![request.lead_id];
    team_ids.extend(
        request
            .member_ids
            .iter()
            .copied()
            .filter(|id| *id != request.lead_id),
    );
    team_ids.dedup();
    for (i, id) in team_ids.iter().enumerate() {
        let member = app_user::Entity::find_by_id(*id).one(db).await?;
        let field = if i == 0 {
            "lead_id".to_owned()
        } else {
            format!("member_ids[{}]", i - 1)
        };
        let ok = member.is_some_and(|m| {
            m.active
                && m.agency_id == Some(agency_id)
                && (m.role == "inspector" || (i == 0 && m.role == "reviewer"))
        });
        if !ok {
            errors.push(AppError::field(
                &field,
                "not_eligible",
                "Team members are active inspectors of this agency (the lead may be a reviewer).",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::validation(
            "The inspection cannot be planned.",
            errors,
        ));
    }

    let now = Utc::now();
    let id = Uuid::new_v4();
    let txn = crate::db::begin_write(db).await?;
    inspection::ActiveModel {
        id: Set(id),
        agency_id: Set(agency_id),
        enterprise_id: Set(request.enterprise_id),
        decision_number: Set(request.decision_number.trim().to_owned()),
        title: Set(request.title.trim().to_owned()),
        campaign: Set(request.campaign.clone()),
        status: Set(to_db(InspectionStatus::Planned)),
        planned_start: Set(request.planned_start),
        planned_end: Set(request.planned_end),
        site_template_id: Set(request.site_template_id),
        questionnaire_template_id: Set(request.questionnaire_template_id),
        self_inspection_template_id: Set(request.self_inspection_template_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    for (i, member) in team_ids.iter().enumerate() {
        inspection_member::ActiveModel {
            inspection_id: Set(id),
            user_id: Set(*member),
            team_role: Set(if i == 0 { "lead" } else { "member" }.to_owned()),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "inspection.created",
            entity_type: "inspection",
            entity_id: id.to_string(),
            inspection_id: Some(id),
            payload: &request,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Moves an inspection along its status machine (admins, and reviewers of the agency). A move
/// the machine does not allow is a 409 naming the allowed ones.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id, to = ?to))]
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    to: InspectionStatus,
) -> Result<(), AppError> {
    let row = access::find_inspection(db, user, id).await?;
    access::require_planner(user)?;
    let txn = crate::db::begin_write(db).await?;
    set_status(&txn, user, row, to).await?;
    txn.commit().await?;
    Ok(())
}

/// Checks and records one status change inside the caller's transaction.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %row.id, to = ?to))]
pub async fn set_status(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    row: inspection::Model,
    to: InspectionStatus,
) -> Result<(), AppError> {
    let from = status(&row)?;
    if !from.allowed_next().contains(&to) {
        let allowed: Vec<String> = from.allowed_next().iter().map(|s| to_db(*s)).collect();
        return Err(AppError::InvalidTransition {
            message: format!(
                "An inspection that is {} cannot become {}; it can become: {}.",
                to_db(from),
                to_db(to),
                if allowed.is_empty() {
                    "nothing (it is closed)".to_owned()
                } else {
                    allowed.join(", ")
                }
            ),
            allowed,
        });
    }
    let id = row.id;
    let mut model: inspection::ActiveModel = row.into();
    model.status = Set(to_db(to));
    model.updated_at = Set(Utc::now());
    model.update(db).await?;
    audit::record(
        db,
        AuditEntry {
            actor: Some(user.id),
            action: "inspection.status_changed",
            entity_type: "inspection",
            entity_id: id.to_string(),
            inspection_id: Some(id),
            payload: &serde_json::json!({"from": from, "to": to}),
        },
    )
    .await?;
    Ok(())
}
