//! The agency's dashboard: inspections by status, evidence waiting for a decision, and the
//! corrective actions due soon or overdue, over the inspections the caller may see.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use kiemtra_shared::dashboard::{Dashboard, OVERDUE_LISTED, OverdueAction, StatusCount};
use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::review::CorrectiveActionStatus;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use crate::auth::CurrentUser;
use crate::entities::{corrective_action, inspection};
use crate::error::AppError;
use crate::read_models::review_queue;
use crate::services::access;

/// The dashboard of `user`'s agency on `today`; reviewers and admins only.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn dashboard(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    access::require_reviewer(user)?;

    // Counted by the database: one row a status, however many inspections the agency has.
    let counts: HashMap<InspectionStatus, u64> = access::inspections_visible_to(user)
        .select_only()
        .column(inspection::Column::Status)
        .column_as(inspection::Column::Id.count(), "n")
        .group_by(inspection::Column::Status)
        .into_tuple::<(InspectionStatus, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(status, n)| (status, n.max(0) as u64))
        .collect();
    let inspections_by_status = InspectionStatus::ALL
        .iter()
        .map(|&status| StatusCount {
            status,
            count: counts.get(&status).copied().unwrap_or(0),
        })
        .collect();

    // The same list as the review queue's, so the figure and the queue agree.
    let evidence_awaiting_review = review_queue::awaiting(db, user).await?.len() as u64;

    let open_actions = || {
        corrective_action::Entity::find()
            .filter(corrective_action::Column::InspectionId.in_subquery(visible_ids(user, None)))
            .filter(corrective_action::Column::Status.eq(CorrectiveActionStatus::Open))
    };
    let week_end = today + Days::new(7);
    let actions_due_this_week = open_actions()
        .filter(corrective_action::Column::DueDate.gte(today))
        .filter(corrective_action::Column::DueDate.lt(week_end))
        .count(db)
        .await?;
    let overdue_query = open_actions().filter(corrective_action::Column::DueDate.lt(today));
    let overdue_total = overdue_query.clone().count(db).await?;
    let overdue_rows = overdue_query
        .order_by_asc(corrective_action::Column::DueDate)
        .order_by_asc(corrective_action::Column::Id)
        .limit(OVERDUE_LISTED as u64)
        .all(db)
        .await?;
    let (of_actions, names) =
        super::inspections_and_enterprise_names(db, overdue_rows.iter().map(|a| a.inspection_id))
            .await?;
    let overdue = overdue_rows
        .into_iter()
        .filter_map(|action| {
            let inspection = of_actions.get(&action.inspection_id)?;
            Some(OverdueAction {
                id: action.id,
                inspection_id: action.inspection_id,
                decision_number: inspection.decision_number.clone(),
                enterprise_name: names
                    .get(&inspection.enterprise_id)
                    .cloned()
                    .unwrap_or_default(),
                description: action.description,
                due_date: action.due_date,
                days_late: (today - action.due_date).num_days(),
            })
        })
        .collect();

    Ok(Dashboard {
        today,
        inspections_by_status,
        evidence_awaiting_review,
        actions_due_this_week,
        overdue_total,
        overdue,
    })
}

/// The ids of the inspections `user` may see, in the given statuses if any, as a sub-query.
fn visible_ids(user: &CurrentUser, statuses: Option<&[InspectionStatus]>) -> SelectStatement {
    let mut query = access::inspections_visible_to(user)
        .select_only()
        .column(inspection::Column::Id);
    if let Some(statuses) = statuses {
        query = query.filter(inspection::Column::Status.is_in(statuses.iter().copied()));
    }
    query.into_query()
}
