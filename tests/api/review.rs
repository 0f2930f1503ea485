//! From evidence to conclusion: review decisions, findings proposed from non-compliance,
//! corrective actions with proof and overdue follow-up.

use chrono::{Duration, Utc};
use kiemtra_shared::evidence::EvidenceMeta;
use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus};
use kiemtra_shared::review::{
    ConclusionView, CorrectiveActionStatus, CorrectiveActionView, FindingStatus, FindingView,
    ReviewView,
};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, content_digest, error_body, jpeg_bytes,
    spawn_app,
};

both_backends!(
    an_inspection_goes_from_evidence_to_verified_fixes,
    reviews_need_a_reason_and_a_real_target,
);

/// The inspector submits a site checklist with two non-compliances (unguarded machines, and
/// 90 dBA over an 8-hour shift where the limit is 85) and a photo.
pub(crate) async fn submitted_site_visit(app: &TestApp) -> Uuid {
    let inspector = app.token(INSPECTOR).await;
    let photo = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&inspector, photo, &jpeg_bytes(1))
            .await
            .status(),
        201
    );
    let body = json!({
        "id": Uuid::new_v4(),
        "answers": {
            "items": {"osh.machine_guards": {"type": "yes_no", "value": "no", "photos": [photo]}},
            "repeats": {"workshops": [{
                "workshop.name": {"type": "text", "value": "Xưởng dập"},
                "workshop.area_type": {"type": "choice", "value": "production"},
                "workshop.noise_laeq": {"type": "measurement", "value": {
                    "value": 90, "unit": "dBA", "instrument": "Rion NL-42",
                    "measured_at": "2026-11-23T09:00:00Z", "exposure_minutes": 480}}
            }]}
        }
    });
    let response = app
        .post_json(
            &format!(
                "/api/v1/inspections/{}/site-response",
                app.demo.inspection_id
            ),
            &inspector,
            &body,
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    photo
}

fn path(app: &TestApp, tail: &str) -> String {
    format!("/api/v1/inspections/{}/{tail}", app.demo.inspection_id)
}

