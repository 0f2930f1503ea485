//! The orphan sweeper: removes evidence objects that no row refers to, once they are older
//! than a grace period. Such objects come from uploads that failed between storing the object
//! and committing the row (a crash, a lost database), or from a delete that could not run.
//!
//! It never removes an object a row refers to: the original under the row's storage key, or
//! its thumbnail and preview beside it. The grace period covers uploads in flight, whose object
//! is stored before their row is committed.
//!
//! Each run also drops the resumable uploads past their expiry, with the parts and tail they
//! had stored.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use super::{keys, resumable};
use crate::entities::evidence;
use crate::storage::ObjectStore;

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    pub examined: usize,
    pub removed: Vec<String>,
}

/// Removes the unreferenced originals and derivatives older than `grace`.
#[tracing::instrument(skip_all)]
pub async fn sweep(
    db: &impl ConnectionTrait,
    objects: &ObjectStore,
    grace: Duration,
) -> anyhow::Result<Swept> {
    // Listed before the rows are read: an object stored after the listing is not examined, and
    // a row committed after the read belongs to an object younger than the grace period.
    let listed = objects.list(keys::ORIGINALS).await?;
    let originals: Vec<String> = evidence::Entity::find()
        .select_only()
        .column(evidence::Column::StorageKey)
        .into_tuple()
        .all(db)
        .await?;
    let mut referenced = HashSet::new();
    for key in originals {
        referenced.extend(keys::referenced_by(&key));
    }
    let cutoff = Utc::now() - grace;
    let mut swept = Swept {
        examined: listed.len(),
        removed: Vec::new(),
    };
    for (key, modified) in listed {
        if modified < cutoff && !referenced.contains(&key) {
            objects.delete(&key).await?;
            tracing::info!(%key, "sweeper removed an orphan object");
            swept.removed.push(key);
        }
    }
    Ok(swept)
}

/// Sweeps every `every`, with `grace`, for as long as the server runs.
pub fn spawn_periodic(
    db: sea_orm::DatabaseConnection,
    objects: ObjectStore,
    every: std::time::Duration,
    grace: Duration,
    clock: crate::clock::Clock,
) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            if let Err(error) = sweep(&db, &objects, grace).await {
                tracing::warn!(?error, "sweeper run failed; next run retries");
            }
            match resumable::sweep_expired(&db, &objects, clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(uploads = n, "sweeper removed expired resumable uploads"),
                Err(error) => {
                    tracing::warn!(?error, "sweeping expired uploads failed; next run retries")
                }
            }
        }
    });
}
