//! Resumable uploads: tus 1.0 (core, creation, checksum, termination, expiration) on S3
//! multipart, for large files and bad connections.
//!
//! The state of an upload is a database row, so any API replica can take its next request; the
//! bytes are in S3. Full parts of `PART_SIZE` go to a multipart upload as they arrive. The bytes
//! after the last full part (fewer than a part) are kept in a `uploads/<id>/tail-<offset>`
//! object when a request ends, so a connection cut mid-way loses nothing that arrived: the next
//! PATCH reads the tail back and carries on. When the last byte is in, the file becomes
//! evidence exactly as a `PUT /evidence/{id}` does: type by magic bytes, SHA-256 against the
//! client's, row committed after the object is durable.
//!
//! A PATCH holds the upload by a lease in its row (so two replicas never write one upload), and
//! by an in-process lock that a HEAD or a second PATCH on this replica waits on: a client
//! resuming right after a cut learns the offset the cut request reached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use futures_util::{Stream, StreamExt};
use kiemtra_shared::error::codes;
use kiemtra_shared::evidence::{EvidenceKind, EvidenceUploadParams};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::upload;
use crate::error::AppError;
use crate::media::FileType;
use crate::services::evidence::{self, Stored, StoredFile};
use crate::state::AppState;

/// Size of every multipart part but the last: S3's minimum, so a cut costs at most this much
/// memory per upload in flight. Clients should send chunks of this size.
pub const PART_SIZE: usize = 5 * 1024 * 1024;

/// How long a PATCH holds its upload before another replica may take it over; renewed with
/// every part stored.
const LEASE: Duration = Duration::minutes(2);

/// How long a HEAD or PATCH waits for another PATCH of the same upload on this replica.
const LOCAL_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The checksum a client sent with a PATCH (`Upload-Checksum: <algorithm> <base64>`).
pub enum Checksum {
    Sha1([u8; 20]),
    Sha256([u8; 32]),
}

/// The checksum algorithms offered (`Tus-Checksum-Algorithm`).
pub const CHECKSUM_ALGORITHMS: &str = "sha1,sha256";

impl Checksum {
    /// Parses `Upload-Checksum`. An unknown algorithm or a malformed value is a 400.
    pub fn parse(header: &str) -> Result<Checksum, AppError> {
        let bad = |message: &str| AppError::BadRequest {
            code: codes::BAD_REQUEST,
            message: message.to_owned(),
        };
        let (algorithm, value) = header
            .trim()
            .split_once(' ')
            .ok_or_else(|| bad("Upload-Checksum must be `<algorithm> <base64 digest>`."))?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| bad("The Upload-Checksum digest is not base64."))?;
        let wrong_length = || bad("The Upload-Checksum digest has the wrong length.");
        match algorithm {
            "sha1" => Ok(Checksum::Sha1(raw.try_into().map_err(|_| wrong_length())?)),
            "sha256" => Ok(Checksum::Sha256(
                raw.try_into().map_err(|_| wrong_length())?,
            )),
            _ => Err(bad(
                "Unsupported Upload-Checksum algorithm; this server offers sha1 and sha256.",
            )),
        }
    }

    fn hasher(&self) -> ChunkHasher {
        match self {
            Checksum::Sha1(_) => ChunkHasher::Sha1(Sha1::new()),
            Checksum::Sha256(_) => ChunkHasher::Sha256(Sha256::new()),
        }
    }

    fn matches(&self, hasher: ChunkHasher) -> bool {
        match (self, hasher) {
            (Checksum::Sha1(want), ChunkHasher::Sha1(h)) => h.finalize()[..] == want[..],
            (Checksum::Sha256(want), ChunkHasher::Sha256(h)) => h.finalize()[..] == want[..],
            _ => false,
        }
    }
}

enum ChunkHasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl ChunkHasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            ChunkHasher::Sha1(h) => h.update(bytes),
            ChunkHasher::Sha256(h) => h.update(bytes),
        }
    }
}

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
    async fn acquire(&self, id: Uuid) -> Result<LocalGuard<'_>, AppError> {
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
            Err(_) => Err(busy()),
        }
    }
}

fn busy() -> AppError {
    AppError::Locked(
        "Another request is writing this upload; ask for its offset (HEAD) and try again."
            .to_owned(),
    )
}

