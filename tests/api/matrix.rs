//! Every endpoint tried by every role on real records, of the caller's own tenant and of another
//! tenant: the authorization matrix. The table must cover every operation of the OpenAPI
//! document, so a new endpoint cannot be added without deciding who may call it.
//!
//! Two tenants. *Own*: the demo agency (its admin, reviewer and inspector) inspecting the demo
//! enterprise, Cơ khí Sông Hồng, whose user is the enterprise caller. *Foreign*: another agency,
//! with a reviewer and an inspector of its own, inspecting the other enterprise, Xây dựng Tây
//! Hồ, which has a user of its own. The callers are the own tenant's people (and anonymous);
//! each row is tried on a record of the own tenant and on the same kind of record of the foreign
//! one, made the same way by the foreign tenant's people.
//!
//! "Allowed" means the operation succeeded: one of the success statuses the OpenAPI document
//! gives for that operation (201, 204, 307...), nothing else. So every cell that changes state
//! gets a record of its own, in a state where the operation is legal: a refusal can never be a
//! 409 or 422 in disguise, and a missing authorization check shows as a success where a refusal
//! was due. "Denied" is the documented refusal: 401 without a session, 403 for a role that may
//! not, and 404 for a record of another tenant (never 403, so ids do not leak).

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{Duration, Utc};
use kiemtra_shared::auth::{InviteCreated, LoginResponse, Me, Role};
use kiemtra_shared::inspection::InspectionDetail;
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

/// The callers, in the order of each row's expectations: the own tenant's people.
const CALLERS: [&str; 5] = ["anonymous", "admin", "reviewer", "inspector", "enterprise"];
/// The index of the admin caller, for cells of its own.
const ADMIN_CALLER: usize = 1;
/// The index of the reviewer caller, for cells of its own.
const REVIEWER_CALLER: usize = 2;
/// The index of the enterprise caller, for the cells only an enterprise user has.
const ENTERPRISE_CALLER: usize = 4;
/// Whose credentials each caller presents when signing in (anonymous signs in as the inspector).
const SIGNS_IN_AS: [&str; 5] = [INSPECTOR, ADMIN, REVIEWER, INSPECTOR, ENTERPRISE];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tenant {
    Own,
    Foreign,
}
use Tenant::{Foreign, Own};

/// What a caller should get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// The operation succeeded: a success status the API document gives for it.
    Success,
    /// Succeeded, and the answer names the cell's record.
    Lists,
    /// Succeeded, and the answer does not name the cell's record (another tenant's).
    Omits,
    /// A sync push answered and applied its one operation.
    Applied,
    /// A sync push answered, but refused its one operation with this error code.
    OpRefused(&'static str),
    /// 401: not signed in.
    Unauth,
    /// 403: signed in, but the role may not.
    Forbidden,
    /// 404: not visible to this user (another tenant's record).
    Hidden,
    /// Exactly this status: a documented refusal of a public endpoint or of a request's content.
    Status(u16),
}
use Expect::*;

