//! Responses as versions: drafts, submission checked by the form engine, amendments, history;
//! planning inspections and their status machine.

use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus, ResponseView};
use kiemtra_shared::response::{Party, ResponseStatus};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app,
};

both_backends!(
    enterprise_drafts_and_submits_its_questionnaire,
    an_incomplete_form_cannot_be_submitted,
    an_amendment_is_a_new_version_and_keeps_the_history,
    only_the_forms_party_writes_it,
    the_team_cannot_see_enterprise_drafts_of_others_but_enterprises_cannot_see_team_forms,
    planning_an_inspection_checks_team_and_templates,
    the_status_machine_names_the_allowed_moves,
    a_reviewer_walks_an_inspection_to_closed,
);

async fn start_draft(app: &TestApp, token: &str, template_id: Uuid) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/inspections/{}/responses", app.demo.inspection_id),
        token,
        &json!({"id": Uuid::new_v4(), "template_id": template_id}),
    )
    .await
}

async fn put_answers(
    app: &TestApp,
    token: &str,
    id: Uuid,
    answers: serde_json::Value,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/responses/{id}/answers")))
        .bearer_auth(token)
        .json(&json!({"answers": answers}))
        .send()
        .await
        .unwrap()
}

/// A complete site checklist: the one required item answered.
fn site_answers(guards: &str) -> serde_json::Value {
    json!({"items": {"osh.machine_guards": {"type": "yes_no", "value": guards}}})
}

async fn site_draft(app: &TestApp, token: &str) -> ResponseView {
    let response = start_draft(app, token, app.demo.site_template_id).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn submit(app: &TestApp, token: &str, id: Uuid) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/responses/{id}/submit"),
        token,
        &json!(null),
    )
    .await
}

async fn enterprise_drafts_and_submits_its_questionnaire(backend: Backend) {
    let app = spawn_app(backend).await;
    let enterprise = app.token(ENTERPRISE).await;

    let response = start_draft(&app, &enterprise, app.demo.questionnaire_template_id).await;

    assert_eq!(response.status(), 201);
    let draft: ResponseView = response.json().await.unwrap();
    assert_eq!(
        (draft.party, draft.status, draft.version),
        (Party::Enterprise, ResponseStatus::Draft, 1)
    );
    let incomplete = submit(&app, &enterprise, draft.id).await;
    assert_eq!(
        incomplete.status(),
        422,
        "the questionnaire has required items"
    );
}

async fn an_incomplete_form_cannot_be_submitted(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let draft = site_draft(&app, &inspector).await;
    // A draft may be incomplete...
    assert_eq!(
        put_answers(&app, &inspector, draft.id, json!({"items": {}}))
            .await
            .status(),
        200
    );
    // ...but not ill-typed.
    let wrong = put_answers(
        &app,
        &inspector,
        draft.id,
        json!({"items": {"osh.machine_guards": {"type": "number", "value": 3}}}),
    )
    .await;
    assert_eq!(wrong.status(), 422);

    let response = submit(&app, &inspector, draft.id).await;

    assert_eq!(response.status(), 422);
    let body = error_body(response).await;
    assert!(
        body.details
            .iter()
            .any(|d| d.field == "answers.sections[0].items[0]" && d.code == "required"),
        "{body:?}"
    );
}

