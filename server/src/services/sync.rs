//! Offline sync, push: batches of client operations applied one by one. Each operation runs in
//! its own transaction and is recorded with a hash of its content under the id the client gave
//! it, so a batch resent after a lost answer applies nothing twice, and one bad operation never
//! loses the good ones beside it. The change feed (pull) is a read model,
//! [`crate::read_models::pull`].

use chrono::Utc;
use kiemtra_shared::response::{AmendResponse, CreateResponse};
use kiemtra_shared::sync::{
    MAX_PUSH_OPS, OpResult, OpStatus, PushOp, PushRequest, PushResponse, SyncOp,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::sync_op;
use crate::error::AppError;
use crate::services::responses::{self, AnswerPlace};

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
