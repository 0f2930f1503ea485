//! What a resumable upload has stored so far. Full parts of [`PART_SIZE`] go to an S3 multipart
//! upload as they arrive, their ETags noted in the upload's row. The bytes after the last full
//! part (fewer than a part) are kept in a tail object when a request ends (see
//! [`keys::upload_tail`]), so a connection cut mid-way loses nothing that arrived: the next
//! PATCH reads the tail back and carries on.

use sea_orm::{DatabaseConnection, EntityTrait};

use super::keys;
use crate::entities::upload;
use crate::error::AppError;
use crate::storage::ObjectStore;

/// Size of every multipart part but the last: S3's minimum, so a cut costs at most this much
/// memory per upload in flight. Clients should send chunks of this size.
pub const PART_SIZE: usize = 5 * 1024 * 1024;

/// The ETags of the parts stored, part 1 first.
pub fn etags_of(row: &upload::Model) -> Result<Vec<String>, AppError> {
    serde_json::from_str(&row.part_etags).map_err(AppError::internal)
}

/// How many bytes after its `parts` full parts the upload has in its tail.
pub fn tail_len(row: &upload::Model, parts: usize) -> usize {
    row.offset as usize - parts * PART_SIZE
}

/// Reads back the tail of `row`, which must hold `len` bytes.
pub async fn read_tail(
    storage: &ObjectStore,
    row: &upload::Model,
    len: usize,
) -> Result<bytes::Bytes, AppError> {
    let tail = storage
        .get(&keys::upload_tail(row.id, row.offset as u64))
        .await
        .map_err(AppError::Unavailable)?
        .ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("the tail of upload {} is missing", row.id))
        })?;
    if tail.bytes.len() != len {
        return Err(AppError::internal(anyhow::anyhow!(
            "the tail of upload {} has {} bytes, not {len}",
            row.id,
            tail.bytes.len()
        )));
    }
    Ok(tail.bytes)
}

/// Keeps `bytes` as the tail of `row` ending at `offset`.
pub async fn save_tail(
    storage: &ObjectStore,
    row: &upload::Model,
    offset: u64,
    bytes: &[u8],
) -> Result<(), AppError> {
    storage
        .put(
            &keys::upload_tail(row.id, offset),
            bytes,
            "application/octet-stream",
        )
        .await
        .map_err(AppError::Unavailable)
}

/// Removes the tail of `row` that ended at its offset, if it had one; a failure is left to the
/// sweeper.
pub async fn drop_tail(storage: &ObjectStore, row: &upload::Model) {
    let key = keys::upload_tail(row.id, row.offset as u64);
    if let Err(error) = storage.delete(&key).await {
        tracing::warn!(?error, %key, "could not remove an object; the sweeper removes it later");
    }
}

/// Stores the next part of the upload's multipart upload and notes its ETag.
pub async fn store_part(
    storage: &ObjectStore,
    row: &upload::Model,
    etags: &mut Vec<String>,
    bytes: Vec<u8>,
) -> Result<(), AppError> {
    let etag = storage
        .put_part(
            &row.storage_key,
            &row.multipart_id,
            etags.len() as u32 + 1,
            bytes,
        )
        .await
        .map_err(AppError::Unavailable)?;
    etags.push(etag);
    Ok(())
}

/// Whether the upload's S3 multipart upload is still open (not yet completed or aborted).
#[derive(Clone, Copy, PartialEq)]
pub enum Multipart {
    Open,
    Closed,
}

/// Removes an upload and what it had stored: its open multipart upload and its tail (if it is
/// unfinished), then its row. Stops at the first failure, leaving the row for the sweeper.
pub async fn discard(
    db: &DatabaseConnection,
    storage: &ObjectStore,
    row: &upload::Model,
    multipart: Multipart,
) -> anyhow::Result<()> {
    if row.completed_at.is_none() {
        if multipart == Multipart::Open {
            storage
                .abort_multipart(&row.storage_key, &row.multipart_id)
                .await?;
        }
        let parts = etags_of(row).map(|e| e.len()).unwrap_or(0);
        if tail_len(row, parts) > 0 {
            storage
                .delete(&keys::upload_tail(row.id, row.offset as u64))
                .await?;
        }
    }
    upload::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(())
}
