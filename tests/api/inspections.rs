//! Who sees which inspection, and the site-checklist submission.

use kiemtra_shared::inspection::{
    InspectionDetail, InspectionStatus, InspectionSummary, ResponseView,
};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app,
};

both_backends!(
    each_role_lists_only_the_inspections_it_may_see,
    another_tenants_inspection_is_a_404,
    submitted_answers_are_stored_and_the_inspection_moves_on,
    resending_a_submission_creates_it_once,
    same_id_with_other_answers_is_a_409,
    invalid_answers_are_a_422_naming_each_field,
    only_the_inspection_team_may_submit,
    a_wrongly_typed_answer_is_a_422_naming_its_path,
    a_second_submission_after_the_first_is_a_409,
    every_list_is_paged_with_a_maximum,
);

async fn list_ids(app: &TestApp, email: &str) -> Vec<Uuid> {
    let token = app.token(email).await;
    let response = app.get("/api/v1/inspections", &token).await;
    assert_eq!(response.status(), 200);
    let list: Vec<InspectionSummary> = response.json().await.unwrap();
    list.into_iter().map(|i| i.id).collect()
}

async fn each_role_lists_only_the_inspections_it_may_see(backend: Backend) {
    let app = spawn_app(backend).await;
    let (mine, other) = (app.demo.inspection_id, app.demo.other_inspection_id);

    assert_eq!(
        list_ids(&app, INSPECTOR).await,
        vec![mine],
        "inspector: team inspections only"
    );
    assert_eq!(
        list_ids(&app, ENTERPRISE).await,
        vec![mine],
        "enterprise: its own only"
    );
    let mut agency = list_ids(&app, REVIEWER).await;
    agency.sort();
    let mut expected = vec![mine, other];
    expected.sort();
    assert_eq!(agency, expected, "reviewer: the whole agency");
    assert_eq!(list_ids(&app, ADMIN).await.len(), 2);
}

async fn another_tenants_inspection_is_a_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = format!("/api/v1/inspections/{}", app.demo.other_inspection_id);

    for email in [INSPECTOR, ENTERPRISE] {
        let token = app.token(email).await;
        let response = app.get(&other, &token).await;
        assert_eq!(response.status(), 404, "{email}");
        assert_eq!(error_body(response).await.code, "not_found");
    }
    let reviewer = app.token(REVIEWER).await;
    assert_eq!(app.get(&other, &reviewer).await.status(), 200);
    assert_eq!(
        app.get("/api/v1/inspections/not-a-uuid", &reviewer)
            .await
            .status(),
        404
    );
}

fn submission(id: Uuid, value: &str) -> serde_json::Value {
    json!({
        "id": id,
        "answers": {"items": {
            "osh.machine_guards": {"type": "yes_no", "value": value},
            "osh.fire_extinguishers": {"type": "yes_no", "value": "yes"},
        }}
    })
}

fn submit_path(app: &TestApp) -> String {
    format!(
        "/api/v1/inspections/{}/site-response",
        app.demo.inspection_id
    )
}

async fn detail(app: &TestApp, token: &str) -> InspectionDetail {
    let response = app
        .get(
            &format!("/api/v1/inspections/{}", app.demo.inspection_id),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn submitted_answers_are_stored_and_the_inspection_moves_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();

    let response = app
        .post_json(&submit_path(&app), &token, &submission(id, "no"))
        .await;

    assert_eq!(response.status(), 201);
    let view: ResponseView = response.json().await.unwrap();
    assert_eq!(view.id, id);
    let reviewer = app.token(REVIEWER).await;
    let seen = detail(&app, &reviewer).await;
    assert_eq!(seen.summary.status, InspectionStatus::Submitted);
    let stored = seen.site_response.expect("response stored");
    assert_eq!(stored.answers.items.len(), 2);
    assert_eq!(
        stored.answers.items["osh.machine_guards"].value,
        kiemtra_shared::answers::AnswerValue::YesNo(kiemtra_shared::inspection::YesNo::No)
    );
}

async fn resending_a_submission_creates_it_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();

    let statuses: Vec<u16> = {
        let mut s = Vec::new();
        for _ in 0..3 {
            s.push(
                app.post_json(&submit_path(&app), &token, &submission(id, "yes"))
                    .await
                    .status()
                    .as_u16(),
            );
        }
        s
    };

    assert_eq!(statuses, vec![201, 200, 200]);
    use sea_orm::{EntityTrait, PaginatorTrait};
    let responses = kiemtra_server::entities::response::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let answers = kiemtra_server::entities::answer::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!((responses, answers), (1, 2));
}

