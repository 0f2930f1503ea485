//! Every endpoint tried as every role, and as users of another tenant: the authorization
//! matrix. The table must cover every operation of the OpenAPI document, so a new endpoint
//! cannot be added without deciding who may call it.

use std::collections::BTreeSet;

use chrono::Utc;
use kiemtra_shared::auth::{InviteCreated, LoginResponse};
use kiemtra_shared::evidence::{EvidenceKind, EvidenceUploadParams};
use kiemtra_shared::inspection::ResponseView;
use kiemtra_shared::tus::UploadMetadata;
use reqwest::Method;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, PASSWORD, REVIEWER, TestApp, content_digest, jpeg_bytes,
    spawn_app,
};

both_backends!(every_endpoint_answers_every_role_as_the_table_says);

/// What a caller should get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Past authorization: a 2xx, or a 409/422 from the domain rules.
    Allowed,
    /// 401: not signed in (or an invalid session).
    Unauth,
    /// 403: signed in, but the role may not.
    Forbidden,
    /// 404: not visible to this user (another tenant's record).
    Hidden,
    /// Exactly this status, for public endpoints.
    Status(u16),
}
use Expect::*;

/// Callers, in the order of each row's expectations.
const CALLERS: [&str; 7] = [
    "anonymous",
    "admin",
    "reviewer",
    "inspector",
    "enterprise",
    "foreign reviewer",
    "foreign enterprise",
];

struct Row {
    method: Method,
    /// As in the OpenAPI document.
    template: &'static str,
    /// The concrete path.
    path: String,
    body: Option<Value>,
    expect: [Expect; 7],
}

fn row(
    method: Method,
    template: &'static str,
    path: String,
    body: Option<Value>,
    expect: [Expect; 7],
) -> Row {
    Row {
        method,
        template,
        path,
        body,
        expect,
    }
}

