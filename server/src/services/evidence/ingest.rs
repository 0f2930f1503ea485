//! The one way evidence comes in, whether its bytes arrive in one `PUT /evidence/{id}` or in
//! the PATCHes of a resumable upload:
//!
//! 1. [`Ingest::prepare`]: who may upload what where, checked before a byte of the body is read,
//!    so an upload refused for its metadata costs no bandwidth and no storage;
//! 2. [`Intake`]: what passes is counted against the kind's size limit and hashed, and the file's
//!    start is sniffed ([`check_start`]: its type by magic bytes, an image's header against the
//!    decode limits) before anything is stored;
//! 3. storing: one object here ([`Ingest::receive`]), or S3 multipart parts for a resumable
//!    upload (`resumable` and `parts`);
//! 4. [`Ingest::commit`]: the SHA-256 checked against the client's, the row and its audit event
//!    committed once the object is durable, the derivatives started. On any refusal the object
//!    is removed, so a row never points at a missing object and nothing is left behind.

use bytes::Bytes;
use chrono::Utc;
use futures_util::{Stream, StreamExt};
use kiemtra_shared::digest::Sha256;
use kiemtra_shared::error::codes;
use kiemtra_shared::evidence::{EvidenceKind, EvidenceMeta, EvidenceUploadParams};
use kiemtra_shared::response::Party;
use kiemtra_shared::template::ItemKind;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use tokio_util::io::StreamReader;
use uuid::Uuid;

use super::derivatives::Derivatives;
use super::{keys, meta};
use crate::auth::CurrentUser;
use crate::entities::evidence::{self, DerivativeStatus};
use crate::error::AppError;
use crate::media::{self, DecodeLimits, FileType, MediaError};
use crate::services::audit::{self, AuditEntry};
use crate::services::{access, findings, templates};
use crate::settings::LimitSettings;
use crate::state::AppState;
use crate::storage::ObjectStore;

/// How many leading bytes are read before the upload is streamed on: enough for the magic bytes
/// and, in practice, for an image's header after its EXIF block.
pub const PREFIX_BYTES: usize = 256 * 1024;

/// What the ingest needs: where rows and objects go, who makes the derivatives, and the limits.
#[derive(Clone, Copy)]
pub struct Ingest<'a> {
    pub db: &'a DatabaseConnection,
    pub storage: &'a ObjectStore,
    pub derivatives: &'a Derivatives,
    pub limits: &'a LimitSettings,
}

/// One piece of evidence on its way in: who sends it, under which id, with what metadata, and
/// the SHA-256 the client claims for it, if any.
pub struct Incoming<'a> {
    pub user: &'a CurrentUser,
    pub id: Uuid,
    pub params: EvidenceUploadParams,
    pub claimed: Option<Sha256>,
}

/// What an upload did.
pub enum Stored {
    Created(EvidenceMeta),
    AlreadyThere(EvidenceMeta),
}

/// An upload allowed to proceed, checked before any of its body is read.
pub struct Prepared {
    pub inspection_id: Uuid,
    /// A row already stored under this id, if any.
    pub existing: Option<evidence::Model>,
}

/// A file now durable in storage, with what was learnt while streaming it.
pub struct StoredFile {
    pub storage_key: String,
    pub file_type: FileType,
    pub size: u64,
    pub sha256: Sha256,
}

