//! The orphan sweeper removes objects no row refers to, after a grace period, and keeps every
//! object a row refers to.

use kiemtra_server::services::evidence::keys;
use kiemtra_shared::evidence::DerivativeState;
use uuid::Uuid;

use super::settled;
use crate::both_backends;
use crate::helpers::{Backend, INSPECTOR, REVIEWER, jpeg_of_size, spawn_app};

both_backends!(the_sweeper_removes_orphans_and_keeps_every_referenced_object);

async fn the_sweeper_removes_orphans_and_keeps_every_referenced_object(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let reviewer = app.token(REVIEWER).await;
    let id = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&inspector, id, &jpeg_of_size(1200, 900, 5))
            .await
            .status(),
        201
    );
    assert_eq!(
        settled(&app, &reviewer, id).await.derivatives,
        DerivativeState::Done
    );
    // An object no row refers to, as a crash between storing and committing leaves.
    let orphan = format!(
        "{}left-behind",
        keys::attempts_of(app.demo.inspection_id, Uuid::new_v4())
    );
    app.storage
        .put(&orphan, b"orphan", "application/octet-stream")
        .await
        .unwrap();

    let young = kiemtra_server::services::evidence::sweeper::sweep(
        &app.db,
        &app.storage,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    let swept = kiemtra_server::services::evidence::sweeper::sweep(
        &app.db,
        &app.storage,
        chrono::Duration::zero(),
    )
    .await
    .unwrap();

    assert!(
        young.removed.is_empty(),
        "within the grace period nothing is removed"
    );
    assert_eq!(swept.removed, vec![orphan.clone()]);
    assert_eq!(
        swept.examined, 4,
        "original, thumbnail, preview and the orphan"
    );
    assert!(app.storage.get(&orphan).await.unwrap().is_none());
    for rendition in ["content", "thumbnail", "preview"] {
        let response = app
            .get(&format!("/api/v1/evidence/{id}/{rendition}"), &reviewer)
            .await;
        assert_eq!(response.status(), 200, "{rendition} kept");
    }
}
