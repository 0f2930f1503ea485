//! Making thumbnails and previews in the background, a few at a time.
//!
//! An upload is acknowledged as soon as its original is stored and its row committed; the
//! derivatives are made afterwards on blocking threads, at most `concurrency` at once, so a
//! burst of 12 MP photos neither stalls the async runtime nor exhausts memory. The state
//! (`pending`, `done`, `failed` with the reason) is on the evidence row; pending work left by
//! a restart is picked up again at start.

use std::sync::Arc;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::entities::evidence;
use crate::media::{self, DecodeLimits, Derived};
use crate::services::evidence::Rendition;
use crate::storage::ObjectStore;

pub const STATE_NONE: &str = "none";
pub const STATE_PENDING: &str = "pending";
pub const STATE_DONE: &str = "done";
pub const STATE_FAILED: &str = "failed";

/// The storage key of a derivative, beside its original's.
pub fn key(original: &str, rendition: Rendition) -> String {
    match rendition {
        Rendition::Original => original.to_owned(),
        Rendition::Thumbnail => format!("{original}.thumb.jpg"),
        Rendition::Preview => format!("{original}.preview.jpg"),
    }
}

/// The background derivative maker. Cheap to clone.
#[derive(Clone)]
pub struct Derivatives {
    db: DatabaseConnection,
    storage: ObjectStore,
    permits: Arc<Semaphore>,
    limits: DecodeLimits,
}

impl Derivatives {
    pub fn new(db: DatabaseConnection, storage: ObjectStore, concurrency: usize) -> Self {
        Derivatives {
            db,
            storage,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            limits: DecodeLimits::default(),
        }
    }

    /// Makes the derivatives of one piece of evidence, with its bytes if the caller has them
    /// (else they are read back from storage).
    pub fn enqueue(&self, id: Uuid, storage_key: String, bytes: Option<bytes::Bytes>) {
        let this = self.clone();
        tokio::spawn(async move { this.run(id, storage_key, bytes).await });
    }

    /// Re-enqueues the evidence left pending (by a restart); returns how many.
    pub async fn resume_pending(&self) -> Result<usize, sea_orm::DbErr> {
        let pending = evidence::Entity::find()
            .filter(evidence::Column::DerivativeState.eq(STATE_PENDING))
            .all(&self.db)
            .await?;
        for row in &pending {
            self.enqueue(row.id, row.storage_key.clone(), None);
        }
        Ok(pending.len())
    }

    #[tracing::instrument(skip(self, bytes))]
    async fn run(self, id: Uuid, storage_key: String, bytes: Option<bytes::Bytes>) {
        let Ok(_permit) = self.permits.clone().acquire_owned().await else {
            return;
        };
        let bytes = match bytes {
            Some(bytes) => bytes,
            None => match self.storage.get(&storage_key).await {
                Ok(Some(object)) => object.bytes,
                Ok(None) => {
                    return self
                        .finish(id, Err("the original is missing".to_owned()))
                        .await;
                }
                Err(error) => {
                    // Storage is down: leave it pending, a restart or the next start retries.
                    tracing::warn!(?error, "derivatives: original unreadable for now");
                    return;
                }
            },
        };
        let limits = self.limits;
        let derived = tokio::task::spawn_blocking(move || media::derive(&bytes, &limits)).await;
        let outcome = match derived {
            Ok(Ok(derived)) => self.store(&storage_key, &derived).await.map(|()| derived),
            Ok(Err(error)) => Err(error.to_string()),
            Err(join) => Err(format!("the decoder stopped: {join}")),
        };
        self.finish(id, outcome).await;
    }

    async fn store(&self, storage_key: &str, derived: &Derived) -> Result<(), String> {
        for (rendition, bytes) in [
            (Rendition::Thumbnail, &derived.thumbnail),
            (Rendition::Preview, &derived.preview),
        ] {
            self.storage
                .put(&key(storage_key, rendition), bytes, "image/jpeg")
                .await
                .map_err(|e| format!("storing a derivative: {e}"))?;
        }
        Ok(())
    }

    async fn finish(&self, id: Uuid, outcome: Result<Derived, String>) {
        let mut update = evidence::Entity::update_many().filter(evidence::Column::Id.eq(id));
        update = match &outcome {
            Ok(derived) => update
                .col_expr(evidence::Column::DerivativeState, Expr::value(STATE_DONE))
                .col_expr(
                    evidence::Column::Width,
                    Expr::value(i32::try_from(derived.width).ok()),
                )
                .col_expr(
                    evidence::Column::Height,
                    Expr::value(i32::try_from(derived.height).ok()),
                )
                .col_expr(
                    evidence::Column::ExifTakenAt,
                    Expr::value(derived.exif.taken_at.clone()),
                )
                .col_expr(
                    evidence::Column::ExifLatitude,
                    Expr::value(derived.exif.latitude),
                )
                .col_expr(
                    evidence::Column::ExifLongitude,
                    Expr::value(derived.exif.longitude),
                )
                .col_expr(
                    evidence::Column::DeviceModel,
                    Expr::value(derived.exif.device_model.clone()),
                ),
            Err(reason) => update
                .col_expr(evidence::Column::DerivativeState, Expr::value(STATE_FAILED))
                .col_expr(
                    evidence::Column::DerivativeError,
                    Expr::value(reason.clone()),
                ),
        };
        if let Err(error) = update.exec(&self.db).await {
            tracing::error!(?error, %id, "derivatives: could not record the outcome");
        } else if let Err(reason) = &outcome {
            tracing::warn!(%id, %reason, "derivatives failed; the original is kept");
        }
    }
}
