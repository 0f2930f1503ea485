//! The follow-up list (`GET /corrective-actions`): each action named by its enterprise,
//! decision number and finding, filtered by status and by due date, paged, and consistent with
//! the dashboard's figures.

use chrono::{Days, NaiveDate};
use kiemtra_shared::dashboard::Dashboard;
use kiemtra_shared::inspection::InspectionDetail;
use kiemtra_shared::review::{CorrectiveActionLine, CorrectiveActionStatus, CorrectiveActionView};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    Backend, ENTERPRISE, REVIEWER, TestApp, content_digest, error_body, spawn_app,
};
use crate::review::submitted_site_visit;

both_backends!(
    the_follow_up_list_names_and_filters_actions,
    the_follow_up_filter_is_checked,
);

/// A corrective action of `finding` due `days` from today (negative: in the past).
async fn action_due(app: &TestApp, token: &str, finding: Uuid, days: i64, text: &str) -> Uuid {
    let today = app.clock.today();
    let due: NaiveDate = if days < 0 {
        today - Days::new(days.unsigned_abs())
    } else {
        today + Days::new(days as u64)
    };
    let created = app
        .post_json(
            &format!("/api/v1/findings/{finding}/corrective-actions"),
            token,
            &json!({"description": text, "due_date": due}),
        )
        .await;
    assert_eq!(created.status(), 201);
    created.json::<CorrectiveActionView>().await.unwrap().id
}

/// The enterprise uploads a document for `action` and sends it as proof.
async fn send_proof(app: &TestApp, enterprise: &str, action: Uuid) {
    let proof_id = Uuid::new_v4();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let upload = app
        .client
        .put(app.url(&format!("/api/v1/evidence/{proof_id}")))
        .bearer_auth(enterprise)
        .query(&[
            ("inspection_id", app.demo.inspection_id.to_string()),
            ("item_key", format!("proof.{action}")),
            ("kind", "document".to_owned()),
        ])
        .header("content-digest", content_digest(&pdf))
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201);
    let sent = app
        .post_json(
            &format!("/api/v1/corrective-actions/{action}/proof"),
            enterprise,
            &json!({"evidence_ids": [proof_id], "note": null}),
        )
        .await;
    assert_eq!(sent.status(), 200);
}

/// The lines of one request, with its `X-Total-Count`.
async fn lines(app: &TestApp, token: &str, query: &str) -> (Vec<CorrectiveActionLine>, u64) {
    let response = app
        .get(&format!("/api/v1/corrective-actions?{query}"), token)
        .await;
    assert_eq!(response.status(), 200, "{query}");
    let total = response.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (response.json().await.unwrap(), total)
}

fn ids(lines: &[CorrectiveActionLine]) -> Vec<Uuid> {
    lines.iter().map(|l| l.action.id).collect()
}

