//! The agency's inspection list: its filters, its order, its paging and the counts of each line.

use kiemtra_shared::inspection::{InspectionDetail, InspectionSummary};
use kiemtra_shared::review::FindingView;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app,
};
use crate::review::submitted_site_visit;

both_backends!(
    the_list_filters_by_status_enterprise_campaign_number_and_dates,
    the_agency_list_is_newest_first_and_paged,
    each_line_counts_waiting_evidence_findings_and_open_actions,
    a_filter_that_does_not_parse_is_a_422_naming_it,
);

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    let me: kiemtra_shared::auth::Me = app
        .get("/api/v1/me", &app.token(email).await)
        .await
        .json()
        .await
        .unwrap();
    me.id
}

/// Plans an inspection as the admin, with the demo inspector on the team.
async fn plan(
    app: &TestApp,
    enterprise: Uuid,
    number: &str,
    campaign: Option<&str>,
    dates: (&str, &str),
) -> Uuid {
    let admin = app.token(ADMIN).await;
    let body = json!({
        "enterprise_id": enterprise, "decision_number": number, "title": "Thanh tra",
        "campaign": campaign, "planned_start": dates.0, "planned_end": dates.1,
        "lead_id": user_id(app, REVIEWER).await, "member_ids": [user_id(app, INSPECTOR).await],
        "site_template_id": app.demo.site_template_id,
    });
    let response = app.post_json("/api/v1/inspections", &admin, &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let detail: InspectionDetail = response.json().await.unwrap();
    detail.summary.id
}

async fn list(app: &TestApp, token: &str, query: &str) -> (Vec<InspectionSummary>, u64) {
    let response = app
        .get(&format!("/api/v1/inspections?{query}"), token)
        .await;
    assert_eq!(response.status(), 200, "{query}");
    let total = response.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (response.json().await.unwrap(), total)
}

async fn ids(app: &TestApp, token: &str, query: &str) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = list(app, token, query)
        .await
        .0
        .iter()
        .map(|i| i.id)
        .collect();
    ids.sort();
    ids
}

const NONE: Vec<Uuid> = Vec::new();

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

async fn the_list_filters_by_status_enterprise_campaign_number_and_dates(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let (demo, other) = (app.demo.inspection_id, app.demo.other_inspection_id);
    let december = plan(
        &app,
        app.demo.enterprise_id,
        "301/QĐ-TTr",
        Some("Phòng cháy chữa cháy 2026"),
        ("2026-12-10", "2026-12-12"),
    )
    .await;

    // Status: one, or several separated by commas.
    assert_eq!(ids(&app, &reviewer, "status=in_progress").await, vec![demo]);
    assert_eq!(
        ids(&app, &reviewer, "status=planned").await,
        sorted(vec![other, december])
    );
    assert_eq!(
        ids(&app, &reviewer, "status=planned,in_progress").await,
        sorted(vec![demo, other, december])
    );
    assert_eq!(ids(&app, &reviewer, "status=closed").await, NONE);
    // The enterprise.
    assert_eq!(
        ids(
            &app,
            &reviewer,
            &format!("enterprise={}", app.demo.enterprise_id)
        )
        .await,
        sorted(vec![demo, december])
    );
    // Part of the campaign or of the decision number, whatever the case.
    assert_eq!(
        ids(&app, &reviewer, "campaign=ch%C3%A1y").await,
        vec![december]
    );
    assert_eq!(
        ids(&app, &reviewer, "decision_number=301").await,
        vec![december]
    );
    assert_eq!(
        ids(&app, &reviewer, "decision_number=q%C4%90-ttr")
            .await
            .len(),
        3,
        "QĐ typed in another case"
    );
    assert_eq!(
        ids(&app, &reviewer, "decision_number=%25").await,
        NONE,
        "% is no wildcard"
    );
    // Planned dates overlapping the period.
    assert_eq!(
        ids(&app, &reviewer, "from=2026-12-01").await,
        vec![december]
    );
    assert_eq!(
        ids(&app, &reviewer, "to=2026-11-23").await,
        sorted(vec![demo, other])
    );
    assert_eq!(
        ids(&app, &reviewer, "from=2026-11-27&to=2026-12-10").await,
        sorted(vec![demo, other, december])
    );
    assert_eq!(
        ids(&app, &reviewer, "from=2026-11-28&to=2026-12-09").await,
        NONE
    );
    // Filters add up; empty ones are none.
    assert_eq!(
        ids(
            &app,
            &reviewer,
            "status=planned&enterprise=&campaign=&decision_number=126"
        )
        .await,
        vec![other]
    );
    // An inspector filters within their own inspections only.
    let inspector = app.token(INSPECTOR).await;
    assert_eq!(
        ids(&app, &inspector, "status=planned").await,
        vec![december]
    );
}