/// What a creation request carries.
pub struct Creation {
    pub evidence_id: Uuid,
    pub params: EvidenceUploadParams,
    /// Lower-case hex SHA-256 of the whole file, if the client sent it.
    pub claimed_sha256: Option<String>,
    pub length: u64,
}

/// Where an upload stands, as HEAD and PATCH report it.
pub struct Progress {
    pub offset: u64,
    pub length: u64,
    pub expires_at: DateTime<Utc>,
    /// Set once the upload is complete and its evidence committed.
    pub evidence_id: Option<Uuid>,
}

impl Progress {
    fn of(row: &upload::Model) -> Progress {
        Progress {
            offset: row.offset as u64,
            length: row.length as u64,
            expires_at: row.expires_at,
            evidence_id: row.completed_at.map(|_| row.evidence_id),
        }
    }
}

/// Creates an upload after the same checks as a direct upload: who may upload what where, and
/// the size limit, before a byte is sent.
#[tracing::instrument(skip_all, fields(user = %user.id, evidence = %creation.evidence_id))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    creation: Creation,
) -> Result<(Uuid, Progress), AppError> {
    let kind = creation.params.kind;
    let limit = evidence::size_limit(&state.settings.limits, kind);
    if creation.length > limit as u64 {
        return Err(evidence::too_large(kind, limit));
    }
    if creation.length == 0 {
        return Err(AppError::validation(
            "The upload is empty.",
            vec![AppError::field(
                "Upload-Length",
                "empty",
                "A file has at least one byte.",
            )],
        ));
    }
    let prepared =
        evidence::prepare(&state.db, user, creation.evidence_id, &creation.params).await?;
    let now = state.clock.now();
    let expires_at = now + Duration::hours(state.settings.limits.resumable_upload_hours);
    let id = Uuid::new_v4();
    let params_json = serde_json::to_string(&creation.params).map_err(AppError::internal)?;
    if let Some(existing) = &prepared.existing {
        // The file is stored already (a phone that lost the answer to its last PATCH): the same
        // bytes make an upload that is complete from the start; other bytes are a conflict.
        let Some(sha) = &creation.claimed_sha256 else {
            return Err(AppError::Conflict(format!(
                "Evidence {} is stored already; send its sha256 in Upload-Metadata to confirm it is the same file.",
                creation.evidence_id
            )));
        };
        evidence::same_or_conflict(
            existing,
            creation.evidence_id,
            prepared.inspection_id,
            &creation.params.item_key,
            sha,
        )?;
        let row = upload::ActiveModel {
            id: Set(id),
            evidence_id: Set(creation.evidence_id),
            created_by: Set(user.id),
            params: Set(params_json),
            claimed_sha256: Set(creation.claimed_sha256.clone()),
            length: Set(existing.size_bytes),
            offset: Set(existing.size_bytes),
            storage_key: Set(existing.storage_key.clone()),
            multipart_id: Set(String::new()),
            part_etags: Set("[]".to_owned()),
            file_type: Set(Some(existing.content_type.clone())),
            lock_token: Set(None),
            locked_until: Set(None),
            completed_at: Set(Some(now)),
            created_at: Set(now),
            expires_at: Set(expires_at),
        }
        .insert(&state.db)
        .await?;
        return Ok((id, Progress::of(&row)));
    }
    let storage_key = evidence::new_storage_key(prepared.inspection_id, creation.evidence_id);
    let multipart_id = state
        .storage
        .begin_multipart(&storage_key, "application/octet-stream")
        .await
        .map_err(AppError::Unavailable)?;
    let row = upload::ActiveModel {
        id: Set(id),
        evidence_id: Set(creation.evidence_id),
        created_by: Set(user.id),
        params: Set(params_json),
        claimed_sha256: Set(creation.claimed_sha256),
        length: Set(creation.length as i64),
        offset: Set(0),
        storage_key: Set(storage_key.clone()),
        multipart_id: Set(multipart_id.clone()),
        part_etags: Set("[]".to_owned()),
        file_type: Set(None),
        lock_token: Set(None),
        locked_until: Set(None),
        completed_at: Set(None),
        created_at: Set(now),
        expires_at: Set(expires_at),
    };
    match row.insert(&state.db).await {
        Ok(row) => Ok((id, Progress::of(&row))),
        Err(error) => {
            let _ = state
                .storage
                .abort_multipart(&storage_key, &multipart_id)
                .await;
            Err(error.into())
        }
    }
}

