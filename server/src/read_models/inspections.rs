//! The inspection list lines and the inspection detail (an inspection with its enterprise, team,
//! templates, the responses and evidence the user may see, and where its status may go).

use std::collections::HashMap;

use kiemtra_shared::inspection::{InspectionDetail, InspectionSummary, TeamMember};
use kiemtra_shared::paging::Paging;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::paged;
use crate::entities::{app_user, enterprise, inspection, inspection_member};
use crate::error::AppError;
use crate::services::{access, evidence, inspections, responses, templates};

/// The inspections `user` may see, one page of them with `paging` (and how many in all).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    paging: Option<Paging>,
) -> Result<(Vec<InspectionSummary>, u64), AppError> {
    let query = access::inspections_visible_to(user)
        .order_by_asc(inspection::Column::PlannedStart)
        .order_by_asc(inspection::Column::DecisionNumber)
        .order_by_asc(inspection::Column::Id);
    let (rows, total) = paged(db, query, paging).await?;
    Ok((summaries(db, rows).await?, total))
}

/// The list lines of `rows`, with their enterprises read in one query.
#[tracing::instrument(skip_all, fields(inspections = rows.len()))]
pub async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<inspection::Model>,
) -> Result<Vec<InspectionSummary>, AppError> {
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
        status: inspections::status(&row)?,
        decision_number: row.decision_number,
        title: row.title,
        enterprise_name: enterprise.name.clone(),
        enterprise_tax_code: enterprise.tax_code.clone(),
        planned_start: row.planned_start,
        planned_end: row.planned_end,
    })
}

/// One inspection as its screen shows it, if `user` may see it; the responses and evidence are
/// those the user may read.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id))]
pub async fn detail(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<InspectionDetail, AppError> {
    let row = access::find_inspection(db, user, id).await?;
    let enterprise = enterprise::Entity::find_by_id(row.enterprise_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("inspection has no enterprise")))?;
    let site_checklist = templates::referenced(db, row.site_template_id).await?;
    let questionnaire = match row.questionnaire_template_id {
        Some(t) => Some(templates::referenced(db, t).await?),
        None => None,
    };
    let self_inspection = match row.self_inspection_template_id {
        Some(t) => Some(templates::referenced(db, t).await?),
        None => None,
    };
    let responses = responses::current_for_inspection(db, user, &row).await?;
    let site_response = responses
        .iter()
        .find(|r| r.template_id == row.site_template_id)
        .cloned();
    let evidence = evidence::list_for_inspection(db, user, &row).await?;
    let team = team(db, row.id).await?;
    let current = inspections::status(&row)?;
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
    let members = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(inspection_id))
        .all(db)
        .await?;
    let users: HashMap<Uuid, app_user::Model> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(members.iter().map(|m| m.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut team: Vec<TeamMember> = members
        .into_iter()
        .map(|m| TeamMember {
            user_id: m.user_id,
            display_name: users
                .get(&m.user_id)
                .map(|u| u.display_name.clone())
                .unwrap_or_default(),
            lead: m.team_role == "lead",
        })
        .collect();
    team.sort_by(|a, b| {
        b.lead
            .cmp(&a.lead)
            .then(a.display_name.cmp(&b.display_name))
    });
    Ok(team)
}
