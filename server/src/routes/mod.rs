//! HTTP routes, one module per area, each with `configure(cfg)`. Handlers are thin: extract,
//! authorize, call a service, answer. Every API handler carries `#[utoipa::path]`: routes are
//! registered through `utoipa_actix_web`, so an undocumented handler does not compile.

pub mod auth;
pub mod conclusion;
pub mod corrective_actions;
pub mod dashboard;
pub mod docs;
pub mod enterprises;
pub mod evidence;
pub mod findings;
pub mod health;
pub mod inspections;
pub mod pwa;
pub mod responses;
pub mod reviews;
pub mod sync;
pub mod templates;
pub mod tus;
pub mod users;

use actix_web::error::{PathError, QueryPayloadError};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::AppError;

/// All API routes (`/api/...`); unknown API paths answer a JSON 404.
pub fn configure_api(cfg: &mut ServiceConfig<'_>, max_json_bytes: usize) {
    cfg.app_data(web::PayloadConfig::new(max_json_bytes))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .service(
            scope::scope("/api/v1")
                .configure(auth::configure)
                .configure(dashboard::configure)
                .configure(inspections::configure)
                .configure(evidence::configure)
                .configure(tus::configure)
                .configure(users::configure)
                .configure(enterprises::configure)
                .configure(templates::configure)
                .configure(responses::configure)
                .configure(reviews::configure)
                .configure(findings::configure)
                .configure(corrective_actions::configure)
                .configure(conclusion::configure)
                .configure(sync::configure)
                .default_service(web::to(api_not_found)),
        )
        .service(
            scope::scope("/api")
                .configure(health::configure)
                .configure(docs::configure)
                .default_service(web::to(api_not_found)),
        );
}

/// A list page checked against the maximum page size (the default is the maximum).
pub fn paging(
    query: &kiemtra_shared::paging::PageQuery,
) -> Result<kiemtra_shared::paging::Paging, AppError> {
    kiemtra_shared::paging::Paging::new(
        query.page,
        query.per_page,
        kiemtra_shared::paging::MAX_PAGE_SIZE,
    )
    .map_err(|errors| AppError::validation("The paging parameters are not valid.", errors))
}

/// A JSON array with its total count in `X-Total-Count`.
pub fn page_of<T: serde::Serialize>(items: Vec<T>, total: u64) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .json(items)
}

async fn api_not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
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
