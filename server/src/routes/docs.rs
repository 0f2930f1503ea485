//! The OpenAPI document (`GET /api/openapi.json`), generated from the annotated handlers, and a
//! browsable page (`GET /api/docs`) that renders it with Swagger UI from the PWA build.

use actix_web::{HttpResponse, get, web};
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(openapi_json)
        .service(docs_page)
        .service(docs_init);
}

/// The whole API document, built from the same route configuration the server runs.
pub fn document() -> OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .configure(|cfg| super::configure_api(cfg, 0))
        .split_for_parts();
    finish(api)
}

/// Completes the document the handlers produced: title, version, bearer-token security.
pub fn finish(mut api: OpenApi) -> OpenApi {
    api.info.title = "kiemtra API".to_owned();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    // The defaults describe utoipa's own crate (its author and licence), not this API.
    api.info.contact = None;
    api.info.license = Some(utoipa::openapi::License::new(env!("CARGO_PKG_LICENSE")));
    api.info.description = Some(
        "Field-inspection capture for labour inspectorates. Every error answers the JSON \
         `ErrorBody` with a stable `code`."
            .to_owned(),
    );
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            Http::builder()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .build(),
        ),
    );
    components
        .schemas
        .entry("ErrorBody".to_owned())
        .or_insert_with(|| {
            utoipa::openapi::RefOr::T(
                <kiemtra_shared::error::ErrorBody as utoipa::PartialSchema>::schema().into(),
            )
        });
    api
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(tag = "docs", responses((status = 200, description = "OpenAPI document", content_type = "application/json")))]
#[get("/openapi.json")]
async fn openapi_json(api: web::Data<OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(api.get_ref())
}

/// A page that renders the OpenAPI document (Swagger UI, shipped with the PWA build).
#[utoipa::path(tag = "docs", responses((status = 200, description = "HTML page", content_type = "text/html")))]
#[get("/docs")]
async fn docs_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(DOCS_PAGE)
}

/// Starts Swagger UI on the document (a file, not inline, so a strict CSP can forbid inline code).
#[utoipa::path(tag = "docs", responses((status = 200, description = "Script", content_type = "text/javascript")))]
#[get("/docs/init.js")]
async fn docs_init() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n")
}

const DOCS_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kiemtra API</title>
<link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api-docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
"#;
