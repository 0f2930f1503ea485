//! Evidence upload benchmark: 50 photos of 12 MP (about 4 MB each) through `PUT /evidence/{id}`
//! (streamed, hashed, type and header checked, row committed, derivatives queued), against
//! direct S3 PUTs of the same bytes to the same store (the embedded S3 endpoint) in the same
//! round. Each round also uploads the same bytes as 50 PDF documents (no derivatives: the pure
//! upload path) and reports when the last thumbnail and preview of its photos was done.
//!
//! A second baseline sends the same bytes to the same store the way the API now does (one PUT
//! signed ahead, its payload unsigned), so the API's own cost shows apart from the signing.
//!
//! `ROUNDS` (default 3) rounds; medians are printed at the end. `DERIVATIVE_WORKERS` overrides
//! the server's setting. Prints figures; asserts nothing about speed.

#[allow(dead_code, unused_imports)]
#[path = "../api/helpers.rs"]
mod helpers;
mod support;

use std::time::{Duration, Instant};

use helpers::{Backend, INSPECTOR, TestApp, content_digest, spawn_app_with};
use kiemtra_server::entities::evidence::{self, DerivativeStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

const PHOTOS: usize = 50;

/// What one round measured.
struct Round {
    direct: Duration,
    direct_streamed: Duration,
    photos: Duration,
    photos_derived: Duration,
    documents: Duration,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Uploads `bytes` `PHOTOS` times as `kind` and returns the time taken and the ids.
async fn upload_all(app: &TestApp, token: &str, bytes: &[u8], kind: &str) -> (Duration, Vec<Uuid>) {
    let digest = content_digest(bytes);
    let ids: Vec<Uuid> = (0..PHOTOS).map(|_| Uuid::new_v4()).collect();
    let started = Instant::now();
    for id in &ids {
        let response = app
            .client
            .put(app.url(&format!(
                "/api/v1/evidence/{id}?inspection_id={}&item_key=osh.machine_guards&kind={kind}",
                app.demo.inspection_id
            )))
            .bearer_auth(token)
            .header("content-digest", &digest)
            .body(bytes.to_vec())
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 201);
    }
    (started.elapsed(), ids)
}

/// Waits until none of `ids` has derivatives pending: polls the database, at most 15 000
/// times 20 ms apart (5 minutes), then checks every one is `done`.
async fn derivatives_done(app: &TestApp, ids: &[Uuid]) {
    let pending = || {
        evidence::Entity::find()
            .filter(evidence::Column::Id.is_in(ids.iter().copied()))
            .filter(evidence::Column::DerivativeState.eq(DerivativeStatus::Pending))
            .count(&app.db)
    };
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    for _ in 0..15_000 {
        if pending().await.expect("counting pending derivatives") == 0 {
            break;
        }
        tick.tick().await;
    }
    let done = evidence::Entity::find()
        .filter(evidence::Column::Id.is_in(ids.iter().copied()))
        .filter(evidence::Column::DerivativeState.eq(DerivativeStatus::Done))
        .count(&app.db)
        .await
        .expect("counting finished derivatives");
    assert_eq!(done as usize, ids.len(), "every photo got its derivatives");
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let photo = support::photo_like_jpeg();
        // The same number of bytes as a PDF: stored and hashed alike, but no derivatives.
        let document = [b"%PDF-1.7\n".as_slice(), &photo[9..]].concat();
        let rounds: usize = std::env::var("ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        let workers: Option<usize> = std::env::var("DERIVATIVE_WORKERS")
            .ok()
            .and_then(|v| v.parse().ok());
        let app = spawn_app_with(Backend::Sqlite, |s| {
            if let Some(workers) = workers {
                s.limits.derivative_workers = Some(workers);
            }
        })
        .await;
        println!(
            "derivative workers: {}",
            workers.map_or("server default".to_owned(), |w| w.to_string())
        );
        let inspector = app.token(INSPECTOR).await;
        let megabytes = (photo.len() * PHOTOS) as f64 / 1e6;
        println!(
            "{PHOTOS} photos of {:.1} MB, {megabytes:.0} MB in all, {rounds} rounds",
            photo.len() as f64 / 1e6
        );

        let mut results = Vec::new();
        for round in 0..rounds {
            let started = Instant::now();
            for n in 0..PHOTOS {
                app.storage
                    .put(&format!("bench/raw/{round}/{n}"), &photo, "image/jpeg")
                    .await
                    .expect("direct PUT");
            }
            let direct = started.elapsed();

            // The same store, the same bytes, sent the way the API now sends them: one PUT
            // signed ahead, the payload unsigned (the store does not hash it on arrival).
            let started = Instant::now();
            for n in 0..PHOTOS {
                let chunks = futures_util::stream::iter(
                    photo
                        .chunks(64 * 1024)
                        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
                        .collect::<Vec<_>>(),
                );
                app.storage
                    .put_sized_stream(
                        &format!("bench/streamed/{round}/{n}"),
                        photo.len() as u64,
                        "image/jpeg",
                        chunks,
                    )
                    .await
                    .expect("direct streamed PUT");
            }
            let direct_streamed = started.elapsed();

            let started = Instant::now();
            let (photos, ids) = upload_all(&app, &inspector, &photo, "photo").await;
            derivatives_done(&app, &ids).await;
            let photos_derived = started.elapsed();

            let (documents, _) = upload_all(&app, &inspector, &document, "document").await;
            let r = Round {
                direct,
                direct_streamed,
                photos,
                photos_derived,
                documents,
            };
            println!(
                "round {}: direct {:.2} s, direct streamed {:.2} s, photos {:.2} s ({:.2}x), derivatives done {:.2} s, \
                 documents {:.2} s ({:.2}x)",
                round + 1,
                r.direct.as_secs_f64(),
                r.direct_streamed.as_secs_f64(),
                r.photos.as_secs_f64(),
                r.direct.as_secs_f64() / r.photos.as_secs_f64(),
                r.photos_derived.as_secs_f64(),
                r.documents.as_secs_f64(),
                r.direct.as_secs_f64() / r.documents.as_secs_f64(),
            );
            results.push(r);
        }

        let med = |f: &dyn Fn(&Round) -> f64| median(results.iter().map(f).collect());
        let direct = med(&|r| r.direct.as_secs_f64());
        let streamed = med(&|r| r.direct_streamed.as_secs_f64());
        let photos = med(&|r| r.photos.as_secs_f64());
        let derived = med(&|r| r.photos_derived.as_secs_f64());
        let documents = med(&|r| r.documents.as_secs_f64());
        println!("medians of {rounds} rounds:");
        println!(
            "direct S3 PUT to the embedded store      {direct:6.2} s  {:6.1} MB/s",
            megabytes / direct
        );
        println!(
            "direct S3 PUT, streamed, unsigned body   {streamed:6.2} s  {:6.1} MB/s",
            megabytes / streamed
        );
        println!(
            "PUT /evidence, photos                    {photos:6.2} s  {:6.1} MB/s",
            megabytes / photos
        );
        println!(
            "  ... until every derivative is done     {derived:6.2} s",
        );
        println!(
            "PUT /evidence, same bytes as documents   {documents:6.2} s  {:6.1} MB/s",
            megabytes / documents
        );
        println!(
            "throughput ratio photos / direct PUT      {:.2}x (median of per-round ratios)",
            med(&|r| r.direct.as_secs_f64() / r.photos.as_secs_f64())
        );
        println!(
            "throughput ratio documents / direct PUT   {:.2}x (median of per-round ratios)",
            med(&|r| r.direct.as_secs_f64() / r.documents.as_secs_f64())
        );
        println!(
            "throughput ratio photos / streamed PUT    {:.2}x (median of per-round ratios)",
            med(&|r| r.direct_streamed.as_secs_f64() / r.photos.as_secs_f64())
        );
    });
}
