//! Resumable uploads, tus 1.0 (<https://tus.io/protocols/resumable-upload>): core, creation,
//! checksum, termination and expiration, at `/api/v1/uploads`. A standard tus client
//! (`tus-js-client`) uploads evidence here; the metadata is what `PUT /evidence/{id}` takes in its
//! query string, plus `evidence_id` and the file's `sha256` (lower-case hex).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HttpDate};
use actix_web::{
    HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError, delete, head, options, patch,
    post, web,
};
use base64::Engine;
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::tus::{self, MetadataError, UploadMetadata};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::services::evidence::resumable::{Checksum, Chunk, Creation, Progress, Resumable};
use crate::services::evidence::tus_error::TusError;
use crate::state::AppState;

const TUS_VERSION: &str = tus::VERSION;
const EXTENSIONS: &str = "creation,checksum,termination,expiration";
/// The server's own header: the evidence an upload became.
const EVIDENCE_HEADER: &str = "Kiemtra-Evidence-Id";

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(tus_options)
        .service(create_upload)
        .service(upload_offset)
        .service(append_upload)
        .service(terminate_upload);
}

/// The checksum algorithms offered (`Tus-Checksum-Algorithm`).
const CHECKSUM_ALGORITHMS: &str = "sha1,sha256";

/// An error answered with the `Tus-Resumable` header every tus response carries.
#[derive(Debug)]
struct TusRefusal(AppError);

impl std::fmt::Display for TusRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<AppError> for TusRefusal {
    fn from(error: AppError) -> Self {
        TusRefusal(error)
    }
}

impl From<TusError> for TusRefusal {
    fn from(error: TusError) -> Self {
        TusRefusal(error.into())
    }
}

impl ResponseError for TusRefusal {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = self.0.error_response();
        response.headers_mut().insert(
            header::HeaderName::from_static("tus-resumable"),
            header::HeaderValue::from_static(TUS_VERSION),
        );
        response
    }
}

type TusResult = Result<HttpResponse, TusRefusal>;

/// Every request but OPTIONS must name the protocol version (412 otherwise).
fn require_tus(headers: &HeaderMap) -> Result<(), TusError> {
    match headers.get("tus-resumable").and_then(|v| v.to_str().ok()) {
        Some(TUS_VERSION) => Ok(()),
        _ => Err(TusError::UnsupportedVersion {
            supported: TUS_VERSION,
        }),
    }
}

fn number(headers: &HeaderMap, name: &str) -> Result<Option<u64>, AppError> {
    headers
        .get(name)
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    AppError::bad_request(format!("{name} must be a whole number of bytes."))
                })
        })
        .transpose()
}

fn required_number(headers: &HeaderMap, name: &str) -> Result<u64, AppError> {
    number(headers, name)?
        .ok_or_else(|| AppError::bad_request(format!("The {name} header is required.")))
}

fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    HttpDate::from(std::time::SystemTime::from(at)).to_string()
}

/// Parses `Upload-Checksum: <algorithm> <base64>`. An unknown algorithm or a malformed value is
/// a 400.
fn checksum(header: &str) -> Result<Checksum, AppError> {
    let (algorithm, value) = header.trim().split_once(' ').ok_or_else(|| {
        AppError::bad_request("Upload-Checksum must be `<algorithm> <base64 digest>`.")
    })?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|_| AppError::bad_request("The Upload-Checksum digest is not base64."))?;
    let wrong_length = || AppError::bad_request("The Upload-Checksum digest has the wrong length.");
    match algorithm {
        "sha1" => Ok(Checksum::Sha1(raw.try_into().map_err(|_| wrong_length())?)),
        "sha256" => Ok(Checksum::Sha256(
            raw.try_into().map_err(|_| wrong_length())?,
        )),
        _ => Err(AppError::bad_request(
            "Unsupported Upload-Checksum algorithm; this server offers sha1 and sha256.",
        )),
    }
}

fn with_progress(mut response: HttpResponseBuilder, progress: &Progress) -> HttpResponse {
    response
        .insert_header(("Tus-Resumable", TUS_VERSION))
        .insert_header(("Upload-Offset", progress.offset.to_string()))
        .insert_header(("Upload-Length", progress.length.to_string()))
        .insert_header(header::CacheControl(vec![header::CacheDirective::NoStore]));
    if let Some(evidence) = progress.evidence_id {
        response.insert_header((EVIDENCE_HEADER, evidence.to_string()));
    } else {
        response.insert_header(("Upload-Expires", http_date(progress.expires_at)));
    }
    response.finish()
}