/// An agency of its own with a reviewer, and an enterprise user of the other enterprise.
async fn foreign_tokens(app: &TestApp) -> (String, String) {
    let agency = Uuid::new_v4();
    kiemtra_server::entities::agency::ActiveModel {
        id: Set(agency),
        name: Set("Thanh tra tỉnh khác".to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();
    kiemtra_server::entities::app_user::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set("reviewer@other.example".to_owned()),
        password_hash: Set(kiemtra_server::auth::password::hash(PASSWORD)),
        display_name: Set("Người duyệt khác".to_owned()),
        role: Set("reviewer".to_owned()),
        agency_id: Set(Some(agency)),
        enterprise_id: Set(None),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let invite: InviteCreated = app
        .post_json(
            &format!(
                "/api/v1/enterprises/{}/invites",
                app.demo.other_enterprise_id
            ),
            &app.token(REVIEWER).await,
            &json!({"email": "hr@tayho.example", "display_name": "Nhân sự Tây Hồ"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let accepted: LoginResponse = app
        .client
        .post(app.url("/api/v1/auth/accept-invite"))
        .json(&json!({"token": invite.token, "password": "mat-khau-tay-ho"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        app.token("reviewer@other.example").await,
        accepted.access_token,
    )
}

async fn every_endpoint_answers_every_role_as_the_table_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let (foreign_reviewer, foreign_enterprise) = foreign_tokens(&app).await;
    let tokens: [Option<String>; 7] = [
        None,
        Some(app.token(ADMIN).await),
        Some(app.token(REVIEWER).await),
        Some(app.token(INSPECTOR).await),
        Some(app.token(ENTERPRISE).await),
        Some(foreign_reviewer),
        Some(foreign_enterprise),
    ];
    let inspector = tokens[3].clone().unwrap();
    // Records to point at: a site-checklist draft and a photo of the demo inspection.
    let draft: ResponseView = app
        .post_json(
            &format!("/api/v1/inspections/{}/responses", app.demo.inspection_id),
            &inspector,
            &json!({"id": Uuid::new_v4(), "template_id": app.demo.site_template_id}),
        )
        .await
        .json()
        .await
        .unwrap();
    let photo = Uuid::new_v4();
    assert_eq!(
        app.upload_photo(&inspector, photo, &jpeg_bytes(1))
            .await
            .status(),
        201
    );
    // A resumable upload of the inspector's, for the tus rows.
    let tus_metadata = |evidence: Uuid| {
        UploadMetadata {
            evidence_id: evidence,
            params: EvidenceUploadParams {
                inspection_id: app.demo.inspection_id,
                item_key: "osh.machine_guards".into(),
                kind: EvidenceKind::Document,
                captured_at: None,
                latitude: None,
                longitude: None,
                file_name: None,
            },
            sha256: None,
        }
        .encode()
    };
    let created = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&inspector)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "1000")
        .header("Upload-Metadata", tus_metadata(Uuid::new_v4()))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let upload_path = created.headers()["location"].to_str().unwrap().to_owned();
    let me: kiemtra_shared::auth::Me = app
        .get("/api/v1/me", &inspector)
        .await
        .json()
        .await
        .unwrap();

    let (i, e, t, r) = (
        app.demo.inspection_id,
        app.demo.enterprise_id,
        app.demo.site_template_id,
        draft.id,
    );
    let unknown = Uuid::new_v4();
    let any_auth = [Unauth, Allowed, Allowed, Allowed, Allowed, Allowed, Allowed];
    let staff_only_write = [
        Unauth, Allowed, Allowed, Forbidden, Forbidden, Allowed, Forbidden,
    ];
    let admin_only = [
        Unauth, Allowed, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden,
    ];
    let own_inspection = [Unauth, Allowed, Allowed, Allowed, Allowed, Hidden, Hidden];
    let reviewers_of_it = [
        Unauth, Allowed, Allowed, Forbidden, Forbidden, Hidden, Hidden,
    ];
    let team_form = [Unauth, Allowed, Allowed, Allowed, Hidden, Hidden, Hidden];
    let team_writes = [
        Unauth, Forbidden, Forbidden, Allowed, Hidden, Hidden, Hidden,
    ];
    let nothing_there = [Unauth, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden];
    // A resumable upload is its creator's alone.
    let own_upload = [Unauth, Hidden, Hidden, Allowed, Hidden, Hidden, Hidden];
    let public = |s: u16| [Status(s); 7];
    use Method as M;
    let rows = vec![
        row(
            M::GET,
            "/api/health",
            "/api/health".into(),
            None,
            public(200),
        ),
        row(
            M::GET,
            "/api/openapi.json",
            "/api/openapi.json".into(),
            None,
            public(200),
        ),
        row(M::GET, "/api/docs", "/api/docs".into(), None, public(200)),
        row(
            M::GET,
            "/api/docs/init.js",
            "/api/docs/init.js".into(),
            None,
            public(200),
        ),
        row(
            M::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login".into(),
            None,
            public(401),
        ),
        row(
            M::POST,
            "/api/v1/auth/refresh",
            "/api/v1/auth/refresh".into(),
            Some(json!({"refresh_token": "forged"})),
            public(401),
        ),
        row(
            M::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout".into(),
            Some(json!({"refresh_token": "forged"})),
            public(204),
        ),
        row(
            M::POST,
            "/api/v1/auth/accept-invite",
            "/api/v1/auth/accept-invite".into(),
            Some(json!({"token": "forged", "password": "long-enough-pw"})),
            public(422),
        ),
        row(M::GET, "/api/v1/me", "/api/v1/me".into(), None, any_auth),
        row(
            M::POST,
            "/api/v1/users",
            "/api/v1/users".into(),
            Some(
                json!({"email": "x", "display_name": "", "role": "inspector", "password": "short"}),
            ),
            admin_only,
        ),
        row(
            M::GET,
            "/api/v1/users",
            "/api/v1/users".into(),
            None,
            admin_only,
        ),
        row(
            M::PATCH,
            "/api/v1/users/{id}",
            format!("/api/v1/users/{}", me.id),
            Some(json!({"display_name": "Nguyễn Văn Kiểm"})),
            admin_only,
        ),
        row(
            M::POST,
            "/api/v1/enterprises/{id}/invites",
            format!("/api/v1/enterprises/{e}/invites"),
            Some(json!({"email": "not-an-email", "display_name": "X"})),
            [
                Unauth, Allowed, Allowed, Forbidden, Forbidden, Allowed, Forbidden,
            ],
        ),
        row(
            M::GET,
            "/api/v1/enterprises",
            "/api/v1/enterprises".into(),
            None,
            any_auth,
        ),
        row(
            M::POST,
            "/api/v1/enterprises",
            "/api/v1/enterprises".into(),
            Some(
                json!({"name": "X", "tax_code": "0312345678", "address": "", "province": "Hà Nội"}),
            ),
            staff_only_write,
        ),
        row(
            M::GET,
            "/api/v1/enterprises/{id}",
            format!("/api/v1/enterprises/{e}"),
            None,
            [Unauth, Allowed, Allowed, Allowed, Allowed, Allowed, Hidden],
        ),
        row(
            M::PATCH,
            "/api/v1/enterprises/{id}",
            format!("/api/v1/enterprises/{e}"),
            Some(json!({"headcount": 250})),
            [
                Unauth, Allowed, Allowed, Forbidden, Forbidden, Allowed, Hidden,
            ],
        ),
        row(
            M::GET,
            "/api/v1/templates",
            "/api/v1/templates".into(),
            None,
            [
                Unauth, Allowed, Allowed, Allowed, Forbidden, Allowed, Forbidden,
            ],
        ),
        row(
            M::POST,
            "/api/v1/templates",
            "/api/v1/templates".into(),
            Some(
                json!({"code": "Bad Code", "kind": "site_checklist", "name": "X", "schema": {"sections": []}}),
            ),
            admin_only,
        ),
        row(
            M::GET,
            "/api/v1/templates/{id}",
            format!("/api/v1/templates/{t}"),
            None,
            [Unauth, Allowed, Allowed, Allowed, Hidden, Allowed, Hidden],
        ),
        row(
            M::PUT,
            "/api/v1/templates/{id}",
            format!("/api/v1/templates/{t}"),
            Some(json!({"name": "Đổi tên"})),
            admin_only,
        ),
        row(
            M::POST,
            "/api/v1/templates/{id}/publish",
            format!("/api/v1/templates/{t}/publish"),
            None,
            admin_only,
        ),
        row(
            M::GET,
            "/api/v1/inspections",
            "/api/v1/inspections".into(),
            None,
            any_auth,
        ),
        row(
            M::POST,
            "/api/v1/inspections",
            "/api/v1/inspections".into(),
            Some(
                json!({"enterprise_id": e, "decision_number": "1", "title": "X", "planned_start": "2026-12-01", "planned_end": "2026-12-02", "lead_id": unknown, "site_template_id": t}),
            ),
            staff_only_write,
        ),
        row(
            M::GET,
            "/api/v1/inspections/{id}",
            format!("/api/v1/inspections/{i}"),
            None,
            own_inspection,
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/transition",
            format!("/api/v1/inspections/{i}/transition"),
            Some(json!({"to": "closed"})),
            reviewers_of_it,
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/site-response",
            format!("/api/v1/inspections/{i}/site-response"),
            Some(json!({"id": Uuid::new_v4(), "answers": {"items": {}}})),
            [
                Unauth, Forbidden, Forbidden, Allowed, Forbidden, Hidden, Hidden,
            ],
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/responses",
            format!("/api/v1/inspections/{i}/responses"),
            Some(json!({"id": Uuid::new_v4(), "template_id": app.demo.questionnaire_template_id})),
            [
                Unauth, Forbidden, Forbidden, Forbidden, Allowed, Hidden, Hidden,
            ],
        ),
        row(
            M::GET,
            "/api/v1/responses/{id}",
            format!("/api/v1/responses/{r}"),
            None,
            team_form,
        ),
        row(
            M::GET,
            "/api/v1/responses/{id}/versions",
            format!("/api/v1/responses/{r}/versions"),
            None,
            team_form,
        ),
        row(
            M::PUT,
            "/api/v1/responses/{id}/answers",
            format!("/api/v1/responses/{r}/answers"),
            Some(json!({"answers": {"items": {}}})),
            team_writes,
        ),
        row(
            M::POST,
            "/api/v1/responses/{id}/submit",
            format!("/api/v1/responses/{r}/submit"),
            None,
            team_writes,
        ),
        row(
            M::POST,
            "/api/v1/responses/{id}/amend",
            format!("/api/v1/responses/{r}/amend"),
            Some(json!({"id": Uuid::new_v4()})),
            team_writes,
        ),
        row(
            M::PUT,
            "/api/v1/evidence/{id}",
            format!(
                "/api/v1/evidence/{unknown}?inspection_id={i}&item_key=osh.machine_guards&kind=photo"
            ),
            None,
            [
                Unauth, Forbidden, Forbidden, Allowed, Forbidden, Hidden, Hidden,
            ],
        ),
        row(
            M::GET,
            "/api/v1/evidence/{id}",
            format!("/api/v1/evidence/{photo}"),
            None,
            team_form,
        ),
        row(
            M::OPTIONS,
            "/api/v1/uploads",
            "/api/v1/uploads".into(),
            None,
            public(204),
        ),
        row(
            M::POST,
            "/api/v1/uploads",
            "/api/v1/uploads".into(),
            None,
            [
                Unauth, Forbidden, Forbidden, Allowed, Forbidden, Hidden, Hidden,
            ],
        ),
        row(
            M::HEAD,
            "/api/v1/uploads/{id}",
            upload_path.clone(),
            None,
            own_upload,
        ),
        row(
            M::PATCH,
            "/api/v1/uploads/{id}",
            upload_path.clone(),
            None,
            own_upload,
        ),
        row(
            M::DELETE,
            "/api/v1/uploads/{id}",
            upload_path.clone(),
            None,
            own_upload,
        ),
        row(
            M::GET,
            "/api/v1/evidence/{id}/content",
            format!("/api/v1/evidence/{photo}/content"),
            None,
            team_form,
        ),
        row(
            M::GET,
            "/api/v1/evidence/{id}/thumbnail",
            format!("/api/v1/evidence/{photo}/thumbnail"),
            None,
            team_form,
        ),
        row(
            M::GET,
            "/api/v1/evidence/{id}/preview",
            format!("/api/v1/evidence/{photo}/preview"),
            None,
            team_form,
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/reviews",
            format!("/api/v1/inspections/{i}/reviews"),
            Some(json!({"target": {"type": "evidence", "id": photo}, "decision": "approved"})),
            reviewers_of_it,
        ),
        row(
            M::GET,
            "/api/v1/inspections/{id}/reviews",
            format!("/api/v1/inspections/{i}/reviews"),
            None,
            [Unauth, Allowed, Allowed, Allowed, Forbidden, Hidden, Hidden],
        ),
        row(
            M::GET,
            "/api/v1/inspections/{id}/findings",
            format!("/api/v1/inspections/{i}/findings"),
            None,
            own_inspection,
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/findings/propose",
            format!("/api/v1/inspections/{i}/findings/propose"),
            None,
            reviewers_of_it,
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/findings",
            format!("/api/v1/inspections/{i}/findings"),
            Some(json!({"title": "X", "description": "Y", "severity": "minor"})),
            reviewers_of_it,
        ),
        row(
            M::PATCH,
            "/api/v1/findings/{id}",
            format!("/api/v1/findings/{unknown}"),
            Some(json!({"status": "confirmed"})),
            nothing_there,
        ),
        row(
            M::POST,
            "/api/v1/findings/{id}/corrective-actions",
            format!("/api/v1/findings/{unknown}/corrective-actions"),
            Some(json!({"description": "X", "due_date": "2027-01-01"})),
            nothing_there,
        ),
        row(
            M::GET,
            "/api/v1/inspections/{id}/corrective-actions",
            format!("/api/v1/inspections/{i}/corrective-actions"),
            None,
            own_inspection,
        ),
        row(
            M::GET,
            "/api/v1/corrective-actions",
            "/api/v1/corrective-actions".into(),
            None,
            any_auth,
        ),
        row(
            M::POST,
            "/api/v1/corrective-actions/{id}/proof",
            format!("/api/v1/corrective-actions/{unknown}/proof"),
            Some(json!({"evidence_ids": []})),
            nothing_there,
        ),
        row(
            M::POST,
            "/api/v1/corrective-actions/{id}/verify",
            format!("/api/v1/corrective-actions/{unknown}/verify"),
            Some(json!({"accepted": true})),
            nothing_there,
        ),
        row(
            M::POST,
            "/api/v1/inspections/{id}/conclusion",
            format!("/api/v1/inspections/{i}/conclusion"),
            Some(json!({"number": "1/KL", "summary": "Kết luận"})),
            reviewers_of_it,
        ),
        row(
            M::GET,
            "/api/v1/inspections/{id}/conclusion",
            format!("/api/v1/inspections/{i}/conclusion"),
            None,
            nothing_there,
        ),
        row(
            M::POST,
            "/api/v1/sync/push",
            "/api/v1/sync/push".into(),
            Some(json!({"ops": []})),
            any_auth,
        ),
        row(
            M::GET,
            "/api/v1/sync/pull",
            "/api/v1/sync/pull?since=0".into(),
            None,
            any_auth,
        ),
    ];

    // The table covers the whole API document, no more and no less.
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let tabled: BTreeSet<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.method, r.template))
        .collect();
    assert_eq!(
        tabled, documented,
        "the matrix and the OpenAPI document list different endpoints"
    );

    let mut failures = Vec::new();
    for row in &rows {
        for (caller, (token, expect)) in CALLERS.iter().zip(tokens.iter().zip(row.expect)) {
            let mut request = app.client.request(row.method.clone(), app.url(&row.path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request = match (&row.body, row.template) {
                // One failed login per address: the per-account limit is tested elsewhere.
                (_, "/api/v1/auth/login") => request.json(&json!({"email": format!("nobody-{caller}@kiemtra.test").replace(' ', "-"), "password": "wrong"})),
                (_, "/api/v1/evidence/{id}") => {
                    let bytes = jpeg_bytes(9);
                    request.header("content-digest", content_digest(&bytes)).body(bytes)
                }
                (_, "/api/v1/uploads") => request
                    .header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", "1000")
                    .header("Upload-Metadata", tus_metadata(Uuid::new_v4())),
                (_, "/api/v1/uploads/{id}") if row.method != Method::PATCH => {
                    request.header("Tus-Resumable", "1.0.0")
                }
                (_, "/api/v1/uploads/{id}") => request
                    .header("Tus-Resumable", "1.0.0")
                    .header("Content-Type", "application/offset+octet-stream")
                    .header("Upload-Offset", "0")
                    .body(b"%PDF-1.7\n".to_vec()),
                (Some(body), _) => request.json(body),
                (None, _) => request,
            };
            let status = request.send().await.unwrap().status().as_u16();
            let ok = match expect {
                Allowed => (200..300).contains(&status) || status == 409 || status == 422,
                Unauth => status == 401,
                Forbidden => status == 403,
                Hidden => status == 404,
                Status(s) => status == s,
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {caller}: got {status}, want {expect:?}",
                    row.method, row.template
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