async fn an_inspection_goes_from_evidence_to_verified_fixes(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let enterprise = app.token(ENTERPRISE).await;
    let photo = submitted_site_visit(&app).await;

    // The server judges the measurement itself: 90 dBA over 8 h is 5 dBA above the 85 limit.
    let submitted: InspectionDetail = app
        .get(
            &format!("/api/v1/inspections/{}", app.demo.inspection_id),
            &reviewer,
        )
        .await
        .json()
        .await
        .unwrap();
    let verdicts = submitted.site_response.unwrap().non_compliances;
    let noise = verdicts
        .iter()
        .find(|n| n.item_key == "workshop.noise_laeq")
        .expect("noise judged");
    let evaluation = noise
        .evaluation
        .as_ref()
        .expect("a measurement carries its evaluation");
    assert!(!evaluation.compliant);
    assert_eq!(evaluation.limit_max, Some(85.0));
    assert!(verdicts.iter().any(|n| n.item_key == "osh.machine_guards"));

    // Review: a recapture request shows on the evidence and puts the inspection under review.
    let decided = app
        .post_json(
            &path(&app, "reviews"),
            &reviewer,
            &json!({
                "target": {"type": "evidence", "id": photo},
                "decision": "recapture_requested", "reason": "Ảnh mờ, chụp lại cận cảnh."
            }),
        )
        .await;
    assert_eq!(decided.status(), 201);
    let _: ReviewView = decided.json().await.unwrap();
    let detail: InspectionDetail = app
        .get(
            &format!("/api/v1/inspections/{}", app.demo.inspection_id),
            &reviewer,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.summary.status, InspectionStatus::UnderReview);
    let evidence: &EvidenceMeta = detail.evidence.iter().find(|e| e.id == photo).unwrap();
    assert_eq!(
        evidence.review.as_ref().map(|r| r.reason.clone()),
        Some(Some("Ảnh mờ, chụp lại cận cảnh.".to_owned()))
    );

    // Findings proposed from the non-compliant answers, with their legal basis.
    let proposed: Vec<FindingView> = app
        .post_json(&path(&app, "findings/propose"), &reviewer, &json!(null))
        .await
        .json()
        .await
        .unwrap();
    let keys: Vec<&str> = proposed
        .iter()
        .filter_map(|f| f.item_key.as_deref())
        .collect();
    assert!(
        keys.contains(&"osh.machine_guards") && keys.contains(&"workshop.noise_laeq"),
        "{keys:?}"
    );
    assert!(
        proposed
            .iter()
            .all(|f| f.status == FindingStatus::Proposed && f.legal_basis.is_some())
    );
    let again: Vec<FindingView> = app
        .post_json(&path(&app, "findings/propose"), &reviewer, &json!(null))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.len(), proposed.len(), "proposing twice adds nothing");
    let before_conclusion: Vec<FindingView> = app
        .get(&path(&app, "findings"), &enterprise)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        before_conclusion.is_empty(),
        "the enterprise sees findings only once concluded"
    );

    // Concluding with undecided findings is refused.
    let conclusion =
        json!({"number": "45/KL-TTr", "summary": "Doanh nghiệp vi phạm quy định về ATVSLĐ."});
    assert_eq!(
        app.post_json(&path(&app, "conclusion"), &reviewer, &conclusion)
            .await
            .status(),
        409
    );
    let noise = proposed
        .iter()
        .find(|f| f.item_key.as_deref() == Some("workshop.noise_laeq"))
        .unwrap();
    let guards = proposed
        .iter()
        .find(|f| f.item_key.as_deref() == Some("osh.machine_guards"))
        .unwrap();
    let patch = |id: Uuid, body: serde_json::Value| {
        app.client
            .patch(app.url(&format!("/api/v1/findings/{id}")))
            .bearer_auth(&reviewer)
            .json(&body)
            .send()
    };
    assert_eq!(
        patch(noise.id, json!({"status": "confirmed"}))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        patch(guards.id, json!({"status": "dismissed"}))
            .await
            .unwrap()
            .status(),
        200
    );
    let yesterday = (Utc::now() - Duration::days(1)).date_naive();
    let action: CorrectiveActionView = app
        .post_json(
            &format!("/api/v1/findings/{}/corrective-actions", noise.id),
            &reviewer,
            &json!({"description": "Lắp buồng cách âm cho máy dập.", "due_date": yesterday}),
        )
        .await
        .json()
        .await
        .unwrap();
    let concluded = app
        .post_json(&path(&app, "conclusion"), &reviewer, &conclusion)
        .await;
    assert_eq!(concluded.status(), 201);
    let concluded: ConclusionView = concluded.json().await.unwrap();
    assert_eq!(concluded.findings.len(), 2, "staff see all findings");

    // Follow-up: the enterprise sees the confirmed finding and its overdue action.
    let seen: Vec<FindingView> = app
        .get(&path(&app, "findings"), &enterprise)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen.iter().map(|f| f.id).collect::<Vec<_>>(),
        vec![noise.id]
    );
    let overdue: Vec<CorrectiveActionView> = app
        .get("/api/v1/corrective-actions?overdue=true", &enterprise)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        overdue.iter().map(|a| (a.id, a.status)).collect::<Vec<_>>(),
        vec![(action.id, CorrectiveActionStatus::Overdue)]
    );

    // Proof: a PDF uploaded for the action, then submitted; refused once with a reason, then verified.
    let proof_id = Uuid::new_v4();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let upload = app
        .client
        .put(app.url(&format!("/api/v1/evidence/{proof_id}")))
        .bearer_auth(&enterprise)
        .query(&[
            ("inspection_id", app.demo.inspection_id.to_string()),
            ("item_key", format!("proof.{}", action.id)),
            ("kind", "document".to_owned()),
        ])
        .header("content-digest", content_digest(&pdf))
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201);
    let proof_path = format!("/api/v1/corrective-actions/{}/proof", action.id);
    let proof_body = json!({"evidence_ids": [proof_id], "note": "Đã lắp buồng cách âm."});
    let submit_proof = || app.post_json(&proof_path, &enterprise, &proof_body);
    let sent: CorrectiveActionView = submit_proof().await.json().await.unwrap();
    assert_eq!(sent.status, CorrectiveActionStatus::ProofSubmitted);
    let verify_path = format!("/api/v1/corrective-actions/{}/verify", action.id);
    let no_reason = json!({"accepted": false});
    assert_eq!(
        app.post_json(&verify_path, &reviewer, &no_reason)
            .await
            .status(),
        422,
        "a refusal needs a reason"
    );
    let refusal = json!({"accepted": false, "reason": "Chưa có kết quả đo lại."});
    let reopened: CorrectiveActionView = app
        .post_json(&verify_path, &reviewer, &refusal)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reopened.status, CorrectiveActionStatus::Overdue);
    assert_eq!(submit_proof().await.status(), 200);
    let accept = json!({"accepted": true});
    let verified: CorrectiveActionView = app
        .post_json(&verify_path, &reviewer, &accept)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verified.status, CorrectiveActionStatus::Verified);
    let overdue_after: Vec<CorrectiveActionView> = app
        .get("/api/v1/corrective-actions?overdue=true", &reviewer)
        .await
        .json()
        .await
        .unwrap();
    assert!(overdue_after.is_empty());
}

async fn reviews_need_a_reason_and_a_real_target(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let before_submission = app
        .post_json(
            &path(&app, "reviews"),
            &reviewer,
            &json!({"target": {"type": "evidence", "id": Uuid::new_v4()}, "decision": "approved"}),
        )
        .await;
    assert_eq!(
        before_submission.status(),
        409,
        "nothing to review before submission"
    );
    let photo = submitted_site_visit(&app).await;

    let no_reason = app
        .post_json(
            &path(&app, "reviews"),
            &reviewer,
            &json!({"target": {"type": "evidence", "id": photo}, "decision": "rejected"}),
        )
        .await;
    let unknown = app
        .post_json(
            &path(&app, "reviews"),
            &reviewer,
            &json!({"target": {"type": "evidence", "id": Uuid::new_v4()}, "decision": "approved"}),
        )
        .await;
    let by_inspector = app
        .post_json(
            &path(&app, "reviews"),
            &app.token(INSPECTOR).await,
            &json!({"target": {"type": "evidence", "id": photo}, "decision": "approved"}),
        )
        .await;

    assert_eq!(no_reason.status(), 422);
    assert_eq!(error_body(no_reason).await.details[0].field, "reason");
    assert_eq!(unknown.status(), 422);
    assert_eq!(by_inspector.status(), 403);
    let enterprise_reads = app
        .get(&path(&app, "reviews"), &app.token(ENTERPRISE).await)
        .await;
    assert_eq!(enterprise_reads.status(), 403);
}
