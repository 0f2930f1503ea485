//! Changing the plan of an inspection (dates and team) while it is planned, and who may: the
//! agency's admins and the reviewer who leads the team.

use kiemtra_shared::auth::UserView;
use kiemtra_shared::inspection::InspectionDetail;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, PASSWORD, REVIEWER, TestApp, error_body, spawn_app,
};

both_backends!(
    a_planned_inspection_changes_its_dates_and_team,
    the_plan_is_checked_as_when_it_was_made,
    the_plan_is_fixed_once_the_inspection_is_under_way,
    only_admins_and_the_reviewer_leading_the_team_change_the_plan,
    reviewers_list_the_active_staff_of_their_agency,
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

async fn patch(app: &TestApp, token: &str, id: Uuid, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/inspections/{id}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A new inspector of the demo agency, made by the admin.
async fn new_inspector(app: &TestApp, email: &str) -> Uuid {
    let admin = app.token(ADMIN).await;
    let response = app
        .post_json(
            "/api/v1/users",
            &admin,
            &json!({"email": email, "display_name": "Phạm Thị Đo", "role": "inspector",
                "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let user: UserView = response.json().await.unwrap();
    user.id
}

/// A planned inspection of the demo enterprise led by the demo reviewer, made by the admin.
async fn planned(app: &TestApp) -> Uuid {
    let admin = app.token(ADMIN).await;
    let response = app
        .post_json(
            "/api/v1/inspections",
            &admin,
            &json!({
                "enterprise_id": app.demo.enterprise_id, "decision_number": "401/QĐ-TTr",
                "title": "Thanh tra kế hoạch", "planned_start": "2026-12-10",
                "planned_end": "2026-12-11", "lead_id": user_id(app, REVIEWER).await,
                "member_ids": [user_id(app, INSPECTOR).await],
                "site_template_id": app.demo.site_template_id,
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let detail: InspectionDetail = response.json().await.unwrap();
    detail.summary.id
}

async fn a_planned_inspection_changes_its_dates_and_team(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = planned(&app).await;
    let second = new_inspector(&app, "do@kiemtra.test").await;
    let reviewer = app.token(REVIEWER).await;

    let response = patch(
        &app,
        &reviewer,
        id,
        json!({"planned_start": "2026-12-14", "planned_end": "2026-12-16",
            "member_ids": [user_id(&app, INSPECTOR).await, second]}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let detail: InspectionDetail = response.json().await.unwrap();
    assert_eq!(detail.summary.planned_start.to_string(), "2026-12-14");
    assert_eq!(detail.summary.planned_end.to_string(), "2026-12-16");
    assert_eq!(detail.team.len(), 3);
    assert!(detail.team[0].lead && detail.team[0].user_id == user_id(&app, REVIEWER).await);
    // The new member sees it on their phone; a member taken off no longer does.
    let admin = app.token(ADMIN).await;
    let response = patch(&app, &admin, id, json!({"member_ids": [second]})).await;
    assert_eq!(response.status(), 200);
    let inspector = app.token(INSPECTOR).await;
    let seen = app
        .get(&format!("/api/v1/inspections/{id}"), &inspector)
        .await;
    assert_eq!(seen.status(), 404);
    let second_token = app.token("do@kiemtra.test").await;
    let seen = app
        .get(&format!("/api/v1/inspections/{id}"), &second_token)
        .await;
    assert_eq!(seen.status(), 200);
    // Only the end moves: the start stays.
    let response = patch(&app, &admin, id, json!({"planned_end": "2026-12-20"})).await;
    let detail: InspectionDetail = response.json().await.unwrap();
    assert_eq!(detail.summary.planned_start.to_string(), "2026-12-14");
    assert_eq!(detail.summary.planned_end.to_string(), "2026-12-20");
    assert_eq!(detail.team.len(), 2, "the team stays as it was");
}

async fn the_plan_is_checked_as_when_it_was_made(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = planned(&app).await;
    let admin = app.token(ADMIN).await;
    let enterprise_user = user_id(&app, ENTERPRISE).await;

    for (body, field) in [
        (json!({"planned_end": "2026-12-01"}), "planned_end"),
        (json!({"member_ids": [enterprise_user]}), "member_ids[0]"),
        (json!({"lead_id": enterprise_user}), "lead_id"),
    ] {
        let response = patch(&app, &admin, id, body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let fields: Vec<String> = error_body(response)
            .await
            .details
            .into_iter()
            .map(|d| d.field)
            .collect();
        assert_eq!(fields, vec![field.to_owned()], "{body}");
    }
    let unchanged: InspectionDetail = app
        .get(&format!("/api/v1/inspections/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged.summary.planned_end.to_string(), "2026-12-11");
    assert_eq!(unchanged.team.len(), 2);
}

async fn the_plan_is_fixed_once_the_inspection_is_under_way(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;

    let response = patch(
        &app,
        &reviewer,
        app.demo.inspection_id,
        json!({"planned_end": "2026-12-30"}),
    )
    .await;

    assert_eq!(response.status(), 409);
    assert_eq!(error_body(response).await.code, "conflict");
}

async fn only_admins_and_the_reviewer_leading_the_team_change_the_plan(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"planned_end": "2026-12-30"});
    // 126/QĐ-TTr has no team yet: the reviewer does not lead it.
    let other = app.demo.other_inspection_id;
    let reviewer = app.token(REVIEWER).await;
    assert_eq!(
        patch(&app, &reviewer, other, body.clone()).await.status(),
        403
    );
    let moved = app
        .post_json(
            &format!("/api/v1/inspections/{other}/transition"),
            &reviewer,
            &json!({"to": "preparing"}),
        )
        .await;
    assert_eq!(moved.status(), 403);
    let inspector = app.token(INSPECTOR).await;
    let led = planned(&app).await;
    assert_eq!(
        patch(&app, &inspector, led, body.clone()).await.status(),
        403
    );
    let enterprise = app.token(ENTERPRISE).await;
    assert_eq!(
        patch(&app, &enterprise, led, body.clone()).await.status(),
        403
    );
    let anonymous = app
        .client
        .patch(app.url(&format!("/api/v1/inspections/{led}")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // The admin may; so may the reviewer on the inspection they lead.
    let admin = app.token(ADMIN).await;
    assert_eq!(patch(&app, &admin, other, body.clone()).await.status(), 200);
    assert_eq!(
        patch(&app, &reviewer, led, body.clone()).await.status(),
        200
    );

    // A reviewer plans only an inspection they lead.
    let response = app
        .post_json(
            "/api/v1/inspections",
            &reviewer,
            &json!({
                "enterprise_id": app.demo.enterprise_id, "decision_number": "402/QĐ-TTr",
                "title": "Thanh tra", "planned_start": "2026-12-10", "planned_end": "2026-12-11",
                "lead_id": user_id(&app, INSPECTOR).await,
                "site_template_id": app.demo.site_template_id,
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let error = error_body(response).await;
    assert_eq!(
        error
            .details
            .iter()
            .map(|d| (d.field.as_str(), d.code.as_str()))
            .collect::<Vec<_>>(),
        vec![("lead_id", "lead_yourself")]
    );
}

async fn reviewers_list_the_active_staff_of_their_agency(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;
    let gone = new_inspector(&app, "nghi@kiemtra.test").await;
    let disabled = app
        .client
        .patch(app.url(&format!("/api/v1/users/{gone}")))
        .bearer_auth(&admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);

    let reviewer = app.token(REVIEWER).await;
    let response = app.get("/api/v1/users", &reviewer).await;
    assert_eq!(response.status(), 200);
    let seen: Vec<UserView> = response.json().await.unwrap();
    let mut emails: Vec<&str> = seen.iter().map(|u| u.email.as_str()).collect();
    emails.sort();
    assert_eq!(emails, vec![ADMIN, INSPECTOR, REVIEWER]);
    // The admin still sees everyone, the disabled account and the enterprise's too.
    let all: Vec<UserView> = app.get("/api/v1/users", &admin).await.json().await.unwrap();
    assert!(all.iter().any(|u| u.id == gone && !u.active));
    assert!(all.iter().any(|u| u.email == ENTERPRISE));
}
