//! Invitations end to end: who may invite into which enterprise, what an invited user sees
//! when several agencies inspect its enterprise, the invitation page's greeting, and the
//! invitation e-mail.

use kiemtra_shared::auth::{EmailDelivery, InviteCreated, InvitePreview, LoginResponse};
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, REVIEWER, TestApp, error_body, spawn_app, spawn_app_with,
};
use crate::smtp_sink::SmtpSink;

both_backends!(
    an_agency_invites_only_into_enterprises_it_inspects,
    an_enterprise_user_sees_only_the_inspections_of_its_inviting_agency,
    the_invitation_page_greets_the_invitee_and_tells_a_spent_or_expired_link,
    an_invitation_is_emailed_in_vietnamese_when_smtp_is_configured,
    an_unreachable_smtp_server_does_not_fail_the_invitation,
    existing_enterprise_accounts_keep_their_inviting_agency_through_the_migration,
);

async fn invite_raw(
    app: &TestApp,
    token: &str,
    enterprise: Uuid,
    email: &str,
) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/enterprises/{enterprise}/invites"),
        token,
        &json!({"email": email, "display_name": "Phạm Thị Nhân Sự"}),
    )
    .await
}

async fn invite(app: &TestApp, token: &str, enterprise: Uuid, email: &str) -> InviteCreated {
    let response = invite_raw(app, token, enterprise, email).await;
    assert_eq!(response.status(), 201, "inviting {email}");
    response.json().await.unwrap()
}

