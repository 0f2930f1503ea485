//! Evidence upload and download through the embedded S3 endpoint, one file per behaviour.

mod derivatives;
mod downloads;
mod file_names;
mod hardening;
mod streaming;
mod sweeper;
mod upload;

use std::time::{Duration, Instant};

use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta};
use kiemtra_shared::inspection::InspectionDetail;
use uuid::Uuid;

use crate::helpers::{TestApp, content_digest};

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
async fn settled(app: &TestApp, token: &str, id: Uuid) -> EvidenceMeta {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let meta = evidence_meta(app, token, id).await;
        if meta.derivatives != DerivativeState::Pending || Instant::now() > deadline {
            return meta;
        }
        tokio::task::yield_now().await;
    }
}

fn crc32(bytes: &[u8]) -> u32 {
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
