//! `GET /api/health`.

use kiemtra_shared::health::{ComponentStatus, Health};

use crate::both_backends;
use crate::helpers::{Backend, spawn_app, spawn_app_with};

both_backends!(
    health_reports_database_and_storage_ok,
    health_names_unreachable_storage
);

async fn health_reports_database_and_storage_ok(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app.client.get(app.url("/api/health")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.database, ComponentStatus::Ok);
    assert_eq!(health.object_storage, ComponentStatus::Ok);
    assert_eq!(health.status, ComponentStatus::Ok);
}

async fn health_names_unreachable_storage(backend: Backend) {
    // A port that was free a moment ago: nothing answers there.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(backend, |s| {
        s.storage.endpoint = Some(format!("http://127.0.0.1:{closed_port}"));
        s.storage.access_key = Some("AK".into());
        s.storage.secret_key = Some("SECRETSECRET".to_owned().into());
    })
    .await;

    let response = app.client.get(app.url("/api/health")).send().await.unwrap();

    assert_eq!(response.status(), 503);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.database, ComponentStatus::Ok);
    assert_eq!(health.object_storage, ComponentStatus::Unavailable);
    assert_eq!(health.status, ComponentStatus::Unavailable);
}
