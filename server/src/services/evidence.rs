//! Evidence: photos and documents stored through S3, their metadata in the database.
//!
//! The object is written first and the row committed only once the store has acknowledged it,
//! so a row never points at a missing object. Storage keys are made here, never from a client
//! file name.

use base64::Engine;
use chrono::Utc;
use kiemtra_shared::error::codes;
use kiemtra_shared::evidence::{
    DerivativeState, EvidenceKind, EvidenceMeta, EvidenceUploadParams, ExifInfo,
};
use kiemtra_shared::file_name::FileName;
use kiemtra_shared::response::Party;
use kiemtra_shared::template::ItemKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::evidence;
use crate::error::AppError;
use crate::media::{self, DecodeLimits, FileType, MediaError};
use crate::services::audit::{self, AuditEntry};
use crate::services::derivatives::{
    self, Derivatives, STATE_DONE, STATE_FAILED, STATE_NONE, STATE_PENDING,
};
use crate::services::{access, findings, review, templates};
use crate::storage::{ObjectStore, ObjectStream, StoredObject};

/// Which evidence kinds a file type may be.
fn allowed_for(file_type: FileType, kind: EvidenceKind) -> bool {
    match kind {
        EvidenceKind::Photo => file_type.is_image(),
        EvidenceKind::Document => true,
    }
}

/// The largest file of an evidence kind, in bytes.
pub fn size_limit(limits: &crate::settings::LimitSettings, kind: EvidenceKind) -> usize {
    match kind {
        EvidenceKind::Photo => limits.max_photo_bytes,
        EvidenceKind::Document => limits.max_document_bytes,
    }
}

/// 413 for a file over its kind's limit.
pub fn too_large(kind: EvidenceKind, limit: usize) -> AppError {
    AppError::PayloadTooLarge(format!(
        "A {} may be at most {} MB.",
        kind.as_str(),
        limit / (1024 * 1024)
    ))
}

/// Parses an RFC 9530 `Content-Digest` header and returns the SHA-256 it carries, if any.
/// Other algorithms in the header are ignored, as the RFC allows.
pub fn parse_content_digest(header: &str) -> Result<Option<[u8; 32]>, AppError> {
    for member in header.split(',') {
        let Some((algorithm, value)) = member.trim().split_once('=') else {
            return Err(bad_digest());
        };
        if !algorithm.trim().eq_ignore_ascii_case("sha-256") {
            continue;
        }
        let encoded = value
            .trim()
            .strip_prefix(':')
            .and_then(|v| v.strip_suffix(':'))
            .ok_or_else(bad_digest)?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| bad_digest())?;
        return <[u8; 32]>::try_from(raw.as_slice())
            .map(Some)
            .map_err(|_| bad_digest());
    }
    Ok(None)
}