/// The upload `id` of `user`, unless it is unknown, someone else's or expired (all 404, so
/// upload ids do not leak).
async fn find(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<upload::Model, AppError> {
    upload::Entity::find_by_id(id)
        .filter(upload::Column::CreatedBy.eq(user.id))
        .one(&state.db)
        .await?
        .filter(|row| row.completed_at.is_some() || row.expires_at > state.clock.now())
        .ok_or(AppError::NotFound)
}

/// Where the upload stands. If a PATCH of it is running on this replica (a client resuming
/// right after a cut), the answer waits for it, so the offset reported is the one it reached.
pub async fn progress(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Progress, AppError> {
    find(state, user, id).await?;
    let _local = state.uploads.acquire(id).await?;
    Ok(Progress::of(&find(state, user, id).await?))
}

fn tail_key(id: Uuid, offset: u64) -> String {
    format!("uploads/{id}/tail-{offset}")
}

fn etags_of(row: &upload::Model) -> Result<Vec<String>, AppError> {
    serde_json::from_str(&row.part_etags).map_err(AppError::internal)
}

fn tail_len(row: &upload::Model, parts: usize) -> usize {
    row.offset as usize - parts * PART_SIZE
}

/// What a PATCH sends.
pub struct Chunk<S> {
    pub offset: u64,
    pub content_length: Option<u64>,
    pub checksum: Option<Checksum>,
    pub body: S,
}

/// Appends a PATCH body at `chunk.offset`. Without a checksum, what arrives is kept even if the
/// connection is cut; with one, the chunk is kept only whole and matching (else 460). A
/// request whose token expires before it ends keeps nothing (401). The PATCH that brings the
/// last byte commits the evidence.
#[tracing::instrument(skip_all, fields(user = %user.id, upload = %id, offset = chunk.offset))]
pub async fn append<S, E>(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    chunk: Chunk<S>,
) -> Result<Progress, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let row = find(state, user, id).await?;
    if chunk.offset != row.offset as u64 {
        return Err(AppError::OffsetMismatch {
            expected: row.offset as u64,
        });
    }
    if chunk
        .content_length
        .is_some_and(|n| chunk.offset + n > row.length as u64)
    {
        return Err(AppError::PayloadTooLarge(format!(
            "The chunk goes past the upload's length of {} bytes.",
            row.length
        )));
    }
    let _local = state.uploads.acquire(id).await?;
    let lease = take_lease(state, user, id, chunk.offset).await?;
    let outcome = write(state, user, &lease, chunk).await;
    if outcome.is_err() {
        // Whatever happened, the upload is free again (unless it was abandoned: then the
        // update touches nothing).
        release(state, &lease).await;
    }
    outcome
}

/// A PATCH's hold on its upload row.
struct Lease {
    row: upload::Model,
    token: Uuid,
}

async fn take_lease(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    offset: u64,
) -> Result<Lease, AppError> {
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
        .exec(&state.db)
        .await?;
    let row = find(state, user, id).await?;
    if taken.rows_affected == 0 {
        return Err(
            if row.offset as u64 != offset || row.completed_at.is_some() {
                AppError::OffsetMismatch {
                    expected: row.offset as u64,
                }
            } else {
                busy()
            },
        );
    }
    Ok(Lease { row, token })
}

async fn release(state: &AppState, lease: &Lease) {
    let released = upload::Entity::update_many()
        .col_expr(upload::Column::LockToken, Expr::value(Option::<Uuid>::None))
        .col_expr(
            upload::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(upload::Column::Id.eq(lease.row.id))
        .filter(upload::Column::LockToken.eq(lease.token))
        .exec(&state.db)
        .await;
    if let Err(error) = released {
        tracing::warn!(?error, upload = %lease.row.id, "could not release an upload; its lease runs out");
    }
}

async fn renew(state: &AppState, lease: &Lease) -> Result<(), AppError> {
    let renewed = upload::Entity::update_many()
        .col_expr(
            upload::Column::LockedUntil,
            Expr::value(Some(Utc::now() + LEASE)),
        )
        .filter(upload::Column::Id.eq(lease.row.id))
        .filter(upload::Column::LockToken.eq(lease.token))
        .exec(&state.db)
        .await?;
    if renewed.rows_affected == 0 {
        return Err(busy());
    }
    Ok(())
}

fn params_of(row: &upload::Model) -> Result<EvidenceUploadParams, AppError> {
    serde_json::from_str(&row.params).map_err(AppError::internal)
}

async fn write<S, E>(
    state: &AppState,
    user: &CurrentUser,
    lease: &Lease,
    chunk: Chunk<S>,
) -> Result<Progress, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let row = &lease.row;
    let params = params_of(row)?;
    let length = row.length as u64;
    let mut etags = etags_of(row)?;
    let committed_parts = etags.len();
    let old_tail = tail_len(row, committed_parts);
    let mut buffer = Vec::with_capacity(PART_SIZE);
    if old_tail > 0 {
        let tail = state
            .storage
            .get(&tail_key(row.id, row.offset as u64))
            .await
            .map_err(AppError::Unavailable)?
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("the tail of upload {} is missing", row.id))
            })?;
        if tail.bytes.len() != old_tail {
            return Err(AppError::internal(anyhow::anyhow!(
                "the tail of upload {} has {} bytes, not {old_tail}",
                row.id,
                tail.bytes.len()
            )));
        }
        buffer.extend_from_slice(&tail.bytes);
    }
    // A file sent in one request from its first byte is hashed on the way; a resumed one is
    // hashed by reading it back once complete.
    let mut whole = (row.offset == 0).then(Sha256::new);
    let mut chunk_hasher = chunk.checksum.as_ref().map(Checksum::hasher);
    let mut offset = row.offset as u64;
    let mut first_type: Option<FileType> = None;
    let mut cut = None;
    let mut body = chunk.body;
    while let Some(item) = body.next().await {
        let bytes = match item {
            Ok(bytes) => bytes,
            Err(error) => {
                cut = Some(error.to_string());
                break;
            }
        };
        if offset + bytes.len() as u64 > length {
            return Err(AppError::PayloadTooLarge(format!(
                "The chunk goes past the upload's length of {length} bytes; nothing of it was kept."
            )));
        }
        offset += bytes.len() as u64;
        if let Some(h) = whole.as_mut() {
            h.update(&bytes);
        }
        if let Some(h) = chunk_hasher.as_mut() {
            h.update(&bytes);
        }
        buffer.extend_from_slice(&bytes);
        while buffer.len() >= PART_SIZE {
            if etags.is_empty() {
                // The first part holds the file's start: its type and header are checked
                // before anything more is stored.
                match evidence::check_start(
                    &buffer[..evidence::PREFIX_BYTES.min(buffer.len())],
                    false,
                    params.kind,
                ) {
                    Ok(t) => first_type = Some(t),
                    Err(refusal) => {
                        abandon(state, row, Multipart::Open).await;
                        return Err(refusal);
                    }
                }
            }
            let rest = buffer.split_off(PART_SIZE);
            let part = std::mem::replace(&mut buffer, rest);
            buffer.reserve(PART_SIZE.saturating_sub(buffer.len()));
            store_part(state, row, &mut etags, part).await?;
            renew(state, lease).await?;
        }
    }
    if let (Some(checksum), Some(hasher)) = (&chunk.checksum, chunk_hasher) {
        if let Some(reason) = &cut {
            return Err(AppError::BadRequest {
                code: codes::BAD_REQUEST,
                message: format!(
                    "The chunk was cut ({reason}); a checksummed chunk is kept only whole."
                ),
            });
        }
        if !checksum.matches(hasher) {
            return Err(AppError::ChecksumMismatch);
        }
    }
    // A request that outlived its token changes nothing.
    user.still_signed_in()?;
    if let Some(reason) = &cut {
        tracing::info!(%reason, received = offset - row.offset as u64, "upload cut; keeping what arrived");
    }
    if offset == length && cut.is_none() {
        return finish(state, user, lease, params, etags, buffer, whole, first_type).await;
    }
    // Keep what arrived: the full parts are in S3, the rest goes to a new tail object.
    let new_tail = tail_key(row.id, offset);
    if !buffer.is_empty() && offset != row.offset as u64 {
        state
            .storage
            .put(&new_tail, &buffer, "application/octet-stream")
            .await
            .map_err(AppError::Unavailable)?;
    }
    let saved = upload::Entity::update_many()
        .col_expr(upload::Column::Offset, Expr::value(offset as i64))
        .col_expr(
            upload::Column::PartEtags,
            Expr::value(serde_json::to_string(&etags).map_err(AppError::internal)?),
        )
        .col_expr(
            upload::Column::FileType,
            Expr::value(
                first_type
                    .map(|t| t.mime().to_owned())
                    .or_else(|| row.file_type.clone()),
            ),
        )
        .col_expr(upload::Column::LockToken, Expr::value(Option::<Uuid>::None))
        .col_expr(
            upload::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(upload::Column::Id.eq(row.id))
        .filter(upload::Column::LockToken.eq(lease.token))
        .exec(&state.db)
        .await?;
    if saved.rows_affected == 0 {
        return Err(busy());
    }
    if old_tail > 0 && offset != row.offset as u64 {
        delete_quietly(state, &tail_key(row.id, row.offset as u64)).await;
    }
    Ok(Progress {
        offset,
        length,
        expires_at: row.expires_at,
        evidence_id: None,
    })
}

