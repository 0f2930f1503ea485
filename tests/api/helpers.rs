//! `spawn_app()`: a fresh database and data directory per test, the real app on port 0, and
//! typed request helpers.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine;
use kiemtra_server::seed::{self, DemoData};
use kiemtra_server::services::evidence::keys;
use kiemtra_server::settings::Settings;
use kiemtra_server::startup::Application;
use kiemtra_shared::auth::LoginResponse;
use kiemtra_shared::digest::Sha256;
use kiemtra_shared::error::ErrorBody;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use sha2::Digest;
use tokio::sync::OnceCell;
use uuid::Uuid;

/// Runs each named test on SQLite and on PostgreSQL: `both_backends!(a, b)` makes the tests
/// `a::sqlite`, `a::postgres`, `b::sqlite`, `b::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = seed::DEMO_PASSWORD;
pub const INSPECTOR: &str = "inspector@kiemtra.test";
pub const REVIEWER: &str = "reviewer@kiemtra.test";
pub const ADMIN: &str = "admin@kiemtra.test";
pub const ENTERPRISE: &str = "enterprise@kiemtra.test";

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// The app's object store (the embedded S3 endpoint unless a test configures another).
    pub storage: kiemtra_server::storage::ObjectStore,
    pub demo: DemoData,
    pub data_dir: PathBuf,
    /// The app's clock: token expiry, upload expiry and overdue dates go by it.
    pub clock: kiemtra_server::clock::Clock,
    _dir: tempfile::TempDir,
}

fn pg_base_url() -> String {
    std::env::var("KIEMTRA_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// A token unique to this test process, in the name of every database it creates.
fn run_token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| format!("{}_{}", std::process::id(), chrono::Utc::now().timestamp()))
}

/// Drops the test databases earlier runs left behind (once per process), but not those of a
/// test process still running.
async fn drop_stale_databases(admin: &DatabaseConnection) {
    static DONE: OnceCell<()> = OnceCell::const_new();
    DONE.get_or_init(|| async {
        let rows = admin
            .query_all_raw(Statement::from_string(
                admin.get_database_backend(),
                "SELECT datname FROM pg_database WHERE datname LIKE 'kiemtra\\_test\\_%'"
                    .to_owned(),
            ))
            .await
            .expect("listing test databases");
        for row in rows {
            let name: String = row.try_get("", "datname").expect("datname");
            // Another test process still running (CI beside a developer's run) keeps its own.
            let owner_alive = name
                .strip_prefix("kiemtra_test_")
                .and_then(|rest| rest.split('_').next())
                .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
            if !owner_alive && !name.contains(run_token()) {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
            }
        }
    })
    .await;
}

