//! Evidence files: upload (`PUT`, idempotent on the client-made id) and download.

use base64::Engine as _;
use gloo::net::http::Request;
use kiemtra_shared::evidence::{EvidenceMeta, EvidenceUploadParams};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{ApiError, authorised, request, send, url};

/// Uploads one file as the evidence `id`. The server checks the bytes against `sha256`
/// (RFC 9530 `Content-Digest`) and answers with what it stored; uploading the same id and bytes
/// again is harmless.
pub async fn upload(
    token: &str,
    id: Uuid,
    params: &EvidenceUploadParams,
    file: &web_sys::Blob,
    sha256: &[u8; 32],
) -> Result<EvidenceMeta, ApiError> {
    let content_type = match file.type_() {
        t if t.is_empty() => "application/octet-stream".to_owned(),
        t => t,
    };
    let digest = format!(
        "sha-256=:{}:",
        base64::engine::general_purpose::STANDARD.encode(sha256)
    );
    let query = query_pairs(params)?;
    let builder = authorised(Request::put(&url(&format!("/evidence/{id}"))), token)
        .query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .header("Content-Type", &content_type)
        .header("Content-Digest", &digest);
    request(builder.body(file.clone())).await
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

/// The original file of a piece of evidence. It needs the bearer token, so an `<img src>`
/// cannot load it directly: show it through an object URL of this blob.
pub async fn content(token: &str, id: Uuid) -> Result<web_sys::Blob, ApiError> {
    let path = url(&format!("/evidence/{id}/content"));
    let response: web_sys::Response = send(authorised(Request::get(&path), token).build())
        .await?
        .into();
    let promise = response.blob().map_err(|_| ApiError::Browser)?;
    let blob = JsFuture::from(promise)
        .await
        .map_err(|_| ApiError::Network)?;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| ApiError::UnexpectedBody)
}
