//! Password reset: asked for by e-mail (the same 202 whatever the address), or made by an admin;
//! single use, expiring, the invitation's password rules, and every session ended.

use kiemtra_shared::auth::{EmailDelivery, LoginResponse, Me, PasswordResetLink, UserView};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, INSPECTOR, PASSWORD, REVIEWER, TestApp, error_body, spawn_app, spawn_app_with,
};
use crate::smtp_sink::SmtpSink;

both_backends!(
    a_reset_asked_for_by_email_sets_a_new_password_and_ends_the_sessions,
    asking_for_a_reset_answers_the_same_for_any_address,
    an_admin_makes_a_reset_link_to_pass_on,
    a_reset_link_works_once_and_expires,
);

async fn sink_app(backend: Backend, sink: &SmtpSink) -> TestApp {
    let port = sink.port;
    spawn_app_with(backend, |s| {
        s.mail.smtp_host = Some("127.0.0.1".to_owned());
        s.mail.smtp_port = Some(port);
        s.mail.tls = kiemtra_server::settings::SmtpTls::None;
    })
    .await
}

async fn ask(app: &TestApp, email: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap()
}

async fn set(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/auth/password-reset/{token}")))
        .json(&json!({"password": password}))
        .send()
        .await
        .unwrap()
}

async fn show(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/auth/password-reset/{token}")))
        .send()
        .await
        .unwrap()
}

async fn admin_link(app: &TestApp, email: &str) -> PasswordResetLink {
    let admin = app.token(ADMIN).await;
    let users: Vec<UserView> = app
        .get("/api/v1/users?per_page=100", &admin)
        .await
        .json()
        .await
        .unwrap();
    let user = users
        .iter()
        .find(|u| u.email == email)
        .expect("the account");
    let response = app
        .post_json(
            &format!("/api/v1/users/{}/password-reset", user.id),
            &admin,
            &json!(null),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn a_reset_asked_for_by_email_sets_a_new_password_and_ends_the_sessions(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = sink_app(backend, &sink).await;
    let session: LoginResponse = app
        .login_raw(json!({"email": INSPECTOR, "password": PASSWORD}))
        .await
        .json()
        .await
        .unwrap();

    let asked = ask(&app, "  Inspector@Kiemtra.test ").await;

    assert_eq!(asked.status(), 202);
    let mail = sink.next().await;
    assert_eq!(mail.recipients, vec![INSPECTOR.to_owned()]);
    assert_eq!(mail.subject, "Đặt lại mật khẩu kiemtra");
    let token = mail
        .body
        .split("/reset/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a /reset/<token> link in the e-mail")
        .to_owned();
    assert!(
        mail.body.contains(&format!("{}/reset/{token}", app.url)),
        "{}",
        mail.body
    );
    let shown = show(&app, &token).await;
    assert_eq!(shown.status(), 200);
    assert_eq!(
        shown.json::<serde_json::Value>().await.unwrap()["email"],
        INSPECTOR
    );

    let weak = set(&app, &token, "ngan").await;
    assert_eq!(weak.status(), 422);
    assert_eq!(error_body(weak).await.details[0].code, "password_too_short");
    let done = set(&app, &token, "mat-khau-moi-rat-dai").await;
    assert_eq!(done.status(), 200);
    let signed_in: LoginResponse = done.json().await.unwrap();
    assert_eq!(signed_in.user.email, INSPECTOR);

    let old_password = app
        .login_raw(json!({"email": INSPECTOR, "password": PASSWORD}))
        .await;
    assert_eq!(old_password.status(), 401);
    let new_password = app
        .login_raw(json!({"email": INSPECTOR, "password": "mat-khau-moi-rat-dai"}))
        .await;
    assert_eq!(new_password.status(), 200);
    let old_session = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": session.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        old_session.status(),
        401,
        "the sessions before the reset are over"
    );
}

async fn asking_for_a_reset_answers_the_same_for_any_address(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = sink_app(backend, &sink).await;

    let unknown = ask(&app, "nobody@kiemtra.test").await;
    let malformed = ask(&app, "not an address").await;
    let known = ask(&app, REVIEWER).await;

    assert_eq!(unknown.status(), 202);
    assert_eq!(malformed.status(), 202);
    assert_eq!(known.status(), 202);
    // Only the account's own address got anything.
    assert_eq!(sink.next().await.recipients, vec![REVIEWER.to_owned()]);
    assert!(sink.is_empty().await);
    // Without SMTP, the same answer and nothing made.
    let quiet = spawn_app(backend).await;
    assert_eq!(ask(&quiet, REVIEWER).await.status(), 202);
}

async fn an_admin_makes_a_reset_link_to_pass_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let me: Me = app.get("/api/v1/me", &reviewer).await.json().await.unwrap();

    let by_reviewer = app
        .post_json(
            &format!("/api/v1/users/{}/password-reset", me.id),
            &reviewer,
            &json!(null),
        )
        .await;
    let link = admin_link(&app, REVIEWER).await;

    assert_eq!(by_reviewer.status(), 403);
    assert_eq!(link.email_delivery, EmailDelivery::NotConfigured);
    assert_eq!(link.reset_path, format!("/reset/{}", link.token));
    assert_eq!(
        set(&app, &link.token, "mat-khau-moi-rat-dai")
            .await
            .status(),
        200
    );
    let audit: Vec<String> = {
        use kiemtra_server::entities::audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        audit_event::Entity::find()
            .filter(audit_event::Column::EntityId.eq(me.id.to_string()))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    };
    assert!(
        audit.contains(&"password_reset.created".to_owned()),
        "{audit:?}"
    );
    assert!(
        audit.contains(&"password_reset.completed".to_owned()),
        "{audit:?}"
    );
}

async fn a_reset_link_works_once_and_expires(backend: Backend) {
    let app = spawn_app(backend).await;
    let spent = admin_link(&app, INSPECTOR).await;
    let to_expire = admin_link(&app, REVIEWER).await;
    assert_eq!(
        set(&app, &spent.token, "mat-khau-moi-rat-dai")
            .await
            .status(),
        200
    );

    let again = set(&app, &spent.token, "mat-khau-khac-rat-dai").await;
    assert_eq!(again.status(), 410);
    assert_eq!(error_body(again).await.code, "link_used");
    let shown_again = show(&app, &spent.token).await;
    assert_eq!(shown_again.status(), 410);

    app.advance_clock(25 * 3600);
    let expired = set(&app, &to_expire.token, "mat-khau-moi-rat-dai").await;
    assert_eq!(expired.status(), 410);
    assert_eq!(error_body(expired).await.code, "link_expired");
    assert_eq!(
        error_body(show(&app, &to_expire.token).await).await.code,
        "link_expired"
    );

    let wrong = set(&app, "khong-co-that", "mat-khau-moi-rat-dai").await;
    assert_eq!(wrong.status(), 404);
    let still = app
        .login_raw(json!({"email": REVIEWER, "password": PASSWORD}))
        .await;
    assert_eq!(still.status(), 200, "an expired link changed nothing");
}