/// tus discovery: the version, extensions, largest size and checksum algorithms.
#[utoipa::path(
    tag = "uploads",
    responses((status = 204, description = "tus capabilities in the `Tus-*` headers")),
)]
#[options("/uploads")]
async fn tus_options(state: web::Data<AppState>) -> HttpResponse {
    let limits = &state.settings.limits;
    HttpResponse::NoContent()
        .insert_header(("Tus-Resumable", TUS_VERSION))
        .insert_header(("Tus-Version", TUS_VERSION))
        .insert_header(("Tus-Extension", EXTENSIONS))
        .insert_header((
            "Tus-Max-Size",
            limits
                .max_photo_bytes
                .max(limits.max_document_bytes)
                .to_string(),
        ))
        .insert_header(("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS))
        .finish()
}

/// tus creation: starts a resumable upload of one piece of evidence. Authorization, the item
/// and the size limit are checked here, before a byte is sent.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    params(
        ("Tus-Resumable" = String, Header, description = "`1.0.0`"),
        ("Upload-Length" = u64, Header, description = "The file's size in bytes"),
        ("Upload-Metadata" = String, Header, description = "tus metadata: `evidence_id`, `inspection_id`, `item_key`, `kind` (photo|document), optional `captured_at` (RFC 3339), `latitude`, `longitude`, `sha256` (hex of the whole file), `filename`; each value base64"),
    ),
    responses(
        (status = 201, description = "Created; `Location` is the upload's URL"),
        (status = 400, description = "A missing or malformed header", body = ErrorBody),
        (status = 403, description = "Not on the team, or not this party's form", body = ErrorBody),
        (status = 404, description = "Inspection absent or not visible", body = ErrorBody),
        (status = 409, description = "This evidence id holds other bytes", body = ErrorBody),
        (status = 412, description = "Another tus version", body = ErrorBody),
        (status = 413, description = "Larger than the limit for its kind", body = ErrorBody),
        (status = 422, description = "Invalid metadata", body = ErrorBody),
    )
)]
#[post("/uploads")]
async fn create_upload(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> TusResult {
    let headers = req.headers();
    require_tus(headers)?;
    if headers.contains_key("upload-defer-length") {
        return Err(AppError::bad_request(
            "Deferred lengths are not supported: send Upload-Length.",
        )
        .into());
    }
    let length = required_number(headers, "Upload-Length")?;
    let metadata = headers
        .get("upload-metadata")
        .map(|value| {
            value
                .to_str()
                .map_err(|_| MetadataError::new(tus::METADATA_HEADER, "is not ASCII"))
        })
        .transpose()
        .and_then(|value| UploadMetadata::decode(value.unwrap_or_default()))
        .map_err(metadata_refusal)?;
    let creation = Creation {
        evidence_id: metadata.evidence_id,
        params: metadata.params,
        claimed_sha256: metadata.sha256,
        length,
    };
    let (id, progress) = Resumable::of(&state).create(&user, creation).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/uploads/{id}")));
    Ok(with_progress(response, &progress))
}

/// tus HEAD: where the upload stands (`Upload-Offset`). Right after a cut it waits for the cut
/// request to finish saving, so the offset is the one it reached.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Upload id"),
        ("Tus-Resumable" = String, Header, description = "`1.0.0`"),
    ),
    responses(
        (status = 200, description = "`Upload-Offset` and `Upload-Length`; `Kiemtra-Evidence-Id` once complete"),
        (status = 404, description = "Unknown, someone else's, or expired"),
        (status = 412, description = "Another tus version"),
    )
)]
#[head("/uploads/{id}")]
async fn upload_offset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> TusResult {
    require_tus(req.headers())?;
    let progress = Resumable::of(&state)
        .progress(&user, id.into_inner())
        .await?;
    Ok(with_progress(HttpResponse::Ok(), &progress))
}

