//! Resumable uploads (tus 1.0 at `/api/v1/uploads`): chunks, resuming after a cut, checksums,
//! wrong offsets, expiry, termination, and what each refusal leaves behind (nothing).

use base64::Engine;
use kiemtra_shared::evidence::EvidenceMeta;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

use kiemtra_server::entities::{evidence, upload};
use kiemtra_server::services::evidence::keys;

use crate::both_backends;
use crate::helpers::{
    Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, claims_of, error_body, forge, jpeg_bytes,
    spawn_app,
};

both_backends!(
    options_announce_the_protocol_and_extensions,
    a_document_sent_in_uneven_chunks_becomes_evidence_byte_for_byte,
    a_photo_in_one_patch_becomes_evidence_with_its_record,
    a_patch_at_the_wrong_offset_is_409_and_changes_nothing,
    a_chunk_failing_its_checksum_is_460_and_nothing_of_it_is_kept,
    a_cut_connection_keeps_what_arrived_and_the_upload_resumes,
    a_token_expiring_mid_chunk_keeps_nothing_and_the_upload_resumes_with_a_new_one,
    creation_checks_rights_limits_and_metadata_before_any_byte,
    a_non_image_photo_is_refused_at_its_first_part_and_leaves_nothing,
    a_file_not_matching_its_sha256_is_422_and_leaves_nothing,
    another_users_upload_is_not_found,
    a_request_without_the_tus_version_is_412,
    termination_drops_the_upload_and_what_it_stored,
    expired_uploads_are_swept_with_their_parts,
    the_same_evidence_again_is_complete_at_once,
);

const MIB: usize = 1024 * 1024;

/// A PDF-looking document of `len` bytes, different for each `seed`.
fn document(len: usize, seed: u32) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend(
        (0..(len - bytes.len()) as u32)
            .map(|i| (i.wrapping_add(seed).wrapping_mul(2_654_435_761) >> 24) as u8),
    );
    bytes
}

fn b64(value: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

struct Upload {
    evidence_id: Uuid,
    kind: &'static str,
    sha256: Option<String>,
    length: usize,
}

impl Upload {
    fn of(bytes: &[u8], kind: &'static str) -> Upload {
        Upload {
            evidence_id: Uuid::new_v4(),
            kind,
            sha256: Some(sha256_hex(bytes)),
            length: bytes.len(),
        }
    }

    fn metadata(&self, app: &TestApp) -> String {
        let mut pairs = vec![
            format!("evidence_id {}", b64(&self.evidence_id.to_string())),
            format!("inspection_id {}", b64(&app.demo.inspection_id.to_string())),
            format!("item_key {}", b64("osh.machine_guards")),
            format!("kind {}", b64(self.kind)),
            format!("captured_at {}", b64("2026-11-23T08:15:00Z")),
            format!("latitude {}", b64("21.0285")),
            format!("longitude {}", b64("105.8542")),
            // tus clients add keys of their own; they are ignored.
            format!("filetype {}", b64("application/pdf")),
            // The file name is kept, cleaned; never part of a storage key.
            format!("filename {}", b64("../../hồ sơ/biên bản.pdf")),
        ];
        if let Some(sha) = &self.sha256 {
            pairs.push(format!("sha256 {}", b64(sha)));
        }
        pairs.join(",")
    }
}

async fn create(app: &TestApp, token: &str, upload: &Upload) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(token)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", upload.length.to_string())
        .header("Upload-Metadata", upload.metadata(app))
        .send()
        .await
        .unwrap()
}

/// Creates the upload and returns its URL path.
async fn created(app: &TestApp, token: &str, upload: &Upload) -> String {
    let response = create(app, token, upload).await;
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/api/v1/uploads/"), "{location}");
    location
}

async fn patch(
    app: &TestApp,
    token: &str,
    location: &str,
    offset: usize,
    chunk: &[u8],
    checksum: Option<String>,
) -> reqwest::Response {
    let mut request = app
        .client
        .patch(app.url(location))
        .bearer_auth(token)
        .header("Tus-Resumable", "1.0.0")
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", offset.to_string());
    if let Some(checksum) = checksum {
        request = request.header("Upload-Checksum", checksum);
    }
    request.body(chunk.to_vec()).send().await.unwrap()
}

