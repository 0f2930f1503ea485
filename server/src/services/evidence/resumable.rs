//! Resumable uploads: tus 1.0 (core, creation, checksum, termination, expiration) on S3
//! multipart, for large files and bad connections. The HTTP side (headers, metadata) is in
//! `routes::tus`.
//!
//! The state of an upload is a database row, so any API replica can take its next request; the
//! bytes are in S3 ([`parts`]). A PATCH holds its upload by a [`lease`]. When the last byte is
//! in, the file goes through the same [`ingest`](super::ingest) as a `PUT /evidence/{id}`:
//! type by magic bytes, size limit, SHA-256 against the client's, row committed after the
//! object is durable.

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use futures_util::{Stream, StreamExt};
use kiemtra_shared::digest::Sha256;
use kiemtra_shared::evidence::{EvidenceKind, EvidenceUploadParams};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha1::Sha1;
use sha2::Digest;
use uuid::Uuid;

use super::ingest::{Incoming, Ingest, Intake, StoredFile, check_start, same_or_conflict};
use super::keys;
use super::lease::{self, Lease, LocalLocks};
use super::parts::{self, Multipart, PART_SIZE};
use super::tus_error::TusError;
use crate::auth::CurrentUser;
use crate::clock::Clock;
use crate::entities::upload;
use crate::error::AppError;
use crate::media::FileType;
use crate::state::AppState;
use crate::storage::ObjectStore;

/// What resumable uploads need: the ingest, the locks of the uploads written here, and the
/// clock their expiry goes by.
#[derive(Clone, Copy)]
pub struct Resumable<'a> {
    pub ingest: Ingest<'a>,
    pub locks: &'a LocalLocks,
    pub clock: &'a Clock,
}

/// The checksum a client sent with a PATCH.
pub enum Checksum {
    Sha1([u8; 20]),
    Sha256([u8; 32]),
}

impl Checksum {
    fn hasher(&self) -> ChunkHasher {
        match self {
            Checksum::Sha1(_) => ChunkHasher::Sha1(Sha1::new()),
            Checksum::Sha256(_) => ChunkHasher::Sha256(sha2::Sha256::new()),
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
    Sha256(sha2::Sha256),
}

impl ChunkHasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            ChunkHasher::Sha1(h) => h.update(bytes),
            ChunkHasher::Sha256(h) => h.update(bytes),
        }
    }
}

/// What a creation request carries.
pub struct Creation {
    pub evidence_id: Uuid,
    pub params: EvidenceUploadParams,
    /// The SHA-256 of the whole file, if the client sent it.
    pub claimed_sha256: Option<Sha256>,
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

/// What a PATCH sends.
pub struct Chunk<S> {
    pub offset: u64,
    pub content_length: Option<u64>,
    pub checksum: Option<Checksum>,
    pub body: S,
}

/// What a PATCH holds of the upload when its last byte is in.
struct Received {
    etags: Vec<String>,
    /// The bytes after the last full part.
    buffer: Vec<u8>,
    /// The whole file taken on the way, when it was sent in this one request.
    whole: Option<Intake>,
    /// The file's type, checked when its first part was stored.
    first_type: Option<FileType>,
}

impl<'a> Resumable<'a> {
    pub fn of(state: &'a AppState) -> Resumable<'a> {
        Resumable {
            ingest: Ingest::of(state),
            locks: &state.uploads,
            clock: &state.clock,
        }
    }

    fn db(&self) -> &'a DatabaseConnection {
        self.ingest.db
    }

    fn storage(&self) -> &'a ObjectStore {
        self.ingest.storage
    }

