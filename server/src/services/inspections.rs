//! Inspections: who may see which, planning one, and its status machine.

use chrono::Utc;
use kiemtra_shared::auth::Role;
use kiemtra_shared::inspection::{
    CreateInspection, InspectionDetail, InspectionStatus, InspectionSummary, TeamMember,
    TemplateRef,
};
use kiemtra_shared::paging::Paging;
use kiemtra_shared::response::Party;
use kiemtra_shared::template::{TemplateKind, TemplateStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, LoaderTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::inspection_member::TeamRole;
use crate::entities::{app_user, enterprise, inspection, inspection_member};
use crate::error::AppError;
use crate::services::audit::{self, AuditEntry};
use crate::services::{evidence, responses, templates};

/// The inspections `user` may see: an inspector those whose team they are on, an enterprise user
/// those of its enterprise, reviewers and admins those of their agency.
pub fn visible_to(user: &CurrentUser) -> Select<inspection::Entity> {
    let query = inspection::Entity::find();
    match user.role {
        Role::Admin | Role::Reviewer => {
            query.filter(inspection::Column::AgencyId.eq(user.agency_id.unwrap_or_else(Uuid::nil)))
        }
        Role::Inspector => query
            .inner_join(inspection_member::Entity)
            .filter(inspection_member::Column::UserId.eq(user.id)),
        Role::Enterprise => query.filter(
            inspection::Column::EnterpriseId.eq(user.enterprise_id.unwrap_or_else(Uuid::nil)),
        ),
    }
}

/// The inspection if `user` may see it; otherwise 404, so its existence does not leak.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<inspection::Model, AppError> {
    visible_to(user)
        .filter(inspection::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether `user` is on the inspection's team.
pub async fn is_team_member(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<bool, AppError> {
    Ok(
        inspection_member::Entity::find_by_id((inspection_id, user.id))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Whether `user` fills in forms for `party` on this inspection: the enterprise's own users for
/// the enterprise, inspectors on the team for the team.
pub async fn acts_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    row: &inspection::Model,
    party: Party,
) -> Result<bool, AppError> {
    Ok(match party {
        Party::Enterprise => {
            user.role == Role::Enterprise && user.enterprise_id == Some(row.enterprise_id)
        }
        Party::Team => user.role == Role::Inspector && is_team_member(db, user, row.id).await?,
    })
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
/// The inspections `user` may see, one page of them with `paging` (and how many in all).
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    paging: Option<Paging>,
) -> Result<(Vec<InspectionSummary>, u64), AppError> {
    let query = visible_to(user)
        .order_by_asc(inspection::Column::PlannedStart)
        .order_by_asc(inspection::Column::DecisionNumber)
        .order_by_asc(inspection::Column::Id);
    let (rows, total) = paged(db, query, paging).await?;
    Ok((summaries(db, rows).await?, total))
}

/// The list lines of `rows`, with their enterprises read in one query.
pub async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<inspection::Model>,
) -> Result<Vec<InspectionSummary>, AppError> {
    let enterprises = rows.load_one(enterprise::Entity, db).await?;
    rows.into_iter()
        .zip(enterprises)
        .map(|(row, enterprise)| {
            let enterprise = enterprise.ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("inspection {} has no enterprise", row.id))
            })?;
            summary(row, &enterprise)
        })
        .collect()
}

/// One page of `query` and the total count; everything when `paging` is `None`.
pub async fn paged<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    paging: Option<Paging>,
) -> Result<(Vec<E::Model>, u64), AppError>
where
    E::Model: Send + Sync,
{
    match paging {
        None => {
            let rows = query.all(db).await?;
            let total = rows.len() as u64;
            Ok((rows, total))
        }
        Some(paging) => {
            let total = query.clone().count(db).await?;
            let rows = query
                .offset(paging.offset())
                .limit(paging.per_page)
                .all(db)
                .await?;
            Ok((rows, total))
        }
    }
}