/// tus PATCH: appends the body at `Upload-Offset`. With `Upload-Checksum` the chunk is kept
/// only whole and matching; without, what arrives before a cut is kept. The request that brings
/// the last byte commits the evidence and names it in `Kiemtra-Evidence-Id`.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Upload id"),
        ("Tus-Resumable" = String, Header, description = "`1.0.0`"),
        ("Upload-Offset" = u64, Header, description = "Where this chunk starts"),
        ("Upload-Checksum" = Option<String>, Header, description = "`sha1 <base64>` or `sha256 <base64>` of this chunk"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream", description = "The next bytes of the file"),
    responses(
        (status = 204, description = "Appended; the new `Upload-Offset`"),
        (status = 400, description = "A missing or malformed header", body = ErrorBody),
        (status = 401, description = "The token expired before the chunk ended: nothing of it was kept", body = ErrorBody),
        (status = 404, description = "Unknown, someone else's, or expired", body = ErrorBody),
        (status = 409, description = "Not the upload's offset (`Upload-Offset` says where it stands)", body = ErrorBody),
        (status = 412, description = "Another tus version", body = ErrorBody),
        (status = 413, description = "Past the upload's length", body = ErrorBody),
        (status = 415, description = "Not `application/offset+octet-stream`, or the file is not an accepted type", body = ErrorBody),
        (status = 422, description = "The file's digest or image header is refused; the upload is dropped", body = ErrorBody),
        (status = 423, description = "Another request is writing this upload", body = ErrorBody),
        (status = 460, description = "The chunk does not match its Upload-Checksum; nothing of it was kept", body = ErrorBody),
    )
)]
#[patch("/uploads/{id}")]
async fn append_upload(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: web::Payload,
) -> TusResult {
    let headers = req.headers();
    require_tus(headers)?;
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() != "application/offset+octet-stream")
    {
        return Err(AppError::UnsupportedMediaType(
            "A tus PATCH is sent as `application/offset+octet-stream`.".to_owned(),
        )
        .into());
    }
    let chunk = Chunk {
        offset: required_number(headers, "Upload-Offset")?,
        content_length: number(headers, "Content-Length")?,
        checksum: headers
            .get("upload-checksum")
            .map(|v| {
                v.to_str()
                    .map_err(|_| AppError::bad_request("Upload-Checksum is not ASCII."))
                    .and_then(checksum)
            })
            .transpose()?,
        body,
    };
    let id = id.into_inner();
    // The work runs as its own task, so it finishes (and saves what arrived) even when the
    // client goes away and this handler is dropped.
    let task = actix_web::rt::spawn(async move {
        // Thumbnails wait while uploads arrive.
        let _in_flight = state.derivatives.upload_started();
        Resumable::of(&state).append(&user, id, chunk).await
    });
    let progress = task
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("upload task failed: {e}")))??;
    Ok(with_progress(HttpResponse::NoContent(), &progress))
}

/// tus termination: drops an unfinished upload and the bytes it had stored. On a finished one
/// only the upload record goes; the evidence stays.
#[utoipa::path(
    tag = "uploads",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Upload id"),
        ("Tus-Resumable" = String, Header, description = "`1.0.0`"),
    ),
    responses(
        (status = 204, description = "Terminated"),
        (status = 404, description = "Unknown, someone else's, or expired", body = ErrorBody),
        (status = 423, description = "Another request is writing this upload", body = ErrorBody),
    )
)]
#[delete("/uploads/{id}")]
async fn terminate_upload(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> TusResult {
    require_tus(req.headers())?;
    Resumable::of(&state)
        .terminate(&user, id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent()
        .insert_header(("Tus-Resumable", TUS_VERSION))
        .finish())
}

/// 422 for metadata that does not read, naming the key as `Upload-Metadata.<key>`.
fn metadata_refusal(error: MetadataError) -> AppError {
    AppError::validation(
        error.to_string(),
        vec![AppError::field(&error.field(), "invalid", &error.detail())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metadata_refusal_names_its_key() {
        let body = metadata_refusal(UploadMetadata::decode("kind ***").unwrap_err()).body();
        assert_eq!(body.code, kiemtra_shared::error::codes::VALIDATION);
        assert_eq!(body.message, "Upload-Metadata `kind` is not base64.");
        assert_eq!(body.details[0].field, "Upload-Metadata.kind");
        assert_eq!(body.details[0].message, "`kind` is not base64.");
    }

    #[test]
    fn checksums_name_their_algorithm() {
        use sha1::Digest;
        let digest = base64::engine::general_purpose::STANDARD.encode(sha1::Sha1::digest(b"abc"));
        assert!(matches!(
            checksum(&format!("sha1 {digest}")),
            Ok(Checksum::Sha1(_))
        ));
        assert!(checksum(&format!("md5 {digest}")).is_err());
        assert!(checksum("sha256 AAAA").is_err());
    }

    #[test]
    fn upload_expiry_is_an_http_date() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-03T07:04:05.9Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(http_date(at), "Thu, 03 Dec 2026 07:04:05 GMT");
    }
}