async fn the_agency_list_is_newest_first_and_paged(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let later = plan(
        &app,
        app.demo.enterprise_id,
        "302/QĐ-TTr",
        None,
        ("2027-01-05", "2027-01-06"),
    )
    .await;
    let earlier = plan(
        &app,
        app.demo.enterprise_id,
        "303/QĐ-TTr",
        None,
        ("2026-10-01", "2026-10-02"),
    )
    .await;

    let (newest, total) = list(&app, &reviewer, "sort=newest").await;
    assert_eq!(total, 4);
    assert_eq!(newest.first().map(|i| i.id), Some(later));
    assert_eq!(newest.last().map(|i| i.id), Some(earlier));
    // The phone's order stays the default: earliest planned start first.
    let (planned, _) = list(&app, &reviewer, "").await;
    assert_eq!(planned.first().map(|i| i.id), Some(earlier));

    // Pages of one, in order, add up to the whole list.
    let mut paged = Vec::new();
    for page in 1..=4 {
        let (items, total) = list(
            &app,
            &reviewer,
            &format!("sort=newest&per_page=1&page={page}"),
        )
        .await;
        assert_eq!((items.len(), total), (1, 4));
        paged.push(items[0].id);
    }
    assert_eq!(paged, newest.iter().map(|i| i.id).collect::<Vec<_>>());
    let (beyond, total) = list(&app, &reviewer, "sort=newest&per_page=1&page=5").await;
    assert_eq!((beyond.len(), total), (0, 4));
}

async fn counts_of(app: &TestApp, token: &str, id: Uuid) -> Value {
    let response = app.get("/api/v1/inspections?per_page=100", token).await;
    let lines: Vec<Value> = response.json().await.unwrap();
    lines
        .into_iter()
        .find(|l| l["id"] == json!(id))
        .expect("the inspection is listed")["counts"]
        .clone()
}

async fn each_line_counts_waiting_evidence_findings_and_open_actions(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let inspection = app.demo.inspection_id;
    let zero = json!({"evidence_awaiting_review": 0, "findings_confirmed": 0,
        "findings_proposed": 0, "open_actions": 0});
    assert_eq!(counts_of(&app, &reviewer, inspection).await, zero);

    let photo = submitted_site_visit(&app).await;
    assert_eq!(
        counts_of(&app, &reviewer, inspection).await["evidence_awaiting_review"],
        1
    );
    let decided = app
        .post_json(
            &format!("/api/v1/inspections/{inspection}/reviews"),
            &reviewer,
            &json!({"target": {"type": "evidence", "id": photo}, "decision": "approved"}),
        )
        .await;
    assert_eq!(decided.status(), 201);

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
    assert!(proposed.len() >= 2, "{proposed:?}");
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
    for description in ["Lắp buồng cách âm.", "Cấp nút tai chống ồn."] {
        let created = app
            .post_json(
                &format!("/api/v1/findings/{}/corrective-actions", noise.id),
                &reviewer,
                &json!({"description": description, "due_date": "2027-01-15"}),
            )
            .await;
        assert_eq!(created.status(), 201);
    }

    let counted = counts_of(&app, &reviewer, inspection).await;
    assert_eq!(
        counted,
        json!({"evidence_awaiting_review": 0, "findings_confirmed": 1,
            "findings_proposed": proposed.len() - 1, "open_actions": 2})
    );
    // The admin sees the same; the other inspection its own zeros.
    let admin = app.token(ADMIN).await;
    assert_eq!(counts_of(&app, &admin, inspection).await, counted);
    assert_eq!(
        counts_of(&app, &admin, app.demo.other_inspection_id).await,
        zero
    );
    // Neither the phone nor the enterprise gets the review's progress.
    for email in [INSPECTOR, ENTERPRISE] {
        let token = app.token(email).await;
        assert_eq!(
            counts_of(&app, &token, inspection).await,
            Value::Null,
            "{email}"
        );
    }
}

async fn a_filter_that_does_not_parse_is_a_422_naming_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    for (query, field) in [
        ("status=planned,finished", "status"),
        ("enterprise=not-an-id", "enterprise"),
        ("from=2026-13-01", "from"),
        ("to=27/11/2026", "to"),
        ("from=2026-12-02&to=2026-12-01", "to"),
        ("sort=oldest", "sort"),
        ("page=0", "page"),
        ("colour=blue", "query"),
    ] {
        let response = app
            .get(&format!("/api/v1/inspections?{query}"), &reviewer)
            .await;
        assert_eq!(response.status(), 422, "{query}");
        let fields: Vec<String> = error_body(response)
            .await
            .details
            .into_iter()
            .map(|d| d.field)
            .collect();
        assert_eq!(fields, vec![field.to_owned()], "{query}");
    }
}
