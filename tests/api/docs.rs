//! The OpenAPI document and the docs page.

use crate::both_backends;
use crate::helpers::{Backend, spawn_app};

both_backends!(
    openapi_document_lists_every_endpoint_with_bearer_security,
    docs_page_is_served
);

async fn openapi_document_lists_every_endpoint_with_bearer_security(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "kiemtra API");
    assert_eq!(doc["info"]["license"]["name"], "AGPL-3.0-or-later");
    assert!(
        doc["info"]["contact"].is_null(),
        "no borrowed contact: {}",
        doc["info"]
    );
    for (path, method) in [
        ("/api/health", "get"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/inspections/{id}", "get"),
        ("/api/v1/evidence/{id}", "put"),
        ("/api/v1/users/{id}", "patch"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(
        doc["paths"]["/api/v1/me"]["get"]["security"][0]["bearer"],
        serde_json::json!([])
    );
}

async fn docs_page_is_served(backend: Backend) {
    let app = spawn_app(backend).await;

    let page = app.client.get(app.url("/api/docs")).send().await.unwrap();
    let init = app
        .client
        .get(app.url("/api/docs/init.js"))
        .send()
        .await
        .unwrap();

    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    assert!(init.text().await.unwrap().contains("/api/openapi.json"));
}
