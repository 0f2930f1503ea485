//! Thumbnails and previews, made after the upload; none for documents, and none (with the
//! reason) for HEIC photos, which this server cannot decode.

use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta};
use uuid::Uuid;

use super::{evidence_meta, put_evidence, settled};
use crate::both_backends;
use crate::helpers::{Backend, INSPECTOR, REVIEWER, content_digest, jpeg_of_size, spawn_app};

both_backends!(
    thumbnail_and_preview_are_made_after_the_upload,
    a_document_has_no_thumbnail,
    a_heic_photo_is_kept_and_its_derivatives_fail_with_the_reason,
);

fn size_of(jpeg: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap();
    (image.width(), image.height())
}

async fn thumbnail_and_preview_are_made_after_the_upload(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let reviewer = app.token(REVIEWER).await;
    let id = Uuid::new_v4();
    let photo = jpeg_of_size(2400, 1800, 7);
    assert_eq!(app.upload_photo(&inspector, id, &photo).await.status(), 201);

    let meta = settled(&app, &reviewer, id).await;

    assert_eq!(meta.derivatives, DerivativeState::Done);
    assert_eq!((meta.width, meta.height), (Some(2400), Some(1800)));
    let thumbnail = app
        .get(&format!("/api/v1/evidence/{id}/thumbnail"), &reviewer)
        .await;
    assert_eq!(thumbnail.headers()["content-type"], "image/jpeg");
    assert!(
        thumbnail.headers()["etag"]
            .to_str()
            .unwrap()
            .ends_with("-thumb\"")
    );
    let thumbnail = thumbnail.bytes().await.unwrap();
    let preview = app
        .get(&format!("/api/v1/evidence/{id}/preview"), &reviewer)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(size_of(&thumbnail), (320, 240));
    assert_eq!(size_of(&preview), (1600, 1200));
    let original = app
        .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        original.as_ref(),
        photo.as_slice(),
        "the original is kept byte-exact"
    );
}

async fn a_document_has_no_thumbnail(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let response = app
        .client
        .put(app.url(&format!("/api/v1/evidence/{id}")))
        .bearer_auth(&inspector)
        .query(&[
            ("inspection_id", app.demo.inspection_id.to_string()),
            ("item_key", "osh.machine_guards".to_owned()),
            ("kind", "document".to_owned()),
        ])
        .header("content-digest", content_digest(&pdf))
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    let meta = evidence_meta(&app, &inspector, id).await;
    let thumbnail = app
        .get(&format!("/api/v1/evidence/{id}/thumbnail"), &inspector)
        .await;

    assert_eq!(meta.derivatives, DerivativeState::None);
    assert_eq!(thumbnail.status(), 404);
}

/// 64×48, made with Debian's `heif-enc -q 40` (libheif 1.15, x265) from a PNG gradient.
const TINY_HEIC: &[u8] = include_bytes!("../../fixtures/tiny-64x48.heic");

async fn a_heic_photo_is_kept_and_its_derivatives_fail_with_the_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let reviewer = app.token(REVIEWER).await;
    let id = Uuid::new_v4();

    let response = put_evidence(&app, &inspector, id, "photo", TINY_HEIC, None).await;

    assert_eq!(response.status(), 201);
    let meta: EvidenceMeta = response.json().await.unwrap();
    assert_eq!(meta.content_type, "image/heic");
    assert_eq!(
        meta.derivatives,
        DerivativeState::Failed("no HEIC decoder on this server; the original is kept".to_owned()),
        "never pending"
    );
    let thumbnail = app
        .get(&format!("/api/v1/evidence/{id}/thumbnail"), &reviewer)
        .await;
    assert_eq!(thumbnail.status(), 404);
    let original = app
        .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
        .await;
    assert_eq!(original.status(), 200);
    assert_eq!(original.headers()["content-type"], "image/heic");
    assert_eq!(original.bytes().await.unwrap().as_ref(), TINY_HEIC);
}