/// The last byte is in: join the parts into the final object, hash it, and commit the evidence.
#[allow(clippy::too_many_arguments)]
async fn finish(
    state: &AppState,
    user: &CurrentUser,
    lease: &Lease,
    params: EvidenceUploadParams,
    mut etags: Vec<String>,
    buffer: Vec<u8>,
    whole: Option<Sha256>,
    first_type: Option<FileType>,
) -> Result<Progress, AppError> {
    let row = &lease.row;
    let stored: Result<(FileType, [u8; 32]), AppError> = async {
        if etags.is_empty() {
            // The whole file is smaller than a part: one plain object.
            let file_type = evidence::check_start(
                &buffer[..evidence::PREFIX_BYTES.min(buffer.len())],
                buffer.len() <= evidence::PREFIX_BYTES,
                params.kind,
            )?;
            state
                .storage
                .put(&row.storage_key, &buffer, file_type.mime())
                .await
                .map_err(AppError::Unavailable)?;
            let _ = state
                .storage
                .abort_multipart(&row.storage_key, &row.multipart_id)
                .await;
            return Ok((file_type, Sha256::digest(&buffer).into()));
        }
        if !buffer.is_empty() {
            store_part(state, row, &mut etags, buffer).await?;
        }
        state
            .storage
            .complete_multipart(&row.storage_key, &row.multipart_id, &etags)
            .await
            .map_err(AppError::Unavailable)?;
        match (whole, first_type) {
            (Some(hasher), Some(file_type)) => Ok((file_type, hasher.finalize().into())),
            _ => read_back(state, &row.storage_key, params.kind).await,
        }
    }
    .await;
    let (file_type, sha256) = match stored {
        Ok(stored) => stored,
        Err(refusal) => {
            // A refusal before the parts were joined leaves the multipart upload to abort; one
            // after (the type or digest of the whole file) leaves an object to remove.
            abandon(state, row, Multipart::Open).await;
            delete_quietly(state, &row.storage_key).await;
            return Err(refusal);
        }
    };
    // Rights may have changed since the upload began (a member taken off the team).
    let file = StoredFile {
        storage_key: row.storage_key.clone(),
        file_type,
        size: row.length as usize,
        sha256,
    };
    let claimed = match row.claimed_sha256.as_deref().map(hex::decode) {
        Some(Ok(raw)) => raw.try_into().ok(),
        _ => None,
    };
    let committed = match evidence::prepare(&state.db, user, row.evidence_id, &params).await {
        Ok(_) => {
            evidence::commit(
                &state.db,
                &state.storage,
                &state.derivatives,
                user,
                row.evidence_id,
                params,
                file,
                claimed,
            )
            .await
        }
        Err(refusal) => {
            delete_quietly(state, &row.storage_key).await;
            Err(refusal)
        }
    };
    match committed {
        Ok(Stored::Created(_)) | Ok(Stored::AlreadyThere(_)) => {}
        Err(refusal) => {
            abandon(state, row, Multipart::Closed).await;
            return Err(refusal);
        }
    }
    let now = Utc::now();
    upload::Entity::update_many()
        .col_expr(upload::Column::Offset, Expr::value(row.length))
        .col_expr(upload::Column::PartEtags, Expr::value("[]"))
        .col_expr(
            upload::Column::FileType,
            Expr::value(Some(file_type.mime())),
        )
        .col_expr(upload::Column::CompletedAt, Expr::value(Some(now)))
        .col_expr(upload::Column::LockToken, Expr::value(Option::<Uuid>::None))
        .col_expr(
            upload::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(upload::Column::Id.eq(row.id))
        .exec(&state.db)
        .await?;
    if tail_len(row, etags_of(row)?.len()) > 0 {
        delete_quietly(state, &tail_key(row.id, row.offset as u64)).await;
    }
    Ok(Progress {
        offset: row.length as u64,
        length: row.length as u64,
        expires_at: row.expires_at,
        evidence_id: Some(row.evidence_id),
    })
}

/// Stores the next part of the upload's multipart upload and notes its ETag.
async fn store_part(
    state: &AppState,
    row: &upload::Model,
    etags: &mut Vec<String>,
    bytes: Vec<u8>,
) -> Result<(), AppError> {
    let etag = state
        .storage
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

/// Hashes a stored object by streaming it back, and checks its start.
async fn read_back(
    state: &AppState,
    key: &str,
    kind: EvidenceKind,
) -> Result<(FileType, [u8; 32]), AppError> {
    let mut stream = state
        .storage
        .get_stream(key)
        .await
        .map_err(AppError::Unavailable)?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("object {key} is missing")))?;
    let mut hasher = Sha256::new();
    let mut prefix = Vec::with_capacity(evidence::PREFIX_BYTES);
    let mut size = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AppError::Unavailable(e.into()))?;
        if prefix.len() < evidence::PREFIX_BYTES {
            let take = (evidence::PREFIX_BYTES - prefix.len()).min(chunk.len());
            prefix.extend_from_slice(&chunk[..take]);
        }
        size += chunk.len();
        hasher.update(&chunk);
    }
    let file_type = evidence::check_start(&prefix, size == prefix.len(), kind)?;
    Ok((file_type, hasher.finalize().into()))
}

