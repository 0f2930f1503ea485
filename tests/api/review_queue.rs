//! The review queue (`GET /review-queue`), which the dashboard's "evidence waiting" counts, and
//! review comments marked internal, which never reach an enterprise user.

use chrono::{Duration, Utc};
use kiemtra_shared::dashboard::Dashboard;
use kiemtra_shared::evidence::EvidenceMeta;
use kiemtra_shared::inspection::InspectionDetail;
use kiemtra_shared::review::{Decision, QueuedEvidence, ReviewView};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, content_digest, jpeg_bytes, spawn_app,
};
use crate::review::submitted_site_visit;

const PDF_BYTES: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

both_backends!(
    the_queue_lists_waiting_evidence_oldest_first_as_the_dashboard_counts,
    only_reviewers_and_admins_see_the_queue,
    internal_reviews_never_reach_the_enterprise,
);

async fn queue(app: &TestApp, token: &str, query: &str) -> (Vec<QueuedEvidence>, u64) {
    let response = app
        .get(&format!("/api/v1/review-queue{query}"), token)
        .await;
    assert_eq!(response.status(), 200);
    let total = response.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (response.json().await.unwrap(), total)
}

async fn awaiting_on_dashboard(app: &TestApp, token: &str) -> u64 {
    let response = app.get("/api/v1/dashboard", token).await;
    assert_eq!(response.status(), 200);
    response
        .json::<Dashboard>()
        .await
        .unwrap()
        .evidence_awaiting_review
}

async fn decide(app: &TestApp, token: &str, evidence: Uuid, body: serde_json::Value) -> ReviewView {
    let mut body = body;
    body["target"] = json!({"type": "evidence", "id": evidence});
    let response = app
        .post_json(
            &format!("/api/v1/inspections/{}/reviews", app.demo.inspection_id),
            token,
            &body,
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn the_queue_lists_waiting_evidence_oldest_first_as_the_dashboard_counts(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let inspector = app.token(INSPECTOR).await;

    // Nothing submitted yet: a photo of an inspection in the field does not wait for review.
    let early = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&inspector, early, &jpeg_bytes(7))
            .await
            .status(),
        201
    );
    assert_eq!(queue(&app, &reviewer, "").await, (vec![], 0));
    assert_eq!(awaiting_on_dashboard(&app, &reviewer).await, 0);

    // Submitted with its photo, then two more photos: four wait, the first upload first.
    let attached = submitted_site_visit(&app).await;
    let mut later = Vec::new();
    for seed in [8, 9] {
        let id = Uuid::new_v4();
        assert_eq!(
            app.upload_photo(&inspector, id, &jpeg_bytes(seed))
                .await
                .status(),
            201
        );
        later.push(id);
    }
    let (items, total) = queue(&app, &reviewer, "").await;
    let ids: Vec<Uuid> = items.iter().map(|q| q.evidence.id).collect();
    assert_eq!(ids, [early, attached, later[0], later[1]]);
    assert_eq!(total, 4);
    assert_eq!(awaiting_on_dashboard(&app, &reviewer).await, total);
    let first = &items[0];
    assert_eq!(first.decision_number, "125/QĐ-TTr");
    assert_eq!(
        first.enterprise_name,
        "Công ty TNHH Cơ khí Sông Hồng (demo)"
    );
    assert!(first.evidence.review.is_none());
    assert_eq!(
        first.evidence.uploaded_by_name.as_deref(),
        Some("Nguyễn Văn Kiểm"),
        "who uploaded it, by name"
    );

    // Paged: never only the first page.
    let (page_one, total_one) = queue(&app, &reviewer, "?per_page=3").await;
    let (page_two, total_two) = queue(&app, &reviewer, "?per_page=3&page=2").await;
    assert_eq!((total_one, total_two), (4, 4));
    let paged: Vec<Uuid> = page_one
        .iter()
        .chain(&page_two)
        .map(|q| q.evidence.id)
        .collect();
    assert_eq!(paged, ids);
    let bad = app
        .get("/api/v1/review-queue?per_page=101", &reviewer)
        .await;
    assert_eq!(bad.status(), 422);

    // Any decision takes a piece out of the queue, and out of the dashboard's figure.
    decide(&app, &reviewer, early, json!({"decision": "approved"})).await;
    decide(
        &app,
        &reviewer,
        later[0],
        json!({"decision": "recapture_requested", "reason": "Ảnh mờ", "internal": true}),
    )
    .await;
    let (items, total) = queue(&app, &reviewer, "").await;
    let ids: Vec<Uuid> = items.iter().map(|q| q.evidence.id).collect();
    assert_eq!(ids, [attached, later[1]]);
    assert_eq!(total, 2);
    assert_eq!(awaiting_on_dashboard(&app, &reviewer).await, 2);

    // The recapture comes back as a new photo, which waits again.
    let recaptured = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&inspector, recaptured, &jpeg_bytes(10))
            .await
            .status(),
        201
    );
    let (items, total) = queue(&app, &reviewer, "").await;
    assert_eq!(items.last().map(|q| q.evidence.id), Some(recaptured));
    assert_eq!(total, 3);
    assert_eq!(awaiting_on_dashboard(&app, &reviewer).await, 3);
}

