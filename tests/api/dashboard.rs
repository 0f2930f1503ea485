//! The agency's dashboard: counts by status, evidence waiting for a decision, corrective actions
//! due this week and overdue; reviewers and admins only.

use chrono::{Duration, Utc};
use kiemtra_shared::dashboard::Dashboard;
use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::review::FindingView;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, spawn_app};
use crate::review::submitted_site_visit;

both_backends!(
    the_dashboard_counts_what_waits_for_the_agency,
    only_reviewers_and_admins_see_the_dashboard,
);

async fn dashboard(app: &TestApp, token: &str) -> Dashboard {
    let response = app.get("/api/v1/dashboard", token).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn count(dashboard: &Dashboard, status: InspectionStatus) -> u64 {
    dashboard
        .inspections_by_status
        .iter()
        .find(|c| c.status == status)
        .map(|c| c.count)
        .expect("every status is listed")
}

async fn the_dashboard_counts_what_waits_for_the_agency(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;

    // The demo: one inspection under way, one planned, nothing to review or follow up.
    let start = dashboard(&app, &reviewer).await;
    assert_eq!(start.today, Utc::now().date_naive());
    assert_eq!(
        start.inspections_by_status.len(),
        InspectionStatus::ALL.len()
    );
    assert_eq!(count(&start, InspectionStatus::InProgress), 1);
    assert_eq!(count(&start, InspectionStatus::Planned), 1);
    assert_eq!(start.evidence_awaiting_review, 0);
    assert_eq!((start.actions_due_this_week, start.overdue_total), (0, 0));

    // The site checklist comes in with a photo: one piece of evidence waits for a decision.
    let photo = submitted_site_visit(&app).await;
    let submitted = dashboard(&app, &reviewer).await;
    assert_eq!(count(&submitted, InspectionStatus::Submitted), 1);
    assert_eq!(count(&submitted, InspectionStatus::InProgress), 0);
    assert_eq!(submitted.evidence_awaiting_review, 1);

    let inspection = app.demo.inspection_id;
    let decided = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/reviews"),
            &reviewer,
            &json!({"target": {"type": "evidence", "id": photo}, "decision": "approved"}),
        )
        .await;
    assert_eq!(decided.status(), 201);
    let reviewed = dashboard(&app, &reviewer).await;
    assert_eq!(reviewed.evidence_awaiting_review, 0);
    assert_eq!(count(&reviewed, InspectionStatus::UnderReview), 1);

    // Three actions on the noise finding: one a day late, one due in three days, one later.
    let proposed: Vec<FindingView> = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/findings/propose"),
            &reviewer,
            &json!(null),
        )
        .await
        .json()
        .await
        .unwrap();
    let noise = proposed
        .iter()
        .find(|f| f.item_key.as_deref() == Some("workshop.noise_laeq"))
        .unwrap();
    let confirmed = app
        .client
        .patch(app.url(&format!("/api/v1/findings/{}", noise.id)))
        .bearer_auth(&reviewer)
        .json(&json!({"status": "confirmed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let today = Utc::now().date_naive();
    for (days, description) in [
        (-1, "Lắp buồng cách âm cho máy dập."),
        (3, "Cấp nút tai chống ồn."),
        (10, "Đo lại tiếng ồn."),
    ] {
        let created = app
            .post_json(
                &format!("/api/v1/findings/{}/corrective-actions", noise.id),
                &reviewer,
                &json!({"description": description, "due_date": today + Duration::days(days)}),
            )
            .await;
        assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    }
    let followed = dashboard(&app, &reviewer).await;
    assert_eq!(followed.actions_due_this_week, 1);
    assert_eq!(followed.overdue_total, 1);
    let late = &followed.overdue[0];
    assert_eq!(late.days_late, 1);
    assert_eq!(late.description, "Lắp buồng cách âm cho máy dập.");
    assert_eq!(late.decision_number, "125/QĐ-TTr");
    assert!(late.enterprise_name.contains("Sông Hồng"), "{late:?}");
    assert_eq!(late.inspection_id, inspection);

    // An admin of the same agency sees the same counts.
    let admin = app.token(ADMIN).await;
    assert_eq!(dashboard(&app, &admin).await, followed);
}

async fn only_reviewers_and_admins_see_the_dashboard(backend: Backend) {
    let app = spawn_app(backend).await;
    for email in [INSPECTOR, ENTERPRISE] {
        let token = app.token(email).await;
        assert_eq!(
            app.get("/api/v1/dashboard", &token).await.status(),
            403,
            "{email}"
        );
    }
    let anonymous = app
        .client
        .get(app.url("/api/v1/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
