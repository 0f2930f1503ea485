//! Making thumbnails and previews in the background, a few at a time, out of the way of uploads.
//!
//! An upload is acknowledged as soon as its original is stored and its row committed; the
//! derivatives are made afterwards, at most `concurrency` at once, so a burst of 12 MP photos
//! neither stalls the async runtime nor exhausts memory. Decoding a photo costs about 130 ms of
//! CPU, and on a small server that CPU is what the next uploads need, so derivatives yield:
//! a job waits until no upload has been in flight for [`QUIET_PERIOD`] (or at most
//! `max_wait`, so a steady stream of uploads never starves them), and decodes on a thread of
//! its own at low OS priority, which the uploads preempt. The state (`pending`, `done`,
//! `failed` with the reason) is on the evidence row; pending work left by a restart is picked
//! up again at start.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::time::Instant;
use uuid::Uuid;

use super::keys::{self, Rendition};
use crate::entities::evidence::{self, DerivativeStatus};
use crate::media::{self, DecodeLimits, Derived};
use crate::storage::ObjectStore;

/// How long no upload must have been in flight before a derivative starts: longer than the
/// pause between the uploads of a phone sending its queue one after the other.
pub const QUIET_PERIOD: Duration = Duration::from_millis(250);

/// The nice value of the decoding threads (0 is normal, 19 the lowest): low enough that
/// uploads preempt them, high enough that a busy server still gives them about a tenth of a
/// core rather than starving them.
#[cfg(target_os = "linux")]
const DECODE_NICE: i32 = 10;

/// Uploads in flight on this server, and since when there have been none.
#[derive(Debug, Clone, Copy)]
struct Uploads {
    in_flight: usize,
    idle_since: Instant,
}

/// The background derivative maker. Cheap to clone.
#[derive(Clone)]
pub struct Derivatives {
    db: DatabaseConnection,
    storage: ObjectStore,
    permits: Arc<Semaphore>,
    limits: DecodeLimits,
    uploads: Arc<watch::Sender<Uploads>>,
    max_wait: Duration,
}

/// Held while an upload is being received; derivatives wait until none is (see the module).
#[must_use]
pub struct UploadInFlight {
    uploads: Arc<watch::Sender<Uploads>>,
}

impl Drop for UploadInFlight {
    fn drop(&mut self) {
        self.uploads.send_modify(|uploads| {
            uploads.in_flight -= 1;
            if uploads.in_flight == 0 {
                uploads.idle_since = Instant::now();
            }
        });
    }
}

impl Derivatives {
    /// `concurrency` derivatives at most at once; each waits at most `max_wait` for uploads to
    /// pause.
    pub fn new(
        db: DatabaseConnection,
        storage: ObjectStore,
        concurrency: usize,
        max_wait: Duration,
    ) -> Self {
        let (uploads, _) = watch::channel(Uploads {
            in_flight: 0,
            idle_since: Instant::now(),
        });
        Derivatives {
            db,
            storage,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            limits: DecodeLimits::default(),
            uploads: Arc::new(uploads),
            max_wait,
        }
    }

    /// Marks an upload as in flight until the returned guard is dropped.
    pub fn upload_started(&self) -> UploadInFlight {
        self.uploads.send_modify(|uploads| uploads.in_flight += 1);
        UploadInFlight {
            uploads: self.uploads.clone(),
        }
    }

    /// Returns once no upload has been in flight for [`QUIET_PERIOD`], or at `deadline`.
    async fn uploads_paused(&self, deadline: Instant) {
        let mut uploads = self.uploads.subscribe();
        let paused = async {
            loop {
                let now = *uploads.borrow_and_update();
                if now.in_flight == 0 {
                    let quiet_at = now.idle_since + QUIET_PERIOD;
                    if Instant::now() >= quiet_at {
                        return;
                    }
                    // Either the quiet period ends, or an upload starts: look again.
                    if let Ok(Err(_closed)) =
                        tokio::time::timeout_at(quiet_at, uploads.changed()).await
                    {
                        return;
                    }
                } else if uploads.changed().await.is_err() {
                    return;
                }
            }
        };
        let _ = tokio::time::timeout_at(deadline, paused).await;
    }

