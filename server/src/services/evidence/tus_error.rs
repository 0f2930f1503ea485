//! The refusals only the tus protocol has, each with its status and headers. They map into
//! [`AppError`], which answers them with the usual JSON body.

use actix_web::http::StatusCode;
use kiemtra_shared::error::codes;

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum TusError {
    /// 409: a PATCH sent from another offset than the upload's; the answer carries the
    /// upload's offset in `Upload-Offset`.
    #[error("The upload stands at byte {expected}; continue from there.")]
    OffsetMismatch { expected: u64 },
    /// 412: the client speaks another protocol version than `supported`, which the answer
    /// names in `Tus-Version`.
    #[error("Send `Tus-Resumable: {supported}`: this server speaks tus {supported}.")]
    UnsupportedVersion { supported: &'static str },
    /// 423: another request is writing this upload.
    #[error("Another request is writing this upload; ask for its offset (HEAD) and try again.")]
    Locked,
    /// 460 (checksum extension): the body does not match its `Upload-Checksum`; nothing of it
    /// was kept.
    #[error(
        "The chunk does not match its Upload-Checksum: it was damaged in transit; send it again."
    )]
    ChecksumMismatch,
}

impl From<TusError> for AppError {
    fn from(error: TusError) -> AppError {
        let (status, code, headers) = match &error {
            TusError::OffsetMismatch { expected } => (
                StatusCode::CONFLICT,
                codes::UPLOAD_OFFSET_MISMATCH,
                vec![("Upload-Offset", expected.to_string())],
            ),
            TusError::UnsupportedVersion { supported } => (
                StatusCode::PRECONDITION_FAILED,
                codes::TUS_VERSION,
                vec![("Tus-Version", (*supported).to_owned())],
            ),
            TusError::Locked => (StatusCode::LOCKED, codes::UPLOAD_LOCKED, Vec::new()),
            // Not an IANA status: the tus checksum extension's own.
            TusError::ChecksumMismatch => (
                StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                codes::CHECKSUM_MISMATCH,
                Vec::new(),
            ),
        };
        AppError::Protocol {
            status,
            code,
            message: error.to_string(),
            headers,
        }
    }
}
