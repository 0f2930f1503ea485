//! `PUT /api/v1/evidence/{id}` (upload with a client-generated id) and
//! `GET /api/v1/evidence/{id}/content`.

use actix_web::http::header::{self, ContentEncoding};
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use futures_util::StreamExt;
use kiemtra_shared::error::codes;
use kiemtra_shared::evidence::{EvidenceKind, EvidenceUploadParams};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::services::evidence::{self, ReceivedFile, Stored};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(upload).service(content);
}

#[put("/evidence/{id}")]
async fn upload(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    params: web::Query<EvidenceUploadParams>,
    req: HttpRequest,
    mut body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let limit = match params.kind {
        EvidenceKind::Photo => state.settings.limits.max_photo_bytes,
        EvidenceKind::Document => state.settings.limits.max_document_bytes,
    };
    let too_large = || {
        AppError::PayloadTooLarge(format!(
            "A {} may be at most {} MB.",
            params.kind.as_str(),
            limit / (1024 * 1024)
        ))
    };
    let declared_length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared_length.is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let claimed_digest = match req.headers().get("content-digest") {
        Some(value) => {
            evidence::parse_content_digest(value.to_str().map_err(|_| AppError::BadRequest {
                code: codes::BAD_REQUEST,
                message: "Content-Digest is not ASCII.".to_owned(),
            })?)?
        }
        None => None,
    };

    let mut received = bytes::BytesMut::with_capacity(declared_length.unwrap_or(0).min(limit));
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: codes::BAD_REQUEST,
            message: format!("The upload was interrupted: {e}"),
        })?;
        if received.len() + chunk.len() > limit {
            return Err(too_large());
        }
        received.extend_from_slice(&chunk);
    }
    if received.is_empty() {
        return Err(AppError::validation(
            "The upload is empty.",
            vec![AppError::field(
                "body",
                "empty",
                "Send the file's bytes as the request body.",
            )],
        ));
    }
    let file = ReceivedFile::new(received.freeze());
    let stored = evidence::store(
        &state.db,
        &state.storage,
        &user,
        id.into_inner(),
        params,
        file,
        claimed_digest,
    )
    .await?;
    Ok(match stored {
        Stored::Created(meta) => HttpResponse::Created().json(meta),
        Stored::AlreadyThere(meta) => HttpResponse::Ok().json(meta),
    })
}

/// The original bytes, never rendered inline as active content.
#[get("/evidence/{id}/content")]
async fn content(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let (meta, object) = evidence::fetch(&state.db, &state.storage, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type(meta.content_type.as_str())
        .insert_header(ContentEncoding::Identity)
        .insert_header((header::ETAG, format!("\"{}\"", meta.sha256)))
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(object.bytes))
}