fn summary(
    row: inspection::Model,
    enterprise: &enterprise::Model,
) -> Result<InspectionSummary, AppError> {
    Ok(InspectionSummary {
        id: row.id,
        status: row.status,
        decision_number: row.decision_number,
        title: row.title,
        enterprise_name: enterprise.name.clone(),
        enterprise_tax_code: enterprise.tax_code.clone(),
        planned_start: row.planned_start,
        planned_end: row.planned_end,
    })
}

async fn template_of(db: &impl ConnectionTrait, id: Uuid) -> Result<TemplateRef, AppError> {
    templates::find(db, id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("template {id} missing")))
}

/// The templates attached to an inspection, by kind.
pub async fn attached_templates(
    db: &impl ConnectionTrait,
    row: &inspection::Model,
) -> Result<Vec<TemplateRef>, AppError> {
    let mut attached = vec![template_of(db, row.site_template_id).await?];
    for id in [
        row.questionnaire_template_id,
        row.self_inspection_template_id,
    ]
    .into_iter()
    .flatten()
    {
        attached.push(template_of(db, id).await?);
    }
    Ok(attached)
}

#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id))]
pub async fn detail(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<InspectionDetail, AppError> {
    let row = find_visible(db, user, id).await?;
    let enterprise = enterprise::Entity::find_by_id(row.enterprise_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("inspection has no enterprise")))?;
    let site_checklist = template_of(db, row.site_template_id).await?;
    let questionnaire = match row.questionnaire_template_id {
        Some(t) => Some(template_of(db, t).await?),
        None => None,
    };
    let self_inspection = match row.self_inspection_template_id {
        Some(t) => Some(template_of(db, t).await?),
        None => None,
    };
    let responses = responses::current_for_inspection(db, user, &row).await?;
    let site_response = responses
        .iter()
        .find(|r| r.template_id == row.site_template_id)
        .cloned();
    let evidence = evidence::list_for_inspection(db, user, &row).await?;
    let team = team(db, row.id).await?;
    let current = row.status;
    Ok(InspectionDetail {
        campaign: row.campaign.clone(),
        summary: summary(row, &enterprise)?,
        team,
        next_statuses: current.allowed_next().to_vec(),
        site_checklist,
        questionnaire,
        self_inspection,
        site_response,
        responses,
        evidence,
    })
}

async fn team(db: &impl ConnectionTrait, inspection_id: Uuid) -> Result<Vec<TeamMember>, AppError> {
    let mut team: Vec<TeamMember> = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(inspection_id))
        .find_also_related(app_user::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(m, user)| TeamMember {
            user_id: m.user_id,
            display_name: user.map(|u| u.display_name).unwrap_or_default(),
            lead: m.team_role == TeamRole::Lead,
        })
        .collect();
    team.sort_by(|a, b| {
        b.lead
            .cmp(&a.lead)
            .then(a.display_name.cmp(&b.display_name))
    });
    Ok(team)
}

/// Plans an inspection (admins and reviewers of the agency).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    request: CreateInspection,
) -> Result<InspectionDetail, AppError> {
    user.require(&[Role::Admin, Role::Reviewer])?;
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
                &format!("Attach a published template of kind {kind}."),
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
    for (i, member) in team_ids.iter().enumerate() {
        inspection_member::ActiveModel {
            inspection_id: Set(id),
            user_id: Set(*member),
            team_role: Set(if i == 0 {
                TeamRole::Lead
            } else {
                TeamRole::Member
            }),
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
    detail(db, user, id).await
}

/// Moves an inspection along its status machine (admins, and reviewers of the agency). A move
/// the machine does not allow is a 409 naming the allowed ones.
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    to: InspectionStatus,
) -> Result<InspectionDetail, AppError> {
    let row = find_visible(db, user, id).await?;
    user.require(&[Role::Admin, Role::Reviewer])?;
    let txn = crate::db::begin_write(db).await?;
    set_status(&txn, user, row, to).await?;
    txn.commit().await?;
    detail(db, user, id).await
}

/// Checks and records one status change inside the caller's transaction.
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