/// One request of a cell.
#[derive(Debug, Clone, Default)]
struct Req {
    path: String,
    json: Option<Value>,
    headers: Vec<(&'static str, String)>,
    bytes: Option<Vec<u8>>,
    /// The record a list must name (`Lists`) or must not (`Omits`).
    marker: Option<Uuid>,
}

fn req(path: impl Into<String>) -> Req {
    Req {
        path: path.into(),
        ..Req::default()
    }
}

impl Req {
    fn json(mut self, body: Value) -> Req {
        self.json = Some(body);
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Req {
        self.headers.push((name, value.into()));
        self
    }

    fn bytes(mut self, bytes: Vec<u8>) -> Req {
        self.bytes = Some(bytes);
        self
    }

    fn marker(mut self, id: Uuid) -> Req {
        self.marker = Some(id);
        self
    }
}

struct Cell {
    caller: usize,
    /// Whose record: "own", "foreign", "genuine"/"forged" for public endpoints, "-" for none.
    target: &'static str,
    req: Req,
    expect: Expect,
}

struct Row {
    method: Method,
    /// As in the OpenAPI document.
    template: &'static str,
    cells: Vec<Cell>,
}

impl Row {
    /// One more cell: a record only some caller has (the enterprise's own form, say).
    fn and(mut self, caller: usize, target: &'static str, expect: Expect, req: Req) -> Row {
        self.cells.push(Cell {
            caller,
            target,
            req,
            expect,
        });
        self
    }
}

fn cells(
    target: &'static str,
    expect: [Expect; 5],
    req: impl Fn(usize) -> Req,
) -> impl Iterator<Item = Cell> {
    expect
        .into_iter()
        .enumerate()
        .map(move |(caller, expect)| Cell {
            caller,
            target,
            req: req(caller),
            expect,
        })
}

/// A row tried on the own tenant's record and on the foreign tenant's.
fn tenant_row(
    method: Method,
    template: &'static str,
    own: [Expect; 5],
    foreign: [Expect; 5],
    req: impl Fn(Tenant, usize) -> Req,
) -> Row {
    two_sided_row(
        method,
        template,
        [("own", Own, own), ("foreign", Foreign, foreign)],
        req,
    )
}

/// A row tried on two kinds of target, each with its own expectations.
fn two_sided_row<K: Copy>(
    method: Method,
    template: &'static str,
    sides: [(&'static str, K, [Expect; 5]); 2],
    req: impl Fn(K, usize) -> Req,
) -> Row {
    let cells = sides
        .into_iter()
        .flat_map(|(name, key, expect)| cells(name, expect, |c| req(key, c)).collect::<Vec<_>>())
        .collect();
    Row {
        method,
        template,
        cells,
    }
}

/// A public endpoint, tried with a genuine credential (`true`) and a forged one.
fn public_row(
    method: Method,
    template: &'static str,
    genuine: [Expect; 5],
    forged: [Expect; 5],
    req: impl Fn(bool, usize) -> Req,
) -> Row {
    two_sided_row(
        method,
        template,
        [("genuine", true, genuine), ("forged", false, forged)],
        req,
    )
}

/// An operation on no tenant's record (the caller's session, the shared template library, a
/// creation in the caller's own agency).
fn global_row(
    method: Method,
    template: &'static str,
    expect: [Expect; 5],
    req: impl Fn(usize) -> Req,
) -> Row {
    Row {
        method,
        template,
        cells: cells("-", expect, req).collect(),
    }
}

/// One value per tenant.
struct Both<T> {
    own: T,
    foreign: T,
}

impl<T> Both<T> {
    async fn make<F: Future<Output = T>>(mut make: impl FnMut(Tenant) -> F) -> Both<T> {
        let own = make(Own).await;
        let foreign = make(Foreign).await;
        Both { own, foreign }
    }

    fn of(&self, tenant: Tenant) -> &T {
        match tenant {
            Own => &self.own,
            Foreign => &self.foreign,
        }
    }
}

/// A fresh record for every caller on every tenant, for the operations that change state.
struct PerCell<T>(Both<Vec<T>>);

impl<T: Clone> PerCell<T> {
    /// Makes them all at once: they are independent, and the server serves phones in parallel.
    async fn make<F: Future<Output = T>>(mut make: impl FnMut(Tenant) -> F) -> PerCell<T> {
        let own: Vec<F> = CALLERS.iter().map(|_| make(Own)).collect();
        let foreign: Vec<F> = CALLERS.iter().map(|_| make(Foreign)).collect();
        let (own, foreign) = futures_util::future::join(
            futures_util::future::join_all(own),
            futures_util::future::join_all(foreign),
        )
        .await;
        PerCell(Both { own, foreign })
    }

    fn at(&self, tenant: Tenant, caller: usize) -> T {
        self.0.of(tenant)[caller].clone()
    }
}

/// The people of one tenant.
struct Side {
    reviewer: String,
    inspector: String,
    enterprise: String,
    reviewer_id: Uuid,
    inspector_id: Uuid,
    enterprise_user_id: Uuid,
    /// The enterprise this tenant's inspections are of.
    enterprise_id: Uuid,
    /// The questionnaire attached to this tenant's inspections (the foreign one has its own,
    /// attached to none of the own tenant's).
    questionnaire: Uuid,
}

struct World<'a> {
    app: &'a TestApp,
    own: Side,
    foreign: Side,
    serial: AtomicU32,
}

fn site_answers() -> Value {
    json!({"items": {
        "osh.machine_guards": {"type": "yes_no", "value": "yes"},
        "osh.fire_extinguishers": {"type": "yes_no", "value": "yes"},
    }})
}

fn small_schema(kind_label: &str) -> Value {
    json!({"sections": [{"key": "s", "title": {"vi": "Phần", "en": "Section"}, "items": [
        {"key": "s.first", "label": {"vi": kind_label, "en": kind_label},
         "kind": {"type": "yes_no", "compliant_answer": "yes"},
         "severity": "minor", "legal_basis": "Bộ luật Lao động 2019"}
    ]}]})
}

fn tus_metadata(evidence: Uuid, inspection: Uuid) -> String {
    use base64::Engine;
    let b64 = |v: String| base64::engine::general_purpose::STANDARD.encode(v);
    format!(
        "evidence_id {},inspection_id {},item_key {},kind {}",
        b64(evidence.to_string()),
        b64(inspection.to_string()),
        b64("osh.machine_guards".into()),
        b64("document".into())
    )
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn id_of(value: &Value) -> Uuid {
    serde_json::from_value(value["id"].clone()).expect("an id in the answer")
}

impl<'a> World<'a> {
    /// The own tenant from the demo data; the foreign agency and its people made here.
    async fn new(app: &'a TestApp) -> World<'a> {
        let me = |token: String| async move {
            let me: Me = app.get("/api/v1/me", &token).await.json().await.unwrap();
            (token, me.id)
        };
        let (reviewer, reviewer_id) = me(app.token(REVIEWER).await).await;
        let (inspector, inspector_id) = me(app.token(INSPECTOR).await).await;
        let (enterprise, enterprise_user_id) = me(app.token(ENTERPRISE).await).await;
        let own = Side {
            reviewer: reviewer.clone(),
            inspector,
            enterprise,
            reviewer_id,
            inspector_id,
            enterprise_user_id,
            enterprise_id: app.demo.enterprise_id,
            questionnaire: app.demo.questionnaire_template_id,
        };

        let agency = Uuid::new_v4();
        kiemtra_server::entities::agency::ActiveModel {
            id: Set(agency),
            name: Set("Thanh tra tỉnh khác".to_owned()),
            created_at: Set(Utc::now()),
        }
        .insert(&app.db)
        .await
        .unwrap();
        for (email, name, role) in [
            ("reviewer@other.example", "Người duyệt khác", Role::Reviewer),
            (
                "inspector@other.example",
                "Thanh tra viên khác",
                Role::Inspector,
            ),
        ] {
            kiemtra_server::entities::app_user::ActiveModel {
                id: Set(Uuid::new_v4()),
                email: Set(email.to_owned()),
                password_hash: Set(kiemtra_server::auth::password::hash(PASSWORD)),
                display_name: Set(name.to_owned()),
                role: Set(role),
                agency_id: Set(Some(agency)),
                enterprise_id: Set(None),
                invited_by_agency_id: Set(None),
                active: Set(true),
                created_at: Set(Utc::now()),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        let (foreign_reviewer, foreign_reviewer_id) =
            me(app.token("reviewer@other.example").await).await;
        let (foreign_inspector, foreign_inspector_id) =
            me(app.token("inspector@other.example").await).await;
        // The foreign agency plans an inspection of its enterprise, then invites its user: an
        // agency invites only into enterprises it inspects, and the user sees that agency's
        // inspections (not the own agency's 126/QĐ-TTr of the same enterprise).
        let planned = app
            .post_json(
                "/api/v1/inspections",
                &foreign_reviewer,
                &json!({
                    "enterprise_id": app.demo.other_enterprise_id,
                    "decision_number": "1/QĐ-TK", "title": "Thanh tra của tỉnh khác",
                    "planned_start": "2026-12-01", "planned_end": "2026-12-02",
                    "lead_id": foreign_reviewer_id,
                    "site_template_id": app.demo.site_template_id}),
            )
            .await;
        assert_eq!(
            planned.status(),
            201,
            "the foreign agency plans an inspection"
        );
        let invite: InviteCreated = app
            .post_json(
                &format!(
                    "/api/v1/enterprises/{}/invites",
                    app.demo.other_enterprise_id
                ),
                &foreign_reviewer,
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
        // A questionnaire of the foreign tenant's inspections only (templates are shared, but an
        // enterprise user sees only those attached to its own inspections).
        let admin = app.token(ADMIN).await;
        let draft = app
            .post_json(
                "/api/v1/templates",
                &admin,
                &json!({"code": "matrix-foreign-questionnaire", "kind": "questionnaire",
                    "name": "Phiếu hỏi của tỉnh khác", "schema": small_schema("Câu hỏi")}),
            )
            .await;
        assert_eq!(draft.status(), 201);
        let draft = id_of(&draft.json().await.unwrap());
        let published = app
            .post_json(
                &format!("/api/v1/templates/{draft}/publish"),
                &admin,
                &json!(null),
            )
            .await;
        assert_eq!(published.status(), 200);
        let foreign = Side {
            reviewer: foreign_reviewer,
            inspector: foreign_inspector,
            enterprise: accepted.access_token,
            reviewer_id: foreign_reviewer_id,
            inspector_id: foreign_inspector_id,
            enterprise_user_id: accepted.user.id,
            enterprise_id: app.demo.other_enterprise_id,
            questionnaire: draft,
        };
        World {
            app,
            own,
            foreign,
            serial: AtomicU32::new(1),
        }
    }

    fn side(&self, tenant: Tenant) -> &Side {
        match tenant {
            Own => &self.own,
            Foreign => &self.foreign,
        }
    }

    fn next(&self) -> u32 {
        self.serial.fetch_add(1, Ordering::SeqCst)
    }

    /// The answer's JSON, after checking a fixture request did what it should.
    async fn expect(&self, response: reqwest::Response, want: u16, what: &str) -> Value {
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, want, "making the fixture ({what}): {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn post(&self, path: &str, token: &str, body: Value, want: u16) -> Value {
        let response = self.app.post_json(path, token, &body).await;
        self.expect(response, want, path).await
    }

    /// A new inspection of the tenant's enterprise, planned by its reviewer with its inspector
    /// on the team, and moved on through the status machine to `to`.
    async fn inspection(&self, tenant: Tenant, to: &str) -> Uuid {
        let side = self.side(tenant);
        let plan = json!({
            "enterprise_id": side.enterprise_id,
            "decision_number": format!("{}/QĐ-MT", self.next()),
            "title": "Thanh tra ma trận quyền",
            "planned_start": "2026-12-01", "planned_end": "2026-12-02",
            "lead_id": side.reviewer_id, "member_ids": [side.inspector_id],
            "site_template_id": self.app.demo.site_template_id,
            "questionnaire_template_id": side.questionnaire,
        });
        let detail: InspectionDetail = serde_json::from_value(
            self.post("/api/v1/inspections", &side.reviewer, plan, 201)
                .await,
        )
        .unwrap();
        let id = detail.summary.id;
        if to != "planned" {
            for step in ["in_progress", "submitted", "under_review"] {
                self.transition(tenant, id, step).await;
                if step == to {
                    break;
                }
            }
        }
        id
    }

    async fn transition(&self, tenant: Tenant, inspection: Uuid, to: &str) {
        self.post(
            &format!("/api/v1/inspections/{inspection}/transition"),
            &self.side(tenant).reviewer,
            json!({"to": to}),
            200,
        )
        .await;
    }

    /// A photo of the site checklist's first item, taken by the tenant's inspector.
    async fn photo(&self, tenant: Tenant, inspection: Uuid) -> Uuid {
        let id = Uuid::new_v4();
        let bytes = jpeg_bytes(self.next() as u8);
        let response = self
            .app
            .upload(
                &self.side(tenant).inspector,
                id,
                inspection,
                &bytes,
                Some(&content_digest(&bytes)),
            )
            .await;
        self.expect(response, 201, "a photo").await;
        id
    }

    /// A draft of the site checklist, started by the tenant's inspector.
    async fn site_draft(&self, tenant: Tenant, inspection: Uuid) -> Uuid {
        let id = Uuid::new_v4();
        self.post(
            &format!("/api/v1/inspections/{inspection}/responses"),
            &self.side(tenant).inspector,
            json!({"id": id, "template_id": self.app.demo.site_template_id}),
            201,
        )
        .await;
        id
    }

    /// A draft of the questionnaire, started by the tenant's enterprise user.
    async fn questionnaire_draft(&self, tenant: Tenant, inspection: Uuid) -> Uuid {
        let id = Uuid::new_v4();
        self.post(
            &format!("/api/v1/inspections/{inspection}/responses"),
            &self.side(tenant).enterprise,
            json!({"id": id, "template_id": self.side(tenant).questionnaire}),
            201,
        )
        .await;
        id
    }

    /// The site checklist, complete, submitted by the tenant's inspector (the inspection moves
    /// to submitted).
    async fn site_submission(&self, tenant: Tenant, inspection: Uuid) -> Uuid {
        let id = Uuid::new_v4();
        self.post(
            &format!("/api/v1/inspections/{inspection}/site-response"),
            &self.side(tenant).inspector,
            json!({"id": id, "answers": site_answers()}),
            201,
        )
        .await;
        id
    }

    /// A confirmed finding, recorded by hand by the tenant's reviewer.
    async fn finding(&self, tenant: Tenant, inspection: Uuid) -> Uuid {
        id_of(
            &self
                .post(
                    &format!("/api/v1/inspections/{inspection}/findings"),
                    &self.side(tenant).reviewer,
                    json!({"title": "Máy dập không có che chắn",
                        "description": "Thiếu che chắn vùng nguy hiểm.", "severity": "major"}),
                    201,
                )
                .await,
        )
    }

    /// A corrective action of a confirmed finding, due in two weeks.
    async fn action(&self, tenant: Tenant, finding: Uuid) -> Uuid {
        let due = (Utc::now() + Duration::days(14)).date_naive();
        id_of(
            &self
                .post(
                    &format!("/api/v1/findings/{finding}/corrective-actions"),
                    &self.side(tenant).reviewer,
                    json!({"description": "Lắp che chắn.", "due_date": due}),
                    201,
                )
                .await,
        )
    }

    /// A document the tenant's enterprise uploaded as proof of the action's fix.
    async fn proof(&self, tenant: Tenant, inspection: Uuid, action: Uuid) -> Uuid {
        let id = Uuid::new_v4();
        let response = self
            .app
            .client
            .put(self.app.url(&format!("/api/v1/evidence/{id}")))
            .bearer_auth(&self.side(tenant).enterprise)
            .query(&[
                ("inspection_id", inspection.to_string()),
                ("item_key", format!("proof.{action}")),
                ("kind", "document".to_owned()),
            ])
            .header("content-digest", content_digest(PDF))
            .body(PDF.to_vec())
            .send()
            .await
            .unwrap();
        self.expect(response, 201, "a proof document").await;
        id
    }

    /// A resumable upload the tenant's inspector started; its path.
    async fn upload_session(&self, tenant: Tenant, inspection: Uuid) -> String {
        let created = self
            .app
            .client
            .post(self.app.url("/api/v1/uploads"))
            .bearer_auth(&self.side(tenant).inspector)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", "1000")
            .header("Upload-Metadata", tus_metadata(Uuid::new_v4(), inspection))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201, "making the fixture (an upload)");
        created.headers()["location"].to_str().unwrap().to_owned()
    }

    /// Waits until the photo's thumbnail and preview are made (a 409 until then).
    async fn wait_for_derivatives(&self, tenant: Tenant, photo: Uuid) {
        for _ in 0..300 {
            let status = self
                .app
                .get(
                    &format!("/api/v1/evidence/{photo}/thumbnail"),
                    &self.side(tenant).inspector,
                )
                .await
                .status();
            if status == 200 {
                return;
            }
            assert_eq!(status, 409, "the thumbnail is being made");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the thumbnail of {photo} was never made");
    }

    /// A fresh refresh token of the caller's account.
    async fn refresh_token(&self, caller: usize) -> String {
        let response = self
            .app
            .login_raw(json!({"email": SIGNS_IN_AS[caller], "password": PASSWORD}))
            .await;
        let login: LoginResponse =
            serde_json::from_value(self.expect(response, 200, "a login").await).unwrap();
        login.refresh_token
    }
}

async fn every_endpoint_answers_every_role_as_the_table_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let world = World::new(&app).await;
    let w = &world;
    let tokens: [Option<String>; 5] = [
        None,
        Some(app.token(ADMIN).await),
        Some(w.own.reviewer.clone()),
        Some(w.own.inspector.clone()),
        Some(w.own.enterprise.clone()),
    ];

    // Records each tenant shares between the callers, for the operations that only read, or
    // that may be repeated. The inspections in the field come first, so that their creation is
    // in the first page of the change feed.
    let field = Both::make(|t| w.inspection(t, "in_progress")).await;
    let field_photo = Both::make(|t| w.photo(t, *field.of(t))).await;
    let field_draft = Both::make(|t| w.site_draft(t, *field.of(t))).await;
    let field_form = Both::make(|t| w.questionnaire_draft(t, *field.of(t))).await;
    let field_upload = Both::make(|t| w.upload_session(t, *field.of(t))).await;
    // Under review: a submitted site checklist with a photo, and a first review decision.
    let reviewing = Both::make(|t| async move {
        let inspection = w.inspection(t, "in_progress").await;
        let photo = w.photo(t, inspection).await;
        w.site_submission(t, inspection).await;
        let decision = w
            .post(
                &format!("/api/v1/inspections/{inspection}/reviews"),
                &w.side(t).reviewer,
                json!({"target": {"type": "evidence", "id": photo}, "decision": "approved"}),
                201,
            )
            .await;
        (inspection, photo, id_of(&decision))
    })
    .await;
    // Waiting in the review queue: a submitted site checklist with a photo, no decision yet.
    let waiting = Both::make(|t| async move {
        let inspection = w.inspection(t, "in_progress").await;
        let photo = w.photo(t, inspection).await;
        w.site_submission(t, inspection).await;
        photo
    })
    .await;
    // Concluded: a confirmed finding with a corrective action, which the enterprise now sees,
    // and the proof document the enterprise uploaded for it.
    let concluded = &Both::make(|t| async move {
        let inspection = w.inspection(t, "under_review").await;
        let finding = w.finding(t, inspection).await;
        let action = w.action(t, finding).await;
        w.post(
            &format!("/api/v1/inspections/{inspection}/conclusion"),
            &w.side(t).reviewer,
            json!({"number": format!("{}/KL-TTr", w.next()), "summary": "Vi phạm ATVSLĐ."}),
            201,
        )
        .await;
        let proof = w.proof(t, inspection, action).await;
        (inspection, finding, action, proof)
    })
    .await;
    for t in [Own, Foreign] {
        w.wait_for_derivatives(t, *field_photo.of(t)).await;
    }

    // A record per caller and tenant, for the operations that change state.
    let planned = PerCell::make(|t| w.inspection(t, "planned")).await;
    let replanned = PerCell::make(|t| w.inspection(t, "planned")).await;
    // Planned by the admin with the inspector as lead: the reviewer does not lead it.
    let led_by_another = id_of(
        &w.post(
            "/api/v1/inspections",
            tokens[ADMIN_CALLER].as_deref().unwrap(),
            json!({
                "enterprise_id": w.own.enterprise_id, "decision_number": "MT-lead/QĐ",
                "title": "Thanh tra do thanh tra viên dẫn đầu",
                "planned_start": "2026-12-01", "planned_end": "2026-12-02",
                "lead_id": w.own.inspector_id,
                "site_template_id": app.demo.site_template_id}),
            201,
        )
        .await["summary"],
    );
    let for_questionnaires = PerCell::make(|t| w.inspection(t, "planned")).await;
    let in_progress = PerCell::make(|t| w.inspection(t, "in_progress")).await;
    let under_review = PerCell::make(|t| w.inspection(t, "under_review")).await;
    let complete_drafts = PerCell::make(|t| async move {
        let inspection = w.inspection(t, "in_progress").await;
        let draft = w.site_draft(t, inspection).await;
        let saved = w
            .app
            .client
            .put(w.app.url(&format!("/api/v1/responses/{draft}/answers")))
            .bearer_auth(&w.side(t).inspector)
            .json(&json!({"answers": site_answers()}))
            .send()
            .await
            .unwrap();
        w.expect(saved, 200, "complete answers").await;
        draft
    })
    .await;
    // Submitted, then sent back to the field for recapture: the team may amend it.
    let amendable = PerCell::make(|t| async move {
        let inspection = w.inspection(t, "in_progress").await;
        let submitted = w.site_submission(t, inspection).await;
        w.transition(t, inspection, "in_progress").await;
        submitted
    })
    .await;
    let uploads_to_append = PerCell::make(|t| w.upload_session(t, *field.of(t))).await;
    let uploads_to_end = PerCell::make(|t| w.upload_session(t, *field.of(t))).await;
    let findings_to_edit = PerCell::make(|t| w.finding(t, reviewing.of(t).0)).await;
    let findings_to_act_on = PerCell::make(|t| w.finding(t, reviewing.of(t).0)).await;
    let actions_without_proof = PerCell::make(|t| async move {
        let (inspection, finding, ..) = *concluded.of(t);
        let action = w.action(t, finding).await;
        (action, w.proof(t, inspection, action).await)
    })
    .await;
    let actions_with_proof = PerCell::make(|t| async move {
        let (inspection, finding, ..) = *concluded.of(t);
        let action = w.action(t, finding).await;
        let proof = w.proof(t, inspection, action).await;
        w.post(
            &format!("/api/v1/corrective-actions/{action}/proof"),
            &w.side(t).enterprise,
            json!({"evidence_ids": [proof]}),
            200,
        )
        .await;
        action
    })
    .await;
    let mut refresh_tokens = Vec::new();
    let mut logout_tokens = Vec::new();
    let mut invites = Vec::new();
    let mut drafts_to_rename = Vec::new();
    let mut drafts_to_publish = Vec::new();
    for caller in 0..CALLERS.len() {
        refresh_tokens.push(w.refresh_token(caller).await);
        logout_tokens.push(w.refresh_token(caller).await);
        let invite: InviteCreated = serde_json::from_value(
            w.post(
                &format!("/api/v1/enterprises/{}/invites", app.demo.enterprise_id),
                &w.own.reviewer,
                json!({"email": format!("moi-{caller}@songhong.example"), "display_name": "Nhân viên mới"}),
                201,
            )
            .await,
        )
        .unwrap();
        invites.push(invite.token);
        for drafts in [&mut drafts_to_rename, &mut drafts_to_publish] {
            let draft = w
                .post(
                    "/api/v1/templates",
                    tokens[1].as_deref().unwrap(),
                    json!({"code": format!("matrix-draft-{}", w.next()), "kind": "site_checklist",
                        "name": "Phiếu nháp", "schema": small_schema("Câu 1")}),
                    201,
                )
                .await;
            drafts.push(id_of(&draft));
        }
    }
    // An enterprise in the register that the own agency never inspected: its people may not be
    // invited by the own agency (the access hole of issue 10).
    let uninspected = id_of(
        &w.post(
            "/api/v1/enterprises",
            &w.own.reviewer,
            json!({"name": "Công ty chưa thanh tra", "tax_code": "0319876543",
                "address": "Số 9 Phố Huế", "province": "Hà Nội"}),
            201,
        )
        .await,
    );
    // An unspent invitation, to be looked at.
    let invite_to_show: InviteCreated = serde_json::from_value(
        w.post(
            &format!("/api/v1/enterprises/{}/invites", app.demo.enterprise_id),
            &w.own.reviewer,
            json!({"email": "xem@songhong.example", "display_name": "Người được mời"}),
            201,
        )
        .await,
    )
    .unwrap();
    // Password-reset links of accounts made for them (resetting a caller's own password would
    // end the sessions the other rows use): one to look at, one per caller to spend.
    let admin_token = tokens[ADMIN_CALLER].clone().unwrap();
    let mut reset_links = Vec::new();
    for n in 0..=CALLERS.len() {
        let account = w
            .post(
                "/api/v1/users",
                &admin_token,
                json!({"email": format!("quen-{n}@kiemtra.test"), "display_name": "Quên mật khẩu",
                    "role": "inspector", "password": "mat-khau-cu-dai"}),
                201,
            )
            .await;
        let link = w
            .post(
                &format!("/api/v1/users/{}/password-reset", id_of(&account)),
                &admin_token,
                json!(null),
                201,
            )
            .await;
        reset_links.push(link["token"].as_str().unwrap().to_owned());
    }
    let reset_to_show = reset_links.pop().unwrap();
    let fresh = || Uuid::new_v4();
    let serial = || w.next();
    let all_hidden = [Unauth, Hidden, Hidden, Hidden, Hidden];
    let any_signed_in = [Unauth, Success, Success, Success, Success];
    let admin_only = [Unauth, Success, Forbidden, Forbidden, Forbidden];
    let staff_write = [Unauth, Success, Success, Forbidden, Forbidden];
    let reviewers_of_it = staff_write;
    let team_reads = [Unauth, Success, Success, Success, Hidden];
    let team_writes = [Unauth, Forbidden, Forbidden, Success, Hidden];
    let everyone_of_it_lists = [Unauth, Lists, Lists, Lists, Lists];
    let nobody_else_lists = [Unauth, Omits, Omits, Omits, Omits];
    // A resumable upload is its creator's alone.
    let own_upload = [Unauth, Hidden, Hidden, Success, Hidden];
    let public = [Success; 5];
    let tus = |r: Req| r.header("Tus-Resumable", "1.0.0");
    let set_answer = |response: Uuid, item: &str, answer: Value| {
        req("/api/v1/sync/push").json(json!({"ops": [{"op_id": Uuid::new_v4(), "op": {
            "type": "set_answer", "response_id": response, "item_key": item, "answer": answer}}]}))
    };
    let yes = json!({"type": "yes_no", "value": "yes"});
    let named = json!({"type": "text", "value": "Cơ khí chế tạo"});
    let e = |t: Tenant| w.side(t).enterprise_id;
    use Method as M;
    let rows = vec![
        global_row(M::GET, "/api/health", public, |_| req("/api/health")),
        global_row(M::GET, "/api/openapi.json", public, |_| {
            req("/api/openapi.json")
        }),
        global_row(M::GET, "/api/docs", public, |_| req("/api/docs")),
        global_row(M::GET, "/api/docs/init.js", public, |_| {
            req("/api/docs/init.js")
        }),
        public_row(
            M::POST,
            "/api/v1/auth/login",
            public,
            [Status(401); 5],
            |genuine, c| {
                // One failed login per address: the per-account limit is tested elsewhere.
                let (email, password) = if genuine {
                    (SIGNS_IN_AS[c].to_owned(), PASSWORD)
                } else {
                    (format!("nobody-{c}@kiemtra.test"), "wrong")
                };
                req("/api/v1/auth/login").json(json!({"email": email, "password": password}))
            },
        ),
        public_row(
            M::POST,
            "/api/v1/auth/refresh",
            public,
            [Status(401); 5],
            |genuine, c| {
                let token = if genuine {
                    refresh_tokens[c].as_str()
                } else {
                    "forged"
                };
                req("/api/v1/auth/refresh").json(json!({"refresh_token": token}))
            },
        ),
        public_row(
            M::POST,
            "/api/v1/auth/logout",
            public,
            // Signing out with an unknown token is not an error either.
            public,
            |genuine, c| {
                let token = if genuine {
                    logout_tokens[c].as_str()
                } else {
                    "forged"
                };
                req("/api/v1/auth/logout").json(json!({"refresh_token": token}))
            },
        ),
        public_row(
            M::POST,
            "/api/v1/auth/accept-invite",
            public,
            [Status(422); 5],
            |genuine, c| {
                let token = if genuine {
                    invites[c].as_str()
                } else {
                    "forged"
                };
                req("/api/v1/auth/accept-invite")
                    .json(json!({"token": token, "password": "mat-khau-du-dai"}))
            },
        ),
        public_row(
            M::GET,
            "/api/v1/auth/invites/{token}",
            public,
            [Hidden; 5],
            |genuine, _| {
                let token = if genuine {
                    invite_to_show.token.as_str()
                } else {
                    "forged"
                };
                req(format!("/api/v1/auth/invites/{token}"))
            },
        ),
        // The same 202 for an address with an account and one without.
        public_row(
            M::POST,
            "/api/v1/auth/password-reset",
            public,
            public,
            |genuine, c| {
                let email = if genuine {
                    SIGNS_IN_AS[c].to_owned()
                } else {
                    format!("nobody-{c}@kiemtra.test")
                };
                req("/api/v1/auth/password-reset").json(json!({"email": email}))
            },
        ),
        public_row(
            M::GET,
            "/api/v1/auth/password-reset/{token}",
            public,
            [Hidden; 5],
            |genuine, _| {
                let token = if genuine {
                    reset_to_show.as_str()
                } else {
                    "forged"
                };
                req(format!("/api/v1/auth/password-reset/{token}"))
            },
        ),
        public_row(
            M::POST,
            "/api/v1/auth/password-reset/{token}",
            public,
            [Hidden; 5],
            |genuine, c| {
                let token = if genuine {
                    reset_links[c].as_str()
                } else {
                    "forged"
                };
                req(format!("/api/v1/auth/password-reset/{token}"))
                    .json(json!({"password": "mat-khau-moi-dai"}))
            },
        ),
        global_row(M::GET, "/api/v1/me", any_signed_in, |_| req("/api/v1/me")),
        global_row(
            M::GET,
            "/api/v1/dashboard",
            [Unauth, Success, Success, Forbidden, Forbidden],
            |_| req("/api/v1/dashboard"),
        ),
        global_row(M::POST, "/api/v1/users", admin_only, |c| {
            req("/api/v1/users").json(json!({"email": format!("moi-{c}@kiemtra.test"),
                "display_name": "Thanh tra viên mới", "role": "inspector",
                "password": "mat-khau-rat-dai"}))
        }),
        // Reviewers plan teams: they list their agency's active staff.
        tenant_row(
            M::GET,
            "/api/v1/users",
            [Unauth, Lists, Lists, Forbidden, Forbidden],
            [Unauth, Omits, Omits, Forbidden, Forbidden],
            |t, _| req("/api/v1/users?per_page=100").marker(w.side(t).reviewer_id),
        ),
        tenant_row(
            M::PATCH,
            "/api/v1/users/{id}",
            admin_only,
            [Unauth, Hidden, Forbidden, Forbidden, Forbidden],
            |t, _| {
                req(format!("/api/v1/users/{}", w.side(t).reviewer_id))
                    .json(json!({"display_name": format!("Người duyệt {}", serial())}))
            },
        )
        // Enterprise accounts belong to the shared register, not to an agency: the admin of
        // any agency manages them, whichever agency inspects their enterprise.
        .and(
            ADMIN_CALLER,
            "own enterprise's user",
            Success,
            req(format!("/api/v1/users/{}", w.own.enterprise_user_id))
                .json(json!({"display_name": "Lê Văn Doanh"})),
        )
        .and(
            ADMIN_CALLER,
            "foreign enterprise's user",
            Success,
            req(format!("/api/v1/users/{}", w.foreign.enterprise_user_id))
                .json(json!({"display_name": "Nhân sự Tây Hồ"})),
        ),
        // Admins make reset links for the accounts they manage: their agency's and the
        // enterprise accounts (as PATCH), not another agency's staff.
        tenant_row(
            M::POST,
            "/api/v1/users/{id}/password-reset",
            admin_only,
            [Unauth, Hidden, Forbidden, Forbidden, Forbidden],
            |t, _| {
                req(format!(
                    "/api/v1/users/{}/password-reset",
                    w.side(t).reviewer_id
                ))
            },
        )
        .and(
            ADMIN_CALLER,
            "foreign enterprise's user",
            Success,
            req(format!(
                "/api/v1/users/{}/password-reset",
                w.foreign.enterprise_user_id
            )),
        ),
        // An agency invites people only into enterprises it has an inspection of. The own
        // agency has one of the foreign side's enterprise too (126/QĐ-TTr), so both succeed;
        // an enterprise it never inspected is refused (403 `enterprise_not_inspected`: the
        // register is shared, so staff see the enterprise, but may not act for it).
        tenant_row(
            M::POST,
            "/api/v1/enterprises/{id}/invites",
            staff_write,
            staff_write,
            |t, c| {
                req(format!("/api/v1/enterprises/{}/invites", e(t))).json(json!({
                    "email": format!("moi-{c}-{}@doanhnghiep.example", serial()),
                    "display_name": "Nhân viên"}))
            },
        )
        .and(
            ADMIN_CALLER,
            "enterprise never inspected",
            Forbidden,
            req(format!("/api/v1/enterprises/{uninspected}/invites")).json(json!({
                "email": "chua-1@doanhnghiep.example", "display_name": "Nhân viên"})),
        )
        .and(
            REVIEWER_CALLER,
            "enterprise never inspected",
            Forbidden,
            req(format!("/api/v1/enterprises/{uninspected}/invites")).json(json!({
                "email": "chua-2@doanhnghiep.example", "display_name": "Nhân viên"})),
        ),
        tenant_row(
            M::GET,
            "/api/v1/enterprises",
            everyone_of_it_lists,
            [Unauth, Lists, Lists, Lists, Omits],
            |t, _| req("/api/v1/enterprises?per_page=100").marker(e(t)),
        ),
        global_row(M::POST, "/api/v1/enterprises", staff_write, |c| {
            req("/api/v1/enterprises").json(json!({
                "name": format!("Công ty ma trận {c}"), "tax_code": format!("03123456{c:02}"),
                "address": "Số 1 Đường Láng", "province": "Hà Nội"}))
        }),
        tenant_row(
            M::GET,
            "/api/v1/enterprises/{id}",
            any_signed_in,
            [Unauth, Success, Success, Success, Hidden],
            |t, _| req(format!("/api/v1/enterprises/{}", e(t))),
        ),
        tenant_row(
            M::PATCH,
            "/api/v1/enterprises/{id}",
            staff_write,
            [Unauth, Success, Success, Forbidden, Hidden],
            |t, _| {
                req(format!("/api/v1/enterprises/{}", e(t)))
                    .json(json!({"headcount": 200 + serial()}))
            },
        ),
        global_row(
            M::GET,
            "/api/v1/templates",
            [Unauth, Success, Success, Success, Forbidden],
            |_| req("/api/v1/templates"),
        ),
        global_row(M::POST, "/api/v1/templates", admin_only, |_| {
            req("/api/v1/templates").json(json!({"code": format!("matrix-new-{}", serial()),
                "kind": "site_checklist", "name": "Phiếu mới", "schema": small_schema("Câu 1")}))
        }),
        // Templates are shared; an enterprise user sees those of its own inspections.
        tenant_row(
            M::GET,
            "/api/v1/templates/{id}",
            any_signed_in,
            [Unauth, Success, Success, Success, Hidden],
            |t, _| req(format!("/api/v1/templates/{}", w.side(t).questionnaire)),
        ),
        global_row(M::PUT, "/api/v1/templates/{id}", admin_only, |c| {
            req(format!("/api/v1/templates/{}", drafts_to_rename[c]))
                .json(json!({"name": "Đổi tên"}))
        }),
        global_row(M::POST, "/api/v1/templates/{id}/publish", admin_only, |c| {
            req(format!(
                "/api/v1/templates/{}/publish",
                drafts_to_publish[c]
            ))
        }),
        tenant_row(
            M::GET,
            "/api/v1/inspections",
            everyone_of_it_lists,
            nobody_else_lists,
            |t, _| req("/api/v1/inspections?per_page=100").marker(*field.of(t)),
        ),
        // Planning names a team: people of another agency are refused (422, naming the field).
        tenant_row(
            M::POST,
            "/api/v1/inspections",
            staff_write,
            [Unauth, Status(422), Status(422), Forbidden, Forbidden],
            |t, _| {
                req("/api/v1/inspections").json(json!({
                    "enterprise_id": e(t), "decision_number": format!("{}/QĐ-MT", serial()),
                    "title": "Thanh tra đột xuất", "planned_start": "2026-12-01",
                    "planned_end": "2026-12-02", "lead_id": w.side(t).reviewer_id,
                    "member_ids": [w.side(t).inspector_id],
                    "site_template_id": app.demo.site_template_id}))
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/inspections/{id}",
            any_signed_in,
            all_hidden,
            |t, _| req(format!("/api/v1/inspections/{}", field.of(t))),
        ),
        // The plan is the admin's, and the reviewer's who leads the team: not another
        // reviewer's.
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/transition",
            reviewers_of_it,
            all_hidden,
            |t, c| {
                req(format!(
                    "/api/v1/inspections/{}/transition",
                    planned.at(t, c)
                ))
                .json(json!({"to": "preparing"}))
            },
        )
        .and(
            REVIEWER_CALLER,
            "own, led by another",
            Forbidden,
            req(format!("/api/v1/inspections/{led_by_another}/transition"))
                .json(json!({"to": "preparing"})),
        ),
        tenant_row(
            M::PATCH,
            "/api/v1/inspections/{id}",
            reviewers_of_it,
            all_hidden,
            |t, c| {
                req(format!("/api/v1/inspections/{}", replanned.at(t, c)))
                    .json(json!({"planned_end": "2026-12-04"}))
            },
        )
        .and(
            REVIEWER_CALLER,
            "own, led by another",
            Forbidden,
            req(format!("/api/v1/inspections/{led_by_another}"))
                .json(json!({"planned_end": "2026-12-04"})),
        ),
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/site-response",
            [Unauth, Forbidden, Forbidden, Success, Forbidden],
            all_hidden,
            |t, c| {
                req(format!(
                    "/api/v1/inspections/{}/site-response",
                    in_progress.at(t, c)
                ))
                .json(json!({"id": fresh(), "answers": site_answers()}))
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/responses",
            [Unauth, Forbidden, Forbidden, Forbidden, Success],
            all_hidden,
            |t, c| {
                req(format!(
                    "/api/v1/inspections/{}/responses",
                    for_questionnaires.at(t, c)
                ))
                .json(json!({"id": fresh(), "template_id": w.side(t).questionnaire}))
            },
        ),
        // The team's form: not the enterprise's to see. Its own form is.
        tenant_row(
            M::GET,
            "/api/v1/responses/{id}",
            team_reads,
            all_hidden,
            |t, _| req(format!("/api/v1/responses/{}", field_draft.of(t))),
        )
        .and(
            ENTERPRISE_CALLER,
            "own form",
            Success,
            req(format!("/api/v1/responses/{}", field_form.own)),
        )
        .and(
            ENTERPRISE_CALLER,
            "foreign form",
            Hidden,
            req(format!("/api/v1/responses/{}", field_form.foreign)),
        ),
        tenant_row(
            M::GET,
            "/api/v1/responses/{id}/versions",
            team_reads,
            all_hidden,
            |t, _| req(format!("/api/v1/responses/{}/versions", field_draft.of(t))),
        )
        .and(
            ENTERPRISE_CALLER,
            "own form",
            Success,
            req(format!("/api/v1/responses/{}/versions", field_form.own)),
        )
        .and(
            ENTERPRISE_CALLER,
            "foreign form",
            Hidden,
            req(format!("/api/v1/responses/{}/versions", field_form.foreign)),
        ),
        tenant_row(
            M::PUT,
            "/api/v1/responses/{id}/answers",
            team_writes,
            all_hidden,
            |t, _| {
                req(format!("/api/v1/responses/{}/answers", field_draft.of(t)))
                    .json(json!({"answers": {"items": {"osh.machine_guards": yes}}}))
            },
        )
        .and(
            ENTERPRISE_CALLER,
            "own form",
            Success,
            req(format!("/api/v1/responses/{}/answers", field_form.own))
                .json(json!({"answers": {"items": {"info.business_line": named}}})),
        )
        .and(
            ENTERPRISE_CALLER,
            "foreign form",
            Hidden,
            req(format!("/api/v1/responses/{}/answers", field_form.foreign))
                .json(json!({"answers": {"items": {"s.first": yes}}})),
        ),
        tenant_row(
            M::POST,
            "/api/v1/responses/{id}/submit",
            team_writes,
            all_hidden,
            |t, c| {
                req(format!(
                    "/api/v1/responses/{}/submit",
                    complete_drafts.at(t, c)
                ))
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/responses/{id}/amend",
            team_writes,
            all_hidden,
            |t, c| {
                req(format!("/api/v1/responses/{}/amend", amendable.at(t, c)))
                    .json(json!({"id": fresh()}))
            },
        ),
        tenant_row(
            M::PUT,
            "/api/v1/evidence/{id}",
            [Unauth, Forbidden, Forbidden, Success, Forbidden],
            all_hidden,
            |t, c| {
                let bytes = jpeg_bytes(100 + c as u8);
                req(format!(
                    "/api/v1/evidence/{}?inspection_id={}&item_key=osh.machine_guards&kind=photo",
                    fresh(),
                    field.of(t)
                ))
                .header("content-type", "image/jpeg")
                .header("content-digest", content_digest(&bytes))
                .bytes(bytes)
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/evidence/{id}",
            team_reads,
            all_hidden,
            |t, _| req(format!("/api/v1/evidence/{}", field_photo.of(t))),
        )
        .and(
            ENTERPRISE_CALLER,
            "own proof",
            Success,
            req(format!("/api/v1/evidence/{}", concluded.own.3)),
        )
        .and(
            ENTERPRISE_CALLER,
            "foreign proof",
            Hidden,
            req(format!("/api/v1/evidence/{}", concluded.foreign.3)),
        ),
        global_row(M::OPTIONS, "/api/v1/uploads", public, |_| {
            req("/api/v1/uploads")
        }),
        tenant_row(
            M::POST,
            "/api/v1/uploads",
            [Unauth, Forbidden, Forbidden, Success, Forbidden],
            all_hidden,
            |t, _| {
                tus(req("/api/v1/uploads"))
                    .header("Upload-Length", "1000")
                    .header("Upload-Metadata", tus_metadata(fresh(), *field.of(t)))
            },
        ),
        tenant_row(
            M::HEAD,
            "/api/v1/uploads/{id}",
            own_upload,
            all_hidden,
            |t, _| tus(req(field_upload.of(t).clone())),
        ),
        tenant_row(
            M::PATCH,
            "/api/v1/uploads/{id}",
            own_upload,
            all_hidden,
            |t, c| {
                tus(req(uploads_to_append.at(t, c)))
                    .header("Content-Type", "application/offset+octet-stream")
                    .header("Upload-Offset", "0")
                    .bytes(b"%PDF-1.7\n".to_vec())
            },
        ),
        tenant_row(
            M::DELETE,
            "/api/v1/uploads/{id}",
            own_upload,
            all_hidden,
            |t, c| tus(req(uploads_to_end.at(t, c))),
        ),
        tenant_row(
            M::GET,
            "/api/v1/evidence/{id}/content",
            team_reads,
            all_hidden,
            |t, _| req(format!("/api/v1/evidence/{}/content", field_photo.of(t))),
        )
        .and(
            ENTERPRISE_CALLER,
            "own proof",
            Success,
            req(format!("/api/v1/evidence/{}/content", concluded.own.3)),
        )
        .and(
            ENTERPRISE_CALLER,
            "foreign proof",
            Hidden,
            req(format!("/api/v1/evidence/{}/content", concluded.foreign.3)),
        ),
        tenant_row(
            M::GET,
            "/api/v1/evidence/{id}/thumbnail",
            team_reads,
            all_hidden,
            |t, _| req(format!("/api/v1/evidence/{}/thumbnail", field_photo.of(t))),
        ),
        tenant_row(
            M::GET,
            "/api/v1/evidence/{id}/preview",
            team_reads,
            all_hidden,
            |t, _| req(format!("/api/v1/evidence/{}/preview", field_photo.of(t))),
        ),
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/reviews",
            reviewers_of_it,
            all_hidden,
            |t, _| {
                let (inspection, photo, _) = *reviewing.of(t);
                req(format!("/api/v1/inspections/{inspection}/reviews")).json(json!({
                    "target": {"type": "evidence", "id": photo}, "decision": "approved"}))
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/inspections/{id}/reviews",
            [Unauth, Lists, Lists, Lists, Forbidden],
            all_hidden,
            |t, _| {
                let (inspection, _, decision) = *reviewing.of(t);
                req(format!("/api/v1/inspections/{inspection}/reviews")).marker(decision)
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/review-queue",
            [Unauth, Lists, Lists, Forbidden, Forbidden],
            [Unauth, Omits, Omits, Forbidden, Forbidden],
            |t, _| req("/api/v1/review-queue?per_page=100").marker(*waiting.of(t)),
        ),
        tenant_row(
            M::GET,
            "/api/v1/inspections/{id}/findings",
            everyone_of_it_lists,
            all_hidden,
            |t, _| {
                let (inspection, finding, ..) = *concluded.of(t);
                req(format!("/api/v1/inspections/{inspection}/findings")).marker(finding)
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/findings/propose",
            reviewers_of_it,
            all_hidden,
            |t, _| {
                req(format!(
                    "/api/v1/inspections/{}/findings/propose",
                    reviewing.of(t).0
                ))
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/findings",
            reviewers_of_it,
            all_hidden,
            |t, _| {
                req(format!(
                    "/api/v1/inspections/{}/findings",
                    reviewing.of(t).0
                ))
                .json(json!({
                    "title": "Lối thoát nạn bị chắn", "description": "Kho hàng chắn lối thoát.",
                    "severity": "critical"}))
            },
        ),
        tenant_row(
            M::PATCH,
            "/api/v1/findings/{id}",
            reviewers_of_it,
            all_hidden,
            |t, c| {
                req(format!("/api/v1/findings/{}", findings_to_edit.at(t, c)))
                    .json(json!({"severity": "minor", "legal_basis": "Nghị định 12/2022/NĐ-CP"}))
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/findings/{id}/corrective-actions",
            reviewers_of_it,
            all_hidden,
            |t, c| {
                let due = (Utc::now() + Duration::days(30)).date_naive();
                req(format!(
                    "/api/v1/findings/{}/corrective-actions",
                    findings_to_act_on.at(t, c)
                ))
                .json(json!({"description": "Dọn lối thoát nạn.", "due_date": due}))
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/inspections/{id}/corrective-actions",
            everyone_of_it_lists,
            all_hidden,
            |t, _| {
                let (inspection, _, action, _) = *concluded.of(t);
                req(format!(
                    "/api/v1/inspections/{inspection}/corrective-actions"
                ))
                .marker(action)
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/corrective-actions",
            everyone_of_it_lists,
            nobody_else_lists,
            // Filtered as the follow-up board asks: the filter must not let another tenant's in.
            |t, _| {
                req("/api/v1/corrective-actions?status=open&due_within_days=30&per_page=100")
                    .marker(concluded.of(t).2)
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/corrective-actions/{id}/proof",
            [Unauth, Forbidden, Forbidden, Forbidden, Success],
            all_hidden,
            |t, c| {
                let (action, proof) = actions_without_proof.at(t, c);
                req(format!("/api/v1/corrective-actions/{action}/proof"))
                    .json(json!({"evidence_ids": [proof], "note": "Đã lắp che chắn."}))
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/corrective-actions/{id}/verify",
            reviewers_of_it,
            all_hidden,
            |t, c| {
                req(format!(
                    "/api/v1/corrective-actions/{}/verify",
                    actions_with_proof.at(t, c)
                ))
                .json(json!({"accepted": true}))
            },
        ),
        tenant_row(
            M::POST,
            "/api/v1/inspections/{id}/conclusion",
            reviewers_of_it,
            all_hidden,
            |t, c| {
                req(format!(
                    "/api/v1/inspections/{}/conclusion",
                    under_review.at(t, c)
                ))
                .json(json!({"number": format!("{}/KL-TTr", serial()), "summary": "Kết luận."}))
            },
        ),
        tenant_row(
            M::GET,
            "/api/v1/inspections/{id}/conclusion",
            any_signed_in,
            all_hidden,
            |t, _| {
                req(format!(
                    "/api/v1/inspections/{}/conclusion",
                    concluded.of(t).0
                ))
            },
        ),
        // A push always answers 200 with one result per operation: the refusal is the
        // operation's, with the same codes as the endpoints.
        tenant_row(
            M::POST,
            "/api/v1/sync/push",
            [
                Unauth,
                OpRefused("forbidden"),
                OpRefused("forbidden"),
                Applied,
                OpRefused("not_found"),
            ],
            [
                Unauth,
                OpRefused("not_found"),
                OpRefused("not_found"),
                OpRefused("not_found"),
                OpRefused("not_found"),
            ],
            |t, _| set_answer(*field_draft.of(t), "osh.machine_guards", yes.clone()),
        )
        .and(
            ENTERPRISE_CALLER,
            "own form",
            Applied,
            set_answer(field_form.own, "info.business_line", named.clone()),
        )
        .and(
            ENTERPRISE_CALLER,
            "foreign form",
            OpRefused("not_found"),
            set_answer(field_form.foreign, "s.first", yes.clone()),
        ),
        tenant_row(
            M::GET,
            "/api/v1/sync/pull",
            everyone_of_it_lists,
            nobody_else_lists,
            |t, _| req("/api/v1/sync/pull?since=0").marker(*field.of(t)),
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
    assert_eq!(tabled.len(), rows.len(), "one row per operation");

    let mut failures = Vec::new();
    let mut tried = 0;
    for row in &rows {
        // What the document gives as the operation's success: 2xx, or a 307 redirect.
        let successes: Vec<u16> =
            doc["paths"][row.template][row.method.as_str().to_lowercase()]["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter_map(|code| code.parse().ok())
                .filter(|code| (200..400).contains(code))
                .collect();
        assert!(
            !successes.is_empty(),
            "{} {} documents no success",
            row.method,
            row.template
        );
        // A row proves nothing unless the operation works for someone: a wrong path would be a
        // 404 for every caller.
        assert!(
            row.cells.iter().any(|c| match c.expect {
                Status(s) => successes.contains(&s),
                Unauth | Forbidden | Hidden | OpRefused(_) => false,
                Success | Lists | Omits | Applied => true,
            }),
            "{} {} succeeds for nobody",
            row.method,
            row.template
        );
        for cell in &row.cells {
            tried += 1;
            let caller = CALLERS[cell.caller];
            let mut request = app
                .client
                .request(row.method.clone(), app.url(&cell.req.path));
            if let Some(token) = &tokens[cell.caller] {
                request = request.bearer_auth(token);
            }
            for (name, value) in &cell.req.headers {
                request = request.header(*name, value);
            }
            if let Some(body) = &cell.req.json {
                request = request.json(body);
            }
            if let Some(bytes) = &cell.req.bytes {
                request = request.body(bytes.clone());
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let succeeded = successes.contains(&status);
            let names =
                |id: Option<Uuid>| text.contains(&id.expect("a marker for a list").to_string());
            let op = || {
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let result = &body["results"][0];
                (
                    result["status"].as_str().unwrap_or_default().to_owned(),
                    result["error"]["code"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            };
            let ok = match cell.expect {
                Success => succeeded,
                Lists => succeeded && names(cell.req.marker),
                Omits => succeeded && !names(cell.req.marker),
                Applied => succeeded && op().0 == "applied",
                OpRefused(code) => succeeded && op() == ("rejected".to_owned(), code.to_owned()),
                Unauth => status == 401,
                Forbidden => status == 403,
                Hidden => status == 404,
                Status(s) => status == s,
            };
            if !ok {
                let mut shown: String = text.chars().take(200).collect();
                if text.chars().count() > 200 {
                    shown.push('…');
                }
                failures.push(format!(
                    "{} {} as {caller} on the {} record: got {status}, want {:?} ({shown})",
                    row.method, row.template, cell.target, cell.expect
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} cells differ from the table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