fn bad_digest() -> AppError {
    AppError::BadRequest {
        code: codes::BAD_REQUEST,
        message: "Content-Digest must look like `sha-256=:<base64 of 32 bytes>:` (RFC 9530)."
            .to_owned(),
    }
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

/// Checks who may upload what where, before the body is read: an upload refused for its
/// metadata costs no bandwidth and no storage.
#[tracing::instrument(skip_all, fields(user = %user.id, evidence = %id))]
pub async fn prepare(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
    params: &EvidenceUploadParams,
) -> Result<Prepared, AppError> {
    let inspection = access::find_inspection(db, user, params.inspection_id).await?;
    let attached = templates::attached_to(db, &inspection).await?;
    // Evidence belongs to a form item (the enterprise documents its forms, the team the site
    // checklist), or is the enterprise's proof of a fix, under `proof.<corrective action id>`.
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
    let existing = evidence::Entity::find_by_id(id).one(db).await?;
    Ok(Prepared {
        inspection_id: inspection.id,
        existing,
    })
}

/// The answer to a retried upload: the stored record if it is the same evidence, or a 409
/// naming what differs.
pub fn same_or_conflict(
    existing: &evidence::Model,
    id: Uuid,
    inspection_id: Uuid,
    item_key: &str,
    sha256_hex: &str,
) -> Result<Stored, AppError> {
    let differences = crate::error::differing(vec![
        ("sha256", existing.sha256.clone(), sha256_hex.to_owned()),
        (
            "inspection_id",
            existing.inspection_id.to_string(),
            inspection_id.to_string(),
        ),
        ("item_key", existing.item_key.clone(), item_key.to_owned()),
    ]);
    if differences.is_empty() {
        Ok(Stored::AlreadyThere(meta(existing.clone())?))
    } else {
        Err(AppError::id_reused("Evidence", id, differences))
    }
}

/// How many leading bytes are read before the upload is streamed on: enough for the magic bytes
/// and, in practice, for an image's header after its EXIF block.
pub const PREFIX_BYTES: usize = 256 * 1024;

/// Checks the start of a file: its type by magic bytes (never the declared type), allowed for
/// the evidence kind, and for an image its pixel size against the decode limits. `complete`
/// says the prefix is the whole file; otherwise a header that lies beyond it is checked when
/// the derivatives are made.
pub fn check_start(
    prefix: &[u8],
    complete: bool,
    kind: EvidenceKind,
) -> Result<FileType, AppError> {
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

/// A file now durable in storage, with what was learnt while streaming it.
pub struct StoredFile {
    pub storage_key: String,
    pub file_type: FileType,
    pub size: usize,
    pub sha256: [u8; 32],
}

/// The storage key of a new upload: made by the server, never from a client file name; one
/// per attempt, so racing uploads under one id never overwrite each other's object.
pub fn new_storage_key(inspection_id: Uuid, id: Uuid) -> String {
    format!("evidence/{inspection_id}/{id}/{}", Uuid::new_v4())
}

/// Commits the row of a stored file (after checking its digest) and starts its derivatives.
/// On any refusal the object is removed, so nothing is left behind.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip_all, fields(user = %user.id, evidence = %id))]
pub async fn commit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    objects: &ObjectStore,
    jobs: &Derivatives,
    user: &CurrentUser,
    id: Uuid,
    params: EvidenceUploadParams,
    file: StoredFile,
    claimed_digest: Option<[u8; 32]>,
) -> Result<Stored, AppError> {
    let outcome = commit_row(db, jobs, user, id, params, &file, claimed_digest).await;
    if !matches!(outcome, Ok(Stored::Created(_)))
        && let Err(cleanup) = objects.delete(&file.storage_key).await
    {
        tracing::warn!(error = ?cleanup, key = %file.storage_key, "could not remove an unused object");
    }
    outcome
}

async fn commit_row<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    jobs: &Derivatives,
    user: &CurrentUser,
    id: Uuid,
    params: EvidenceUploadParams,
    file: &StoredFile,
    claimed_digest: Option<[u8; 32]>,
) -> Result<Stored, AppError> {
    // An upload that outlived its token is not committed (the PWA refreshes its token first
    // and sends large files resumably, in short requests).
    user.still_signed_in()?;
    if let Some(claimed) = claimed_digest
        && claimed != file.sha256
    {
        return Err(AppError::Validation {
            code: codes::DIGEST_MISMATCH,
            message: "The file does not match the SHA-256 sent with it (its Content-Digest, or the sha256 of its upload): it was damaged in transit; send it again.".to_owned(),
            details: Vec::new(),
        });
    }
    let sha256_hex = hex::encode(file.sha256);
    // Another upload under this id may have finished while this one streamed.
    if let Some(existing) = evidence::Entity::find_by_id(id).one(db).await? {
        return same_or_conflict(
            &existing,
            id,
            params.inspection_id,
            &params.item_key,
            &sha256_hex,
        );
    }
    // HEIC is kept without derivatives: no decoder here (README, "Decisions taken").
    let (derivative_state, derivative_error) = if !file.file_type.is_image() {
        (STATE_NONE, None)
    } else if file.file_type.is_decodable() {
        (STATE_PENDING, None)
    } else {
        (STATE_FAILED, Some(MediaError::NoHeicDecoder.to_string()))
    };
    let row = evidence::ActiveModel {
        id: Set(id),
        inspection_id: Set(params.inspection_id),
        item_key: Set(params.item_key.clone()),
        kind: Set(params.kind.as_str().to_owned()),
        content_type: Set(file.file_type.mime().to_owned()),
        size_bytes: Set(file.size as i64),
        sha256: Set(sha256_hex.clone()),
        storage_key: Set(file.storage_key.clone()),
        captured_at: Set(params.captured_at),
        latitude: Set(params.latitude),
        longitude: Set(params.longitude),
        uploaded_by: Set(user.id),
        uploaded_at: Set(Utc::now()),
        derivative_state: Set(derivative_state.to_owned()),
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
            if derivative_state == STATE_PENDING {
                jobs.enqueue(inserted.id, file.storage_key.clone(), None);
            }
            Ok(Stored::Created(inserted))
        }
        Err(error) => match evidence::Entity::find_by_id(id).one(db).await? {
            // Lost a race with the same id: answer as a retry.
            Some(existing) => same_or_conflict(
                &existing,
                id,
                params.inspection_id,
                &params.item_key,
                &sha256_hex,
            ),
            None => Err(error),
        },
    }
}

/// Commits the evidence row and its audit event together.
async fn insert_with_audit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
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

