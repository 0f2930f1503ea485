//! Serving the PWA: SPA fallback, MIME types, cache policy, compression.

use crate::both_backends;
use crate::helpers::{Backend, spawn_app};

both_backends!(
    client_routes_fall_back_to_index_html_revalidated,
    hashed_assets_are_immutable_with_the_right_mime,
    missing_assets_and_api_paths_are_404_not_index_html,
    responses_are_compressed_with_gzip_or_brotli,
);

async fn client_routes_fall_back_to_index_html_revalidated(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .client
        .get(app.url("/inspections/123"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<title>kiemtra</title>")
    );
    let sw = app.client.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(sw.headers()["cache-control"], "no-cache");
}

async fn hashed_assets_are_immutable_with_the_right_mime(backend: Backend) {
    let app = spawn_app(backend).await;

    let wasm = app
        .client
        .get(app.url("/kiemtra-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .unwrap();
    let js = app
        .client
        .get(app.url("/kiemtra-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();

    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
}

async fn missing_assets_and_api_paths_are_404_not_index_html(backend: Backend) {
    let app = spawn_app(backend).await;

    let asset = app
        .client
        .get(app.url("/kiemtra-ffffffffffffffff.js"))
        .send()
        .await
        .unwrap();
    let api = app
        .client
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    let traversal = app
        .client
        .get(app.url("/..%2f..%2fetc/passwd"))
        .send()
        .await
        .unwrap();

    assert_eq!(asset.status(), 404);
    assert_eq!(api.status(), 404);
    assert_eq!(crate::helpers::error_body(api).await.code, "not_found");
    assert!(
        !traversal.text().await.unwrap().contains("root:"),
        "no file outside dist/"
    );
}

async fn responses_are_compressed_with_gzip_or_brotli(backend: Backend) {
    let app = spawn_app(backend).await;
    for encoding in ["gzip", "br"] {
        let response = app
            .client
            .get(app.url("/"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
}
