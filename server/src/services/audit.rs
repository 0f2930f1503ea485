//! The audit log: an append-only list of events, each hashed together with the hash of the event
//! before it, so that editing or deleting any past event breaks the chain from there on.
//!
//! Appends take the one-row `audit_head` with an UPDATE first: that row lock (PostgreSQL) or the
//! write lock (SQLite) serialises appenders, so sequence numbers are gap-free and each event
//! links to the true previous one. Call [`record`] inside the transaction that makes the change,
//! so the change and its audit event commit together or not at all.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entities::{audit_event, audit_head};
use crate::error::AppError;

/// Hash that precedes the first event (also written by the migration).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change to record.
pub struct AuditEntry<'a, P: Serialize> {
    pub actor: Option<Uuid>,
    /// What happened, `entity.verb` (e.g. `response.submitted`, `evidence.downloaded`).
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    /// The inspection the change belongs to: the sync feed sends it to that inspection's users.
    pub inspection_id: Option<Uuid>,
    /// The change itself (new values, or what was read for a download).
    pub payload: &'a P,
}

/// Appends `entry` to the chain and returns its sequence number.
#[tracing::instrument(skip_all, fields(action = entry.action, inspection = ?entry.inspection_id))]
pub async fn record<P: Serialize>(
    db: &impl ConnectionTrait,
    entry: AuditEntry<'_, P>,
) -> Result<i64, AppError> {
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::LastSeq,
            Expr::col(audit_head::Column::LastSeq).add(1),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("audit_head row is missing")))?;
    // serde_json's map is ordered by key, so this text is canonical for a given value.
    let payload = serde_json::to_string(entry.payload).map_err(AppError::internal)?;
    let occurred_at = Utc::now().trunc_subsecs(6);
    let hash = chain_hash(&ChainFields {
        prev_hash: &head.last_hash,
        seq: head.last_seq,
        occurred_at,
        actor: entry.actor,
        action: entry.action,
        entity_type: entry.entity_type,
        entity_id: &entry.entity_id,
        inspection_id: entry.inspection_id,
        payload: &payload,
    });
    audit_event::ActiveModel {
        seq: Set(head.last_seq),
        occurred_at: Set(occurred_at),
        actor_id: Set(entry.actor),
        action: Set(entry.action.to_owned()),
        entity_type: Set(entry.entity_type.to_owned()),
        entity_id: Set(entry.entity_id),
        inspection_id: Set(entry.inspection_id),
        payload: Set(payload),
        prev_hash: Set(head.last_hash.clone()),
        hash: Set(hash.clone()),
    }
    .insert(db)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastHash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(head.last_seq)
}

/// Records a change `user` made to one entity of an inspection: the common case of [`record`].
#[tracing::instrument(skip_all, fields(user = %user.id, action = %action, inspection = %inspection_id))]
pub async fn record_by(
    db: &impl ConnectionTrait,
    user: &crate::auth::CurrentUser,
    action: &str,
    entity_type: &str,
    entity_id: Uuid,
    inspection_id: Uuid,
    payload: &impl Serialize,
) -> Result<(), AppError> {
    record(
        db,
        AuditEntry {
            actor: Some(user.id),
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            inspection_id: Some(inspection_id),
            payload,
        },
    )
    .await
    .map(|_| ())
}

/// The fields an event's hash covers, in order.
pub struct ChainFields<'a> {
    pub prev_hash: &'a str,
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub inspection_id: Option<Uuid>,
    pub payload: &'a str,
}

/// SHA-256 over the length-prefixed fields, so no two different events hash the same text.
pub fn chain_hash(fields: &ChainFields<'_>) -> String {
    let seq = fields.seq.to_string();
    let at = fields
        .occurred_at
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let actor = fields.actor.map(|a| a.to_string()).unwrap_or_default();
    let inspection = fields
        .inspection_id
        .map(|i| i.to_string())
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    for part in [
        fields.prev_hash,
        &seq,
        &at,
        &actor,
        fields.action,
        fields.entity_type,
        fields.entity_id,
        &inspection,
        fields.payload,
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events checked.
    pub events: u64,
    /// The first event that does not fit the chain, with the reason; `None` when intact.
    pub first_broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Recomputes every hash from the first event on, and checks the head matches the last event.
#[tracing::instrument(skip_all)]
pub async fn verify(db: &impl ConnectionTrait) -> anyhow::Result<Verification> {
    const PAGE: u64 = 1000;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut events = 0u64;
    let broken = |seq: i64, reason: String, events: u64| {
        Ok(Verification {
            events,
            first_broken: Some(BrokenLink { seq, reason }),
        })
    };
    loop {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for event in batch {
            if event.seq != expected_seq {
                return broken(
                    expected_seq,
                    format!("event {expected_seq} is missing"),
                    events,
                );
            }
            if event.prev_hash != prev_hash {
                return broken(
                    event.seq,
                    "does not link to the event before it".to_owned(),
                    events,
                );
            }
            let recomputed = chain_hash(&ChainFields {
                prev_hash: &event.prev_hash,
                seq: event.seq,
                occurred_at: event.occurred_at,
                actor: event.actor_id,
                action: &event.action,
                entity_type: &event.entity_type,
                entity_id: &event.entity_id,
                inspection_id: event.inspection_id,
                payload: &event.payload,
            });
            if recomputed != event.hash {
                return broken(
                    event.seq,
                    "its content does not match its hash".to_owned(),
                    events,
                );
            }
            events += 1;
            expected_seq += 1;
            prev_hash = event.hash;
        }
    }
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("audit_head row is missing"))?;
    if head.last_seq != expected_seq - 1 || head.last_hash != prev_hash {
        return broken(
            expected_seq,
            format!(
                "the chain ends at {} but the head says {}",
                expected_seq - 1,
                head.last_seq
            ),
            events,
        );
    }
    Ok(Verification {
        events,
        first_broken: None,
    })
}
