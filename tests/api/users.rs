//! Accounts created by admins; enterprise accounts by invitation.

use kiemtra_shared::auth::{InviteCreated, LoginResponse, Role, UserView};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app,
};

both_backends!(
    admin_creates_an_agency_account_that_can_sign_in,
    only_admins_manage_accounts,
    bad_account_input_is_a_422_naming_fields,
    duplicate_email_is_a_409,
    a_role_change_takes_effect_at_once,
    invited_enterprise_user_sets_a_password_and_signs_in,
    an_invitation_works_once,
);

async fn post(
    app: &TestApp,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    app.post_json(path, token, &body).await
}

async fn admin_creates_an_agency_account_that_can_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;

    let response = post(
        &app,
        &admin,
        "/api/v1/users",
        json!({
            "email": "  New.Inspector@Kiemtra.test ", "display_name": "Phạm Văn Mới",
            "role": "inspector", "password": "mat-khau-rat-dai"
        }),
    )
    .await;

    assert_eq!(response.status(), 201);
    let user: UserView = response.json().await.unwrap();
    assert_eq!(user.email, "new.inspector@kiemtra.test");
    assert_eq!(user.role, Role::Inspector);
    assert_eq!(user.agency_id, Some(app.demo.agency_id));
    let login = app
        .login_raw(json!({"email": "new.inspector@kiemtra.test", "password": "mat-khau-rat-dai"}))
        .await;
    assert_eq!(login.status(), 200);
}

async fn only_admins_manage_accounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"email": "x@kiemtra.test", "display_name": "X", "role": "admin", "password": "long-enough-pw"});
    for email in [REVIEWER, INSPECTOR, ENTERPRISE] {
        let token = app.token(email).await;
        assert_eq!(
            post(&app, &token, "/api/v1/users", body.clone())
                .await
                .status(),
            403,
            "{email}"
        );
        // Reviewers read their agency's staff to plan teams (tests/api/planning.rs).
        if email != REVIEWER {
            assert_eq!(
                app.get("/api/v1/users", &token).await.status(),
                403,
                "{email}"
            );
        }
    }
}

async fn bad_account_input_is_a_422_naming_fields(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;

    let response = post(
        &app,
        &admin,
        "/api/v1/users",
        json!({
            "email": "not-an-email", "display_name": "", "role": "enterprise", "password": "short"
        }),
    )
    .await;

    assert_eq!(response.status(), 422);
    let body = error_body(response).await;
    let mut fields: Vec<&str> = body.details.iter().map(|d| d.field.as_str()).collect();
    fields.sort();
    assert_eq!(fields, vec!["display_name", "email", "password", "role"]);
}

async fn duplicate_email_is_a_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;

    let response = post(&app, &admin, "/api/v1/users", json!({
        "email": INSPECTOR, "display_name": "Twin", "role": "inspector", "password": "long-enough-pw"
    }))
    .await;

    assert_eq!(response.status(), 409);
}

async fn a_role_change_takes_effect_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;
    let inspector: LoginResponse = app
        .login_raw(json!({"email": INSPECTOR, "password": crate::helpers::PASSWORD}))
        .await
        .json()
        .await
        .unwrap();

    let response = app
        .client
        .patch(app.url(&format!("/api/v1/users/{}", inspector.user.id)))
        .bearer_auth(&admin)
        .json(&json!({"role": "reviewer"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(
        app.get("/api/v1/me", &inspector.access_token)
            .await
            .status(),
        401,
        "old token refused"
    );
    let me: kiemtra_shared::auth::Me = app
        .get("/api/v1/me", &app.token(INSPECTOR).await)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.role, Role::Reviewer);
}

async fn invite(app: &TestApp, email: &str) -> InviteCreated {
    let reviewer = app.token(REVIEWER).await;
    let response = post(
        app,
        &reviewer,
        &format!("/api/v1/enterprises/{}/invites", app.demo.enterprise_id),
        json!({"email": email, "display_name": "Đỗ Thị Mời"}),
    )
    .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn invited_enterprise_user_sets_a_password_and_signs_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let invitation = invite(&app, "hr@songhong.example").await;
    assert!(invitation.accept_path.ends_with(&invitation.token));

    let response = app
        .client
        .post(app.url("/api/v1/auth/accept-invite"))
        .json(&json!({"token": invitation.token, "password": "mat-khau-doanh-nghiep"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 201);
    let session: LoginResponse = response.json().await.unwrap();
    assert_eq!(session.user.role, Role::Enterprise);
    assert_eq!(session.user.enterprise_id, Some(app.demo.enterprise_id));
    let list = app.get("/api/v1/inspections", &session.access_token).await;
    let seen: Vec<kiemtra_shared::inspection::InspectionSummary> = list.json().await.unwrap();
    assert_eq!(
        seen.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![app.demo.inspection_id]
    );
}

async fn an_invitation_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let invitation = invite(&app, "once@songhong.example").await;
    let accept = |password: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/accept-invite"))
            .json(&json!({"token": invitation.token, "password": password}))
            .send()
    };
    assert_eq!(accept("first-password-ok").await.unwrap().status(), 201);

    let again = accept("second-password-ok").await.unwrap();

    assert_eq!(again.status(), 422);
    assert_eq!(error_body(again).await.details[0].code, "invite_invalid");
    let enterprise_cannot_invite = post(
        &app,
        &app.token(ENTERPRISE).await,
        &format!("/api/v1/enterprises/{}/invites", app.demo.enterprise_id),
        json!({"email": "x@y.example", "display_name": "X"}),
    )
    .await;
    assert_eq!(enterprise_cannot_invite.status(), 403);
}
