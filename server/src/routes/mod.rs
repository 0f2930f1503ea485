//! HTTP routes, one module per area, each with `configure(cfg)`. Handlers are thin: extract,
//! authorize, call a service, answer. Every API handler carries `#[utoipa::path]`: routes are
//! registered through `utoipa_actix_web`, so an undocumented handler does not compile.

pub mod auth;
pub mod docs;
pub mod evidence;
pub mod health;
pub mod inspections;
pub mod pwa;
pub mod users;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, HttpResponse, web};
use kiemtra_shared::error::codes;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::AppError;

/// All API routes (`/api/...`); unknown API paths answer a JSON 404.
pub fn configure_api(cfg: &mut ServiceConfig<'_>, max_json_bytes: usize) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(max_json_bytes)
            .error_handler(json_error),
    )
    .app_data(web::QueryConfig::default().error_handler(query_error))
    .app_data(web::PathConfig::default().error_handler(path_error))
    .service(
        scope::scope("/api/v1")
            .configure(auth::configure)
            .configure(inspections::configure)
            .configure(evidence::configure)
            .configure(users::configure)
            .default_service(web::to(api_not_found)),
    )
    .service(
        scope::scope("/api")
            .configure(health::configure)
            .configure(docs::configure)
            .default_service(web::to(api_not_found)),
    );
}

async fn api_not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Malformed JSON is a 400; well-formed JSON of the wrong shape (unknown or missing fields,
/// wrong types) is a 422 naming the problem.
fn json_error(err: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    match err {
        JsonPayloadError::ContentType => AppError::UnsupportedMediaType(
            "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
        ),
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            AppError::PayloadTooLarge(format!("The JSON body is larger than {limit} bytes."))
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => AppError::validation(
            "The request body does not have the expected fields.",
            vec![AppError::field("body", "invalid_shape", &e.to_string())],
        ),
        JsonPayloadError::Deserialize(e) => AppError::BadRequest {
            code: codes::INVALID_JSON,
            message: format!("The request body is not valid JSON: {e}"),
        },
        _ => AppError::BadRequest {
            code: codes::INVALID_JSON,
            message: "The request body could not be read.".to_owned(),
        },
    }
    .into()
}

fn query_error(err: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    AppError::validation(
        "The query parameters are not valid.",
        vec![AppError::field("query", "invalid_query", &err.to_string())],
    )
    .into()
}

/// A path parameter that does not parse (e.g. not a UUID) names no record: 404.
fn path_error(_: PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::NotFound.into()
}
