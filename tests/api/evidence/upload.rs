//! Direct uploads: stored byte-exact, retried safely, refused for their digest, type, size
//! or sender, and never leaving anything behind when refused.

use kiemtra_shared::evidence::EvidenceMeta;
use sha2::Digest;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    Backend, ENTERPRISE, INSPECTOR, REVIEWER, content_digest, error_body, jpeg_bytes, spawn_app,
    spawn_app_with,
};

both_backends!(
    uploaded_photo_is_stored_and_read_back_byte_exact,
    same_id_and_bytes_is_recognised,
    same_id_other_bytes_is_a_409,
    wrong_digest_is_a_422_and_leaves_nothing,
    non_image_posing_as_jpeg_is_a_415,
    oversized_photo_is_a_413_and_leaves_nothing,
    only_the_team_inspector_may_upload,
);

async fn uploaded_photo_is_stored_and_read_back_byte_exact(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let bytes = jpeg_bytes(1);
    let id = Uuid::new_v4();

    let response = app.upload_photo(&token, id, &bytes).await;

    assert_eq!(response.status(), 201);
    let meta: EvidenceMeta = response.json().await.unwrap();
    assert_eq!(meta.sha256, hex::encode(sha2::Sha256::digest(&bytes)));
    assert_eq!(meta.size_bytes, bytes.len() as i64);
    assert_eq!(meta.content_type, "image/jpeg");
    assert_eq!(meta.latitude, Some(21.0285));
    assert_eq!(app.stored_object_count().await, 1);
    let reviewer = app.token(REVIEWER).await;
    let download = app
        .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    assert_eq!(download.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

async fn same_id_and_bytes_is_recognised(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();
    let bytes = jpeg_bytes(2);

    let first = app.upload_photo(&token, id, &bytes).await.status();
    let second = app.upload_photo(&token, id, &bytes).await.status();

    assert_eq!((first.as_u16(), second.as_u16()), (201, 200));
    assert_eq!(app.stored_object_count().await, 1);
}

async fn same_id_other_bytes_is_a_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&token, id, &jpeg_bytes(3)).await.status(),
        201
    );

    let response = app.upload_photo(&token, id, &jpeg_bytes(4)).await;

    assert_eq!(response.status(), 409);
    let body = error_body(response).await;
    let fields: Vec<&str> = body.details.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(fields, vec!["sha256"], "the difference is named");
    let reviewer = app.token(REVIEWER).await;
    let kept = app
        .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
        .await;
    assert_eq!(
        kept.bytes().await.unwrap().as_ref(),
        jpeg_bytes(3).as_slice(),
        "first upload kept"
    );
}

async fn wrong_digest_is_a_422_and_leaves_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();
    let digest_of_other_bytes = content_digest(b"something else");

    let response = app
        .upload(
            &token,
            id,
            app.demo.inspection_id,
            &jpeg_bytes(5),
            Some(&digest_of_other_bytes),
        )
        .await;

    assert_eq!(response.status(), 422);
    assert_eq!(error_body(response).await.code, "digest_mismatch");
    assert_eq!(app.stored_object_count().await, 0);
    let reviewer = app.token(REVIEWER).await;
    assert_eq!(
        app.get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
            .await
            .status(),
        404
    );
}

async fn non_image_posing_as_jpeg_is_a_415(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let html = b"<html><script>alert(1)</script></html>";

    let response = app.upload_photo(&token, Uuid::new_v4(), html).await;

    assert_eq!(response.status(), 415);
    assert_eq!(error_body(response).await.code, "unsupported_media_type");
    assert_eq!(app.stored_object_count().await, 0);
}

async fn oversized_photo_is_a_413_and_leaves_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.limits.max_photo_bytes = 256).await;
    let token = app.token(INSPECTOR).await;

    let response = app
        .upload_photo(&token, Uuid::new_v4(), &jpeg_bytes(6))
        .await;

    assert_eq!(response.status(), 413);
    assert_eq!(error_body(response).await.code, "payload_too_large");
    assert_eq!(app.stored_object_count().await, 0);
}

async fn only_the_team_inspector_may_upload(backend: Backend) {
    let app = spawn_app(backend).await;
    for email in [REVIEWER, ENTERPRISE] {
        let token = app.token(email).await;
        let response = app
            .upload_photo(&token, Uuid::new_v4(), &jpeg_bytes(7))
            .await;
        assert_eq!(response.status(), 403, "{email}");
    }
    let inspector = app.token(INSPECTOR).await;
    let bytes = jpeg_bytes(8);
    let response = app
        .upload(
            &inspector,
            Uuid::new_v4(),
            app.demo.other_inspection_id,
            &bytes,
            Some(&content_digest(&bytes)),
        )
        .await;
    assert_eq!(
        response.status(),
        404,
        "not on that team: the inspection does not exist for them"
    );
    assert_eq!(app.stored_object_count().await, 0);
}
