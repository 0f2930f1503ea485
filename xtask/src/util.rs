//! Small process and environment helpers for the tasks.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

/// The checkout this task runs in. `cargo run` sets `CARGO_MANIFEST_DIR` when it starts the
/// task, and that is the one to trust: the compiled-in path is that of whichever checkout built
/// the binary, and a target dir shared between checkouts (CI's cache) reuses one built by
/// another clone, since cargo's fingerprints do not depend on the path.
pub fn workspace_root() -> anyhow::Result<PathBuf> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    Ok(manifest_dir
        .parent()
        .context("xtask has no parent directory")?
        .to_path_buf())
}

/// `cargo`, as the one that runs this task.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The cargo target directory (honours `CARGO_TARGET_DIR`, which CI points outside the clone).
pub fn target_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let out = cargo()
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(PathBuf::from(
        meta["target_directory"]
            .as_str()
            .context("cargo metadata has no target_directory")?,
    ))
}

/// `~/.cache/kiemtra`: tools the tasks install for themselves (kept across clones and CI runs).
pub fn cache_dir() -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME").context("HOME is not set")?;
    let dir = PathBuf::from(home).join(".cache/kiemtra");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

pub fn run_cmd(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Installs a directory's npm packages (exact versions from its package-lock.json) when they
/// are missing or older than the lock file.
pub fn ensure_node_packages(dir: &Path) -> anyhow::Result<()> {
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(installed), Some(wanted)) = (
        modified(&installed),
        modified(&dir.join("package-lock.json")),
    ) && installed >= wanted
    {
        return Ok(());
    }
    let verb = if dir.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    run_cmd(
        Command::new("npm")
            .current_dir(dir)
            .args([verb, "--no-audit", "--no-fund"]),
    )
    .with_context(|| format!("npm {verb} in {}", dir.display()))
}

/// The browser test drives Debian's Chromium; Playwright's own download cannot work offline.
pub fn ensure_chromium() -> anyhow::Result<()> {
    ensure_apt_tool("chromium", "chromium")
}

/// Installs a Debian package when its command is missing from `/usr/bin`.
pub fn ensure_apt_tool(command: &str, package: &str) -> anyhow::Result<()> {
    if Path::new("/usr/bin").join(command).exists() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's {package}");
    run_cmd(Command::new("apt-get").args(["update", "-qq"]))?;
    run_cmd(Command::new("apt-get").args(["install", "-y", "-qq", package]))
        .with_context(|| format!("apt-get install {package} (run as root, or install it yourself)"))
}

/// The API tests need PostgreSQL at 127.0.0.1:5432 (override with KIEMTRA_TEST_PG_URL).
/// Starts the local cluster when it is installed but not running.
pub fn ensure_postgres() -> anyhow::Result<()> {
    if std::env::var_os("KIEMTRA_TEST_PG_URL").is_some() || postgres_listening() {
        return Ok(());
    }
    eprintln!("xtask: PostgreSQL is not listening on 127.0.0.1:5432; starting the local cluster");
    let versions = std::fs::read_dir("/etc/postgresql")
        .context("PostgreSQL is not running and not installed (/etc/postgresql missing)")?;
    for version in versions.flatten() {
        let version = version.file_name();
        let _ = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect"])
            .arg(&version)
            .args(["main", "start"])
            .status();
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if postgres_listening() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("PostgreSQL did not start listening on 127.0.0.1:5432 within 30 s")
}

/// Polls until something listens on `127.0.0.1:port`, for at most `within`.
pub fn wait_for_port(port: u16, within: Duration) -> anyhow::Result<()> {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("nothing listens on port {port}")
}

fn postgres_listening() -> bool {
    TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().expect("static address"),
        Duration::from_secs(1),
    )
    .is_ok()
}
