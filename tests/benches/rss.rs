//! Server memory benchmark: the peak RSS of the real release server (`kiemtra --demo`, a child
//! process on a fresh data directory and a free port, SQLite and the embedded S3 endpoint, as
//! `cargo xtask run` starts it) while 20 photos of 12 MP (about 4 MB each, all different) are
//! uploaded at once and their thumbnails and previews made, against its RSS at idle just
//! before. Then the same with 20 documents of about 40 MB at once.
//!
//! The peak is the kernel's high-water mark of the process (`VmHWM` in /proc/<pid>/status),
//! reset before each burst through /proc/<pid>/clear_refs. The server binary is
//! `KIEMTRA_BIN` if set, else built here (`cargo build --release -p kiemtra-server`).
//!
//! Prints figures; asserts nothing about memory.

mod support;

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use kiemtra_shared::auth::LoginResponse;
use kiemtra_shared::evidence::DerivativeState;
use kiemtra_shared::inspection::{InspectionDetail, InspectionSummary};
use sha2::Digest;
use uuid::Uuid;

const UPLOADS: usize = 20;
const DOCUMENT_BYTES: usize = 40 * 1000 * 1000;

/// The release server binary: `KIEMTRA_BIN`, or built beside this benchmark.
fn server_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("KIEMTRA_BIN") {
        return PathBuf::from(bin);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--package",
            "kiemtra-server",
            "--bin",
            "kiemtra",
        ])
        .status()
        .expect("running cargo build");
    assert!(status.success(), "building the server failed");
    // This benchmark runs from <target>/release/deps/.
    let exe = std::env::current_exe().expect("benchmark path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target/release")
        .join("kiemtra")
}

/// The running server; killed when dropped.
struct Server {
    child: Child,
    url: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(bin: &std::path::Path) -> Server {
        let data = tempfile::tempdir().expect("temp dir");
        let dist = data.path().join("dist");
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>kiemtra</title>",
        )
        .expect("index.html");
        let mut child = Command::new(bin)
            .arg("--demo")
            .env("APP__SERVER__HOST", "127.0.0.1")
            .env("APP__SERVER__PORT", "0")
            .env("APP__DATA_DIR", data.path().join("data"))
            .env("APP__SERVER__PUBLIC_DIR", &dist)
            .env(
                "RUST_LOG",
                std::env::var("KIEMTRA_LOG").unwrap_or_else(|_| "warn".to_owned()),
            )
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the server");
        let stdout = child.stdout.take().expect("server stdout");
        let mut url = None;
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("server output");
            if let Some(rest) = line.strip_prefix("kiemtra listening on ") {
                url = Some(rest.trim().to_owned());
                break;
            }
        }
        Server {
            url: url.expect("the server exited before it was listening"),
            child,
            _data: data,
        }
    }

    /// A field of /proc/<pid>/status, in kB.
    fn status_kb(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("reading the server's /proc status")
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Resets the server's peak RSS to its current RSS (Linux).
    fn reset_peak(&self) {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("resetting the peak RSS (Linux)");
    }
}

fn content_digest(bytes: &[u8]) -> String {
    kiemtra_shared::digest::Sha256::from_bytes(sha2::Sha256::digest(bytes).into()).content_digest()
}