fn offset_of(response: &reqwest::Response) -> usize {
    response.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn head(app: &TestApp, token: &str, location: &str) -> reqwest::Response {
    app.client
        .head(app.url(location))
        .bearer_auth(token)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap()
}

async fn server_offset(app: &TestApp, token: &str, location: &str) -> usize {
    let response = head(app, token, location).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    offset_of(&response)
}

fn sha256_checksum(chunk: &[u8]) -> String {
    format!(
        "sha256 {}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(chunk))
    )
}

/// The evidence's original, downloaded.
async fn original(app: &TestApp, token: &str, id: Uuid) -> Vec<u8> {
    let response = app
        .get(&format!("/api/v1/evidence/{id}/content"), token)
        .await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

/// Upload rows and evidence rows in the database, and objects under `evidence/` and
/// `uploads/` in the store: what a refused upload must not leave behind.
async fn leftovers(app: &TestApp) -> (usize, usize, usize) {
    let uploads = upload::Entity::find().all(&app.db).await.unwrap().len();
    let rows = evidence::Entity::find().all(&app.db).await.unwrap().len();
    let tails = app.storage.list(keys::UPLOAD_TAILS).await.unwrap().len();
    (uploads, rows, app.stored_object_count().await + tails)
}

async fn options_announce_the_protocol_and_extensions(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/uploads"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 204);
    let headers = response.headers();
    assert_eq!(headers["tus-version"], "1.0.0");
    let extensions = headers["tus-extension"].to_str().unwrap();
    for extension in ["creation", "checksum", "termination", "expiration"] {
        assert!(
            extensions.split(',').any(|e| e == extension),
            "{extensions}"
        );
    }
    assert!(
        headers["tus-checksum-algorithm"]
            .to_str()
            .unwrap()
            .contains("sha1")
    );
    assert!(headers.contains_key("tus-max-size"));
}

async fn a_document_sent_in_uneven_chunks_becomes_evidence_byte_for_byte(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    // 12 MiB + a bit, in chunks that end mid-part: two full S3 parts, tails in between.
    let file = document(12 * MIB + 12_345, 1);
    let upload = Upload::of(&file, "document");
    let location = created(&app, &inspector, &upload).await;
    assert_eq!(server_offset(&app, &inspector, &location).await, 0);

    let mut offset = 0;
    for size in [3 * MIB, 4 * MIB + 7, 2 * MIB, file.len()] {
        let end = (offset + size).min(file.len());
        let response = patch(
            &app,
            &inspector,
            &location,
            offset,
            &file[offset..end],
            None,
        )
        .await;
        assert_eq!(response.status(), 204, "{:?}", response.text().await);
        assert_eq!(offset_of(&response), end);
        offset = end;
        if end == file.len() {
            assert_eq!(
                response.headers()["kiemtra-evidence-id"],
                upload.evidence_id.to_string().as_str()
            );
            break;
        }
        assert_eq!(server_offset(&app, &inspector, &location).await, end);
    }

    let record: EvidenceMeta = app
        .get(
            &format!("/api/v1/evidence/{}", upload.evidence_id),
            &inspector,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record.sha256, sha256_hex(&file));
    assert_eq!(record.size_bytes, file.len() as i64);
    assert_eq!(record.content_type, "application/pdf");
    assert_eq!(record.latitude, Some(21.0285));
    assert_eq!(
        record.file_name.as_ref().map(|n| n.as_str()),
        Some("biên bản.pdf")
    );
    assert_eq!(
        original(&app, &inspector, upload.evidence_id).await,
        file,
        "the stored file differs from the one sent"
    );
    // Done: HEAD names the evidence, and the tails are gone.
    let done = head(&app, &inspector, &location).await;
    assert_eq!(offset_of(&done), file.len());
    assert!(done.headers().contains_key("kiemtra-evidence-id"));
    assert!(
        app.storage
            .list(keys::UPLOAD_TAILS)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_photo_in_one_patch_becomes_evidence_with_its_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let photo = jpeg_bytes(3);
    let upload = Upload::of(&photo, "photo");
    let location = created(&app, &inspector, &upload).await;

    let response = patch(
        &app,
        &inspector,
        &location,
        0,
        &photo,
        Some(sha256_checksum(&photo)),
    )
    .await;

    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["tus-resumable"], "1.0.0");
    let record: EvidenceMeta = app
        .get(
            &format!("/api/v1/evidence/{}", upload.evidence_id),
            &inspector,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record.content_type, "image/jpeg");
    assert_eq!(record.sha256, sha256_hex(&photo));
    assert_eq!(original(&app, &inspector, upload.evidence_id).await, photo);
}

async fn a_patch_at_the_wrong_offset_is_409_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(MIB, 2);
    let upload = Upload::of(&file, "document");
    let location = created(&app, &inspector, &upload).await;
    let first = patch(&app, &inspector, &location, 0, &file[..1000], None).await;
    assert_eq!(first.status(), 204);

    let response = patch(&app, &inspector, &location, 500, &file[500..2000], None).await;

    assert_eq!(response.status(), 409);
    assert_eq!(
        offset_of(&response),
        1000,
        "the 409 says where the upload stands"
    );
    assert_eq!(response.headers()["tus-resumable"], "1.0.0");
    assert_eq!(error_body(response).await.code, "upload_offset_mismatch");
    assert_eq!(server_offset(&app, &inspector, &location).await, 1000);
    let rest = patch(&app, &inspector, &location, 1000, &file[1000..], None).await;
    assert_eq!(rest.status(), 204);
    assert_eq!(original(&app, &inspector, upload.evidence_id).await, file);
}

async fn a_chunk_failing_its_checksum_is_460_and_nothing_of_it_is_kept(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(7 * MIB, 3);
    let upload = Upload::of(&file, "document");
    let location = created(&app, &inspector, &upload).await;
    let mut damaged = file[..6 * MIB].to_vec();
    damaged[4 * MIB] ^= 0xFF;

    let response = patch(
        &app,
        &inspector,
        &location,
        0,
        &damaged,
        Some(sha256_checksum(&file[..6 * MIB])),
    )
    .await;

    assert_eq!(response.status(), 460);
    assert_eq!(error_body(response).await.code, "checksum_mismatch");
    assert_eq!(server_offset(&app, &inspector, &location).await, 0);
    // The chunk sent again, whole, is kept; a checksum in SHA-1 works too.
    let sha1 = {
        use sha1::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(sha1::Sha1::digest(&file[..6 * MIB]))
    };
    let again = patch(
        &app,
        &inspector,
        &location,
        0,
        &file[..6 * MIB],
        Some(format!("sha1 {sha1}")),
    )
    .await;
    assert_eq!(again.status(), 204);
    let rest = patch(&app, &inspector, &location, 6 * MIB, &file[6 * MIB..], None).await;
    assert_eq!(rest.status(), 204);
    assert_eq!(original(&app, &inspector, upload.evidence_id).await, file);
}

/// Sends a PATCH over raw TCP announcing the whole rest of the file, writes `sent` bytes of it
/// after the server has taken the request (`100 Continue`), then cuts the connection.
async fn cut_patch(
    app: &TestApp,
    token: &str,
    location: &str,
    offset: usize,
    rest: &[u8],
    sent: usize,
) {
    let address = app.url.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
         Upload-Offset: {offset}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        rest.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = [0u8; 25];
    stream.read_exact(&mut answer).await.unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 100 Continue"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    stream.write_all(&rest[..sent]).await.unwrap();
    stream.flush().await.unwrap();
    // The connection drops mid-body, as on a phone losing signal.
    drop(stream);
}

async fn a_cut_connection_keeps_what_arrived_and_the_upload_resumes(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(11 * MIB, 4);
    let upload = Upload::of(&file, "document");
    let location = created(&app, &inspector, &upload).await;
    // One full part and part of the next arrive before the cut.
    let sent = 7 * MIB + 321;

    cut_patch(&app, &inspector, &location, 0, &file, sent).await;

    // The client resumes as tus says: ask where the upload stands, send from there; a 409
    // names the offset if the cut request was still saving.
    let mut offset = server_offset(&app, &inspector, &location).await;
    let mut resumed_from = Vec::new();
    loop {
        resumed_from.push(offset);
        let response = patch(&app, &inspector, &location, offset, &file[offset..], None).await;
        match response.status().as_u16() {
            204 => break,
            409 => offset = offset_of(&response),
            other => panic!("resume answered {other}: {:?}", response.text().await),
        }
    }
    assert!(
        resumed_from.contains(&sent),
        "the server kept the {sent} bytes that arrived before the cut; offsets seen: {resumed_from:?}"
    );
    assert_eq!(original(&app, &inspector, upload.evidence_id).await, file);
    assert!(
        app.storage
            .list(keys::UPLOAD_TAILS)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_token_expiring_mid_chunk_keeps_nothing_and_the_upload_resumes_with_a_new_one(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(3 * MIB, 5);
    let upload = Upload::of(&file, "document");
    let location = created(&app, &inspector, &upload).await;
    // A token at the very end of its life: accepted when the request starts (within the
    // server's 30 s leeway), expired two seconds later.
    let mut claims = claims_of(&inspector);
    let now = chrono::Utc::now().timestamp();
    claims["exp"] = json!(now - 28);
    let dying = forge(&app, claims);

    let address = app.url.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {dying}\r\n\
         Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
         Upload-Offset: 0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        file.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&file[..MIB]).await.unwrap();
    // The server holds the upload's lease once it has accepted the token and is reading.
    let upload_id: Uuid = location.rsplit('/').next().unwrap().parse().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while upload::Entity::find_by_id(upload_id)
        .one(&app.db)
        .await
        .unwrap()
        .is_some_and(|row| row.lock_token.is_none())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the PATCH never took the lease"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // A slow link: the rest arrives after the token has run out.
    app.advance_clock(3);
    stream.write_all(&file[MIB..]).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);

    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("token_expired"), "{answer}");
    assert_eq!(server_offset(&app, &inspector, &location).await, 0);
    assert!(
        evidence::Entity::find_by_id(upload.evidence_id)
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let fresh = patch(&app, &inspector, &location, 0, &file, None).await;
    assert_eq!(fresh.status(), 204);
    assert_eq!(original(&app, &inspector, upload.evidence_id).await, file);
}

async fn creation_checks_rights_limits_and_metadata_before_any_byte(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(1000, 6);

    // Not on the team: the reviewer leads, but only inspectors capture site evidence.
    let reviewer = app.token(REVIEWER).await;
    assert_eq!(
        create(&app, &reviewer, &Upload::of(&file, "document"))
            .await
            .status(),
        403
    );
    // Another tenant does not learn the inspection exists.
    let enterprise = app.token(ENTERPRISE).await;
    assert_eq!(
        create(&app, &enterprise, &Upload::of(&file, "document"))
            .await
            .status(),
        403
    );
    // Larger than a photo may be.
    let mut huge = Upload::of(&file, "photo");
    huge.length = 41 * MIB;
    let response = create(&app, &inspector, &huge).await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_body(response).await.code, "payload_too_large");
    // Metadata that is missing or wrong names the key.
    let response = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&inspector)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "1000")
        .header(
            "Upload-Metadata",
            format!(
                "evidence_id {},kind {}",
                b64(&Uuid::new_v4().to_string()),
                b64("video")
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body = error_body(response).await;
    assert!(
        body.details
            .iter()
            .any(|d| d.field.starts_with("Upload-Metadata.")),
        "{body:?}"
    );
    // No length.
    let response = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&inspector)
        .header("Tus-Resumable", "1.0.0")
        .header(
            "Upload-Metadata",
            Upload::of(&file, "document").metadata(&app),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(leftovers(&app).await, (0, 0, 0));
}

async fn a_non_image_photo_is_refused_at_its_first_part_and_leaves_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    // A PDF posing as a photo, big enough for several parts.
    let file = document(12 * MIB, 7);
    let upload = Upload::of(&file, "photo");
    let location = created(&app, &inspector, &upload).await;

    let response = patch(&app, &inspector, &location, 0, &file, None).await;

    assert_eq!(response.status(), 415);
    assert_eq!(head(&app, &inspector, &location).await.status(), 404);
    assert_eq!(leftovers(&app).await, (0, 0, 0));
}

