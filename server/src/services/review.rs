//! Review decisions: a reviewer of the agency approves, rejects or asks for recapture of each
//! piece of evidence and each answer. Decisions are kept as history; the latest one counts.

use chrono::Utc;
use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::response::ResponseStatus;
use kiemtra_shared::review::{CreateReview, Decision, ReviewTarget, ReviewView};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::review_decision::TargetType;
use crate::entities::{answer, evidence, response, review_decision};
use crate::error::AppError;
use crate::services::access::{self, require_reviewer};
use crate::services::audit::{self, AuditEntry};
use crate::services::inspections;

fn target_columns(target: &ReviewTarget) -> (TargetType, String) {
    match target {
        ReviewTarget::Evidence { id } => (TargetType::Evidence, id.to_string()),
        ReviewTarget::Answer { response_id, slot } => {
            (TargetType::Answer, format!("{response_id}/{slot}"))
        }
    }
}

fn target_of(row: &review_decision::Model) -> Result<ReviewTarget, AppError> {
    let bad = || AppError::internal(anyhow::anyhow!("bad review target {}", row.target_id));
    match row.target_type {
        TargetType::Evidence => Ok(ReviewTarget::Evidence {
            id: row.target_id.parse().map_err(|_| bad())?,
        }),
        TargetType::Answer => {
            let (response, slot) = row.target_id.split_once('/').ok_or_else(bad)?;
            Ok(ReviewTarget::Answer {
                response_id: response.parse().map_err(|_| bad())?,
                slot: slot.to_owned(),
            })
        }
    }
}

pub fn view(row: review_decision::Model) -> Result<ReviewView, AppError> {
    Ok(ReviewView {
        target: target_of(&row)?,
        id: row.id,
        inspection_id: row.inspection_id,
        decision: row.decision,
        reason: row.reason,
        reviewer_id: row.reviewer_id,
        decided_at: row.decided_at,
        internal: row.internal,
    })
}

/// Records a decision. The first decision on a submitted inspection puts it under review.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn decide<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
    request: CreateReview,
) -> Result<ReviewView, AppError> {
    let inspection = access::find_inspection(db, user, inspection_id).await?;
    require_reviewer(user)?;
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if request.decision != Decision::Approved && reason.is_none() {
        return Err(AppError::validation(
            "Say why.",
            vec![AppError::field(
                "reason",
                "required",
                "A rejection or recapture request needs a reason.",
            )],
        ));
    }
    let status = inspection.status;
    if !matches!(
        status,
        InspectionStatus::Submitted | InspectionStatus::UnderReview
    ) {
        return Err(AppError::Conflict(format!(
            "Evidence is reviewed once the inspection is submitted; it is {}.",
            status
        )));
    }
    let exists = match &request.target {
        ReviewTarget::Evidence { id } => evidence::Entity::find_by_id(*id)
            .one(db)
            .await?
            .is_some_and(|e| e.inspection_id == inspection.id),
        ReviewTarget::Answer { response_id, slot } => {
            let submitted = response::Entity::find_by_id(*response_id)
                .one(db)
                .await?
                .is_some_and(|r| {
                    r.inspection_id == inspection.id && r.status == ResponseStatus::Submitted
                });
            submitted
                && answer::Entity::find()
                    .filter(answer::Column::ResponseId.eq(*response_id))
                    .filter(answer::Column::Slot.eq(slot))
                    .one(db)
                    .await?
                    .is_some()
        }
    };
    if !exists {
        return Err(AppError::validation(
            "Nothing to review there.",
            vec![AppError::field(
                "target",
                "unknown_target",
                "No such evidence or submitted answer in this inspection.",
            )],
        ));
    }
    let (target_type, target_id) = target_columns(&request.target);
    let txn = crate::db::begin_write(db).await?;
    let row = review_decision::ActiveModel {
        id: Set(Uuid::new_v4()),
        inspection_id: Set(inspection.id),
        target_type: Set(target_type),
        target_id: Set(target_id),
        decision: Set(request.decision),
        reason: Set(reason.map(str::to_owned)),
        reviewer_id: Set(user.id),
        decided_at: Set(Utc::now()),
        internal: Set(request.internal),
    }
    .insert(&txn)
    .await?;
    let decided = view(row)?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "review.decided",
            entity_type: "review",
            entity_id: decided.id.to_string(),
            inspection_id: Some(inspection.id),
            payload: &decided,
        },
    )
    .await?;
    if status == InspectionStatus::Submitted {
        inspections::set_status(&txn, user, inspection, InspectionStatus::UnderReview).await?;
    }
    txn.commit().await?;
    Ok(decided)
}

/// All decisions of an inspection, oldest first (agency staff).
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<Vec<ReviewView>, AppError> {
    let inspection = access::find_inspection(db, user, inspection_id).await?;
    access::require_agency_staff(user)?;
    review_decision::Entity::find()
        .filter(review_decision::Column::InspectionId.eq(inspection.id))
        .order_by_asc(review_decision::Column::DecidedAt)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// The latest decision on each piece of evidence of an inspection that `user` may read: for an
/// enterprise user, the latest one not marked internal (internal comments never reach them).
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn latest_for_evidence(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, ReviewView>, AppError> {
    let mut latest = std::collections::HashMap::new();
    let mut query = review_decision::Entity::find()
        .filter(review_decision::Column::InspectionId.eq(inspection_id))
        .filter(review_decision::Column::TargetType.eq(TargetType::Evidence));
    if !access::sees_internal_reviews(user) {
        query = query.filter(review_decision::Column::Internal.eq(false));
    }
    for row in query
        .order_by_asc(review_decision::Column::DecidedAt)
        .all(db)
        .await?
    {
        let decided = view(row)?;
        if let ReviewTarget::Evidence { id } = decided.target {
            latest.insert(id, decided);
        }
    }
    Ok(latest)
}