/// The evidence row `id`, if `user` may see it (404 otherwise, so ids of other tenants do not
/// leak).
async fn visible_row(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<evidence::Model, AppError> {
    let row = evidence::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let inspection = access::find_inspection(db, user, row.inspection_id).await?;
    let attached = templates::attached_to(db, &inspection).await?;
    if !access::may_see_evidence(user, &attached, &row.item_key) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// The record of one piece of evidence, with its latest review decision.
pub async fn record(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<EvidenceMeta, AppError> {
    let row = visible_row(db, user, id).await?;
    let mut reviews = review::latest_for_evidence(db, row.inspection_id).await?;
    let mut found = meta(row)?;
    found.review = reviews.remove(&found.id);
    Ok(found)
}

/// Which file of a piece of evidence to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    /// The bytes as uploaded: the evidence itself.
    Original,
    Thumbnail,
    Preview,
}

/// What a download hands out.
pub enum Download {
    /// A thumbnail or preview: small, read whole.
    Bytes(StoredObject),
    /// The original, passed on as the store sends it.
    Stream(ObjectStream),
    /// A presigned URL of the original on the public S3 endpoint.
    Redirect(String),
}

/// One rendition of the evidence, if `user` may see the inspection it belongs to. Handing out
/// the original (its bytes or a URL to them) is recorded in the audit log (chain of custody).
pub async fn fetch<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    objects: &ObjectStore,
    user: &CurrentUser,
    id: Uuid,
    rendition: Rendition,
) -> Result<(EvidenceMeta, Download), AppError> {
    let row = visible_row(db, user, id).await?;
    let missing = |key: &str| AppError::internal(anyhow::anyhow!("object {key} is missing"));
    if rendition != Rendition::Original {
        let key = match row.derivative_state.as_str() {
            STATE_DONE => derivatives::key(&row.storage_key, rendition),
            STATE_PENDING => {
                return Err(AppError::Conflict(
                    "The thumbnail and preview are being made; try again in a moment.".to_owned(),
                ));
            }
            // Documents, and images that could not be decoded, have none.
            _ => return Err(AppError::NotFound),
        };
        let object = objects
            .get(&key)
            .await
            .map_err(AppError::Unavailable)?
            .ok_or_else(|| missing(&key))?;
        return Ok((meta(row)?, Download::Bytes(object)));
    }
    let key = row.storage_key.clone();
    let meta = meta(row)?;
    let disposition = content_disposition(meta.file_name.as_ref());
    let download = match objects
        .presign_get(&key, &disposition)
        .await
        .map_err(AppError::Unavailable)?
    {
        Some(url) => Download::Redirect(url),
        None => Download::Stream(
            objects
                .get_stream(&key)
                .await
                .map_err(AppError::Unavailable)?
                .ok_or_else(|| missing(&key))?,
        ),
    };
    // The audit chain's head is read and moved in one transaction, so two downloads at once
    // never fork it.
    let txn = crate::db::begin_write(db).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "evidence.downloaded",
            entity_type: "evidence",
            entity_id: meta.id.to_string(),
            inspection_id: Some(meta.inspection_id),
            payload: &serde_json::json!({"sha256": meta.sha256}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((meta, download))
}

/// `Content-Disposition` of an original: always an attachment, so the browser saves it and
/// never renders it, under the client's file name when there is one.
pub fn content_disposition(file_name: Option<&FileName>) -> String {
    file_name.map_or_else(|| "attachment".to_owned(), FileName::content_disposition)
}

/// The inspection's evidence the user may see, each with its latest review decision.
pub async fn list_for_inspection(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection: &crate::entities::inspection::Model,
) -> Result<Vec<EvidenceMeta>, AppError> {
    let attached = templates::attached_to(db, inspection).await?;
    let mut reviews = review::latest_for_evidence(db, inspection.id).await?;
    evidence::Entity::find()
        .filter(evidence::Column::InspectionId.eq(inspection.id))
        .order_by_asc(evidence::Column::UploadedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|row| access::may_see_evidence(user, &attached, &row.item_key))
        .map(|row| {
            let mut m = meta(row)?;
            m.review = reviews.remove(&m.id);
            Ok(m)
        })
        .collect()
}

fn meta(row: evidence::Model) -> Result<EvidenceMeta, AppError> {
    let derivatives = match row.derivative_state.as_str() {
        STATE_NONE => DerivativeState::None,
        STATE_PENDING => DerivativeState::Pending,
        STATE_DONE => DerivativeState::Done,
        _ => DerivativeState::Failed(row.derivative_error.clone().unwrap_or_default()),
    };
    let exif =
        (row.exif_taken_at.is_some() || row.exif_latitude.is_some() || row.device_model.is_some())
            .then(|| ExifInfo {
                taken_at: row.exif_taken_at.clone(),
                latitude: row.exif_latitude,
                longitude: row.exif_longitude,
                device_model: row.device_model.clone(),
            });
    Ok(EvidenceMeta {
        id: row.id,
        inspection_id: row.inspection_id,
        kind: EvidenceKind::parse(&row.kind).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown evidence kind {}", row.kind))
        })?,
        item_key: row.item_key,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        captured_at: row.captured_at,
        latitude: row.latitude,
        longitude: row.longitude,
        uploaded_by: row.uploaded_by,
        uploaded_at: row.uploaded_at,
        // Stored cleaned; parsing again is a no-op that keeps the type's guarantee.
        file_name: row
            .file_name
            .as_deref()
            .and_then(|n| FileName::parse(n).ok()),
        review: None,
        derivatives,
        width: row.width.and_then(|w| u32::try_from(w).ok()),
        height: row.height.and_then(|h| u32::try_from(h).ok()),
        exif,
    })
}
