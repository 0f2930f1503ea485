//! Refresh-token rotation, reuse detection, logout, and the login rate limits.

use kiemtra_shared::auth::LoginResponse;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, INSPECTOR, PASSWORD, REVIEWER, TestApp, error_body, spawn_app};

both_backends!(
    refresh_rotates_the_pair,
    reusing_a_spent_refresh_token_ends_the_whole_session,
    logout_ends_the_session,
    refresh_of_a_disabled_account_is_refused,
    five_failures_lock_the_account_for_a_while,
    many_failures_from_one_address_are_limited,
);

async fn login(app: &TestApp, email: &str) -> LoginResponse {
    let response = app
        .login_raw(json!({"email": email, "password": PASSWORD}))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap()
}

async fn refresh_rotates_the_pair(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = login(&app, INSPECTOR).await;
    assert_eq!(first.refresh_expires_in, 30 * 24 * 3600);

    let response = refresh(&app, &first.refresh_token).await;

    assert_eq!(response.status(), 200);
    let second: LoginResponse = response.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        app.get("/api/v1/me", &second.access_token).await.status(),
        200
    );
    assert_eq!(refresh(&app, &second.refresh_token).await.status(), 200);
}

async fn reusing_a_spent_refresh_token_ends_the_whole_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = login(&app, INSPECTOR).await;
    let second: LoginResponse = refresh(&app, &first.refresh_token)
        .await
        .json()
        .await
        .unwrap();

    let replay = refresh(&app, &first.refresh_token).await;

    assert_eq!(replay.status(), 401);
    assert_eq!(error_body(replay).await.code, "token_invalid");
    assert_eq!(
        refresh(&app, &second.refresh_token).await.status(),
        401,
        "the legitimate successor is revoked too"
    );
    let other_session = login(&app, INSPECTOR).await;
    assert_eq!(
        refresh(&app, &other_session.refresh_token).await.status(),
        200,
        "other logins live on"
    );
}

async fn logout_ends_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let session = login(&app, REVIEWER).await;

    let response = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .json(&json!({"refresh_token": session.refresh_token}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 204);
    assert_eq!(refresh(&app, &session.refresh_token).await.status(), 401);
}

async fn refresh_of_a_disabled_account_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let session = login(&app, INSPECTOR).await;
    let admin = app.token(crate::helpers::ADMIN).await;
    let patched = app
        .client
        .patch(app.url(&format!("/api/v1/users/{}", session.user.id)))
        .bearer_auth(&admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);

    assert_eq!(refresh(&app, &session.refresh_token).await.status(), 401);
    assert_eq!(
        app.get("/api/v1/me", &session.access_token).await.status(),
        401
    );
}

async fn five_failures_lock_the_account_for_a_while(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..5 {
        let r = app
            .login_raw(json!({"email": INSPECTOR, "password": "wrong-guess"}))
            .await;
        assert_eq!(r.status(), 401);
    }

    let response = app
        .login_raw(json!({"email": INSPECTOR, "password": PASSWORD}))
        .await;

    assert_eq!(response.status(), 429, "even the right password waits");
    let retry_after: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after));
    assert_eq!(error_body(response).await.code, "rate_limited");
    assert_eq!(
        app.login_raw(json!({"email": REVIEWER, "password": PASSWORD}))
            .await
            .status(),
        200,
        "other accounts are not locked"
    );
}

async fn many_failures_from_one_address_are_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    for i in 0..50 {
        let r = app
            .login_raw(json!({"email": format!("spray{i}@kiemtra.test"), "password": "x"}))
            .await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }

    let response = app
        .login_raw(json!({"email": REVIEWER, "password": PASSWORD}))
        .await;

    assert_eq!(response.status(), 429);
}