async fn the_follow_up_list_names_and_filters_actions(backend: Backend) {
    // Arrange: one finding with five actions in every state of the follow-up.
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let enterprise = app.token(ENTERPRISE).await;
    submitted_site_visit(&app).await;
    let inspection = app.demo.inspection_id;
    let under_review = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/transition"),
            &reviewer,
            &json!({"to": "under_review"}),
        )
        .await;
    assert_eq!(under_review.status(), 200);
    let finding: Uuid = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/findings"),
            &reviewer,
            &json!({"title": "Tiếng ồn vượt giới hạn", "description": "90 dBA / 8 giờ.",
                    "legal_basis": "QCVN 24:2016/BYT", "severity": "major"}),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let overdue = action_due(&app, &reviewer, finding, -2, "Quá hạn").await;
    let this_week = action_due(&app, &reviewer, finding, 3, "Trong tuần").await;
    let later = action_due(&app, &reviewer, finding, 20, "Sau này").await;
    let with_proof = action_due(&app, &reviewer, finding, 5, "Đã nộp minh chứng").await;
    let verified = action_due(&app, &reviewer, finding, -5, "Đã xác nhận").await;
    let concluded = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/conclusion"),
            &reviewer,
            &json!({"number": "45/KL-TTr", "summary": "Vi phạm về tiếng ồn."}),
        )
        .await;
    assert_eq!(concluded.status(), 201);
    send_proof(&app, &enterprise, with_proof).await;
    send_proof(&app, &enterprise, verified).await;
    let accepted = app
        .post_json(
            &format!("/api/v1/corrective-actions/{verified}/verify"),
            &reviewer,
            &json!({"accepted": true}),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    let detail: InspectionDetail = app
        .get(&format!("/api/v1/inspections/{inspection}"), &reviewer)
        .await
        .json()
        .await
        .unwrap();

    // Act and assert: each filter holds exactly its actions, the overdue first, then by due
    // date (the verified one was due before the overdue one, and comes after it).
    let (all, total) = lines(&app, &reviewer, "").await;
    assert_eq!(total, 5);
    assert_eq!(
        ids(&all),
        vec![overdue, verified, this_week, with_proof, later]
    );
    let first = &all[0];
    assert_eq!(first.enterprise_name, detail.summary.enterprise_name);
    assert_eq!(first.decision_number, detail.summary.decision_number);
    assert_eq!(first.finding_title, "Tiếng ồn vượt giới hạn");
    assert_eq!(first.action.status, CorrectiveActionStatus::Overdue);
    assert_eq!(first.days_late, 2);
    assert!(all[1..].iter().all(|l| l.days_late == 0));

    let by = |query: &'static str| {
        let (app, reviewer) = (&app, &reviewer);
        async move { ids(&lines(app, reviewer, query).await.0) }
    };
    assert_eq!(by("status=overdue").await, vec![overdue]);
    assert_eq!(by("overdue=true").await, vec![overdue]);
    assert_eq!(by("status=open").await, vec![this_week, later]);
    assert_eq!(by("status=proof_submitted").await, vec![with_proof]);
    assert_eq!(by("status=verified").await, vec![verified]);
    assert_eq!(by("due_within_days=7").await, vec![this_week]);

    // The dashboard counts what the list holds.
    let dashboard: Dashboard = app
        .get("/api/v1/dashboard", &reviewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dashboard.actions_due_this_week, 1);
    assert_eq!(dashboard.overdue_total, 1);

    // Paged: the last page of two holds the fifth, with the total of all.
    let (last_page, total) = lines(&app, &reviewer, "per_page=2&page=3").await;
    assert_eq!((ids(&last_page), total), (vec![later], 5));

    // The enterprise follows its own actions, named the same way.
    let (seen, _) = lines(&app, &enterprise, "status=overdue").await;
    assert_eq!(ids(&seen), vec![overdue]);

    // Four days on, the action due in three days is one day late, and listed after the older.
    app.advance_clock(4 * 24 * 3600);
    let reviewer = app.token(REVIEWER).await;
    let (late, _) = lines(&app, &reviewer, "status=overdue").await;
    assert_eq!(
        late.iter()
            .map(|l| (l.action.id, l.days_late))
            .collect::<Vec<_>>(),
        vec![(overdue, 6), (this_week, 1)]
    );
}

async fn the_follow_up_filter_is_checked(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    for (query, field) in [
        ("overdue=true&status=open", "status"),
        ("due_within_days=0", "due_within_days"),
        ("due_within_days=400", "due_within_days"),
    ] {
        let refused = app
            .get(&format!("/api/v1/corrective-actions?{query}"), &reviewer)
            .await;
        assert_eq!(refused.status(), 422, "{query}");
        assert_eq!(error_body(refused).await.details[0].field, field, "{query}");
    }
    let unknown = app
        .get("/api/v1/corrective-actions?status=late", &reviewer)
        .await;
    assert_eq!(unknown.status(), 422);
}
