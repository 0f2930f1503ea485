//! Offline sync: batches of client operations applied one by one, and a change feed.
//!
//! Push: each operation runs in its own transaction and is recorded with a hash of its content
//! under the id the client gave it, so a batch resent after a lost answer applies nothing twice,
//! and one bad operation never loses the good ones beside it.
//!
//! Pull: the audit log is the change feed. Every change is an audit event carrying its
//! inspection, so "what changed for this user since cursor N" is the events after N on the
//! inspections the user may see (plus published templates), answered with the records' current
//! state.

use std::collections::BTreeSet;

use chrono::Utc;
use kiemtra_shared::auth::Role;
use kiemtra_shared::response::{AmendResponse, CreateResponse};
use kiemtra_shared::sync::{
    MAX_PUSH_OPS, OpResult, OpStatus, PullResponse, PushOp, PushRequest, PushResponse, SyncOp,
};
use kiemtra_shared::template::TemplateStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::{audit_event, inspection, review_decision, sync_op};
use crate::error::AppError;
use crate::services::responses::{self, AnswerPlace};
use crate::services::{findings, inspections, review, templates};

/// Events answered by one pull at most; `more` tells the client to pull again.
const PULL_PAGE: u64 = 500;

/// Applies each operation and answers one result per operation, in order.
#[tracing::instrument(skip_all, fields(user = %user.id, ops = request.ops.len()))]
pub async fn push<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    request: PushRequest,
) -> Result<PushResponse, AppError> {
    if request.ops.len() > MAX_PUSH_OPS {
        return Err(AppError::PayloadTooLarge(format!(
            "A push carries at most {MAX_PUSH_OPS} operations; send the rest in another."
        )));
    }
    let mut results = Vec::with_capacity(request.ops.len());
    for op in request.ops {
        results.push(push_one(db, user, op).await);
    }
    Ok(PushResponse { results })
}

fn rejected(op_id: Uuid, error: &AppError) -> OpResult {
    OpResult {
        op_id,
        status: OpStatus::Rejected,
        error: Some(error.body()),
    }
}