/// Whether the upload's S3 multipart upload is still open (not yet completed or aborted).
#[derive(Clone, Copy, PartialEq)]
enum Multipart {
    Open,
    Closed,
}

/// Removes an upload and what it had stored: its open multipart upload and its tail (if it is
/// unfinished), then its row. Stops at the first failure, leaving the row for the sweeper.
async fn discard(
    db: &sea_orm::DatabaseConnection,
    storage: &crate::storage::ObjectStore,
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
            storage.delete(&tail_key(row.id, row.offset as u64)).await?;
        }
    }
    upload::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(())
}

/// Drops a refused upload and what it had stored; a failure is left to the sweeper.
async fn abandon(state: &AppState, row: &upload::Model, multipart: Multipart) {
    if let Err(error) = discard(&state.db, &state.storage, row, multipart).await {
        tracing::warn!(?error, upload = %row.id, "could not drop all of an upload; the sweeper retries");
    }
}

async fn delete_quietly(state: &AppState, key: &str) {
    if let Err(error) = state.storage.delete(key).await {
        tracing::warn!(?error, %key, "could not remove an object; the sweeper removes it later");
    }
}

/// tus termination: drops an unfinished upload and what it had stored. A complete upload's
/// evidence stays; only the upload record goes.
#[tracing::instrument(skip_all, fields(user = %user.id, upload = %id))]
pub async fn terminate(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<(), AppError> {
    find(state, user, id).await?;
    let _local = state.uploads.acquire(id).await?;
    let row = find(state, user, id).await?;
    if row.completed_at.is_none()
        && row
            .locked_until
            .is_some_and(|until| row.lock_token.is_some() && until > Utc::now())
    {
        return Err(busy());
    }
    discard(&state.db, &state.storage, &row, Multipart::Open)
        .await
        .map_err(AppError::Unavailable)
}

/// Removes expired uploads: the unfinished ones with what they had stored, the finished ones'
/// records. Returns how many.
pub async fn sweep_expired(
    db: &sea_orm::DatabaseConnection,
    storage: &crate::storage::ObjectStore,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let expired = upload::Entity::find()
        .filter(upload::Column::ExpiresAt.lt(now))
        .all(db)
        .await?;
    for row in &expired {
        discard(db, storage, row, Multipart::Open).await?;
    }
    Ok(expired.len())
}

/// Parses tus `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be
/// absent).
pub fn parse_metadata(header: &str) -> Result<HashMap<String, String>, AppError> {
    let mut out = HashMap::new();
    for pair in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once(' ') {
            Some((key, value)) => {
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(value.trim())
                    .map_err(|_| metadata_error(key, "is not base64"))?;
                (
                    key,
                    String::from_utf8(raw).map_err(|_| metadata_error(key, "is not UTF-8"))?,
                )
            }
            None => (pair, String::new()),
        };
        if out.insert(key.to_owned(), value).is_some() {
            return Err(metadata_error(key, "is given twice"));
        }
    }
    Ok(out)
}

