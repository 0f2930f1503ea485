//! Versioned templates: drafts, publishing, immutability.

use kiemtra_shared::inspection::TemplateRef;
use kiemtra_shared::template::TemplateStatus;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app,
};

both_backends!(
    seed_templates_are_published_and_listed,
    admin_drafts_edits_and_publishes_a_new_version,
    a_published_version_is_immutable,
    a_template_with_errors_is_a_422_naming_the_path,
    only_admins_write_templates,
    enterprise_users_see_only_their_inspections_templates,
);

fn small_schema(label: &str) -> serde_json::Value {
    json!({"sections": [{"key": "s", "title": {"vi": "Phần", "en": "Section"}, "items": [
        {"key": "s.first", "label": {"vi": label, "en": label},
         "kind": {"type": "yes_no", "compliant_answer": "yes"},
         "severity": "minor", "legal_basis": "Bộ luật Lao động 2019"}
    ]}]})
}

async fn create(app: &TestApp, token: &str, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/templates",
        token,
        &json!({"code": code, "kind": "site_checklist", "name": "Phiếu thử", "schema": small_schema("Câu 1")}),
    )
    .await
}

async fn seed_templates_are_published_and_listed(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;

    let list: Vec<TemplateRef> = app
        .get("/api/v1/templates", &token)
        .await
        .json()
        .await
        .unwrap();

    let codes: Vec<&str> = list.iter().map(|t| t.code.as_str()).collect();
    for code in [
        "osh-site-checklist",
        "pre-inspection-questionnaire",
        "self-inspection-checklist",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert!(list.iter().all(|t| t.status == TemplateStatus::Published));
}

async fn admin_drafts_edits_and_publishes_a_new_version(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;

    let draft: TemplateRef = create(&app, &admin, "osh-site-checklist")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (draft.version, draft.status),
        (2, TemplateStatus::Draft),
        "next version of the family"
    );
    let edited = app
        .client
        .put(app.url(&format!("/api/v1/templates/{}", draft.id)))
        .bearer_auth(&admin)
        .json(&json!({"schema": small_schema("Câu 1 (sửa)")}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 200);
    let published = app
        .post_json(
            &format!("/api/v1/templates/{}/publish", draft.id),
            &admin,
            &json!(null),
        )
        .await;

    assert_eq!(published.status(), 200);
    let published: TemplateRef = published.json().await.unwrap();
    assert_eq!(published.status, TemplateStatus::Published);
    assert_eq!(
        published.schema.sections[0].items[0].label.vi,
        "Câu 1 (sửa)"
    );
    assert!(published.published_at.is_some());
}

async fn a_published_version_is_immutable(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;

    let response = app
        .client
        .put(app.url(&format!("/api/v1/templates/{}", app.demo.site_template_id)))
        .bearer_auth(&admin)
        .json(&json!({"name": "Đổi tên"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 409);
    let again = app
        .post_json(
            &format!("/api/v1/templates/{}/publish", app.demo.site_template_id),
            &admin,
            &json!(null),
        )
        .await;
    assert_eq!(again.status(), 409);
}

async fn a_template_with_errors_is_a_422_naming_the_path(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;
    let mut schema = small_schema("Câu 1");
    schema["sections"][0]["items"][0]["visible_if"] =
        json!({"item": "no.such.item", "equals": "yes"});

    let response = app
        .post_json(
            "/api/v1/templates",
            &admin,
            &json!({"code": "bad-one", "kind": "site_checklist", "name": "X", "schema": schema}),
        )
        .await;

    assert_eq!(response.status(), 422);
    let body = error_body(response).await;
    assert!(
        body.details.iter().all(|d| d.field.starts_with("schema.")),
        "{body:?}"
    );
    assert!(
        body.details
            .iter()
            .any(|d| d.field.contains("sections[0].items[0]")),
        "{body:?}"
    );
}

async fn only_admins_write_templates(backend: Backend) {
    let app = spawn_app(backend).await;
    for email in [REVIEWER, INSPECTOR, ENTERPRISE] {
        let token = app.token(email).await;
        assert_eq!(create(&app, &token, "mine").await.status(), 403, "{email}");
    }
}

async fn enterprise_users_see_only_their_inspections_templates(backend: Backend) {
    let app = spawn_app(backend).await;
    let enterprise = app.token(ENTERPRISE).await;

    let own = app
        .get(
            &format!("/api/v1/templates/{}", app.demo.self_inspection_template_id),
            &enterprise,
        )
        .await;
    let site = app
        .get(
            &format!("/api/v1/templates/{}", app.demo.site_template_id),
            &enterprise,
        )
        .await;
    let list = app.get("/api/v1/templates", &enterprise).await;

    assert_eq!(own.status(), 200);
    assert_eq!(
        site.status(),
        404,
        "the team's checklist is not the enterprise's form"
    );
    assert_eq!(list.status(), 403);
}