async fn same_id_with_other_answers_is_a_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let id = Uuid::new_v4();
    assert_eq!(
        app.post_json(&submit_path(&app), &token, &submission(id, "yes"))
            .await
            .status(),
        201
    );

    let response = app
        .post_json(&submit_path(&app), &token, &submission(id, "no"))
        .await;

    assert_eq!(response.status(), 409);
    let body = error_body(response).await;
    assert_eq!(body.code, "conflict");
    let fields: Vec<&str> = body.details.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["answers.items/osh.machine_guards"],
        "the differing answer is named"
    );
}

async fn invalid_answers_are_a_422_naming_each_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let body = json!({
        "id": Uuid::new_v4(),
        "answers": {"items": {"no.such.item": {"type": "yes_no", "value": "yes"}}}
    });

    let response = app.post_json(&submit_path(&app), &token, &body).await;

    assert_eq!(response.status(), 422);
    let error = error_body(response).await;
    let fields: Vec<(&str, &str)> = error
        .details
        .iter()
        .map(|d| (d.field.as_str(), d.code.as_str()))
        .collect();
    assert!(
        fields.contains(&("answers.sections[0].items[0]", "required")),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(f, c)| f.contains("no.such.item") && *c == "unknown_item"),
        "{fields:?}"
    );
    let reviewer = app.token(REVIEWER).await;
    let after = detail(&app, &reviewer).await;
    assert!(after.site_response.is_none(), "nothing half-written");
    assert_eq!(after.summary.status, InspectionStatus::InProgress);
}

async fn only_the_inspection_team_may_submit(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = submission(Uuid::new_v4(), "yes");

    for (email, status) in [(REVIEWER, 403), (ADMIN, 403), (ENTERPRISE, 403)] {
        let token = app.token(email).await;
        let response = app.post_json(&submit_path(&app), &token, &body).await;
        assert_eq!(response.status(), status, "{email}");
    }
    let inspector = app.token(INSPECTOR).await;
    let other = format!(
        "/api/v1/inspections/{}/site-response",
        app.demo.other_inspection_id
    );
    assert_eq!(app.post_json(&other, &inspector, &body).await.status(), 404);
}

async fn a_second_submission_after_the_first_is_a_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    assert_eq!(
        app.post_json(
            &submit_path(&app),
            &token,
            &submission(Uuid::new_v4(), "yes")
        )
        .await
        .status(),
        201
    );

    let response = app
        .post_json(
            &submit_path(&app),
            &token,
            &submission(Uuid::new_v4(), "no"),
        )
        .await;

    assert_eq!(response.status(), 409);
}

async fn a_wrongly_typed_answer_is_a_422_naming_its_path(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    let body = json!({
        "id": Uuid::new_v4(),
        "answers": {"items": {"osh.machine_guards": {"type": "yes_no", "value": "maybe"}}}
    });

    let response = app.post_json(&submit_path(&app), &token, &body).await;

    assert_eq!(response.status(), 422);
    let error = error_body(response).await;
    assert!(
        error.details[0].field.starts_with("answers"),
        "{:?}",
        error.details
    );
}

async fn every_list_is_paged_with_a_maximum(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let admin = app.token(ADMIN).await;

    let first = app.get("/api/v1/inspections?per_page=1", &reviewer).await;
    assert_eq!(first.headers()["x-total-count"], "2");
    let first: Vec<InspectionSummary> = first.json().await.unwrap();
    let second: Vec<InspectionSummary> = app
        .get("/api/v1/inspections?per_page=1&page=2", &reviewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_ne!(first[0].id, second[0].id);

    for (path, token) in [
        ("/api/v1/inspections?per_page=101", &reviewer),
        ("/api/v1/users?per_page=500", &admin),
        ("/api/v1/templates?per_page=0", &reviewer),
        ("/api/v1/corrective-actions?per_page=1000", &reviewer),
        ("/api/v1/enterprises?per_page=101", &reviewer),
    ] {
        let response = app.get(path, token).await;
        assert_eq!(response.status(), 422, "{path}");
        assert_eq!(
            error_body(response).await.details[0].field,
            "per_page",
            "{path}"
        );
    }
}
