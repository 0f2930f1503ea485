//! Offline sync: idempotent pushes with per-operation results, and the per-user change feed.

use kiemtra_shared::inspection::ResponseView;
use kiemtra_shared::response::ResponseStatus;
use kiemtra_shared::sync::{OpStatus, PullResponse, PushResponse};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app};

both_backends!(
    a_phone_captures_offline_and_syncs_in_one_push,
    the_same_push_sent_three_times_makes_one_record,
    an_op_id_reused_with_other_content_is_rejected_naming_the_difference,
    a_bad_operation_does_not_lose_the_good_ones,
    an_oversized_batch_is_a_413,
    pull_sends_each_user_only_their_changes,
    a_bad_cursor_is_a_422,
);

fn capture(app: &TestApp, response_id: Uuid, ids: [Uuid; 4]) -> serde_json::Value {
    json!({"ops": [
        {"op_id": ids[0], "op": {"type": "create_response", "inspection_id": app.demo.inspection_id,
            "response_id": response_id, "template_id": app.demo.site_template_id}},
        {"op_id": ids[1], "op": {"type": "set_answer", "response_id": response_id,
            "item_key": "osh.machine_guards", "answer": {"type": "yes_no", "value": "yes"}}},
        {"op_id": ids[2], "op": {"type": "set_answer", "response_id": response_id,
            "section": "workshops", "instance": 0, "item_key": "workshop.name",
            "answer": {"type": "text", "value": "Xưởng hàn"}}},
        {"op_id": ids[3], "op": {"type": "set_answer", "response_id": response_id,
            "section": "workshops", "instance": 0, "item_key": "workshop.area_type",
            "answer": {"type": "choice", "value": "production"}}},
    ]})
}

async fn push(app: &TestApp, token: &str, body: &serde_json::Value) -> PushResponse {
    let response = app.post_json("/api/v1/sync/push", token, body).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn statuses(push: &PushResponse) -> Vec<OpStatus> {
    push.results.iter().map(|r| r.status).collect()
}

async fn a_phone_captures_offline_and_syncs_in_one_push(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let response_id = Uuid::new_v4();
    let mut body = capture(
        &app,
        response_id,
        [
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        ],
    );
    body["ops"].as_array_mut().unwrap().push(json!({"op_id": Uuid::new_v4(), "op": {"type": "submit_response", "response_id": response_id}}));

    let result = push(&app, &inspector, &body).await;

    assert_eq!(statuses(&result), vec![OpStatus::Applied; 5]);
    let stored: ResponseView = app
        .get(&format!("/api/v1/responses/{response_id}"), &inspector)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored.status, ResponseStatus::Submitted);
    assert_eq!(stored.answers.items.len(), 1);
    assert_eq!(stored.answers.repeats["workshops"][0].len(), 2);
}

async fn the_same_push_sent_three_times_makes_one_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let body = capture(
        &app,
        Uuid::new_v4(),
        [
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        ],
    );

    let first = push(&app, &inspector, &body).await;
    let second = push(&app, &inspector, &body).await;
    let third = push(&app, &inspector, &body).await;

    assert_eq!(statuses(&first), vec![OpStatus::Applied; 4]);
    assert_eq!(statuses(&second), vec![OpStatus::Duplicate; 4]);
    assert_eq!(statuses(&third), vec![OpStatus::Duplicate; 4]);
    use sea_orm::{EntityTrait, PaginatorTrait};
    let responses = kiemtra_server::entities::response::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let answers = kiemtra_server::entities::answer::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!((responses, answers), (1, 3));
}

async fn an_op_id_reused_with_other_content_is_rejected_naming_the_difference(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let ids = [
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    ];
    let response_id = Uuid::new_v4();
    push(&app, &inspector, &capture(&app, response_id, ids)).await;
    let changed = json!({"ops": [{"op_id": ids[1], "op": {"type": "set_answer", "response_id": response_id,
        "item_key": "osh.machine_guards", "answer": {"type": "yes_no", "value": "no"}}}]});

    let result = push(&app, &inspector, &changed).await;

    assert_eq!(statuses(&result), vec![OpStatus::Rejected]);
    let error = result.results[0].error.as_ref().unwrap();
    assert_eq!(error.code, "conflict");
    assert!(
        error.message.contains("\"yes\""),
        "names what was applied: {}",
        error.message
    );
    let stored: ResponseView = app
        .get(&format!("/api/v1/responses/{response_id}"), &inspector)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        stored.answers.items["osh.machine_guards"].value,
        kiemtra_shared::answers::AnswerValue::YesNo(kiemtra_shared::answers::YesNo::Yes)
    );
}

