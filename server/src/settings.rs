//! Typed settings, layered: defaults -> optional TOML file -> environment (`APP__SECTION__KEY`).
//!
//! Every default works on one machine: SQLite and an in-process S3 endpoint under `./data`.
//! `DATABASE_URL` is honoured as well, as most deployment tools set it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Where the embedded defaults keep their state: SQLite file, objects, generated secrets.
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub storage: StorageSettings,
    pub auth: AuthSettings,
    pub limits: LimitSettings,
    pub mail: MailSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    /// 0 picks a free port (the tests do this).
    pub port: u16,
    /// The built PWA (`cargo xtask build-pwa` writes `dist/`).
    pub public_dir: PathBuf,
    /// The address users reach the app at (`https://kiemtra.example.gov.vn`), for the links in
    /// e-mails. Unset: `http://<host>:<port>` as bound. Never taken from a request's `Host`
    /// header, which a caller could forge to put their own address in a reset e-mail.
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://…` or `postgres://…`; unset means `sqlite://<data_dir>/kiemtra.db`.
    pub url: Option<SecretString>,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    /// External S3 endpoint (MinIO, Garage, AWS). Unset: an S3 endpoint runs in-process on a
    /// loopback port, backed by `<data_dir>/objects`.
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub access_key: Option<String>,
    pub secret_key: Option<SecretString>,
    /// Path-style addressing (`endpoint/bucket/key`), as MinIO and Garage want.
    pub path_style: bool,
    /// The S3 endpoint as clients reach it (it may differ from `endpoint`, which is how the
    /// server reaches it). Set: original downloads answer 307 to a presigned URL there, and
    /// the bytes no longer pass through the API. Unset: the API streams them.
    pub public_endpoint: Option<String>,
    /// How long a presigned download URL stays valid, in seconds.
    pub presign_ttl_secs: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// HMAC secret for access tokens. Unset: generated once and kept in `<data_dir>/jwt-secret`.
    /// Several API replicas must share one: set it explicitly there.
    pub jwt_secret: Option<SecretString>,
    pub access_token_ttl_secs: i64,
    pub issuer: String,
    pub audience: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LimitSettings {
    /// Largest photo accepted, in bytes.
    pub max_photo_bytes: usize,
    /// Largest document accepted, in bytes.
    pub max_document_bytes: usize,
    /// Largest JSON body accepted, in bytes.
    pub max_json_bytes: usize,
    /// Thumbnails and previews made at once (each holds a photo and its reduced decode, about
    /// 35 MB for 12 MP). Unset: one per core, at most 4 (see
    /// [`LimitSettings::derivative_concurrency`]). They yield to uploads whatever the number.
    pub derivative_workers: Option<usize>,
    /// Longest a derivative waits for uploads to pause before it is made anyway (at low
    /// priority), so a steady stream of uploads never starves thumbnails; 0 never waits.
    pub derivative_max_wait_secs: u64,
    /// Orphan objects (no row) younger than this are left alone: uploads in flight.
    pub orphan_grace_hours: i64,
    /// How often the sweeper runs; 0 turns it off.
    pub sweep_every_minutes: u64,
    /// How long an unfinished resumable (tus) upload may be resumed: a phone may stay offline
    /// for days. After that the sweeper removes what it had received.
    pub resumable_upload_hours: i64,
}

/// Outgoing e-mail (invitations, password resets). No `smtp_host`: no e-mail is sent, and the
/// links are only shown to the staff who made them, to pass on.
#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub smtp_host: Option<String>,
    /// Unset: 25 without TLS, 587 with STARTTLS, 465 with TLS.
    pub smtp_port: Option<u16>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<SecretString>,
    /// `Name <address>` the e-mails come from.
    pub from: String,
    pub tls: SmtpTls,
    /// How long one delivery may take (connect, send) before it counts as failed.
    pub timeout_secs: u64,
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same machine or network (and the tests).
    None,
    /// Upgrade with STARTTLS, required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl LimitSettings {
    /// `derivative_workers`, or one per core, at most 4. Derivatives wait for uploads to pause
    /// and decode at low priority, so they only use spare CPU and a worker per core costs
    /// uploads nothing; the cap bounds memory, as each decode holds tens of MB.
    pub fn derivative_concurrency(&self) -> usize {
        self.derivative_workers.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, |cores| cores.get().min(4))
        })
    }
}

impl Settings {
    /// Loads defaults, then `config_file` if given (or `KIEMTRA_CONFIG`), then the environment.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder()
            .set_default("data_dir", "data")?
            .set_default("server.host", "127.0.0.1")?
            .set_default("server.port", 8080)?
            .set_default("server.public_dir", "dist")?
            .set_default("database.max_connections", 10)?
            .set_default("storage.region", "us-east-1")?
            .set_default("storage.bucket", "kiemtra-evidence")?
            .set_default("storage.path_style", true)?
            .set_default("storage.presign_ttl_secs", 300)?
            .set_default("auth.access_token_ttl_secs", 15 * 60)?
            .set_default("auth.issuer", "kiemtra")?
            .set_default("auth.audience", "kiemtra-api")?
            .set_default("limits.max_photo_bytes", 40 * 1024 * 1024)?
            .set_default("limits.max_document_bytes", 200 * 1024 * 1024)?
            .set_default("limits.max_json_bytes", 2 * 1024 * 1024)?
            .set_default("limits.derivative_max_wait_secs", 10)?
            .set_default("limits.orphan_grace_hours", 24)?
            .set_default("limits.sweep_every_minutes", 60)?
            .set_default("limits.resumable_upload_hours", 7 * 24)?
            .set_default("mail.from", "kiemtra <no-reply@kiemtra.invalid>")?
            .set_default("mail.tls", "starttls")?
            .set_default("mail.timeout_secs", 20)?;
        let file = config_file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("KIEMTRA_CONFIG").map(PathBuf::from));
        if let Some(file) = file {
            builder = builder.add_source(config::File::from(file).required(true));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("APP")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true),
        );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url)?;
        }
        builder
            .build()
            .context("reading settings")?
            .try_deserialize()
            .context("invalid settings")
    }
}