async fn a_file_not_matching_its_sha256_is_422_and_leaves_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(6 * MIB, 8);
    let mut upload = Upload::of(&file, "document");
    upload.sha256 = Some(sha256_hex(b"another file"));
    let location = created(&app, &inspector, &upload).await;
    let first = patch(&app, &inspector, &location, 0, &file[..MIB], None).await;
    assert_eq!(first.status(), 204);

    let response = patch(&app, &inspector, &location, MIB, &file[MIB..], None).await;

    assert_eq!(response.status(), 422);
    assert_eq!(error_body(response).await.code, "digest_mismatch");
    assert_eq!(leftovers(&app).await, (0, 0, 0));
}

async fn another_users_upload_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(1000, 9);
    let location = created(&app, &inspector, &Upload::of(&file, "document")).await;
    let reviewer = app.token(REVIEWER).await;

    assert_eq!(head(&app, &reviewer, &location).await.status(), 404);
    let response = patch(&app, &reviewer, &location, 0, &file, None).await;
    assert_eq!(response.status(), 404);
    assert_eq!(server_offset(&app, &inspector, &location).await, 0);
}

async fn a_request_without_the_tus_version_is_412(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(1000, 10);
    let upload = Upload::of(&file, "document");

    let response = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&inspector)
        .header("Tus-Resumable", "0.2.2")
        .header("Upload-Length", "1000")
        .header("Upload-Metadata", upload.metadata(&app))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 412);
    assert_eq!(response.headers()["tus-version"], "1.0.0");
    assert_eq!(leftovers(&app).await, (0, 0, 0));
}

