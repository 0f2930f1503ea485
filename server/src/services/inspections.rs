//! Inspections: who may see which, their detail, and the site-checklist submission.

use std::collections::HashMap;

use chrono::Utc;
use kiemtra_shared::auth::Role;
use kiemtra_shared::inspection::{
    AnswerInput, InspectionDetail, InspectionStatus, InspectionSummary, ResponseView,
    SubmitResponse, TemplateRef,
};
use kiemtra_shared::template::{TemplateKind, TemplateSchema, validate_answers};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
    Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::{answer, enterprise, inspection, inspection_member, response, template};
use crate::error::AppError;
use crate::services::audit::{self, AuditEntry};
use crate::services::evidence;

/// The inspections `user` may see: an inspector those whose team they are on, an enterprise user
/// those of its enterprise, reviewers and admins those of their agency.
pub fn visible_to(user: &CurrentUser) -> Select<inspection::Entity> {
    let query = inspection::Entity::find();
    match user.role {
        Role::Admin | Role::Reviewer => {
            query.filter(inspection::Column::AgencyId.eq(user.agency_id.unwrap_or_else(Uuid::nil)))
        }
        Role::Inspector => query.filter(
            inspection::Column::Id.in_subquery(
                Query::select()
                    .column(inspection_member::Column::InspectionId)
                    .from(inspection_member::Entity)
                    .and_where(inspection_member::Column::UserId.eq(user.id))
                    .to_owned(),
            ),
        ),
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

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<InspectionSummary>, AppError> {
    let rows = visible_to(user)
        .order_by_asc(inspection::Column::PlannedStart)
        .order_by_asc(inspection::Column::DecisionNumber)
        .all(db)
        .await?;
    let enterprise_ids: Vec<Uuid> = rows.iter().map(|r| r.enterprise_id).collect();
    let enterprises: HashMap<Uuid, enterprise::Model> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(enterprise_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    rows.into_iter()
        .map(|row| {
            let enterprise = enterprises.get(&row.enterprise_id).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("inspection {} has no enterprise", row.id))
            })?;
            summary(row, enterprise)
        })
        .collect()
}

fn summary(
    row: inspection::Model,
    enterprise: &enterprise::Model,
) -> Result<InspectionSummary, AppError> {
    Ok(InspectionSummary {
        id: row.id,
        status: parse_status(&row.status)?,
        decision_number: row.decision_number,
        title: row.title,
        enterprise_name: enterprise.name.clone(),
        enterprise_tax_code: enterprise.tax_code.clone(),
        planned_start: row.planned_start,
        planned_end: row.planned_end,
    })
}

fn parse_status(s: &str) -> Result<InspectionStatus, AppError> {
    InspectionStatus::parse(s)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("unknown inspection status {s:?}")))
}

pub fn template_ref(row: template::Model) -> Result<TemplateRef, AppError> {
    let kind = serde_json::from_value::<TemplateKind>(serde_json::Value::String(row.kind.clone()))
        .map_err(AppError::internal)?;
    let schema: TemplateSchema = serde_json::from_value(row.schema).map_err(AppError::internal)?;
    Ok(TemplateRef {
        id: row.id,
        kind,
        name: row.name,
        version: row.version,
        schema,
    })
}

pub async fn site_template(
    db: &impl ConnectionTrait,
    inspection: &inspection::Model,
) -> Result<TemplateRef, AppError> {
    let row = template::Entity::find_by_id(inspection.site_template_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("site template missing")))?;
    template_ref(row)
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
    let site_checklist = site_template(db, &row).await?;
    let site_response = match response::Entity::find()
        .filter(response::Column::InspectionId.eq(row.id))
        .filter(response::Column::TemplateId.eq(row.site_template_id))
        .one(db)
        .await?
    {
        Some(found) => Some(response_view(db, found).await?),
        None => None,
    };
    let evidence = evidence::list_for_inspection(db, row.id).await?;
    Ok(InspectionDetail {
        summary: summary(row, &enterprise)?,
        site_checklist,
        site_response,
        evidence,
    })
}

async fn response_view(
    db: &impl ConnectionTrait,
    row: response::Model,
) -> Result<ResponseView, AppError> {
    let answers = answer::Entity::find()
        .filter(answer::Column::ResponseId.eq(row.id))
        .order_by_asc(answer::Column::ItemKey)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            Ok(AnswerInput {
                item_key: a.item_key,
                value: serde_json::from_value(a.value).map_err(AppError::internal)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ResponseView {
        id: row.id,
        template_id: row.template_id,
        submitted_by: row.submitted_by,
        submitted_at: row.submitted_at,
        answers,
    })
}

/// What `submit_site_response` did: created the response, or found the same one already there.
pub enum Submitted {
    Created(ResponseView),
    AlreadyThere(ResponseView),
}

/// Submits the site checklist of an inspection in progress: validates the answers against the
/// template, stores the response and its answers and moves the inspection to `submitted`, all in
/// one transaction. Sending the same submission again (same id, same answers) is recognised.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn submit_site_response<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
    submission: SubmitResponse,
) -> Result<Submitted, AppError> {
    let row = find_visible(db, user, inspection_id).await?;
    if user.role != Role::Inspector || !is_team_member(db, user, row.id).await? {
        return Err(AppError::Forbidden);
    }
    if let Some(existing) = response::Entity::find_by_id(submission.id).one(db).await? {
        let same_inspection = existing.inspection_id == row.id;
        let existing = response_view(db, existing).await?;
        return if same_inspection && existing.answers == sorted(submission.answers) {
            Ok(Submitted::AlreadyThere(existing))
        } else {
            Err(AppError::Conflict(format!(
                "Response {} was already submitted with other answers.",
                submission.id
            )))
        };
    }
    let template = site_template(db, &row).await?;
    let errors = validate_answers(&template.schema, &submission.answers);
    if !errors.is_empty() {
        return Err(AppError::validation("Some answers are not valid.", errors));
    }
    if parse_status(&row.status)? != InspectionStatus::InProgress {
        return Err(AppError::Conflict(format!(
            "The site checklist can only be submitted while the inspection is in progress; it is {}.",
            row.status
        )));
    }

    let now = Utc::now();
    let txn = db.begin().await?;
    response::ActiveModel {
        id: Set(submission.id),
        inspection_id: Set(row.id),
        template_id: Set(row.site_template_id),
        submitted_by: Set(user.id),
        submitted_at: Set(now),
    }
    .insert(&txn)
    .await?;
    for answer_input in &submission.answers {
        answer::ActiveModel {
            id: Set(Uuid::new_v4()),
            response_id: Set(submission.id),
            item_key: Set(answer_input.item_key.clone()),
            value: Set(serde_json::to_value(answer_input.value).map_err(AppError::internal)?),
        }
        .insert(&txn)
        .await?;
    }
    let mut status: inspection::ActiveModel = row.into();
    status.status = Set(InspectionStatus::Submitted.as_str().to_owned());
    status.updated_at = Set(now);
    status.update(&txn).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "response.submitted",
            entity_type: "response",
            entity_id: submission.id.to_string(),
            payload: &serde_json::json!({
                "inspection_id": inspection_id,
                "answers": submission.answers,
            }),
        },
    )
    .await?;
    txn.commit().await?;

    let created = response::Entity::find_by_id(submission.id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("response vanished after commit")))?;
    Ok(Submitted::Created(response_view(db, created).await?))
}

fn sorted(mut answers: Vec<AnswerInput>) -> Vec<AnswerInput> {
    answers.sort_by(|a, b| a.item_key.cmp(&b.item_key));
    answers
}