async fn accept(app: &TestApp, token: &str) -> LoginResponse {
    let response = app
        .client
        .post(app.url("/api/v1/auth/accept-invite"))
        .json(&json!({"token": token, "password": "mat-khau-du-dai"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "accepting the invitation");
    response.json().await.unwrap()
}

async fn an_agency_invites_only_into_enterprises_it_inspects(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let reviewer_id = app
        .get("/api/v1/me", &reviewer)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse::<Uuid>()
        .unwrap();
    // The hole reported in issue 10: a reviewer adds an enterprise to the register...
    let created = app
        .post_json(
            "/api/v1/enterprises",
            &reviewer,
            &json!({"name": "Công ty Mới Lập", "tax_code": "0318887776",
                "address": "Số 3 Kim Mã", "province": "Hà Nội"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let enterprise: Uuid = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // ...and tries to invite someone into it, with no inspection of it.
    let refused = invite_raw(&app, &reviewer, enterprise, "ke-gian@moilap.example").await;
    let admin_refused = invite_raw(
        &app,
        &app.token(ADMIN).await,
        enterprise,
        "ke-gian@moilap.example",
    )
    .await;
    let unknown = invite_raw(&app, &reviewer, Uuid::new_v4(), "ai@dau.example").await;

    assert_eq!(refused.status(), 403);
    assert_eq!(error_body(refused).await.code, "enterprise_not_inspected");
    assert_eq!(admin_refused.status(), 403);
    assert_eq!(unknown.status(), 404);
    // Once the agency plans an inspection of it, the invitation is its to make.
    app.plan_inspection(&reviewer, reviewer_id, enterprise, "901/QĐ-TTr")
        .await;
    invite(&app, &reviewer, enterprise, "nhan-su@moilap.example").await;
}

async fn an_enterprise_user_sees_only_the_inspections_of_its_inviting_agency(backend: Backend) {
    let app = spawn_app(backend).await;
    // Agency B, a province's inspectorate, also inspects Cơ khí Sông Hồng, which the demo
    // agency A inspects (125/QĐ-TTr) and whose user A invited.
    let (b_reviewer, b_reviewer_id) = app.second_agency("tinh-b").await;
    let b_inspection = app
        .plan_inspection(
            &b_reviewer,
            b_reviewer_id,
            app.demo.enterprise_id,
            "77/QĐ-SLĐ",
        )
        .await;
    let b_invite = invite(
        &app,
        &b_reviewer,
        app.demo.enterprise_id,
        "hr-b@songhong.example",
    )
    .await;
    let b_user = accept(&app, &b_invite.token).await.access_token;
    let a_user = app.token(ENTERPRISE).await;
    let a_inspection = app.demo.inspection_id;

    let a_list = app
        .get("/api/v1/inspections?per_page=100", &a_user)
        .await
        .text()
        .await
        .unwrap();
    let b_list = app
        .get("/api/v1/inspections?per_page=100", &b_user)
        .await
        .text()
        .await
        .unwrap();

    assert!(
        a_list.contains(&a_inspection.to_string()),
        "A's user sees A's inspection"
    );
    assert!(
        !a_list.contains(&b_inspection.to_string()),
        "A's user does not see B's: {a_list}"
    );
    assert!(
        b_list.contains(&b_inspection.to_string()),
        "B's user sees B's inspection"
    );
    assert!(
        !b_list.contains(&a_inspection.to_string()),
        "B's user does not see A's: {b_list}"
    );
    for (token, hidden) in [(&a_user, b_inspection), (&b_user, a_inspection)] {
        let response = app
            .get(&format!("/api/v1/inspections/{hidden}"), token)
            .await;
        assert_eq!(
            response.status(),
            404,
            "another agency's inspection is absent"
        );
    }
    let own = app
        .get(&format!("/api/v1/inspections/{b_inspection}"), &b_user)
        .await;
    assert_eq!(own.status(), 200);
}

async fn the_invitation_page_greets_the_invitee_and_tells_a_spent_or_expired_link(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    let to_accept = invite(
        &app,
        &reviewer,
        app.demo.enterprise_id,
        "a@songhong.example",
    )
    .await;
    let to_expire = invite(
        &app,
        &reviewer,
        app.demo.enterprise_id,
        "b@songhong.example",
    )
    .await;
    let show = |token: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&format!("/api/v1/auth/invites/{token}")))
                .send()
                .await
                .unwrap()
        }
    };

    let shown = show(to_accept.token.clone()).await;
    assert_eq!(shown.status(), 200);
    let preview: InvitePreview = shown.json().await.unwrap();
    assert_eq!(preview.email, "a@songhong.example");
    assert_eq!(preview.display_name, "Phạm Thị Nhân Sự");
    assert_eq!(
        preview.enterprise_name,
        "Công ty TNHH Cơ khí Sông Hồng (demo)"
    );
    assert_eq!(preview.agency_name, "Thanh tra Sở Nội vụ Hà Nội (demo)");
    assert_eq!(preview.expires_at, to_accept.expires_at);

    accept(&app, &to_accept.token).await;
    let spent = show(to_accept.token.clone()).await;
    assert_eq!(spent.status(), 410);
    assert_eq!(error_body(spent).await.code, "link_used");

    app.advance_clock(15 * 24 * 3600);
    let expired = show(to_expire.token.clone()).await;
    assert_eq!(expired.status(), 410);
    assert_eq!(error_body(expired).await.code, "link_expired");
    let late = app
        .client
        .post(app.url("/api/v1/auth/accept-invite"))
        .json(&json!({"token": to_expire.token, "password": "mat-khau-du-dai"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        late.status(),
        422,
        "an expired invitation cannot be accepted"
    );

    let unknown = show("khong-co-that".to_owned()).await;
    assert_eq!(unknown.status(), 404);
}

async fn an_invitation_is_emailed_in_vietnamese_when_smtp_is_configured(backend: Backend) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = spawn_app_with(backend, |s| {
        s.mail.smtp_host = Some("127.0.0.1".to_owned());
        s.mail.smtp_port = Some(port);
        s.mail.tls = kiemtra_server::settings::SmtpTls::None;
        s.mail.from = "Thanh tra <thanhtra@kiemtra.test>".to_owned();
        s.server.public_url = Some("https://kiemtra.example.gov.vn/".to_owned());
    })
    .await;
    let reviewer = app.token(REVIEWER).await;

    let created = invite(
        &app,
        &reviewer,
        app.demo.enterprise_id,
        "hr@songhong.example",
    )
    .await;

    assert_eq!(created.email_delivery, EmailDelivery::Sent);
    let mail = sink.next().await;
    assert_eq!(mail.recipients, vec!["hr@songhong.example".to_owned()]);
    assert_eq!(
        mail.subject,
        "Lời mời tham gia kiemtra: Công ty TNHH Cơ khí Sông Hồng (demo)"
    );
    let link = format!("https://kiemtra.example.gov.vn/invite/{}", created.token);
    assert!(
        mail.body.contains(&link),
        "the link {link} in: {}",
        mail.body
    );
    assert!(
        mail.body.contains("Kính gửi Phạm Thị Nhân Sự"),
        "{}",
        mail.body
    );
    assert!(
        mail.body.contains("Thanh tra Sở Nội vụ Hà Nội"),
        "names the agency: {}",
        mail.body
    );
}

async fn an_unreachable_smtp_server_does_not_fail_the_invitation(backend: Backend) {
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(backend, |s| {
        s.mail.smtp_host = Some("127.0.0.1".to_owned());
        s.mail.smtp_port = Some(port);
        s.mail.tls = kiemtra_server::settings::SmtpTls::None;
    })
    .await;
    let reviewer = app.token(REVIEWER).await;

    let created = invite(
        &app,
        &reviewer,
        app.demo.enterprise_id,
        "hr@songhong.example",
    )
    .await;

    assert_eq!(created.email_delivery, EmailDelivery::Failed);
    accept(&app, &created.token).await;
}

async fn existing_enterprise_accounts_keep_their_inviting_agency_through_the_migration(
    backend: Backend,
) {
    use migrations::{Migrator, MigratorTrait};
    let app = spawn_app(backend).await;
    let (b_reviewer, b_reviewer_id) = app.second_agency("tinh-b").await;
    let b_inspection = app
        .plan_inspection(
            &b_reviewer,
            b_reviewer_id,
            app.demo.enterprise_id,
            "78/QĐ-SLĐ",
        )
        .await;
    let b_invite = invite(
        &app,
        &b_reviewer,
        app.demo.enterprise_id,
        "hr-b@songhong.example",
    )
    .await;
    accept(&app, &b_invite.token).await;

    // The schema before the migration, then the migration again, on the same rows: the demo
    // user (made without an invitation) and the one agency B's invitation made.
    Migrator::down(&app.db, Some(1))
        .await
        .expect("migrating down");
    Migrator::up(&app.db, None).await.expect("migrating up");

    let a_user = app.token(ENTERPRISE).await;
    let b_user = app
        .login_raw(json!({"email": "hr-b@songhong.example", "password": "mat-khau-du-dai"}))
        .await
        .json::<LoginResponse>()
        .await
        .unwrap()
        .access_token;
    let sees = |token: String, id: Uuid| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/inspections/{id}"), &token)
                .await
                .status()
        }
    };
    assert_eq!(sees(a_user.clone(), app.demo.inspection_id).await, 200);
    assert_eq!(sees(a_user, b_inspection).await, 404);
    assert_eq!(sees(b_user.clone(), b_inspection).await, 200);
    assert_eq!(sees(b_user, app.demo.inspection_id).await, 404);
}