async fn only_reviewers_and_admins_see_the_queue(backend: Backend) {
    let app = spawn_app(backend).await;
    submitted_site_visit(&app).await;
    let admin = app.token(ADMIN).await;
    assert_eq!(queue(&app, &admin, "").await.1, 1);
    for email in [INSPECTOR, ENTERPRISE] {
        let token = app.token(email).await;
        let response = app.get("/api/v1/review-queue", &token).await;
        assert_eq!(response.status(), 403, "{email}");
    }
    let anonymous = app
        .client
        .get(app.url("/api/v1/review-queue"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

/// A proof document the enterprise sends for a corrective action, reviewed by the agency with
/// one public decision and then one internal comment: the enterprise sees the first only,
/// wherever a decision is embedded; the agency sees both.
async fn internal_reviews_never_reach_the_enterprise(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let enterprise = app.token(ENTERPRISE).await;
    let inspector = app.token(INSPECTOR).await;
    let inspection = app.demo.inspection_id;
    let site_photo = submitted_site_visit(&app).await;
    decide(&app, &reviewer, site_photo, json!({"decision": "approved"})).await;
    let finding: serde_json::Value = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/findings"),
            &reviewer,
            &json!({"title": "Máy dập không có che chắn", "description": "Thiếu che chắn.",
                "severity": "major"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let due = (Utc::now() + Duration::days(14)).date_naive();
    let action: serde_json::Value = app
        .post_json(
            &format!(
                "/api/v1/findings/{}/corrective-actions",
                finding["id"].as_str().unwrap()
            ),
            &reviewer,
            &json!({"description": "Lắp che chắn.", "due_date": due}),
        )
        .await
        .json()
        .await
        .unwrap();
    let proof = Uuid::new_v4();
    let uploaded = app
        .client
        .put(app.url(&format!("/api/v1/evidence/{proof}")))
        .bearer_auth(&enterprise)
        .query(&[
            ("inspection_id", inspection.to_string()),
            (
                "item_key",
                format!("proof.{}", action["id"].as_str().unwrap()),
            ),
            ("kind", "document".to_owned()),
        ])
        .header("content-digest", content_digest(PDF_BYTES))
        .body(PDF_BYTES.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);

    let public = decide(
        &app,
        &reviewer,
        proof,
        json!({"decision": "rejected", "reason": "Thiếu chữ ký giám đốc."}),
    )
    .await;
    assert!(!public.internal);
    const SECRET: &str = "Nghi ngờ tài liệu được ký lùi ngày";
    let internal = decide(
        &app,
        &reviewer,
        proof,
        json!({"decision": "rejected", "reason": SECRET, "internal": true}),
    )
    .await;
    assert!(internal.internal);

    // The agency sees both, the internal one as the latest.
    let listed: Vec<ReviewView> = app
        .get(
            &format!("/api/v1/inspections/{inspection}/reviews"),
            &reviewer,
        )
        .await
        .json()
        .await
        .unwrap();
    let on_proof: Vec<_> = listed
        .iter()
        .filter(|r| r.target == kiemtra_shared::review::ReviewTarget::Evidence { id: proof })
        .collect();
    assert_eq!(on_proof.len(), 2);
    assert!(
        on_proof
            .iter()
            .any(|r| r.internal && r.reason.as_deref() == Some(SECRET))
    );
    for token in [&reviewer, &inspector] {
        let meta: EvidenceMeta = app
            .get(&format!("/api/v1/evidence/{proof}"), token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(meta.review.map(|r| r.id), Some(internal.id));
    }

    // The enterprise: the public decision on the record of the evidence and in the inspection,
    // and the internal comment nowhere.
    let meta: EvidenceMeta = app
        .get(&format!("/api/v1/evidence/{proof}"), &enterprise)
        .await
        .json()
        .await
        .unwrap();
    let seen = meta.review.expect("the public decision");
    assert_eq!(seen.id, public.id);
    assert_eq!(seen.decision, Decision::Rejected);
    let detail: InspectionDetail = app
        .get(&format!("/api/v1/inspections/{inspection}"), &enterprise)
        .await
        .json()
        .await
        .unwrap();
    let in_detail = detail
        .evidence
        .iter()
        .find(|e| e.id == proof)
        .expect("the enterprise sees its proof");
    assert_eq!(in_detail.review.as_ref().map(|r| r.id), Some(public.id));
    let reviews = app
        .get(
            &format!("/api/v1/inspections/{inspection}/reviews"),
            &enterprise,
        )
        .await;
    assert_eq!(reviews.status(), 403);
    for path in [
        format!("/api/v1/evidence/{proof}"),
        format!("/api/v1/inspections/{inspection}"),
        format!("/api/v1/inspections/{inspection}/findings"),
        format!("/api/v1/inspections/{inspection}/corrective-actions"),
        "/api/v1/corrective-actions".to_owned(),
        "/api/v1/sync/pull?since=0".to_owned(),
        "/api/v1/inspections".to_owned(),
    ] {
        let response = app.get(&path, &enterprise).await;
        let body = response.text().await.unwrap();
        assert!(!body.contains(SECRET), "{path} shows the internal comment");
        assert!(
            !body.contains(&internal.id.to_string()),
            "{path} names the internal review"
        );
    }
}
