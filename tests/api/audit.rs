//! The audit log's hash chain and its verification.

use kiemtra_server::services::audit;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{Backend, INSPECTOR, jpeg_bytes, spawn_app};

both_backends!(
    seeded_chain_verifies,
    changes_are_recorded_in_the_chain,
    a_row_edited_by_hand_is_named_as_the_first_broken_link,
    a_deleted_last_event_is_detected,
);

async fn seeded_chain_verifies(backend: Backend) {
    let app = spawn_app(backend).await;

    let result = audit::verify(&app.db).await.unwrap();

    assert!(result.first_broken.is_none(), "{result:?}");
    assert!(result.events >= 10, "the demo seed is recorded: {result:?}");
}

async fn changes_are_recorded_in_the_chain(backend: Backend) {
    let app = spawn_app(backend).await;
    let before = audit::verify(&app.db).await.unwrap().events;
    let token = app.token(INSPECTOR).await;

    assert_eq!(
        app.upload_photo(&token, Uuid::new_v4(), &jpeg_bytes(1))
            .await
            .status(),
        201
    );

    let after = audit::verify(&app.db).await.unwrap();
    assert_eq!(after.events, before + 1);
    assert!(after.first_broken.is_none());
}

async fn a_row_edited_by_hand_is_named_as_the_first_broken_link(backend: Backend) {
    let app = spawn_app(backend).await;

    app.db
        .execute_unprepared(
            "UPDATE audit_event SET payload = '{\"tax_code\":\"0000000000\"}' WHERE seq = 3",
        )
        .await
        .unwrap();

    let result = audit::verify(&app.db).await.unwrap();
    let broken = result.first_broken.expect("tampering detected");
    assert_eq!(broken.seq, 3);
    assert_eq!(result.events, 2, "the events before it are intact");
}

async fn a_deleted_last_event_is_detected(backend: Backend) {
    let app = spawn_app(backend).await;
    let events = audit::verify(&app.db).await.unwrap().events;

    app.db
        .execute_unprepared(&format!("DELETE FROM audit_event WHERE seq = {events}"))
        .await
        .unwrap();

    let result = audit::verify(&app.db).await.unwrap();
    assert_eq!(
        result.first_broken.expect("truncation detected").seq,
        events as i64
    );
}
