//! The one error type of the API. Its variants name their HTTP status; the body is always
//! `kiemtra_shared::error::ErrorBody`. Internal causes are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use kiemtra_shared::error::{ErrorBody, FieldError, codes};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request is malformed (bad JSON syntax, missing header).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 401: no valid credentials or token.
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: String },
    /// 403: signed in, but this role may not do this.
    #[error("not allowed")]
    Forbidden,
    /// 403 with its own code and message: the role may do this in general, but not here.
    #[error("{message}")]
    ForbiddenBecause { code: &'static str, message: String },
    /// 404: absent, or not visible to this user (so another tenant's records do not leak).
    #[error("not found")]
    NotFound,
    /// 410: a one-time link that was used or has expired; the code says which.
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    /// 409: conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// 409: a record with this client-generated id exists with other content; `details` names
    /// each field that differs.
    #[error("{message}")]
    ConflictFields {
        message: String,
        details: Vec<FieldError>,
    },
    /// 409: a status change the inspection's status machine does not allow; `allowed` names
    /// the statuses it may move to.
    #[error("{message}")]
    InvalidTransition {
        message: String,
        allowed: Vec<String>,
    },
    /// A refusal of a protocol some routes speak (tus), with its own status, code and headers.
    /// Made from that protocol's error type (`services::evidence::tus_error::TusError`).
    #[error("{message}")]
    Protocol {
        status: StatusCode,
        code: &'static str,
        message: String,
        headers: Vec<(&'static str, String)>,
    },
    /// 413: the body is larger than the configured limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: the content type is not accepted.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: well-formed but invalid input, with the failing fields.
    #[error("{message}")]
    Validation {
        code: &'static str,
        message: String,
        details: Vec<FieldError>,
    },
    /// 429: too many attempts; try again after the given number of seconds.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: i64,
    },
    /// 503: a backing service (database, object storage) is unreachable.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// 500: a bug or an unexpected failure. The cause is logged only.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// 400 for a malformed request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest {
            code: codes::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>, details: Vec<FieldError>) -> Self {
        AppError::Validation {
            code: codes::VALIDATION,
            message: message.into(),
            details,
        }
    }

    /// 409 for a client id reused with other content: `differences` are (field, stored value,
    /// sent value) of each field that differs.
    pub fn id_reused(
        what: &str,
        id: uuid::Uuid,
        differences: Vec<(String, String, String)>,
    ) -> Self {
        let details: Vec<FieldError> = differences
            .into_iter()
            .map(|(field, stored, sent)| {
                AppError::field(&field, "differs", &format!("stored {stored}, sent {sent}"))
            })
            .collect();
        let fields: Vec<&str> = details.iter().map(|d| d.field.as_str()).collect();
        AppError::ConflictFields {
            message: format!(
                "{what} {id} exists already with another {}.",
                fields.join(", ")
            ),
            details,
        }
    }

    pub fn field(field: &str, code: &str, message: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// The JSON body this error answers with; internal causes are logged here, never sent.
    pub fn body(&self) -> ErrorBody {
        match self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => {
                tracing::error!(error = ?cause, code = self.code(), "request failed");
            }
            _ => {}
        }
        let details = match self {
            AppError::Validation { details, .. } | AppError::ConflictFields { details, .. } => {
                details.clone()
            }
            AppError::InvalidTransition { allowed, .. } => allowed
                .iter()
                .map(|status| AppError::field("to", "allowed", status))
                .collect(),
            _ => Vec::new(),
        };
        ErrorBody {
            code: self.code().to_owned(),
            message: self.message(),
            details,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. }
            | AppError::Unauthenticated { code, .. }
            | AppError::Validation { code, .. }
            | AppError::ForbiddenBecause { code, .. }
            | AppError::Gone { code, .. } => code,
            AppError::Forbidden => codes::FORBIDDEN,
            AppError::NotFound => codes::NOT_FOUND,
            AppError::Conflict(_) | AppError::ConflictFields { .. } => codes::CONFLICT,
            AppError::InvalidTransition { .. } => codes::INVALID_TRANSITION,
            AppError::PayloadTooLarge(_) => codes::PAYLOAD_TOO_LARGE,
            AppError::Protocol { code, .. } => code,
            AppError::UnsupportedMediaType(_) => codes::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => codes::RATE_LIMITED,
            AppError::Unavailable(_) => codes::UNAVAILABLE,
            AppError::Internal(_) => codes::INTERNAL,
        }
    }

    fn message(&self) -> String {
        match self {
            AppError::Forbidden => "Your role may not do this.".to_owned(),
            AppError::NotFound => "No such record.".to_owned(),
            AppError::Unavailable(_) => "A backing service is unavailable; try again.".to_owned(),
            AppError::Internal(_) => "Something went wrong on the server.".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if let Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::info!(%detail, "unique constraint refused a write");
            return AppError::Conflict(
                "A record with the same identifying value exists already.".to_owned(),
            );
        }
        match err {
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_) => {
                AppError::Unavailable(err.into())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenBecause { .. } => StatusCode::FORBIDDEN,
            AppError::Gone { .. } => StatusCode::GONE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_)
            | AppError::ConflictFields { .. }
            | AppError::InvalidTransition { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Protocol { status, .. } => *status,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::TooManyRequests {
            retry_after_secs, ..
        } = self
        {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        if let AppError::Protocol { headers, .. } = self {
            for (name, value) in headers {
                response.insert_header((*name, value.as_str()));
            }
        }
        response.json(self.body())
    }
}

/// The (field, stored, sent) triples whose values differ: what a retried write under a client id
/// that is already taken changed, for [`AppError::id_reused`].
pub fn differing(fields: Vec<(&str, String, String)>) -> Vec<(String, String, String)> {
    fields
        .into_iter()
        .filter(|(_, stored, sent)| stored != sent)
        .map(|(field, stored, sent)| (field.to_owned(), stored, sent))
        .collect()
}