async fn push_one<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    op: PushOp,
) -> OpResult {
    let canonical = match serde_json::to_string(&op.op) {
        Ok(text) => text,
        Err(e) => return rejected(op.op_id, &AppError::internal(e)),
    };
    let hash = hex::encode(Sha256::digest(canonical.as_bytes()));
    match sync_op::Entity::find_by_id(op.op_id).one(db).await {
        Ok(Some(done)) if done.user_id == user.id && done.op_hash == hash => {
            return OpResult {
                op_id: op.op_id,
                status: OpStatus::Duplicate,
                error: None,
            };
        }
        Ok(Some(done)) => {
            let difference = if done.user_id != user.id {
                "another user sent an operation with this id".to_owned()
            } else {
                format!("this id was applied with other content: {}", done.op)
            };
            return rejected(
                op.op_id,
                &AppError::Conflict(format!("Operation {} conflicts: {difference}.", op.op_id)),
            );
        }
        Ok(None) => {}
        Err(e) => return rejected(op.op_id, &e.into()),
    }
    let outcome = async {
        let txn = crate::db::begin_write(db).await?;
        apply(&txn, user, &op.op).await?;
        sync_op::ActiveModel {
            op_id: Set(op.op_id),
            user_id: Set(user.id),
            op_hash: Set(hash),
            op: Set(canonical),
            applied_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    match outcome {
        Ok(()) => OpResult {
            op_id: op.op_id,
            status: OpStatus::Applied,
            error: None,
        },
        Err(error) => rejected(op.op_id, &error),
    }
}

async fn apply<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    op: &SyncOp,
) -> Result<(), AppError> {
    match op {
        SyncOp::CreateResponse {
            inspection_id,
            response_id,
            template_id,
        } => {
            let request = CreateResponse {
                id: *response_id,
                template_id: *template_id,
            };
            responses::create_draft(db, user, *inspection_id, request)
                .await
                .map(|_| ())
        }
        SyncOp::SetAnswer {
            response_id,
            section,
            instance,
            item_key,
            answer,
        } => {
            let place = AnswerPlace {
                section: section.as_deref(),
                instance: *instance,
                item_key,
            };
            responses::set_answer(db, user, *response_id, place, Some(answer.clone())).await
        }
        SyncOp::ClearAnswer {
            response_id,
            section,
            instance,
            item_key,
        } => {
            let place = AnswerPlace {
                section: section.as_deref(),
                instance: *instance,
                item_key,
            };
            responses::set_answer(db, user, *response_id, place, None).await
        }
        SyncOp::SubmitResponse { response_id } => {
            responses::submit(db, user, *response_id).await.map(|_| ())
        }
        SyncOp::AmendResponse {
            response_id,
            new_response_id,
        } => responses::amend(
            db,
            user,
            *response_id,
            AmendResponse {
                id: *new_response_id,
            },
        )
        .await
        .map(|_| ()),
    }
}

/// What changed for the user after `since`.
#[tracing::instrument(skip_all, fields(user = %user.id, since))]
pub async fn pull(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    since: i64,
) -> Result<PullResponse, AppError> {
    if since < 0 {
        return Err(AppError::validation(
            "The cursor is not valid.",
            vec![AppError::field(
                "since",
                "out_of_range",
                "A cursor is 0 or a value a pull returned.",
            )],
        ));
    }
    let visible: Vec<inspection::Model> = inspections::visible_to(user).all(db).await?;
    let visible_ids: Vec<Uuid> = visible.iter().map(|i| i.id).collect();
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Seq.gt(since))
        .filter(
            Condition::any()
                .add(audit_event::Column::InspectionId.is_in(visible_ids.clone()))
                .add(audit_event::Column::EntityType.eq("template")),
        )
        .order_by_asc(audit_event::Column::Seq)
        .limit(PULL_PAGE)
        .all(db)
        .await?;
    let more = events.len() as u64 == PULL_PAGE;
    let cursor = match events.last() {
        Some(last) => last.seq,
        // Nothing for this user: jump to the head, so the next pull starts there.
        None => audit_event::Entity::find()
            .select_only()
            .column_as(audit_event::Column::Seq.max(), "max")
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten()
            .unwrap_or(0)
            .max(since),
    };

    let mut changed_inspections = BTreeSet::new();
    let mut changed = BTreeSet::new();
    for event in &events {
        if let Some(inspection) = event.inspection_id {
            changed_inspections.insert(inspection);
        }
        changed.insert((event.entity_type.clone(), event.entity_id.clone()));
    }
    let ids_of = |entity_type: &str| -> Vec<Uuid> {
        changed
            .iter()
            .filter(|(t, _)| t == entity_type)
            .filter_map(|(_, id)| id.parse().ok())
            .collect()
    };

    // The visible inspections were read above; only the changed ones become list lines.
    let changed_rows = visible
        .into_iter()
        .filter(|i| changed_inspections.contains(&i.id))
        .collect();
    let inspections = inspections::summaries(db, changed_rows).await?;

    let mut templates_out = Vec::new();
    for id in ids_of("template") {
        let Some(found) = templates::find(db, id).await? else {
            continue;
        };
        let usable = found.status == TemplateStatus::Published
            && (user.role != Role::Enterprise || templates::get(db, user, id).await.is_ok());
        if usable {
            templates_out.push(found);
        }
    }

    let mut responses_out = Vec::new();
    for id in ids_of("response") {
        if let Ok(found) = responses::get(db, user, id).await {
            responses_out.push(found);
        }
    }

    let mut reviews = Vec::new();
    if user.role != Role::Enterprise {
        for row in review_decision::Entity::find()
            .filter(review_decision::Column::Id.is_in(ids_of("review")))
            .filter(review_decision::Column::InspectionId.is_in(visible_ids.clone()))
            .all(db)
            .await?
        {
            reviews.push(review::view(row)?);
        }
    }

    let mut findings_out = Vec::new();
    let finding_ids = ids_of("finding");
    for inspection_id in &changed_inspections {
        if finding_ids.is_empty() {
            break;
        }
        for f in findings::list(db, user, *inspection_id).await? {
            if finding_ids.contains(&f.id) {
                findings_out.push(f);
            }
        }
    }

    let action_ids = ids_of("corrective_action");
    let mut actions = Vec::new();
    if !action_ids.is_empty() {
        for action in findings::follow_up(db, user, None, false).await? {
            if action_ids.contains(&action.id) {
                actions.push(action);
            }
        }
    }

    Ok(PullResponse {
        cursor,
        more,
        inspections,
        templates: templates_out,
        responses: responses_out,
        reviews,
        findings: findings_out,
        corrective_actions: actions,
    })
}
