//! Resumable uploads (tus 1.0) of large evidence files: create an upload, ask how much of it
//! the server has, send the next chunk, or end it. The outbox drives these; a broken connection
//! costs at most the chunk in flight.

use std::rc::Rc;

use kiemtra_shared::digest::Sha256;
use kiemtra_shared::tus::{self, UploadMetadata};
use uuid::Uuid;

use super::{ApiError, Lasting, transfer, url};
use crate::auth::AuthHandle;

/// Where an upload stands on the server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UploadState {
    pub offset: u64,
    /// Set once the whole file is there and stored as this evidence.
    pub evidence_id: Option<Uuid>,
}

/// Creates an upload of `length` bytes, recording `metadata` with it; answers its URL.
pub async fn create(
    auth: &AuthHandle,
    length: u64,
    metadata: &UploadMetadata,
) -> Result<String, ApiError> {
    let headers = [
        ("Tus-Resumable", tus::VERSION.to_owned()),
        ("Upload-Length", length.to_string()),
        ("Upload-Metadata", metadata.encode()),
    ];
    let answer = transfer(
        auth,
        Lasting::Call,
        "POST",
        &url("/uploads"),
        &headers,
        None,
        None,
    )
    .await?;
    answer.header("Location").ok_or(ApiError::UnexpectedBody)
}

/// How much of the upload the server has (404: unknown or expired).
pub async fn head(auth: &AuthHandle, location: &str) -> Result<UploadState, ApiError> {
    let headers = [("Tus-Resumable", tus::VERSION.to_owned())];
    let answer = transfer(auth, Lasting::Call, "HEAD", location, &headers, None, None).await?;
    state_of(&answer)
}

/// Sends `chunk`, which starts at `offset` of the file, with its SHA-256. Answers where the
/// upload stands after it; `on_progress` gets the bytes of the chunk sent so far.
pub async fn patch(
    auth: &AuthHandle,
    location: &str,
    offset: u64,
    chunk: &web_sys::Blob,
    chunk_sha256: &Sha256,
    on_progress: Option<Rc<dyn Fn(f64)>>,
) -> Result<UploadState, ApiError> {
    let headers = [
        ("Tus-Resumable", tus::VERSION.to_owned()),
        ("Content-Type", "application/offset+octet-stream".to_owned()),
        ("Upload-Offset", offset.to_string()),
        (
            "Upload-Checksum",
            format!("sha256 {}", chunk_sha256.to_base64()),
        ),
    ];
    let answer = transfer(
        auth,
        Lasting::Upload,
        "PATCH",
        location,
        &headers,
        Some(chunk),
        on_progress,
    )
    .await?;
    state_of(&answer)
}

/// Ends an upload that will not be finished: the server drops what it has of it.
pub async fn terminate(auth: &AuthHandle, location: &str) -> Result<(), ApiError> {
    let headers = [("Tus-Resumable", tus::VERSION.to_owned())];
    transfer(
        auth,
        Lasting::Call,
        "DELETE",
        location,
        &headers,
        None,
        None,
    )
    .await?;
    Ok(())
}

fn state_of(answer: &super::Transferred) -> Result<UploadState, ApiError> {
    let offset = answer
        .header("Upload-Offset")
        .and_then(|v| v.trim().parse().ok())
        .ok_or(ApiError::UnexpectedBody)?;
    let evidence_id = answer
        .header("Kiemtra-Evidence-Id")
        .and_then(|v| Uuid::parse_str(v.trim()).ok());
    Ok(UploadState {
        offset,
        evidence_id,
    })
}