    /// Makes the derivatives of one piece of evidence, with its bytes if the caller has them
    /// (else they are read back from storage).
    pub fn enqueue(&self, id: Uuid, storage_key: String, bytes: Option<bytes::Bytes>) {
        let this = self.clone();
        tokio::spawn(async move { this.run(id, storage_key, bytes).await });
    }

    /// Re-enqueues the evidence left pending (by a restart); returns how many.
    #[tracing::instrument(skip_all)]
    pub async fn resume_pending(&self) -> Result<usize, sea_orm::DbErr> {
        let pending = evidence::Entity::find()
            .filter(evidence::Column::DerivativeState.eq(DerivativeStatus::Pending))
            .all(&self.db)
            .await?;
        for row in &pending {
            self.enqueue(row.id, row.storage_key.clone(), None);
        }
        Ok(pending.len())
    }

    #[tracing::instrument(skip(self, bytes))]
    async fn run(self, id: Uuid, storage_key: String, bytes: Option<bytes::Bytes>) {
        let deadline = Instant::now() + self.max_wait;
        let Ok(_permit) = self.permits.clone().acquire_owned().await else {
            return;
        };
        self.uploads_paused(deadline).await;
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
        let outcome = match derive_at_low_priority(bytes, self.limits).await {
            Ok(derived) => self.store(&storage_key, &derived).await.map(|()| derived),
            Err(reason) => Err(reason),
        };
        self.finish(id, outcome).await;
    }

    async fn store(&self, storage_key: &str, derived: &Derived) -> Result<(), String> {
        for (rendition, bytes) in [
            (Rendition::Thumbnail, &derived.thumbnail),
            (Rendition::Preview, &derived.preview),
        ] {
            self.storage
                .put(
                    &keys::rendition(storage_key, rendition),
                    bytes,
                    "image/jpeg",
                )
                .await
                .map_err(|e| format!("storing a derivative: {e}"))?;
        }
        Ok(())
    }

    async fn finish(&self, id: Uuid, outcome: Result<Derived, String>) {
        let mut update = evidence::Entity::update_many().filter(evidence::Column::Id.eq(id));
        update = match &outcome {
            Ok(derived) => update
                .col_expr(
                    evidence::Column::DerivativeState,
                    Expr::value(DerivativeStatus::Done),
                )
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
                .col_expr(
                    evidence::Column::DerivativeState,
                    Expr::value(DerivativeStatus::Failed),
                )
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

/// Decodes and resizes on a thread of its own whose OS priority is lowered first. Not on
/// tokio's blocking pool: its threads also do the file I/O of the embedded S3 endpoint, and a
/// thread's priority cannot be raised back without privileges.
async fn derive_at_low_priority(
    bytes: bytes::Bytes,
    limits: DecodeLimits,
) -> Result<Derived, String> {
    let (sender, receiver) = oneshot::channel();
    std::thread::Builder::new()
        .name("kiemtra-derive".to_owned())
        .spawn(move || {
            lower_this_threads_priority();
            let _ = sender.send(media::derive(&bytes, &limits));
        })
        .map_err(|e| format!("could not start the decoder: {e}"))?;
    match receiver.await {
        Ok(derived) => derived.map_err(|e| e.to_string()),
        Err(_) => Err("the decoder stopped".to_owned()),
    }
}

/// On Linux a nice value belongs to a thread, so this leaves the rest of the server alone.
#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    let thread = rustix::thread::gettid();
    if let Err(error) = rustix::process::setpriority_process(Some(thread), DECODE_NICE) {
        tracing::debug!(%error, "derivatives: could not lower the decoder's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}
