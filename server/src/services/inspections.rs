//! Inspections: planning one, and its status machine. Who may see which is in
//! [`access`](crate::services::access); the list and the detail are read models
//! ([`crate::read_models::inspections`]).

use chrono::{NaiveDate, Utc};
use kiemtra_shared::auth::Role;
use kiemtra_shared::error::FieldError;
use kiemtra_shared::inspection::{CreateInspection, InspectionStatus, UpdateInspection};
use kiemtra_shared::template::{TemplateKind, TemplateStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::inspection_member::TeamRole;
use crate::entities::{app_user, enterprise, inspection, inspection_member};
use crate::error::AppError;
use crate::services::audit::{self, AuditEntry};
use crate::services::{access, templates};

/// Plans an inspection (admins, and reviewers for a team they lead) and answers its id.
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
    errors.extend(check_dates(request.planned_start, request.planned_end));
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
                &format!("Attach a published template of kind {kind}."),
            )),
            None => errors.push(AppError::field(
                field,
                "unknown_template",
                "No such template version.",
            )),
        }
    }
    if !access::may_name_lead(user, request.lead_id) {
        errors.push(AppError::field(
            "lead_id",
            "lead_yourself",
            "A reviewer plans the inspections they lead: name yourself the team lead.",
        ));
    }
    let team_ids = team_of(request.lead_id, &request.member_ids);
    errors.extend(check_team(db, agency_id, &team_ids).await?);
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
        status: Set(InspectionStatus::Planned),
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
    insert_team(&txn, id, &team_ids).await?;
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

/// Changes the dates or the team of a planned inspection (its agency's admins and the reviewer
/// who leads it), with the checks of planning; once it is under way, a 409.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    request: UpdateInspection,
) -> Result<(), AppError> {
    let row = access::find_inspection(db, user, id).await?;
    access::require_plan_owner(db, user, &row).await?;
    if row.status != InspectionStatus::Planned {
        return Err(AppError::Conflict(format!(
            "The plan can change only while the inspection is planned; it is {}.",
            row.status
        )));
    }
    let start = request.planned_start.unwrap_or(row.planned_start);
    let end = request.planned_end.unwrap_or(row.planned_end);
    let mut errors = check_dates(start, end);
    let current: Vec<inspection_member::Model> = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(id))
        .all(db)
        .await?;
    let new_team = if request.lead_id.is_some() || request.member_ids.is_some() {
        let lead = match request.lead_id {
            Some(lead) => Some(lead),
            None => current
                .iter()
                .find(|m| m.team_role == TeamRole::Lead)
                .map(|m| m.user_id),
        };
        let Some(lead) = lead else {
            return Err(AppError::validation(
                "The plan cannot change so.",
                vec![AppError::field(
                    "lead_id",
                    "required",
                    "This inspection has no lead yet: name one.",
                )],
            ));
        };
        let members: Vec<Uuid> = match &request.member_ids {
            Some(members) => members.clone(),
            None => current
                .iter()
                .filter(|m| m.team_role == TeamRole::Member)
                .map(|m| m.user_id)
                .collect(),
        };
        if request.lead_id.is_some() && !access::may_name_lead(user, lead) {
            errors.push(AppError::field(
                "lead_id",
                "lead_yourself",
                "A reviewer plans the inspections they lead: name yourself the team lead.",
            ));
        }
        let team = team_of(lead, &members);
        errors.extend(check_team(db, row.agency_id, &team).await?);
        Some(team)
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(AppError::validation("The plan cannot change so.", errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut model: inspection::ActiveModel = row.into();
    model.planned_start = Set(start);
    model.planned_end = Set(end);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    if let Some(team) = &new_team {
        inspection_member::Entity::delete_many()
            .filter(inspection_member::Column::InspectionId.eq(id))
            .exec(&txn)
            .await?;
        insert_team(&txn, id, team).await?;
    }
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "inspection.replanned",
            entity_type: "inspection",
            entity_id: id.to_string(),
            inspection_id: Some(id),
            payload: &request,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The planned dates' own check: an inspection cannot end before it starts.
fn check_dates(start: NaiveDate, end: NaiveDate) -> Vec<FieldError> {
    if end < start {
        vec![AppError::field(
            "planned_end",
            "before_start",
            "The inspection cannot end before it starts.",
        )]
    } else {
        Vec::new()
    }
}

/// The team, lead first, each person once.
fn team_of(lead: Uuid, members: &[Uuid]) -> Vec<Uuid> {
    let mut team = vec![lead];
    for member in members {
        if !team.contains(member) {
            team.push(*member);
        }
    }
    team
}

/// Team members are active inspectors of the agency; the lead (first) may be a reviewer. The
/// errors name `lead_id` or `member_ids[i]`.
async fn check_team(
    db: &impl ConnectionTrait,
    agency_id: Uuid,
    team: &[Uuid],
) -> Result<Vec<FieldError>, AppError> {
    let people: Vec<app_user::Model> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(team.iter().copied()))
        .all(db)
        .await?;
    let mut errors = Vec::new();
    for (i, id) in team.iter().enumerate() {
        let field = if i == 0 {
            "lead_id".to_owned()
        } else {
            format!("member_ids[{}]", i - 1)
        };
        let ok = people.iter().find(|p| p.id == *id).is_some_and(|m| {
            m.active
                && m.agency_id == Some(agency_id)
                && (m.role == Role::Inspector || (i == 0 && m.role == Role::Reviewer))
        });
        if !ok {
            errors.push(AppError::field(
                &field,
                "not_eligible",
                "Team members are active inspectors of this agency (the lead may be a reviewer).",
            ));
        }
    }
    Ok(errors)
}

/// Writes the team's rows, the first as the lead.
async fn insert_team(
    db: &impl ConnectionTrait,
    inspection_id: Uuid,
    team: &[Uuid],
) -> Result<(), AppError> {
    for (i, member) in team.iter().enumerate() {
        inspection_member::ActiveModel {
            inspection_id: Set(inspection_id),
            user_id: Set(*member),
            team_role: Set(if i == 0 {
                TeamRole::Lead
            } else {
                TeamRole::Member
            }),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Moves an inspection along its status machine (its agency's admins, and the reviewer who
/// leads its team). A move
/// the machine does not allow is a 409 naming the allowed ones.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id, to = ?to))]
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    to: InspectionStatus,
) -> Result<(), AppError> {
    let row = access::find_inspection(db, user, id).await?;
    access::require_plan_owner(db, user, &row).await?;
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
    let from = row.status;
    if !from.allowed_next().contains(&to) {
        let allowed: Vec<String> = from.allowed_next().iter().map(|s| s.to_string()).collect();
        return Err(AppError::InvalidTransition {
            message: format!(
                "An inspection that is {} cannot become {}; it can become: {}.",
                from,
                to,
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
    model.status = Set(to);
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
