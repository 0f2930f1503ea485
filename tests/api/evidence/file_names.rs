//! The client's file name names the download and nothing else: never a path, never a part
//! of the storage key, never a header break.

use kiemtra_server::services::evidence::keys;
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

async fn a_hostile_file_name_is_cleaned_and_never_reaches_the_key_or_a_header(backend: Backend) {
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
        let prefix = keys::attempts_of(app.demo.inspection_id, id);
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