    /// Creates an upload after the same checks as a direct upload: who may upload what where,
    /// and the size limit, before a byte is sent.
    #[tracing::instrument(skip_all, fields(user = %user.id, evidence = %creation.evidence_id))]
    pub async fn create(
        &self,
        user: &CurrentUser,
        creation: Creation,
    ) -> Result<(Uuid, Progress), AppError> {
        self.ingest
            .check_length(creation.params.kind, creation.length)?;
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
        let incoming = Incoming {
            user,
            id: creation.evidence_id,
            params: creation.params,
            claimed: creation.claimed_sha256,
        };
        let prepared = self.ingest.prepare(&incoming).await?;
        let now = self.clock.now();
        let expires_at = now + Duration::hours(self.ingest.limits.resumable_upload_hours);
        let id = Uuid::new_v4();
        let row = upload::ActiveModel {
            id: Set(id),
            evidence_id: Set(incoming.id),
            created_by: Set(user.id),
            params: Set(serde_json::to_string(&incoming.params).map_err(AppError::internal)?),
            claimed_sha256: Set(incoming.claimed.as_ref().map(Sha256::to_hex)),
            part_etags: Set("[]".to_owned()),
            lock_token: Set(None),
            locked_until: Set(None),
            created_at: Set(now),
            expires_at: Set(expires_at),
            ..Default::default()
        };
        if let Some(existing) = &prepared.existing {
            // The file is stored already (a phone that lost the answer to its last PATCH): the
            // same bytes make an upload that is complete from the start; other bytes are a
            // conflict.
            let Some(claimed) = incoming.claimed else {
                return Err(AppError::Conflict(format!(
                    "Evidence {} is stored already; send its sha256 in Upload-Metadata to confirm it is the same file.",
                    incoming.id
                )));
            };
            same_or_conflict(existing, &incoming, prepared.inspection_id, claimed)?;
            let row = upload::ActiveModel {
                length: Set(existing.size_bytes),
                offset: Set(existing.size_bytes),
                storage_key: Set(existing.storage_key.clone()),
                multipart_id: Set(String::new()),
                file_type: Set(Some(existing.content_type.clone())),
                completed_at: Set(Some(now)),
                ..row
            }
            .insert(self.db())
            .await?;
            return Ok((id, Progress::of(&row)));
        }
        let storage_key = keys::new_original(prepared.inspection_id, incoming.id);
        let multipart_id = self
            .storage()
            .begin_multipart(&storage_key, "application/octet-stream")
            .await
            .map_err(AppError::Unavailable)?;
        let row = upload::ActiveModel {
            length: Set(creation.length as i64),
            offset: Set(0),
            storage_key: Set(storage_key.clone()),
            multipart_id: Set(multipart_id.clone()),
            file_type: Set(None),
            completed_at: Set(None),
            ..row
        };
        match row.insert(self.db()).await {
            Ok(row) => Ok((id, Progress::of(&row))),
            Err(error) => {
                let _ = self
                    .storage()
                    .abort_multipart(&storage_key, &multipart_id)
                    .await;
                Err(error.into())
            }
        }
    }

    /// The upload `id` of `user`, unless it is unknown, someone else's or expired (all 404, so
    /// upload ids do not leak).
    async fn find(&self, user: &CurrentUser, id: Uuid) -> Result<upload::Model, AppError> {
        upload::Entity::find_by_id(id)
            .filter(upload::Column::CreatedBy.eq(user.id))
            .one(self.db())
            .await?
            .filter(|row| row.completed_at.is_some() || row.expires_at > self.clock.now())
            .ok_or(AppError::NotFound)
    }

    /// Where the upload stands. If a PATCH of it is running on this replica (a client resuming
    /// right after a cut), the answer waits for it, so the offset reported is the one it
    /// reached.
    #[tracing::instrument(skip_all, fields(user = %user.id, upload = %id))]
    pub async fn progress(&self, user: &CurrentUser, id: Uuid) -> Result<Progress, AppError> {
        self.find(user, id).await?;
        let _local = self.locks.acquire(id).await?;
        Ok(Progress::of(&self.find(user, id).await?))
    }

    /// Appends a PATCH body at `chunk.offset`. Without a checksum, what arrives is kept even if
    /// the connection is cut; with one, the chunk is kept only whole and matching (else 460). A
    /// request whose token expires before it ends keeps nothing (401). The PATCH that brings the
    /// last byte commits the evidence.
    #[tracing::instrument(skip_all, fields(user = %user.id, upload = %id, offset = chunk.offset))]
    pub async fn append<S, E>(
        &self,
        user: &CurrentUser,
        id: Uuid,
        chunk: Chunk<S>,
    ) -> Result<Progress, AppError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let row = self.find(user, id).await?;
        if chunk.offset != row.offset as u64 {
            return Err(TusError::OffsetMismatch {
                expected: row.offset as u64,
            }
            .into());
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
        let _local = self.locks.acquire(id).await?;
        let lease = self.take_lease(user, id, chunk.offset).await?;
        let outcome = self.write(user, &lease, chunk).await;
        if outcome.is_err() {
            // Whatever happened, the upload is free again (unless it was abandoned: then the
            // update touches nothing).
            lease.release(self.db()).await;
        }
        outcome
    }

    async fn take_lease(
        &self,
        user: &CurrentUser,
        id: Uuid,
        offset: u64,
    ) -> Result<Lease, AppError> {
        let taken = lease::try_take(self.db(), id, offset).await?;
        let row = self.find(user, id).await?;
        match taken {
            Some(token) => Ok(Lease { row, token }),
            None if row.offset as u64 != offset || row.completed_at.is_some() => {
                Err(TusError::OffsetMismatch {
                    expected: row.offset as u64,
                }
                .into())
            }
            None => Err(TusError::Locked.into()),
        }
    }