async fn a_bad_operation_does_not_lose_the_good_ones(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let response_id = Uuid::new_v4();
    let body = json!({"ops": [
        {"op_id": Uuid::new_v4(), "op": {"type": "create_response", "inspection_id": app.demo.inspection_id,
            "response_id": response_id, "template_id": app.demo.site_template_id}},
        {"op_id": Uuid::new_v4(), "op": {"type": "set_answer", "response_id": response_id,
            "item_key": "osh.machine_guards", "answer": {"type": "number", "value": 7}}},
        {"op_id": Uuid::new_v4(), "op": {"type": "set_answer", "response_id": response_id,
            "item_key": "no.such.item", "answer": {"type": "yes_no", "value": "yes"}}},
        {"op_id": Uuid::new_v4(), "op": {"type": "set_answer", "response_id": response_id,
            "item_key": "osh.fire_extinguishers", "answer": {"type": "yes_no", "value": "yes"}}},
        {"op_id": Uuid::new_v4(), "op": {"type": "submit_response", "response_id": response_id}},
    ]});

    let result = push(&app, &inspector, &body).await;

    assert_eq!(
        statuses(&result),
        vec![
            OpStatus::Applied,
            OpStatus::Rejected,
            OpStatus::Rejected,
            OpStatus::Applied,
            OpStatus::Rejected
        ]
    );
    assert_eq!(
        result.results[1].error.as_ref().unwrap().code,
        "validation_failed"
    );
    assert_eq!(
        result.results[4].error.as_ref().unwrap().code,
        "validation_failed",
        "incomplete: not submitted"
    );
    let stored: ResponseView = app
        .get(&format!("/api/v1/responses/{response_id}"), &inspector)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        stored.answers.items.keys().collect::<Vec<_>>(),
        vec!["osh.fire_extinguishers"]
    );
    assert_eq!(stored.status, ResponseStatus::Draft);
}

async fn an_oversized_batch_is_a_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let ops: Vec<serde_json::Value> = (0..1001)
        .map(|_| json!({"op_id": Uuid::new_v4(), "op": {"type": "submit_response", "response_id": Uuid::new_v4()}}))
        .collect();

    let response = app
        .post_json("/api/v1/sync/push", &inspector, &json!({"ops": ops}))
        .await;

    assert_eq!(response.status(), 413);
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        kiemtra_server::entities::sync_op::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

async fn pull(app: &TestApp, token: &str, since: i64) -> PullResponse {
    let response = app
        .get(&format!("/api/v1/sync/pull?since={since}"), token)
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn pull_sends_each_user_only_their_changes(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;
    let enterprise = app.token(ENTERPRISE).await;
    let reviewer = app.token(REVIEWER).await;

    let first = pull(&app, &inspector, 0).await;
    assert_eq!(
        first.inspections.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![app.demo.inspection_id]
    );
    assert!(
        first
            .templates
            .iter()
            .any(|t| t.id == app.demo.site_template_id)
    );
    assert!(first.cursor > 0);
    let idle = pull(&app, &inspector, first.cursor).await;
    assert!(
        idle.inspections.is_empty() && idle.responses.is_empty(),
        "nothing new"
    );
    assert!(idle.cursor >= first.cursor, "the cursor never goes back");

    // The inspector submits; the reviewer decides; each side sees what it may.
    let response_id = Uuid::new_v4();
    let mut body = capture(
        &app,
        response_id,
        [
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        ],
    );
    body["ops"].as_array_mut().unwrap().push(json!({"op_id": Uuid::new_v4(), "op": {"type": "submit_response", "response_id": response_id}}));
    push(&app, &inspector, &body).await;
    let decided = app
        .post_json(&format!("/api/v1/inspections/{}/reviews", app.demo.inspection_id), &reviewer, &json!({
            "target": {"type": "answer", "response_id": response_id, "slot": "items/osh.machine_guards"},
            "decision": "approved"}))
        .await;
    assert_eq!(decided.status(), 201);

    let inspector_changes = pull(&app, &inspector, first.cursor).await;
    let enterprise_changes = pull(&app, &enterprise, first.cursor).await;

    assert!(inspector_changes.cursor > first.cursor);
    assert_eq!(
        inspector_changes
            .responses
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![response_id]
    );
    assert_eq!(inspector_changes.reviews.len(), 1);
    assert!(
        enterprise_changes.responses.is_empty(),
        "the team's checklist is not the enterprise's"
    );
    assert!(enterprise_changes.reviews.is_empty());
    let other = pull(&app, &enterprise, 0).await;
    assert!(
        other
            .inspections
            .iter()
            .all(|i| i.id != app.demo.other_inspection_id)
    );
}

async fn a_bad_cursor_is_a_422(backend: Backend) {
    let app = spawn_app(backend).await;
    let inspector = app.token(INSPECTOR).await;

    let negative = app.get("/api/v1/sync/pull?since=-1", &inspector).await;
    let word = app
        .get("/api/v1/sync/pull?since=yesterday", &inspector)
        .await;

    assert_eq!(negative.status(), 422);
    assert_eq!(error_body(negative).await.details[0].field, "since");
    assert_eq!(word.status(), 422);
}
