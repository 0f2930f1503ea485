//! Resumable uploads (tus 1.0) of large evidence files: create an upload, ask how much of it
//! the server has, send the next chunk, or end it. The outbox drives these; a broken connection
//! costs at most the chunk in flight.

use std::rc::Rc;

use base64::Engine as _;
use kiemtra_shared::evidence::EvidenceUploadParams;
use uuid::Uuid;

use super::{ApiError, transfer, url};

const TUS_VERSION: &str = "1.0.0";

/// What the server records of an upload besides its bytes.
pub struct UploadInfo<'a> {
    pub evidence_id: Uuid,
    pub params: &'a EvidenceUploadParams,
    /// Lower-case hex SHA-256 of the whole file.
    pub sha256_hex: String,
    pub filename: &'a str,
}

impl UploadInfo<'_> {
    /// `Upload-Metadata`: `key base64(value)` pairs, separated by commas.
    fn metadata(&self) -> String {
        let params = self.params;
        let mut pairs: Vec<(&str, String)> = vec![
            ("evidence_id", self.evidence_id.to_string()),
            ("inspection_id", params.inspection_id.to_string()),
            ("item_key", params.item_key.clone()),
            ("kind", params.kind.as_str().to_owned()),
            ("sha256", self.sha256_hex.clone()),
        ];
        if let Some(at) = params.captured_at {
            pairs.push((
                "captured_at",
                at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            ));
        }
        if let Some(latitude) = params.latitude {
            pairs.push(("latitude", latitude.to_string()));
        }
        if let Some(longitude) = params.longitude {
            pairs.push(("longitude", longitude.to_string()));
        }
        if !self.filename.is_empty() {
            pairs.push(("filename", self.filename.to_owned()));
        }
        let b64 = base64::engine::general_purpose::STANDARD;
        pairs
            .into_iter()
            .map(|(key, value)| format!("{key} {}", b64.encode(value)))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Where an upload stands on the server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UploadState {
    pub offset: u64,
    /// Set once the whole file is there and stored as this evidence.
    pub evidence_id: Option<Uuid>,
}

/// Creates an upload of `length` bytes; answers its URL.
pub async fn create(token: &str, length: u64, info: &UploadInfo<'_>) -> Result<String, ApiError> {
    let headers = [
        ("Tus-Resumable", TUS_VERSION.to_owned()),
        ("Upload-Length", length.to_string()),
        ("Upload-Metadata", info.metadata()),
    ];
    let answer = transfer("POST", &url("/uploads"), token, &headers, None, None).await?;
    answer.header("Location").ok_or(ApiError::UnexpectedBody)
}

/// How much of the upload the server has (404: unknown or expired).
pub async fn head(token: &str, location: &str) -> Result<UploadState, ApiError> {
    let headers = [("Tus-Resumable", TUS_VERSION.to_owned())];
    let answer = transfer("HEAD", location, token, &headers, None, None).await?;
    state_of(&answer)
}

/// Sends `chunk`, which starts at `offset` of the file, with its SHA-256. Answers where the
/// upload stands after it; `on_progress` gets the bytes of the chunk sent so far.
pub async fn patch(
    token: &str,
    location: &str,
    offset: u64,
    chunk: &web_sys::Blob,
    chunk_sha256: &[u8; 32],
    on_progress: Option<Rc<dyn Fn(f64)>>,
) -> Result<UploadState, ApiError> {
    let headers = [
        ("Tus-Resumable", TUS_VERSION.to_owned()),
        ("Content-Type", "application/offset+octet-stream".to_owned()),
        ("Upload-Offset", offset.to_string()),
        (
            "Upload-Checksum",
            format!(
                "sha256 {}",
                base64::engine::general_purpose::STANDARD.encode(chunk_sha256)
            ),
        ),
    ];
    let answer = transfer("PATCH", location, token, &headers, Some(chunk), on_progress).await?;
    state_of(&answer)
}

/// Ends an upload that will not be finished: the server drops what it has of it.
pub async fn terminate(token: &str, location: &str) -> Result<(), ApiError> {
    let headers = [("Tus-Resumable", TUS_VERSION.to_owned())];
    transfer("DELETE", location, token, &headers, None, None).await?;
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

#[cfg(test)]
mod tests {
    use kiemtra_shared::evidence::EvidenceKind;

    use super::*;

    fn decoded(metadata: &str) -> Vec<(String, String)> {
        let b64 = base64::engine::general_purpose::STANDARD;
        metadata
            .split(',')
            .map(|pair| {
                let (key, value) = pair.split_once(' ').expect("a key and a value");
                let value = String::from_utf8(b64.decode(value).expect("base64")).expect("utf-8");
                (key.to_owned(), value)
            })
            .collect()
    }

    #[test]
    fn metadata_carries_what_put_takes_in_base64_and_leaves_out_what_is_unknown() {
        let params = EvidenceUploadParams {
            inspection_id: Uuid::nil(),
            item_key: "osh.machine_guards".into(),
            kind: EvidenceKind::Photo,
            captured_at: None,
            latitude: Some(21.1389),
            longitude: Some(105.8122),
            file_name: None,
        };
        let info = UploadInfo {
            evidence_id: Uuid::from_u128(1),
            params: &params,
            sha256_hex: "ab".repeat(32),
            filename: "máy dập.jpg",
        };
        let pairs = decoded(&info.metadata());
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "evidence_id",
                "inspection_id",
                "item_key",
                "kind",
                "sha256",
                "latitude",
                "longitude",
                "filename"
            ]
        );
        assert_eq!(pairs[0].1, "00000000-0000-0000-0000-000000000001");
        assert_eq!(pairs[3].1, "photo");
        assert_eq!(pairs[5].1, "21.1389");
        assert_eq!(pairs[7].1, "máy dập.jpg");
    }
}
