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
    document.extend((0..3 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
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
    document.extend((0..9 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));

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
