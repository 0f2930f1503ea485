//! Who writes a resumable upload. A PATCH holds its upload by a lease in the upload's row, so
//! two replicas never write one upload, and by an in-process lock that a HEAD or a second PATCH
//! on this replica waits on: a client resuming right after a cut learns the offset the cut
//! request reached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::tus_error::TusError;
use crate::entities::upload;
use crate::error::AppError;

/// How long a PATCH holds its upload before another replica may take it over; renewed with
/// every part stored.
const LEASE: Duration = Duration::minutes(2);

/// How long a HEAD or PATCH waits for another PATCH of the same upload on this replica.
const LOCAL_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The in-process side of the upload locks: one async mutex per upload being written here.
#[derive(Default)]
pub struct LocalLocks(Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<()>>>>);

/// Held while a request works on an upload; the map entry goes with the last holder.
pub struct LocalGuard<'a> {
    locks: &'a LocalLocks,
    id: Uuid,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for LocalGuard<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut map = self.locks.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.get(&self.id).is_some_and(|m| Arc::strong_count(m) == 1) {
            map.remove(&self.id);
        }
    }
}

impl LocalLocks {
    /// Waits (bounded) until no other request of this process works on upload `id`.
    pub async fn acquire(&self, id: Uuid) -> Result<LocalGuard<'_>, AppError> {
        let mutex = {
            let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(id).or_default().clone()
        };
        let mut holder = LocalGuard {
            locks: self,
            id,
            guard: None,
        };
        match tokio::time::timeout(LOCAL_WAIT, mutex.lock_owned()).await {
            Ok(guard) => {
                holder.guard = Some(guard);
                Ok(holder)
            }
            Err(_) => Err(TusError::Locked.into()),
        }
    }
}

/// A PATCH's hold on its upload row.
pub struct Lease {
    pub row: upload::Model,
    pub token: Uuid,
}

/// Takes the lease of upload `id` if it stands at `offset`, is unfinished and nobody holds it;
/// returns the lease's token, or `None` when it was not taken.
pub async fn try_take(
    db: &DatabaseConnection,
    id: Uuid,
    offset: u64,
) -> Result<Option<Uuid>, AppError> {
    let token = Uuid::new_v4();
    let now = Utc::now();
    let taken = upload::Entity::update_many()
        .col_expr(upload::Column::LockToken, Expr::value(Some(token)))
        .col_expr(upload::Column::LockedUntil, Expr::value(Some(now + LEASE)))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::Offset.eq(offset as i64))
        .filter(upload::Column::CompletedAt.is_null())
        .filter(
            Condition::any()
                .add(upload::Column::LockToken.is_null())
                .add(upload::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok((taken.rows_affected > 0).then_some(token))
}

/// Whether a request holds `row` now.
pub fn is_held(row: &upload::Model) -> bool {
    row.locked_until
        .is_some_and(|until| row.lock_token.is_some() && until > Utc::now())
}

impl Lease {
    /// Extends the lease; a lease lost meanwhile (taken over after it ran out) is a 423.
    pub async fn renew(&self, db: &DatabaseConnection) -> Result<(), AppError> {
        let renewed = upload::Entity::update_many()
            .col_expr(
                upload::Column::LockedUntil,
                Expr::value(Some(Utc::now() + LEASE)),
            )
            .filter(upload::Column::Id.eq(self.row.id))
            .filter(upload::Column::LockToken.eq(self.token))
            .exec(db)
            .await?;
        if renewed.rows_affected == 0 {
            return Err(TusError::Locked.into());
        }
        Ok(())
    }

    /// Frees the upload (unless it was abandoned: then the update touches nothing).
    pub async fn release(&self, db: &DatabaseConnection) {
        let released = upload::Entity::update_many()
            .col_expr(upload::Column::LockToken, Expr::value(Option::<Uuid>::None))
            .col_expr(
                upload::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(upload::Column::Id.eq(self.row.id))
            .filter(upload::Column::LockToken.eq(self.token))
            .exec(db)
            .await;
        if let Err(error) = released {
            tracing::warn!(?error, upload = %self.row.id, "could not release an upload; its lease runs out");
        }
    }
}