pub fn metadata_error(key: &str, problem: &str) -> AppError {
    AppError::validation(
        format!("Upload-Metadata `{key}` {problem}."),
        vec![AppError::field(
            &format!("Upload-Metadata.{key}"),
            "invalid",
            &format!("`{key}` {problem}."),
        )],
    )
}

/// The evidence id, metadata and claimed digest of a creation request.
pub fn creation_from_metadata(
    metadata: &HashMap<String, String>,
    length: u64,
) -> Result<Creation, AppError> {
    let required = |key: &str| {
        metadata
            .get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| metadata_error(key, "is required"))
    };
    let evidence_id = required("evidence_id")?
        .parse::<Uuid>()
        .map_err(|_| metadata_error("evidence_id", "is not a UUID"))?;
    // The keys a direct upload takes in its query string; other keys (tus clients add their
    // own, like `filetype`) are ignored.
    let mut params = serde_json::Map::new();
    for key in [
        "inspection_id",
        "item_key",
        "kind",
        "captured_at",
        "latitude",
        "longitude",
        // tus clients name the file `filename`.
        "filename",
    ] {
        let Some(value) = metadata.get(key).filter(|v| !v.is_empty()) else {
            continue;
        };
        let value = match key {
            "latitude" | "longitude" => serde_json::Value::from(
                value
                    .parse::<f64>()
                    .map_err(|_| metadata_error(key, "is not a number"))?,
            ),
            _ => serde_json::Value::from(value.clone()),
        };
        let key = if key == "filename" { "file_name" } else { key };
        params.insert(key.to_owned(), value);
    }
    let params: EvidenceUploadParams =
        serde_path_to_error::deserialize(serde_json::Value::Object(params)).map_err(|e| {
            let field = e.path().to_string();
            metadata_error(&field, &format!("is invalid: {}", e.inner()))
        })?;
    let claimed_sha256 = match metadata.get("sha256").filter(|v| !v.is_empty()) {
        Some(hex_digest) => {
            let lower = hex_digest.to_ascii_lowercase();
            if lower.len() != 64 || hex::decode(&lower).is_err() {
                return Err(metadata_error("sha256", "is not 64 hex digits"));
            }
            Some(lower)
        }
        None => None,
    };
    Ok(Creation {
        evidence_id,
        params,
        claimed_sha256,
        length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn metadata_pairs_are_decoded_and_a_bare_key_is_empty() {
        let parsed = parse_metadata(&format!(
            "item_key {},kind {}, flag",
            b64("osh.x"),
            b64("photo")
        ))
        .unwrap();
        assert_eq!(parsed["item_key"], "osh.x");
        assert_eq!(parsed["kind"], "photo");
        assert_eq!(parsed["flag"], "");
    }

    #[test]
    fn metadata_that_is_not_base64_is_refused_with_its_key() {
        let error = parse_metadata("kind ***").unwrap_err();
        assert!(error.to_string().contains("kind"), "{error}");
    }

    #[test]
    fn a_creation_needs_the_evidence_id_and_reads_numbers() {
        let mut metadata = HashMap::new();
        metadata.insert("inspection_id".to_owned(), Uuid::nil().to_string());
        metadata.insert("item_key".to_owned(), "osh.x".to_owned());
        metadata.insert("kind".to_owned(), "photo".to_owned());
        metadata.insert("latitude".to_owned(), "21.5".to_owned());
        assert!(creation_from_metadata(&metadata, 10).is_err());
        metadata.insert("evidence_id".to_owned(), Uuid::new_v4().to_string());
        let creation = creation_from_metadata(&metadata, 10).unwrap();
        assert_eq!(creation.params.latitude, Some(21.5));
        assert_eq!(creation.params.kind, EvidenceKind::Photo);
    }

    #[test]
    fn checksums_name_their_algorithm() {
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha1::digest(b"abc"));
        let checksum = Checksum::parse(&format!("sha1 {digest}")).unwrap();
        let mut hasher = checksum.hasher();
        hasher.update(b"abc");
        assert!(checksum.matches(hasher));
        assert!(Checksum::parse(&format!("md5 {digest}")).is_err());
        assert!(Checksum::parse("sha256 AAAA").is_err());
    }
}
