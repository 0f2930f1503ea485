//! Evidence files: upload (`PUT`, idempotent on the client-made id) and the downloads of an
//! original, its thumbnail and its preview.

use std::rc::Rc;

use kiemtra_shared::digest::Sha256;
use kiemtra_shared::evidence::{EvidenceMeta, EvidenceUploadParams};
use uuid::Uuid;

use super::{ApiError, Lasting, get, get_blob, transfer, url};
use crate::auth::AuthHandle;

/// Uploads one file as the evidence `id` in one request. The server checks the bytes against
/// `sha256` (RFC 9530 `Content-Digest`) and answers with what it stored; uploading the same id
/// and bytes again is harmless. `on_progress` gets the bytes sent so far.
pub async fn upload(
    auth: &AuthHandle,
    id: Uuid,
    params: &EvidenceUploadParams,
    file: &web_sys::Blob,
    sha256: &Sha256,
    on_progress: Option<Rc<dyn Fn(f64)>>,
) -> Result<EvidenceMeta, ApiError> {
    let content_type = match file.type_() {
        t if t.is_empty() => "application/octet-stream".to_owned(),
        t => t,
    };
    let query = web_sys::UrlSearchParams::new().map_err(|_| ApiError::Browser)?;
    for (key, value) in query_pairs(params)? {
        query.append(&key, &value);
    }
    let path = format!(
        "{}?{}",
        url(&format!("/evidence/{id}")),
        String::from(query.to_string())
    );
    let headers = [
        ("Content-Type", content_type),
        ("Content-Digest", sha256.content_digest()),
    ];
    transfer(
        auth,
        Lasting::Upload,
        "PUT",
        &path,
        &headers,
        Some(file),
        on_progress,
    )
    .await?
    .json()
}

/// The query string of an upload, as `serde_urlencoded` would write it: absent optional
/// fields are left out.
fn query_pairs(params: &EvidenceUploadParams) -> Result<Vec<(String, String)>, ApiError> {
    let serde_json::Value::Object(fields) =
        serde_json::to_value(params).map_err(|_| ApiError::Browser)?
    else {
        return Err(ApiError::Browser);
    };
    Ok(fields
        .into_iter()
        .filter_map(|(key, value)| match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some((key, text)),
            other => Some((key, other.to_string())),
        })
        .collect())
}

/// What the server stored for a piece of evidence.
pub async fn meta(auth: &AuthHandle, id: Uuid) -> Result<EvidenceMeta, ApiError> {
    get(auth, &format!("/evidence/{id}")).await
}

/// Which file of a piece of evidence to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    /// The bytes as uploaded: only on an explicit "download original".
    Original,
    /// 320 px JPEG, for lists and forms.
    Thumbnail,
    /// 1600 px JPEG, when a photo is opened.
    Preview,
}

impl Rendition {
    fn path(self) -> &'static str {
        match self {
            Rendition::Original => "content",
            Rendition::Thumbnail => "thumbnail",
            Rendition::Preview => "preview",
        }
    }
}

/// A file of a piece of evidence. It needs the bearer token, so an `<img src>` cannot load it
/// directly: show it through an object URL of this blob. A thumbnail or preview still being
/// made answers 409; a document has none (404).
pub async fn download(
    auth: &AuthHandle,
    id: Uuid,
    rendition: Rendition,
) -> Result<web_sys::Blob, ApiError> {
    get_blob(auth, &format!("/evidence/{id}/{}", rendition.path())).await
}
