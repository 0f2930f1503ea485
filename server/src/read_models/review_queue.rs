//! The review queue (Chờ duyệt): every piece of evidence waiting for a decision across the
//! inspections the reviewer may see, oldest first.
//!
//! "Waiting" is defined here once, and the dashboard's `evidence_awaiting_review` counts the
//! same list, so the figure and the queue always agree: evidence of an inspection that is
//! submitted or under review (the only states in which a decision can be made) on which no
//! decision was made yet. A recapture comes back as new evidence (a new id), so it waits again
//! although the photo it replaces was decided.

use std::collections::{HashMap, HashSet};

use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::paging::Paging;
use kiemtra_shared::review::QueuedEvidence;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::review_decision::TargetType;
use crate::entities::{evidence, inspection, review_decision};
use crate::error::AppError;
use crate::services::evidence::{meta, with_uploader_names};
use crate::services::{access, templates};

/// The ids of the evidence waiting for a decision that `user` may see, oldest upload first.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn awaiting(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<Uuid>, AppError> {
    let in_review = access::inspections_visible_to(user)
        .select_only()
        .column(inspection::Column::Id)
        .filter(
            inspection::Column::Status
                .is_in([InspectionStatus::Submitted, InspectionStatus::UnderReview]),
        )
        .into_query();
    let uploaded: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> = evidence::Entity::find()
        .select_only()
        .column(evidence::Column::Id)
        .column(evidence::Column::UploadedAt)
        .filter(evidence::Column::InspectionId.in_subquery(in_review.clone()))
        .into_tuple()
        .all(db)
        .await?;
    // Decisions name their target as text; compared here rather than in SQL, where a text and
    // a uuid column compare differently on each engine.
    let decided: HashSet<Uuid> = review_decision::Entity::find()
        .select_only()
        .column(review_decision::Column::TargetId)
        .filter(review_decision::Column::InspectionId.in_subquery(in_review))
        .filter(review_decision::Column::TargetType.eq(TargetType::Evidence))
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let mut waiting: Vec<_> = uploaded
        .into_iter()
        .filter(|(id, _)| !decided.contains(id))
        .collect();
    waiting.sort_by_key(|&(id, at)| (at, id));
    Ok(waiting.into_iter().map(|(id, _)| id).collect())
}

/// One page of the queue and its total; reviewers and admins only.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn page(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    paging: Paging,
) -> Result<(Vec<QueuedEvidence>, u64), AppError> {
    access::require_reviewer(user)?;
    let all = awaiting(db, user).await?;
    let total = all.len() as u64;
    let ids: Vec<Uuid> = all
        .into_iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.per_page).unwrap_or(usize::MAX))
        .collect();
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut rows: HashMap<Uuid, evidence::Model> = evidence::Entity::find()
        .filter(evidence::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let (inspections, names) =
        super::inspections_and_enterprise_names(db, rows.values().map(|r| r.inspection_id)).await?;
    let mut forms = HashMap::new();
    for inspection in inspections.values() {
        forms.insert(inspection.id, templates::attached_to(db, inspection).await?);
    }
    let mut metas = ids
        .iter()
        .filter_map(|id| rows.remove(id))
        .map(meta)
        .collect::<Result<Vec<_>, AppError>>()?;
    with_uploader_names(db, &mut metas).await?;
    let items = metas
        .into_iter()
        .filter_map(|evidence| {
            let inspection = inspections.get(&evidence.inspection_id)?;
            let item_label = forms.get(&inspection.id).and_then(|forms| {
                forms
                    .iter()
                    .find_map(|form| form.schema.item(&evidence.item_key))
                    .map(|item| item.label.clone())
            });
            Some(QueuedEvidence {
                item_label,
                decision_number: inspection.decision_number.clone(),
                enterprise_name: names
                    .get(&inspection.enterprise_id)
                    .cloned()
                    .unwrap_or_default(),
                evidence,
            })
        })
        .collect();
    Ok((items, total))
}