impl<'a> Ingest<'a> {
    pub fn of(state: &'a AppState) -> Ingest<'a> {
        Ingest {
            db: &state.db,
            storage: &state.storage,
            derivatives: &state.derivatives,
            limits: &state.settings.limits,
        }
    }

    /// The largest file of an evidence kind, in bytes.
    pub fn size_limit(&self, kind: EvidenceKind) -> u64 {
        match kind {
            EvidenceKind::Photo => self.limits.max_photo_bytes as u64,
            EvidenceKind::Document => self.limits.max_document_bytes as u64,
        }
    }

    /// 413 for a file over its kind's limit.
    pub fn too_large(&self, kind: EvidenceKind) -> AppError {
        AppError::PayloadTooLarge(format!(
            "A {} may be at most {} MB.",
            kind.as_str(),
            self.size_limit(kind) / (1024 * 1024)
        ))
    }

    /// Refuses a file whose announced length is over its kind's limit, before it is sent.
    pub fn check_length(&self, kind: EvidenceKind, length: u64) -> Result<(), AppError> {
        if length > self.size_limit(kind) {
            return Err(self.too_large(kind));
        }
        Ok(())
    }

    /// Checks who may upload what where, before the body is read.
    #[tracing::instrument(skip_all, fields(user = %incoming.user.id, evidence = %incoming.id))]
    pub async fn prepare(&self, incoming: &Incoming<'_>) -> Result<Prepared, AppError> {
        let (db, user, params) = (self.db, incoming.user, &incoming.params);
        let inspection = access::find_inspection(db, user, params.inspection_id).await?;
        let attached = templates::attached_to(db, &inspection).await?;
        // Evidence belongs to a form item (the enterprise documents its forms, the team the
        // site checklist), or is the enterprise's proof of a fix, under
        // `proof.<corrective action id>`.
        let proof_of = params
            .item_key
            .strip_prefix("proof.")
            .and_then(|id| id.parse::<Uuid>().ok());
        let (party, takes_photos) = match proof_of {
            Some(action) if findings::action_in_inspection(db, action, inspection.id).await? => {
                (Party::Enterprise, true)
            }
            _ => {
                let Some((template, item)) = attached
                    .iter()
                    .find_map(|t| t.schema.item(&params.item_key).map(|item| (t, item)))
                else {
                    return Err(AppError::validation(
                        "None of the inspection's forms has this item.",
                        vec![AppError::field(
                            "item_key",
                            "unknown_item",
                            "None of the inspection's forms has this item.",
                        )],
                    ));
                };
                let photos = item.allows_photos
                    || matches!(item.kind, ItemKind::Photo { .. } | ItemKind::Signature);
                (Party::for_kind(template.kind), photos)
            }
        };
        if !access::acts_for(db, user, &inspection, party).await? {
            return Err(AppError::Forbidden);
        }
        if params.kind == EvidenceKind::Photo && !takes_photos {
            return Err(AppError::validation(
                "This item does not take photos.",
                vec![AppError::field(
                    "item_key",
                    "photos_not_allowed",
                    "This item does not take photos.",
                )],
            ));
        }
        if let (Some(lat), Some(lon)) = (params.latitude, params.longitude)
            && !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
        {
            return Err(AppError::validation(
                "The GPS position is out of range.",
                vec![AppError::field(
                    "latitude",
                    "out_of_range",
                    "Latitude must be within ±90 and longitude within ±180.",
                )],
            ));
        }
        let existing = evidence::Entity::find_by_id(incoming.id).one(db).await?;
        Ok(Prepared {
            inspection_id: inspection.id,
            existing,
        })
    }

    /// The direct upload: prepares, sniffs the start, streams the rest to storage (hashed and
    /// counted on the way, never held whole in memory) and commits. `declared_length` is the
    /// request's `Content-Length`, if it has one.
    #[tracing::instrument(skip_all, fields(user = %incoming.user.id, evidence = %incoming.id))]
    pub async fn receive<S, E>(
        &self,
        incoming: Incoming<'_>,
        declared_length: Option<u64>,
        mut body: S,
    ) -> Result<Stored, AppError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let kind = incoming.params.kind;
        let limit = self.size_limit(kind);
        if let Some(length) = declared_length {
            self.check_length(kind, length)?;
        }
        let prepared = self.prepare(&incoming).await?;
        // A retry whose digest matches what is stored needs no body at all.
        if let (Some(existing), Some(claimed)) = (&prepared.existing, incoming.claimed) {
            return same_or_conflict(existing, &incoming, prepared.inspection_id, claimed);
        }

        // The start of the file says what it is; an image's header is checked against the
        // decode limits before anything is stored.
        let mut intake = Intake::default();
        let mut head = Vec::new();
        let mut ended = false;
        while !intake.has_prefix() {
            match body.next().await {
                Some(chunk) => {
                    let chunk = chunk.map_err(|e| interrupted(&e))?;
                    if intake.size() + chunk.len() as u64 > limit {
                        return Err(self.too_large(kind));
                    }
                    intake.update(&chunk);
                    head.push(chunk);
                }
                None => {
                    ended = true;
                    break;
                }
            }
        }
        if intake.size() == 0 {
            return Err(AppError::validation(
                "The upload is empty.",
                vec![AppError::field(
                    "body",
                    "empty",
                    "Send the file's bytes as the request body.",
                )],
            ));
        }
        let file_type = intake.sniff(ended, kind)?;

        // With its length known (the usual case) the rest goes on to the store chunk by chunk
        // as it arrives; without, the store client gathers 8 MiB parts.
        let storage_key = keys::new_original(prepared.inspection_id, incoming.id);
        let content_type = file_type.mime();
        let mut failure: Option<AppError> = None;
        let put = if ended {
            // The prefix is the whole file.
            self.storage
                .put(&storage_key, intake.prefix(), content_type)
                .await
        } else {
            let rest = body.map(|chunk| match chunk {
                Ok(bytes) => {
                    if intake.size() + bytes.len() as u64 > limit {
                        failure = Some(self.too_large(kind));
                        return Err(std::io::Error::other("over the size limit"));
                    }
                    intake.update(&bytes);
                    Ok(bytes)
                }
                Err(e) => {
                    failure = Some(interrupted(&e));
                    Err(std::io::Error::other(e.to_string()))
                }
            });
            let whole = futures_util::stream::iter(head.into_iter().map(Ok)).chain(rest);
            match declared_length {
                Some(length) => {
                    self.storage
                        .put_sized_stream(&storage_key, length, content_type, whole)
                        .await
                }
                None => {
                    let mut reader = StreamReader::new(whole);
                    self.storage
                        .put_stream(&storage_key, &mut reader, content_type)
                        .await
                        .map_err(anyhow::Error::from)
                }
            }
        };
        if let Err(error) = put {
            // The upload was cut or too large (nothing was stored: the store discards a cut
            // PUT, and a failed multipart upload is aborted), or storage failed.
            return Err(failure.unwrap_or(AppError::Unavailable(error)));
        }
        let (size, sha256) = intake.finish();
        let file = StoredFile {
            storage_key,
            file_type,
            size,
            sha256,
        };
        self.commit(&incoming, file).await
    }