/// `photo` with a JPEG comment after its start marker: other bytes, the same picture.
fn variant(photo: &[u8], n: usize) -> Bytes {
    let text = format!("kiemtra benchmark photo {n}");
    let mut out = photo[..2].to_vec();
    out.extend([0xFF, 0xFE]);
    out.extend(((text.len() + 2) as u16).to_be_bytes());
    out.extend(text.as_bytes());
    out.extend(&photo[2..]);
    Bytes::from(out)
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

struct Client {
    http: reqwest::Client,
    url: String,
    token: String,
    inspection_id: Uuid,
}

impl Client {
    async fn sign_in(server: &Server) -> Client {
        // Idle connections are dropped before the server's keep-alive (5 s) would close them
        // under a new request.
        let http = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(2))
            .build()
            .expect("http client");
        let login: LoginResponse = http
            .post(format!("{}/api/v1/auth/login", server.url))
            .json(&serde_json::json!({
                "email": "inspector@kiemtra.test",
                "password": "kiemtra-demo",
            }))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login body");
        let inspections: Vec<InspectionSummary> = http
            .get(format!("{}/api/v1/inspections", server.url))
            .bearer_auth(&login.access_token)
            .send()
            .await
            .expect("inspections")
            .json()
            .await
            .expect("inspections body");
        let inspection_id = inspections
            .iter()
            .find(|i| i.decision_number.starts_with("125"))
            .expect("the demo inspection 125/QĐ-TTr")
            .id;
        Client {
            http,
            url: server.url.clone(),
            token: login.access_token,
            inspection_id,
        }
    }

    /// Uploads every file at once; returns their ids once all are stored.
    async fn upload_at_once(&self, files: Vec<Bytes>, kind: &str) -> Vec<Uuid> {
        let uploads = files.into_iter().map(|bytes| {
            let id = Uuid::new_v4();
            let request = self
                .http
                .put(format!(
                    "{}/api/v1/evidence/{id}?inspection_id={}&item_key=osh.machine_guards&kind={kind}",
                    self.url, self.inspection_id
                ))
                .bearer_auth(&self.token)
                .header("content-digest", content_digest(&bytes))
                .body(bytes);
            tokio::spawn(async move {
                let response = request.send().await.expect("upload");
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                assert_eq!(status, 201, "{text}");
                id
            })
        });
        futures_util::future::join_all(uploads)
            .await
            .into_iter()
            .map(|r| r.expect("upload task"))
            .collect()
    }

    /// Waits until none of `ids` has derivatives pending: asks the API at most 3000 times,
    /// 100 ms apart (5 minutes), then checks every one is done.
    async fn derivatives_done(&self, ids: &[Uuid]) {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        let mut done = 0;
        for _ in 0..3000 {
            tick.tick().await;
            let detail: InspectionDetail = self
                .http
                .get(format!(
                    "{}/api/v1/inspections/{}",
                    self.url, self.inspection_id
                ))
                .bearer_auth(&self.token)
                .send()
                .await
                .expect("inspection")
                .json()
                .await
                .expect("inspection body");
            let ours: Vec<_> = detail
                .evidence
                .iter()
                .filter(|e| ids.contains(&e.id))
                .collect();
            if ours
                .iter()
                .all(|e| e.derivatives != DerivativeState::Pending)
            {
                done = ours
                    .iter()
                    .filter(|e| e.derivatives == DerivativeState::Done)
                    .count();
                break;
            }
        }
        assert_eq!(done, ids.len(), "every photo got its derivatives");
    }
}

fn main() {
    let bin = server_binary();
    let photo = support::photo_like_jpeg();
    let photos: Vec<Bytes> = (0..UPLOADS).map(|n| variant(&photo, n)).collect();
    let document = Bytes::from(
        [b"%PDF-1.7\n".as_slice(), &photo]
            .concat()
            .into_iter()
            .cycle()
            .take(DOCUMENT_BYTES)
            .collect::<Vec<u8>>(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = Server::start(&bin);
        println!("server: {} (pid {})", bin.display(), server.child.id());
        let client = Client::sign_in(&server).await;

        let idle = server.status_kb("VmRSS:");
        server.reset_peak();
        let started = Instant::now();
        let ids = client.upload_at_once(photos, "photo").await;
        let uploaded = started.elapsed();
        client.derivatives_done(&ids).await;
        let derived = started.elapsed();
        let peak = server.status_kb("VmHWM:");
        let after = server.status_kb("VmRSS:");
        println!(
            "{UPLOADS} photos of {:.1} MB at once: stored in {:.2} s, derivatives done in {:.2} s",
            photo.len() as f64 / 1e6,
            uploaded.as_secs_f64(),
            derived.as_secs_f64()
        );
        println!(
            "  server RSS idle before {:6.1} MB, peak {:6.1} MB (+{:.1} MB), after {:6.1} MB",
            mb(idle),
            mb(peak),
            mb(peak.saturating_sub(idle)),
            mb(after)
        );

        let idle = server.status_kb("VmRSS:");
        server.reset_peak();
        let started = Instant::now();
        client
            .upload_at_once(vec![document.clone(); UPLOADS], "document")
            .await;
        let uploaded = started.elapsed();
        let peak = server.status_kb("VmHWM:");
        let after = server.status_kb("VmRSS:");
        println!(
            "{UPLOADS} documents of {:.0} MB at once: stored in {:.2} s",
            DOCUMENT_BYTES as f64 / 1e6,
            uploaded.as_secs_f64()
        );
        println!(
            "  server RSS idle before {:6.1} MB, peak {:6.1} MB (+{:.1} MB), after {:6.1} MB",
            mb(idle),
            mb(peak),
            mb(peak.saturating_sub(idle)),
            mb(after)
        );
    });
}