async fn an_amendment_is_a_new_version_and_keeps_the_history(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let reviewer = app.token(REVIEWER).await;
    let draft = site_draft(&app, &inspector).await;
    assert_eq!(
        put_answers(&app, &inspector, draft.id, site_answers("no"))
            .await
            .status(),
        200
    );
    assert_eq!(submit(&app, &inspector, draft.id).await.status(), 200);
    // The reviewer sends the inspection back for more capture.
    let back = app
        .post_json(
            &format!("/api/v1/inspections/{}/transition", app.demo.inspection_id),
            &reviewer,
            &json!({"to": "under_review"}),
        )
        .await;
    assert_eq!(back.status(), 200);
    let back = app
        .post_json(
            &format!("/api/v1/inspections/{}/transition", app.demo.inspection_id),
            &reviewer,
            &json!({"to": "in_progress"}),
        )
        .await;
    assert_eq!(back.status(), 200);

    let amendment_id = Uuid::new_v4();
    let amend = app
        .post_json(
            &format!("/api/v1/responses/{}/amend", draft.id),
            &inspector,
            &json!({"id": amendment_id}),
        )
        .await;
    assert_eq!(amend.status(), 201);
    let retry = app
        .post_json(
            &format!("/api/v1/responses/{}/amend", draft.id),
            &inspector,
            &json!({"id": amendment_id}),
        )
        .await;
    assert_eq!(retry.status(), 200, "a retried amendment is the same one");
    assert_eq!(
        put_answers(&app, &inspector, amendment_id, site_answers("yes"))
            .await
            .status(),
        200
    );
    assert_eq!(submit(&app, &inspector, amendment_id).await.status(), 200);

    let history: Vec<ResponseView> = app
        .get(
            &format!("/api/v1/responses/{amendment_id}/versions"),
            &reviewer,
        )
        .await
        .json()
        .await
        .unwrap();
    let summary: Vec<(i32, ResponseStatus)> =
        history.iter().map(|r| (r.version, r.status)).collect();
    assert_eq!(
        summary,
        vec![
            (1, ResponseStatus::Superseded),
            (2, ResponseStatus::Submitted)
        ]
    );
    assert_ne!(
        history[0].answers, history[1].answers,
        "the first version keeps its answers"
    );
    let detail: InspectionDetail = app
        .get(
            &format!("/api/v1/inspections/{}", app.demo.inspection_id),
            &reviewer,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.site_response.map(|r| r.id), Some(amendment_id));
    assert_eq!(detail.summary.status, InspectionStatus::Submitted);
}

async fn only_the_forms_party_writes_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let enterprise = app.token(ENTERPRISE).await;
    let inspector = app.token(INSPECTOR).await;
    let reviewer = app.token(REVIEWER).await;

    assert_eq!(
        start_draft(&app, &enterprise, app.demo.site_template_id)
            .await
            .status(),
        403
    );
    assert_eq!(
        start_draft(&app, &inspector, app.demo.questionnaire_template_id)
            .await
            .status(),
        403
    );
    assert_eq!(
        start_draft(&app, &reviewer, app.demo.site_template_id)
            .await
            .status(),
        403
    );
    let draft = site_draft(&app, &inspector).await;
    assert_eq!(
        put_answers(&app, &reviewer, draft.id, site_answers("yes"))
            .await
            .status(),
        403
    );
}

async fn the_team_cannot_see_enterprise_drafts_of_others_but_enterprises_cannot_see_team_forms(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let enterprise = app.token(ENTERPRISE).await;
    let site = site_draft(&app, &inspector).await;
    let questionnaire: ResponseView =
        start_draft(&app, &enterprise, app.demo.questionnaire_template_id)
            .await
            .json()
            .await
            .unwrap();

    assert_eq!(
        app.get(&format!("/api/v1/responses/{}", site.id), &enterprise)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/responses/{}", questionnaire.id),
            &inspector
        )
        .await
        .status(),
        200
    );
}

fn plan(app: &TestApp, lead: Uuid, members: Vec<Uuid>) -> serde_json::Value {
    json!({
        "enterprise_id": app.demo.other_enterprise_id,
        "decision_number": "301/QĐ-TTr", "title": "Thanh tra chuyên đề xây dựng",
        "campaign": "ATVSLĐ xây dựng 2026",
        "planned_start": "2026-12-01", "planned_end": "2026-12-03",
        "lead_id": lead, "member_ids": members,
        "site_template_id": app.demo.site_template_id,
        "questionnaire_template_id": app.demo.questionnaire_template_id,
        "self_inspection_template_id": app.demo.self_inspection_template_id,
    })
}