    /// Commits the row of a stored file (after checking its digest) and starts its derivatives.
    /// On any refusal the object is removed, so nothing is left behind.
    #[tracing::instrument(skip_all, fields(user = %incoming.user.id, evidence = %incoming.id))]
    pub async fn commit(
        &self,
        incoming: &Incoming<'_>,
        file: StoredFile,
    ) -> Result<Stored, AppError> {
        let outcome = self.commit_row(incoming, &file).await;
        if !matches!(outcome, Ok(Stored::Created(_))) {
            self.remove(&file.storage_key).await;
        }
        outcome
    }

    /// Commits a file that was stored over several requests: who may upload what where is
    /// asked again first, since rights may have changed meanwhile (a member taken off the
    /// team). On any refusal the object is removed.
    pub async fn commit_rechecked(
        &self,
        incoming: &Incoming<'_>,
        file: StoredFile,
    ) -> Result<Stored, AppError> {
        if let Err(refusal) = self.prepare(incoming).await {
            self.remove(&file.storage_key).await;
            return Err(refusal);
        }
        self.commit(incoming, file).await
    }

    /// Removes an object no row will refer to; a failure is left to the sweeper.
    pub async fn remove(&self, key: &str) {
        if let Err(error) = self.storage.delete(key).await {
            tracing::warn!(?error, %key, "could not remove an unused object; the sweeper removes it later");
        }
    }

