//! Evidence: photos and documents stored through S3, their metadata in the database.
//!
//! - [`ingest`]: the one way evidence comes in (checks, sniffing, size limit, hashing, digest
//!   check, storing, commit), for the direct upload and the resumable one;
//! - [`resumable`]: tus uploads over S3 multipart, with [`lease`] (who writes an upload) and
//!   [`parts`] (what it has stored so far);
//! - [`keys`]: how objects are named in the bucket;
//! - [`derivatives`]: thumbnails and previews, made in the background;
//! - [`sweeper`]: objects and uploads nothing refers to any more;
//! - here: who sees which evidence, and its downloads.

pub mod derivatives;
pub mod ingest;
pub mod keys;
pub mod lease;
pub mod parts;
pub mod resumable;
pub mod sweeper;
pub mod tus_error;

use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta, ExifInfo};
use kiemtra_shared::file_name::FileName;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

pub use self::keys::Rendition;

use crate::auth::CurrentUser;
use crate::entities::app_user;
use crate::entities::evidence::{self, DerivativeStatus};
use crate::error::AppError;
use crate::services::audit::{self, AuditEntry};
use crate::services::{access, review, templates};
use crate::storage::{ObjectStore, ObjectStream, StoredObject};

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
#[tracing::instrument(skip_all, fields(user = %user.id, evidence = %id))]
pub async fn record(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<EvidenceMeta, AppError> {
    let row = visible_row(db, user, id).await?;
    let mut reviews = review::latest_for_evidence(db, user, row.inspection_id).await?;
    let mut found = [meta(row)?];
    with_uploader_names(db, &mut found).await?;
    let [mut found] = found;
    found.review = reviews.remove(&found.id);
    Ok(found)
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
#[tracing::instrument(skip_all, fields(user = %user.id, evidence = %id, rendition = ?rendition))]
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
        let key = match row.derivative_state {
            DerivativeStatus::Done => keys::rendition(&row.storage_key, rendition),
            DerivativeStatus::Pending => {
                return Err(AppError::Conflict(
                    "The thumbnail and preview are being made; try again in a moment.".to_owned(),
                ));
            }
            // Documents, and images that could not be decoded, have none.
            DerivativeStatus::None | DerivativeStatus::Failed => return Err(AppError::NotFound),
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
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection.id))]
pub async fn list_for_inspection(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection: &crate::entities::inspection::Model,
) -> Result<Vec<EvidenceMeta>, AppError> {
    let attached = templates::attached_to(db, inspection).await?;
    let mut reviews = review::latest_for_evidence(db, user, inspection.id).await?;
    let mut found = evidence::Entity::find()
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
        .collect::<Result<Vec<_>, AppError>>()?;
    with_uploader_names(db, &mut found).await?;
    Ok(found)
}

/// Fills in who uploaded each piece of evidence by name (one query for all of them).
pub async fn with_uploader_names(
    db: &impl ConnectionTrait,
    found: &mut [EvidenceMeta],
) -> Result<(), AppError> {
    let ids: std::collections::BTreeSet<Uuid> = found.iter().map(|m| m.uploaded_by).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let names: std::collections::HashMap<Uuid, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    for m in found {
        m.uploaded_by_name = names.get(&m.uploaded_by).cloned();
    }
    Ok(())
}

/// The record of an evidence row as the API shows it, without its review or uploader's name.
pub(crate) fn meta(row: evidence::Model) -> Result<EvidenceMeta, AppError> {
    let derivatives = match row.derivative_state {
        DerivativeStatus::None => DerivativeState::None,
        DerivativeStatus::Pending => DerivativeState::Pending,
        DerivativeStatus::Done => DerivativeState::Done,
        DerivativeStatus::Failed => {
            DerivativeState::Failed(row.derivative_error.clone().unwrap_or_default())
        }
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
        kind: row.kind,
        item_key: row.item_key,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        captured_at: row.captured_at,
        latitude: row.latitude,
        longitude: row.longitude,
        uploaded_by: row.uploaded_by,
        uploaded_by_name: None,
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