async fn fresh_postgres_url() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let base = pg_base_url();
    let admin = Database::connect(format!("{base}/postgres"))
        .await
        .expect("PostgreSQL must run at 127.0.0.1:5432 (or set KIEMTRA_TEST_PG_URL)");
    drop_stale_databases(&admin).await;
    let name = format!(
        "kiemtra_test_{}_{}",
        run_token(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("creating the test database");
    admin.close().await.expect("closing the admin connection");
    format!("{base}/{name}")
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the app with test settings, adjusted by `customise`, and the demo data.
pub async fn spawn_app_with(backend: Backend, customise: impl FnOnce(&mut Settings)) -> TestApp {
    // `TEST_LOG=1` shows the server's logs with each failing test's output.
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_test_writer()
            .try_init();
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().join("data");
    let public_dir = dir.path().join("dist");
    write_fake_pwa(&public_dir);
    let mut settings = Settings::load(None).expect("default settings");
    settings.data_dir = data_dir.clone();
    settings.server.host = "127.0.0.1".to_owned();
    settings.server.port = 0;
    settings.server.public_dir = public_dir;
    // KIEMTRA_TEST_S3_ENDPOINT runs the tests against another S3 implementation (the test
    // command uses moto), each test in a bucket of its own; otherwise the embedded endpoint.
    match std::env::var("KIEMTRA_TEST_S3_ENDPOINT") {
        Ok(endpoint) => {
            settings.storage.endpoint = Some(endpoint);
            settings.storage.access_key = Some("testing".to_owned());
            settings.storage.secret_key = Some("testing-secret".to_owned().into());
            settings.storage.bucket = format!("kt-{}", &Uuid::new_v4().simple().to_string()[..16]);
        }
        Err(_) => settings.storage.endpoint = None,
    }
    // No e-mail unless a test points the app at its own SMTP sink.
    settings.mail.smtp_host = None;
    settings.database.url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(fresh_postgres_url().await.into()),
    };
    customise(&mut settings);

    let app = Application::build(settings).await.expect("app starts");
    let url = app.url();
    let db = app.state().db.clone();
    let storage = app.state().storage.clone();
    let clock = app.state().clock.clone();
    let demo = seed::demo(&db).await.expect("demo data");
    tokio::spawn(app.run_until_stopped());
    TestApp {
        url,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        db,
        storage,
        demo,
        data_dir,
        clock,
        _dir: dir,
    }
}

/// A stand-in for `dist/`: the serving rules are tested without building the wasm bundle.
fn write_fake_pwa(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).expect("dist dir");
    let index = format!(
        "<!doctype html><title>kiemtra</title>{}",
        "<p>ứng dụng</p>".repeat(200)
    );
    std::fs::write(dir.join("index.html"), index).expect("index.html");
    std::fs::write(
        dir.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .expect("sw.js");
    std::fs::write(
        dir.join("kiemtra-0123456789abcdef.js"),
        "export default 1;".repeat(100),
    )
    .expect("js");
    std::fs::write(
        dir.join("kiemtra-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .expect("wasm");
}

impl TestApp {
    /// Moves the app's clock `secs` seconds forward, instead of waiting for time to pass.
    pub fn advance_clock(&self, secs: i64) {
        self.clock.advance(chrono::Duration::seconds(secs));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    pub async fn login_raw(&self, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .expect("login request")
    }

    /// Signs in and returns the access token.
    pub async fn token(&self, email: &str) -> String {
        let response = self
            .login_raw(serde_json::json!({"email": email, "password": PASSWORD}))
            .await;
        assert_eq!(response.status(), 200, "login of {email}");
        response
            .json::<LoginResponse>()
            .await
            .expect("login body")
            .access_token
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// Uploads `bytes` as a photo of the demo inspection's first item, with a correct digest.
    pub async fn upload_photo(
        &self,
        token: &str,
        id: uuid::Uuid,
        bytes: &[u8],
    ) -> reqwest::Response {
        self.upload(
            token,
            id,
            self.demo.inspection_id,
            bytes,
            Some(&content_digest(bytes)),
        )
        .await
    }

    pub async fn upload(
        &self,
        token: &str,
        id: uuid::Uuid,
        inspection_id: uuid::Uuid,
        bytes: &[u8],
        digest: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .put(self.url(&format!("/api/v1/evidence/{id}")))
            .bearer_auth(token)
            .query(&[
                ("inspection_id", inspection_id.to_string()),
                ("item_key", "osh.machine_guards".to_owned()),
                ("kind", "photo".to_owned()),
                ("captured_at", "2026-11-23T08:15:00Z".to_owned()),
                ("latitude", "21.0285".to_owned()),
                ("longitude", "105.8542".to_owned()),
            ])
            .header("content-type", "image/jpeg")
            .body(bytes.to_vec());
        if let Some(digest) = digest {
            request = request.header("content-digest", digest);
        }
        request.send().await.expect("PUT evidence")
    }

    /// Originals in the store, asked over the S3 protocol (thumbnails and previews, made after
    /// an upload, are not counted).
    pub async fn stored_object_count(&self) -> usize {
        self.storage
            .list(keys::ORIGINALS)
            .await
            .expect("listing the store")
            .iter()
            .filter(|(key, _)| !keys::is_derivative(key))
            .count()
    }

    /// A second agency with a reviewer of its own (`reviewer@<slug>.example`); the reviewer's
    /// access token and id.
    pub async fn second_agency(&self, slug: &str) -> (String, Uuid) {
        use kiemtra_server::entities::{agency, app_user};
        use sea_orm::{ActiveModelTrait, Set};
        let agency_id = Uuid::new_v4();
        agency::ActiveModel {
            id: Set(agency_id),
            name: Set(format!("Thanh tra {slug}")),
            created_at: Set(chrono::Utc::now()),
        }
        .insert(&self.db)
        .await
        .unwrap();
        let id = Uuid::new_v4();
        let email = format!("reviewer@{slug}.example");
        app_user::ActiveModel {
            id: Set(id),
            email: Set(email.clone()),
            password_hash: Set(kiemtra_server::auth::password::hash(PASSWORD)),
            display_name: Set(format!("Người duyệt {slug}")),
            role: Set(kiemtra_shared::auth::Role::Reviewer),
            agency_id: Set(Some(agency_id)),
            enterprise_id: Set(None),
            invited_by_agency_id: Set(None),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
        }
        .insert(&self.db)
        .await
        .unwrap();
        (self.token(&email).await, id)
    }

    /// Plans an inspection of `enterprise_id` led by `lead_id` (whose token is `token`); its id.
    pub async fn plan_inspection(
        &self,
        token: &str,
        lead_id: Uuid,
        enterprise_id: Uuid,
        decision_number: &str,
    ) -> Uuid {
        let response = self
            .post_json(
                "/api/v1/inspections",
                token,
                &serde_json::json!({
                    "enterprise_id": enterprise_id, "decision_number": decision_number,
                    "title": "Thanh tra an toàn lao động",
                    "planned_start": "2026-12-10", "planned_end": "2026-12-11",
                    "lead_id": lead_id, "site_template_id": self.demo.site_template_id}),
            )
            .await;
        assert_eq!(response.status(), 201, "planning {decision_number}");
        let detail: serde_json::Value = response.json().await.unwrap();
        serde_json::from_value(detail["summary"]["id"].clone()).unwrap()
    }

    /// Moves the enterprise user `email` to the demo's other enterprise (a tenant change).
    pub async fn move_to_other_enterprise(&self, email: &str) {
        use kiemtra_server::entities::app_user;
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        let user = app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .unwrap()
            .expect("the user exists");
        let mut user: app_user::ActiveModel = user.into();
        user.enterprise_id = Set(Some(self.demo.other_enterprise_id));
        user.update(&self.db).await.unwrap();
    }

    pub fn jwt_secret(&self) -> String {
        std::fs::read_to_string(self.data_dir.join("jwt-secret")).expect("jwt secret file")
    }
}

/// `sha-256=:<base64>:` as RFC 9530 writes it.
pub fn content_digest(bytes: &[u8]) -> String {
    Sha256::from_bytes(sha2::Sha256::digest(bytes).into()).content_digest()
}

/// A small real JPEG; each `seed` gives other bytes.
pub fn jpeg_bytes(seed: u8) -> Vec<u8> {
    jpeg_of_size(64, 48, seed)
}

/// A real JPEG of a gradient, `width`×`height`.
pub fn jpeg_of_size(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x % 251) as u8 ^ seed,
            (y % 241) as u8,
            seed.wrapping_mul(37),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&image)
        .expect("encoding a test JPEG");
    out
}

pub async fn error_body(response: reqwest::Response) -> ErrorBody {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {text}"))
}

/// The claims of a JWT, unverified.
pub fn claims_of(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).expect("JWT payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("claims JSON")
}

/// Signs `claims` with the app's own secret, so only the claim under test is wrong.
pub fn forge(app: &TestApp, claims: serde_json::Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(app.jwt_secret().as_bytes()),
    )
    .unwrap()
}