    async fn commit_row(
        &self,
        incoming: &Incoming<'_>,
        file: &StoredFile,
    ) -> Result<Stored, AppError> {
        let (db, user, params, id) = (self.db, incoming.user, &incoming.params, incoming.id);
        // An upload that outlived its token is not committed (the PWA refreshes its token
        // first and sends large files resumably, in short requests).
        user.still_signed_in()?;
        if incoming
            .claimed
            .is_some_and(|claimed| claimed != file.sha256)
        {
            return Err(AppError::Validation {
                code: codes::DIGEST_MISMATCH,
                message: "The file does not match the SHA-256 sent with it (its Content-Digest, or the sha256 of its upload): it was damaged in transit; send it again.".to_owned(),
                details: Vec::new(),
            });
        }
        // Another upload under this id may have finished while this one streamed.
        if let Some(existing) = evidence::Entity::find_by_id(id).one(db).await? {
            return same_or_conflict(&existing, incoming, params.inspection_id, file.sha256);
        }
        // HEIC is kept without derivatives: no decoder here (README, "Decisions taken").
        let (derivative_state, derivative_error) = if !file.file_type.is_image() {
            (DerivativeStatus::None, None)
        } else if file.file_type.is_decodable() {
            (DerivativeStatus::Pending, None)
        } else {
            (
                DerivativeStatus::Failed,
                Some(MediaError::NoHeicDecoder.to_string()),
            )
        };
        let row = evidence::ActiveModel {
            id: Set(id),
            inspection_id: Set(params.inspection_id),
            item_key: Set(params.item_key.clone()),
            kind: Set(params.kind),
            content_type: Set(file.file_type.mime().to_owned()),
            size_bytes: Set(file.size as i64),
            sha256: Set(file.sha256.to_hex()),
            storage_key: Set(file.storage_key.clone()),
            captured_at: Set(params.captured_at),
            latitude: Set(params.latitude),
            longitude: Set(params.longitude),
            uploaded_by: Set(user.id),
            uploaded_at: Set(Utc::now()),
            derivative_state: Set(derivative_state),
            derivative_error: Set(derivative_error),
            width: Set(None),
            height: Set(None),
            exif_taken_at: Set(None),
            exif_latitude: Set(None),
            exif_longitude: Set(None),
            device_model: Set(None),
            file_name: Set(params
                .file_name
                .as_ref()
                .map(|name| name.as_str().to_owned())),
        };
        match insert_with_audit(db, row, user).await {
            Ok(inserted) => {
                // The upload is acknowledged now; thumbnail and preview follow off the runtime.
                if derivative_state == DerivativeStatus::Pending {
                    self.derivatives
                        .enqueue(inserted.id, file.storage_key.clone(), None);
                }
                Ok(Stored::Created(inserted))
            }
            Err(error) => match evidence::Entity::find_by_id(id).one(db).await? {
                // Lost a race with the same id: answer as a retry.
                Some(existing) => {
                    same_or_conflict(&existing, incoming, params.inspection_id, file.sha256)
                }
                None => Err(error),
            },
        }
    }
}

/// The answer to a retried upload: the stored record if it is the same evidence (the same
/// bytes, `sha256`, under the same inspection and item), or a 409 naming what differs.
pub fn same_or_conflict(
    existing: &evidence::Model,
    incoming: &Incoming<'_>,
    inspection_id: Uuid,
    sha256: Sha256,
) -> Result<Stored, AppError> {
    let differences = crate::error::differing(vec![
        ("sha256", existing.sha256.clone(), sha256.to_hex()),
        (
            "inspection_id",
            existing.inspection_id.to_string(),
            inspection_id.to_string(),
        ),
        (
            "item_key",
            existing.item_key.clone(),
            incoming.params.item_key.clone(),
        ),
    ]);
    if differences.is_empty() {
        Ok(Stored::AlreadyThere(meta(existing.clone())?))
    } else {
        Err(AppError::id_reused("Evidence", incoming.id, differences))
    }
}

/// 400 for a body that stopped arriving.
fn interrupted(error: &dyn std::fmt::Display) -> AppError {
    AppError::bad_request(format!("The upload was interrupted: {error}"))
}

