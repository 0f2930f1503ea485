//! Downloads: only to who may see the evidence, each handing-out of an original recorded in the
//! audit log (chain of custody); with a public S3 endpoint, presigned URLs of originals
//! instead of the bytes, to the same users and with the same audit trail.

use kiemtra_server::storage::EmbeddedS3;
use kiemtra_shared::evidence::EvidenceMeta;
use sha2::Digest;
use uuid::Uuid;

use super::put_evidence;
use crate::both_backends;
use crate::helpers::{
    Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, jpeg_bytes, spawn_app, spawn_app_with,
};

both_backends!(
    another_tenants_evidence_is_a_404,
    downloading_an_original_is_recorded_in_the_audit_log,
    downloads_at_once_keep_the_audit_chain_whole,
    an_original_is_a_redirect_to_a_presigned_url_of_the_same_bytes,
    who_may_not_see_the_evidence_gets_a_404_and_no_url,
);

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
