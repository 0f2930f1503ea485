//! Sign-in, tokens and bad input on the auth endpoints.

use base64::Engine;
use kiemtra_shared::auth::{Me, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, PASSWORD, REVIEWER, TestApp, claims_of, error_body,
    forge, spawn_app,
};

both_backends!(
    each_demo_account_signs_in_with_its_role,
    access_token_carries_the_required_claims,
    wrong_password_and_unknown_email_answer_alike,
    malformed_json_is_a_400,
    unknown_fields_are_refused_with_422,
    json_without_content_type_is_a_415,
    missing_token_is_a_401,
    tampered_token_is_a_401,
    expired_token_is_a_401_saying_so,
    token_not_yet_valid_is_a_401,
    token_for_another_audience_is_a_401,
    unsigned_token_is_a_401,
    disabled_account_is_refused_at_once,
);

async fn each_demo_account_signs_in_with_its_role(backend: Backend) {
    let app = spawn_app(backend).await;
    for (email, role) in [
        (ADMIN, Role::Admin),
        (REVIEWER, Role::Reviewer),
        (INSPECTOR, Role::Inspector),
        (ENTERPRISE, Role::Enterprise),
    ] {
        let token = app.token(email).await;

        let me: Me = app.get("/api/v1/me", &token).await.json().await.unwrap();

        assert_eq!(me.email, email);
        assert_eq!(me.role, role);
        assert_eq!(me.enterprise_id.is_some(), role == Role::Enterprise);
    }
}

async fn access_token_carries_the_required_claims(backend: Backend) {
    let app = spawn_app(backend).await;

    let claims = claims_of(&app.token(INSPECTOR).await);

    for claim in ["exp", "nbf", "iat", "iss", "aud", "sub", "role"] {
        assert!(
            claims.get(claim).is_some(),
            "claim {claim} missing from {claims}"
        );
    }
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 15 * 60, "access tokens are short-lived");
    assert_eq!(claims["role"], "inspector");
}

async fn wrong_password_and_unknown_email_answer_alike(backend: Backend) {
    let app = spawn_app(backend).await;

    let wrong_password = app
        .login_raw(json!({"email": INSPECTOR, "password": "nope"}))
        .await;
    let unknown_email = app
        .login_raw(json!({"email": "ghost@kiemtra.test", "password": "nope"}))
        .await;

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_email.status(), 401);
    let (a, b) = (
        error_body(wrong_password).await,
        error_body(unknown_email).await,
    );
    assert_eq!(a, b);
    assert_eq!(a.code, "invalid_credentials");
}

async fn malformed_json_is_a_400(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 400);
    assert_eq!(error_body(response).await.code, "invalid_json");
}

async fn unknown_fields_are_refused_with_422(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .login_raw(json!({"email": INSPECTOR, "password": PASSWORD, "role": "admin"}))
        .await;

    assert_eq!(response.status(), 422);
    let body = error_body(response).await;
    assert_eq!(body.code, "validation_failed");
    assert!(
        body.details[0].message.contains("role"),
        "names the field: {body:?}"
    );
}

async fn json_without_content_type_is_a_415(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body(json!({"email": INSPECTOR, "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 415);
}

async fn missing_token_is_a_401(backend: Backend) {
    let app = spawn_app(backend).await;

    let response = app.client.get(app.url("/api/v1/me")).send().await.unwrap();

    assert_eq!(response.status(), 401);
    assert_eq!(error_body(response).await.code, "unauthenticated");
}

async fn tampered_token_is_a_401(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    // Re-sign nothing: swap the payload for one claiming the admin role.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = claims_of(&token);
    claims["role"] = json!("admin");
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());

    let response = app.get("/api/v1/me", &parts.join(".")).await;

    assert_eq!(response.status(), 401);
    assert_eq!(error_body(response).await.code, "token_invalid");
}

async fn valid_claims(app: &TestApp) -> serde_json::Value {
    claims_of(&app.token(INSPECTOR).await)
}

async fn expired_token_is_a_401_saying_so(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut claims = valid_claims(&app).await;
    let past = chrono::Utc::now().timestamp() - 3600;
    claims["iat"] = json!(past - 900);
    claims["nbf"] = json!(past - 900);
    claims["exp"] = json!(past);

    let response = app.get("/api/v1/me", &forge(&app, claims)).await;

    assert_eq!(response.status(), 401);
    assert_eq!(error_body(response).await.code, "token_expired");
}

async fn token_not_yet_valid_is_a_401(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut claims = valid_claims(&app).await;
    let future = chrono::Utc::now().timestamp() + 3600;
    claims["nbf"] = json!(future);
    claims["exp"] = json!(future + 900);

    let response = app.get("/api/v1/me", &forge(&app, claims)).await;

    assert_eq!(response.status(), 401);
}

async fn token_for_another_audience_is_a_401(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut claims = valid_claims(&app).await;
    claims["aud"] = json!("another-service");

    let response = app.get("/api/v1/me", &forge(&app, claims)).await;

    assert_eq!(response.status(), 401);
}

async fn unsigned_token_is_a_401(backend: Backend) {
    let app = spawn_app(backend).await;
    let claims = valid_claims(&app).await;
    let encode = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let token = format!(
        "{}.{}.",
        encode(&json!({"alg": "none", "typ": "JWT"})),
        encode(&claims)
    );

    let response = app.get("/api/v1/me", &token).await;

    assert_eq!(response.status(), 401);
}

async fn disabled_account_is_refused_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token(INSPECTOR).await;
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);
    let user = kiemtra_server::entities::app_user::Entity::find()
        .filter(kiemtra_server::entities::app_user::Column::Email.eq(INSPECTOR))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut user: kiemtra_server::entities::app_user::ActiveModel = user.into();
    user.active = Set(false);
    user.update(&app.db).await.unwrap();

    let response = app.get("/api/v1/me", &token).await;

    assert_eq!(response.status(), 401);
    let relogin = app
        .login_raw(json!({"email": INSPECTOR, "password": PASSWORD}))
        .await;
    assert_eq!(relogin.status(), 401);
}