async fn me(app: &TestApp, email: &str) -> Uuid {
    let me: kiemtra_shared::auth::Me = app
        .get("/api/v1/me", &app.token(email).await)
        .await
        .json()
        .await
        .unwrap();
    me.id
}

async fn planning_an_inspection_checks_team_and_templates(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let (reviewer_id, inspector_id, enterprise_id) = (
        me(&app, REVIEWER).await,
        me(&app, INSPECTOR).await,
        me(&app, ENTERPRISE).await,
    );

    let response = app
        .post_json(
            "/api/v1/inspections",
            &reviewer,
            &plan(&app, reviewer_id, vec![inspector_id]),
        )
        .await;

    assert_eq!(response.status(), 201);
    let planned: InspectionDetail = response.json().await.unwrap();
    assert_eq!(planned.summary.status, InspectionStatus::Planned);
    assert_eq!(planned.team.len(), 2);
    assert!(planned.team[0].lead);
    let mut bad = plan(&app, reviewer_id, vec![enterprise_id]);
    bad["site_template_id"] = json!(app.demo.questionnaire_template_id);
    let refused = app.post_json("/api/v1/inspections", &reviewer, &bad).await;
    assert_eq!(refused.status(), 422);
    let mut fields: Vec<String> = error_body(refused)
        .await
        .details
        .into_iter()
        .map(|d| d.field)
        .collect();
    fields.sort();
    assert_eq!(fields, vec!["member_ids[0]", "site_template_id"]);
    let inspector = app.token(INSPECTOR).await;
    assert_eq!(
        app.post_json(
            "/api/v1/inspections",
            &inspector,
            &plan(&app, reviewer_id, vec![])
        )
        .await
        .status(),
        403
    );
}

async fn the_status_machine_names_the_allowed_moves(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;

    let response = app
        .post_json(
            &format!("/api/v1/inspections/{}/transition", app.demo.inspection_id),
            &admin,
            &json!({"to": "closed"}),
        )
        .await;

    assert_eq!(response.status(), 409);
    let body = error_body(response).await;
    assert_eq!(body.code, "invalid_transition");
    let allowed: Vec<&str> = body.details.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(allowed, vec!["submitted"]);
    let inspector = app.token(INSPECTOR).await;
    let not_theirs = app
        .post_json(
            &format!("/api/v1/inspections/{}/transition", app.demo.inspection_id),
            &inspector,
            &json!({"to": "submitted"}),
        )
        .await;
    assert_eq!(not_theirs.status(), 403);
}

async fn a_reviewer_walks_an_inspection_to_closed(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let path = format!(
        "/api/v1/inspections/{}/transition",
        app.demo.other_inspection_id
    );
    // 126/QĐ-TTr has no team: the admin makes the reviewer its lead, whose plan it then is.
    let led = app
        .client
        .patch(app.url(&format!(
            "/api/v1/inspections/{}",
            app.demo.other_inspection_id
        )))
        .bearer_auth(app.token(ADMIN).await)
        .json(&json!({"lead_id": me(&app, REVIEWER).await}))
        .send()
        .await
        .unwrap();
    assert_eq!(led.status(), 200);

    let mut seen = Vec::new();
    for to in [
        "preparing",
        "in_progress",
        "submitted",
        "under_review",
        "concluded",
        "follow_up",
        "closed",
    ] {
        let response = app.post_json(&path, &reviewer, &json!({"to": to})).await;
        assert_eq!(response.status(), 200, "to {to}");
        let detail: InspectionDetail = response.json().await.unwrap();
        seen.push(detail.summary.status);
    }

    assert_eq!(seen.last(), Some(&InspectionStatus::Closed));
    let detail: InspectionDetail = app
        .get(
            &format!("/api/v1/inspections/{}", app.demo.other_inspection_id),
            &reviewer,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(detail.next_statuses.is_empty());
}
