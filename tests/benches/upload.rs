//! Evidence upload benchmark: 50 photos of 12 MP (about 4 MB each) through `PUT /evidence/{id}`
//! (streamed, hashed, type and header checked, row committed, derivatives queued), against
//! direct S3 PUTs of the same bytes to the same store (the embedded S3 endpoint) in the same run.
//!
//! Prints figures; asserts nothing about speed.

#[allow(dead_code, unused_imports)]
#[path = "../api/helpers.rs"]
mod helpers;
mod support;

use std::time::{Duration, Instant};

use helpers::{Backend, INSPECTOR, content_digest, spawn_app_with};
use uuid::Uuid;

const PHOTOS: usize = 50;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let photo = support::photo_like_jpeg();
        let digest = content_digest(&photo);
        let workers: usize = std::env::var("DERIVATIVE_WORKERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2);
        let app = spawn_app_with(Backend::Sqlite, |s| s.limits.derivative_workers = workers).await;
        println!("derivative workers: {workers}");
        let inspector = app.token(INSPECTOR).await;
        let megabytes = (photo.len() * PHOTOS) as f64 / 1e6;
        println!(
            "{PHOTOS} photos of {:.1} MB, {megabytes:.0} MB in all",
            photo.len() as f64 / 1e6
        );

        let started = Instant::now();
        for n in 0..PHOTOS {
            app.storage
                .put(&format!("bench/raw/{n}"), &photo, "image/jpeg")
                .await
                .expect("direct PUT");
        }
        let direct = started.elapsed();

        let started = Instant::now();
        for _ in 0..PHOTOS {
            let response = app
                .client
                .put(app.url(&format!(
                    "/api/v1/evidence/{}?inspection_id={}&item_key=osh.machine_guards&kind=photo",
                    Uuid::new_v4(),
                    app.demo.inspection_id
                )))
                .bearer_auth(&inspector)
                .header("content-digest", &digest)
                .body(photo.clone())
                .send()
                .await
                .expect("upload");
            assert_eq!(response.status(), 201);
        }
        let api = started.elapsed();

        let rate = |d: Duration| megabytes / d.as_secs_f64();
        println!(
            "direct S3 PUT to the embedded store     {:6.2} s  {:6.1} MB/s",
            direct.as_secs_f64(),
            rate(direct)
        );
        println!(
            "PUT /evidence (streamed, hashed, stored) {:6.2} s  {:6.1} MB/s",
            api.as_secs_f64(),
            rate(api)
        );
        println!(
            "throughput ratio API / direct PUT         {:.2}x",
            rate(api) / rate(direct)
        );
    });
}