async fn termination_drops_the_upload_and_what_it_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(8 * MIB, 11);
    let location = created(&app, &inspector, &Upload::of(&file, "document")).await;
    let first = patch(&app, &inspector, &location, 0, &file[..6 * MIB], None).await;
    assert_eq!(first.status(), 204);
    assert!(
        !app.storage
            .list(keys::UPLOAD_TAILS)
            .await
            .unwrap()
            .is_empty()
    );

    let response = app
        .client
        .delete(app.url(&location))
        .bearer_auth(&inspector)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 204);
    assert_eq!(head(&app, &inspector, &location).await.status(), 404);
    assert_eq!(leftovers(&app).await, (0, 0, 0));
}

async fn expired_uploads_are_swept_with_their_parts(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let file = document(8 * MIB, 12);
    let location = created(&app, &inspector, &Upload::of(&file, "document")).await;
    let first = patch(&app, &inspector, &location, 0, &file[..6 * MIB], None).await;
    assert_eq!(first.status(), 204);
    let kept = created(&app, &inspector, &Upload::of(&file, "document")).await;

    // A week and an hour later, the first is past its expiry, the second is not (it was
    // made now, and the sweep looks at a time before its expiry).
    let rows = upload::Entity::find().all(&app.db).await.unwrap();
    let first_expiry = rows
        .iter()
        .find(|r| location.ends_with(&r.id.to_string()))
        .unwrap()
        .expires_at;
    upload::Entity::update_many()
        .col_expr(
            upload::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(first_expiry - chrono::Duration::days(8)),
        )
        .filter(
            upload::Column::Id.is_in(
                rows.iter()
                    .filter(|r| location.ends_with(&r.id.to_string()))
                    .map(|r| r.id),
            ),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let swept = kiemtra_server::services::evidence::resumable::sweep_expired(
        &app.db,
        &app.storage,
        chrono::Utc::now(),
    )
    .await
    .unwrap();

    assert_eq!(swept, 1);
    assert_eq!(head(&app, &inspector, &location).await.status(), 404);
    assert!(
        app.storage
            .list(keys::UPLOAD_TAILS)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(server_offset(&app, &inspector, &kept).await, 0);
}

async fn the_same_evidence_again_is_complete_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let photo = jpeg_bytes(4);
    let upload = Upload::of(&photo, "photo");
    let location = created(&app, &inspector, &upload).await;
    assert_eq!(
        patch(&app, &inspector, &location, 0, &photo, None)
            .await
            .status(),
        204
    );

    // The phone never saw the answer and starts over with the same evidence id.
    let again = created(&app, &inspector, &upload).await;
    let done = head(&app, &inspector, &again).await;
    assert_eq!(offset_of(&done), photo.len());
    assert_eq!(
        done.headers()["kiemtra-evidence-id"],
        upload.evidence_id.to_string().as_str()
    );
    // Other bytes under the same id are a conflict.
    let mut other = Upload::of(&jpeg_bytes(5), "photo");
    other.evidence_id = upload.evidence_id;
    assert_eq!(create(&app, &inspector, &other).await.status(), 409);
    assert_eq!(
        evidence::Entity::find()
            .filter(evidence::Column::Id.eq(upload.evidence_id))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );
}
