//! The follow-up list (theo dõi khắc phục): corrective actions with the enterprise that must
//! act, the decision number of the inspection and the finding they fix, one page at a time.

use std::collections::HashMap;

use kiemtra_shared::paging::Paging;
use kiemtra_shared::review::{CorrectiveActionLine, CorrectiveActionStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::clock::Clock;
use crate::entities::finding;
use crate::error::AppError;
use crate::services::findings::{self, ActionFilter};

/// One page of the corrective actions `user` follows ([`findings::follow_up_page`]), named.
#[tracing::instrument(skip_all, fields(user = %user.id, filter = ?filter))]
pub async fn page(
    db: &impl ConnectionTrait,
    clock: &Clock,
    user: &CurrentUser,
    filter: ActionFilter,
    paging: Paging,
) -> Result<(Vec<CorrectiveActionLine>, u64), AppError> {
    let (actions, total) =
        findings::follow_up_page(db, clock, user, None, filter, Some(paging)).await?;
    // At most one page of each: the names are read for the page only.
    let (inspections, names) =
        super::inspections_and_enterprise_names(db, actions.iter().map(|a| a.inspection_id))
            .await?;
    let titles: HashMap<Uuid, String> = finding::Entity::find()
        .filter(finding::Column::Id.is_in(actions.iter().map(|a| a.finding_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.title))
        .collect();
    let today = clock.today();
    let lines = actions
        .into_iter()
        .map(|action| {
            let inspection = inspections.get(&action.inspection_id).ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!(
                    "corrective action {} without its inspection",
                    action.id
                ))
            })?;
            let days_late = if action.status == CorrectiveActionStatus::Overdue {
                (today - action.due_date).num_days()
            } else {
                0
            };
            Ok(CorrectiveActionLine {
                enterprise_name: names
                    .get(&inspection.enterprise_id)
                    .cloned()
                    .unwrap_or_default(),
                decision_number: inspection.decision_number.clone(),
                finding_title: titles.get(&action.finding_id).cloned().unwrap_or_default(),
                days_late,
                action,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok((lines, total))
}