    async fn write<S, E>(
        &self,
        user: &CurrentUser,
        lease: &Lease,
        chunk: Chunk<S>,
    ) -> Result<Progress, AppError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let row = &lease.row;
        let params: EvidenceUploadParams =
            serde_json::from_str(&row.params).map_err(AppError::internal)?;
        let length = row.length as u64;
        let mut etags = parts::etags_of(row)?;
        let old_tail = parts::tail_len(row, etags.len());
        let mut buffer = Vec::with_capacity(PART_SIZE);
        if old_tail > 0 {
            buffer.extend_from_slice(&parts::read_tail(self.storage(), row, old_tail).await?);
        }
        // A file sent in one request from its first byte is hashed on the way; a resumed one is
        // hashed by reading it back once complete.
        let mut whole = (row.offset == 0).then(Intake::default);
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
            if let Some(intake) = whole.as_mut() {
                intake.update(&bytes);
            }
            if let Some(h) = chunk_hasher.as_mut() {
                h.update(&bytes);
            }
            buffer.extend_from_slice(&bytes);
            while buffer.len() >= PART_SIZE {
                if etags.is_empty() {
                    // The first part holds the file's start: its type and header are checked
                    // before anything more is stored.
                    match check_start(&buffer, false, params.kind) {
                        Ok(t) => first_type = Some(t),
                        Err(refusal) => {
                            self.abandon(row, Multipart::Open).await;
                            return Err(refusal);
                        }
                    }
                }
                let rest = buffer.split_off(PART_SIZE);
                let part = std::mem::replace(&mut buffer, rest);
                buffer.reserve(PART_SIZE.saturating_sub(buffer.len()));
                parts::store_part(self.storage(), row, &mut etags, part).await?;
                lease.renew(self.db()).await?;
            }
        }
        if let (Some(checksum), Some(hasher)) = (&chunk.checksum, chunk_hasher) {
            if let Some(reason) = &cut {
                return Err(AppError::bad_request(format!(
                    "The chunk was cut ({reason}); a checksummed chunk is kept only whole."
                )));
            }
            if !checksum.matches(hasher) {
                return Err(TusError::ChecksumMismatch.into());
            }
        }
        // A request that outlived its token changes nothing.
        user.still_signed_in()?;
        if let Some(reason) = &cut {
            tracing::info!(%reason, received = offset - row.offset as u64, "upload cut; keeping what arrived");
        }
        if offset == length && cut.is_none() {
            let received = Received {
                etags,
                buffer,
                whole,
                first_type,
            };
            return self.finish(user, lease, params, received).await;
        }
        // Keep what arrived: the full parts are in S3, the rest goes to a new tail object.
        if !buffer.is_empty() && offset != row.offset as u64 {
            parts::save_tail(self.storage(), row, offset, &buffer).await?;
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
            .exec(self.db())
            .await?;
        if saved.rows_affected == 0 {
            return Err(TusError::Locked.into());
        }
        if old_tail > 0 && offset != row.offset as u64 {
            parts::drop_tail(self.storage(), row).await;
        }
        Ok(Progress {
            offset,
            length,
            expires_at: row.expires_at,
            evidence_id: None,
        })
    }

    /// The last byte is in: join the parts into the final object, hash it, and commit the
    /// evidence.
    async fn finish(
        &self,
        user: &CurrentUser,
        lease: &Lease,
        params: EvidenceUploadParams,
        received: Received,
    ) -> Result<Progress, AppError> {
        let row = &lease.row;
        let stored = self.join(row, params.kind, received).await;
        let (file_type, sha256) = match stored {
            Ok(stored) => stored,
            Err(refusal) => {
                // A refusal before the parts were joined leaves the multipart upload to abort;
                // one after (the type or digest of the whole file) leaves an object to remove.
                self.abandon(row, Multipart::Open).await;
                self.ingest.remove(&row.storage_key).await;
                return Err(refusal);
            }
        };
        let file = StoredFile {
            storage_key: row.storage_key.clone(),
            file_type,
            size: row.length as u64,
            sha256,
        };
        let incoming = Incoming {
            user,
            id: row.evidence_id,
            params,
            claimed: row
                .claimed_sha256
                .as_deref()
                .and_then(|hex| Sha256::from_hex(hex).ok()),
        };
        if let Err(refusal) = self.ingest.commit_rechecked(&incoming, file).await {
            self.abandon(row, Multipart::Closed).await;
            return Err(refusal);
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
            .exec(self.db())
            .await?;
        if parts::tail_len(row, parts::etags_of(row)?.len()) > 0 {
            parts::drop_tail(self.storage(), row).await;
        }
        Ok(Progress {
            offset: row.length as u64,
            length: row.length as u64,
            expires_at: row.expires_at,
            evidence_id: Some(row.evidence_id),
        })
    }

    /// Makes the final object of a complete upload: one plain object for a file smaller than a
    /// part, else the parts joined. Returns its type and SHA-256 (hashed on the way, or by
    /// reading it back).
    async fn join(
        &self,
        row: &upload::Model,
        kind: EvidenceKind,
        received: Received,
    ) -> Result<(FileType, Sha256), AppError> {
        let Received {
            mut etags,
            buffer,
            whole,
            first_type,
        } = received;
        if etags.is_empty() {
            // The whole file is smaller than a part: one plain object.
            let file_type = check_start(&buffer, true, kind)?;
            let mut intake = Intake::default();
            intake.update(&buffer);
            self.storage()
                .put(&row.storage_key, &buffer, file_type.mime())
                .await
                .map_err(AppError::Unavailable)?;
            let _ = self
                .storage()
                .abort_multipart(&row.storage_key, &row.multipart_id)
                .await;
            return Ok((file_type, intake.finish().1));
        }
        if !buffer.is_empty() {
            parts::store_part(self.storage(), row, &mut etags, buffer).await?;
        }
        self.storage()
            .complete_multipart(&row.storage_key, &row.multipart_id, &etags)
            .await
            .map_err(AppError::Unavailable)?;
        match (whole, first_type) {
            (Some(intake), Some(file_type)) => Ok((file_type, intake.finish().1)),
            _ => self.read_back(&row.storage_key, kind).await,
        }
    }

    /// Hashes a stored object by streaming it back, and checks its start.
    async fn read_back(
        &self,
        key: &str,
        kind: EvidenceKind,
    ) -> Result<(FileType, Sha256), AppError> {
        let mut stream = self
            .storage()
            .get_stream(key)
            .await
            .map_err(AppError::Unavailable)?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("object {key} is missing")))?;
        let mut intake = Intake::default();
        while let Some(chunk) = stream.next().await {
            intake.update(&chunk.map_err(|e| AppError::Unavailable(e.into()))?);
        }
        let complete = intake.size() == intake.prefix().len() as u64;
        let file_type = intake.sniff(complete, kind)?;
        Ok((file_type, intake.finish().1))
    }

    /// Drops a refused upload and what it had stored; a failure is left to the sweeper.
    async fn abandon(&self, row: &upload::Model, multipart: Multipart) {
        if let Err(error) = parts::discard(self.db(), self.storage(), row, multipart).await {
            tracing::warn!(?error, upload = %row.id, "could not drop all of an upload; the sweeper retries");
        }
    }

    /// tus termination: drops an unfinished upload and what it had stored. A complete upload's
    /// evidence stays; only the upload record goes.
    #[tracing::instrument(skip_all, fields(user = %user.id, upload = %id))]
    pub async fn terminate(&self, user: &CurrentUser, id: Uuid) -> Result<(), AppError> {
        self.find(user, id).await?;
        let _local = self.locks.acquire(id).await?;
        let row = self.find(user, id).await?;
        if row.completed_at.is_none() && lease::is_held(&row) {
            return Err(TusError::Locked.into());
        }
        parts::discard(self.db(), self.storage(), &row, Multipart::Open)
            .await
            .map_err(AppError::Unavailable)
    }
}

/// Removes expired uploads: the unfinished ones with what they had stored, the finished ones'
/// records. Returns how many.
#[tracing::instrument(skip_all)]
pub async fn sweep_expired(
    db: &DatabaseConnection,
    storage: &ObjectStore,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let expired = upload::Entity::find()
        .filter(upload::Column::ExpiresAt.lt(now))
        .all(db)
        .await?;
    for row in &expired {
        parts::discard(db, storage, row, Multipart::Open).await?;
    }
    Ok(expired.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_name_their_algorithm() {
        let checksum = Checksum::Sha1(Sha1::digest(b"abc").into());
        let mut hasher = checksum.hasher();
        hasher.update(b"abc");
        assert!(checksum.matches(hasher));
        let mut other = Checksum::Sha256([0; 32]).hasher();
        other.update(b"abc");
        assert!(!checksum.matches(other));
    }
}