/// What the ingest learns from a file's bytes as they pass: its start (for [`check_start`]),
/// its size and its SHA-256.
pub struct Intake {
    prefix: Vec<u8>,
    hasher: sha2::Sha256,
    size: u64,
}

impl Default for Intake {
    fn default() -> Self {
        use sha2::Digest;
        Intake {
            prefix: Vec::new(),
            hasher: sha2::Sha256::new(),
            size: 0,
        }
    }
}

impl Intake {
    /// Takes the next bytes of the file.
    pub fn update(&mut self, bytes: &[u8]) {
        use sha2::Digest;
        if self.prefix.len() < PREFIX_BYTES {
            let take = (PREFIX_BYTES - self.prefix.len()).min(bytes.len());
            self.prefix.extend_from_slice(&bytes[..take]);
        }
        self.size += bytes.len() as u64;
        self.hasher.update(bytes);
    }

    /// Bytes taken so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the start of the file is in: the first [`PREFIX_BYTES`].
    pub fn has_prefix(&self) -> bool {
        self.prefix.len() >= PREFIX_BYTES
    }

    /// The start of the file taken so far.
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// [`check_start`] on the start taken so far; `complete` says the file has ended.
    pub fn sniff(&self, complete: bool, kind: EvidenceKind) -> Result<FileType, AppError> {
        check_start(&self.prefix, complete, kind)
    }

    /// The size and SHA-256 of everything taken.
    pub fn finish(self) -> (u64, Sha256) {
        use sha2::Digest;
        (self.size, Sha256::from_bytes(self.hasher.finalize().into()))
    }
}

/// Checks the start of a file (its first [`PREFIX_BYTES`] of `start`): its type by magic bytes
/// (never the declared type), allowed for the evidence kind, and for an image its pixel size
/// against the decode limits. `complete` says `start` is the whole file; otherwise a header
/// that lies beyond the prefix is checked when the derivatives are made.
pub fn check_start(start: &[u8], complete: bool, kind: EvidenceKind) -> Result<FileType, AppError> {
    let prefix = &start[..PREFIX_BYTES.min(start.len())];
    let complete = complete && prefix.len() == start.len();
    let file_type = FileType::sniff(prefix)
        .filter(|t| allowed_for(*t, kind))
        .ok_or_else(|| {
            AppError::UnsupportedMediaType(match kind {
                EvidenceKind::Photo => {
                    "A photo must be a JPEG, PNG, WebP or HEIC image.".to_owned()
                }
                EvidenceKind::Document => "A document must be a PDF or an image.".to_owned(),
            })
        })?;
    // A pixel flood or a decompression bomb is refused here, in microseconds, before anything
    // is stored, and never reaches a decoder.
    if file_type.is_decodable() {
        match media::check_header(prefix, file_type, &DecodeLimits::default()) {
            Ok(_) => {}
            Err(MediaError::TooLarge { width, height }) => {
                return Err(AppError::Validation {
                    code: codes::IMAGE_TOO_LARGE,
                    message: format!(
                        "The image claims {width}×{height} pixels, more than a photo has; it is refused."
                    ),
                    details: Vec::new(),
                });
            }
            Err(MediaError::Truncated) if !complete => {}
            Err(other) => {
                return Err(AppError::Validation {
                    code: codes::IMAGE_CORRUPT,
                    message: format!("The image cannot be read: {other}"),
                    details: Vec::new(),
                });
            }
        }
    }
    Ok(file_type)
}

/// Which evidence kinds a file type may be.
fn allowed_for(file_type: FileType, kind: EvidenceKind) -> bool {
    match kind {
        EvidenceKind::Photo => file_type.is_image(),
        EvidenceKind::Document => true,
    }
}

/// Commits the evidence row and its audit event together.
async fn insert_with_audit(
    db: &DatabaseConnection,
    row: evidence::ActiveModel,
    user: &CurrentUser,
) -> Result<EvidenceMeta, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let inserted = meta(row.insert(&txn).await?)?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "evidence.uploaded",
            entity_type: "evidence",
            entity_id: inserted.id.to_string(),
            inspection_id: Some(inserted.inspection_id),
            payload: &inserted,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(inserted)
}
