//! Project tasks, run as `cargo xtask <command>`.
//!
//! - `build-pwa`: builds the yew frontend to wasm, runs wasm-bindgen (as a library pinned to the
//!   version in Cargo.lock) and `wasm-opt -Oz` (npm `binaryen`), and writes `dist/`.
//! - `run [-- SERVER ARGS]`: builds the PWA and the server (release) and runs it.
//! - `test`: runs every test: API tests on SQLite and PostgreSQL, then the browser test.
//! - `bench`: the benchmarks recorded in BENCHMARKS.md.

mod pwa;
mod util;

use std::path::PathBuf;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.skip_while(|a| a == "--").collect();
    let root = util::workspace_root()?;
    match command.as_str() {
        "build-pwa" => {
            let dist = pwa::build(&root, !rest.iter().any(|a| a == "--dev"))?;
            println!("PWA built into {}", dist.display());
            Ok(())
        }
        "run" => run(&root, &rest),
        "test" => test(&root, &rest),
        "bench" => bench(&root),
        _ => {
            eprintln!(
                "usage: cargo xtask <build-pwa [--dev] | run [-- SERVER ARGS] | test [--no-browser] | bench>"
            );
            bail!("unknown command {command:?}")
        }
    }
}

/// Builds everything and runs the server with embedded defaults on http://127.0.0.1:8080.
fn run(root: &PathBuf, server_args: &[String]) -> anyhow::Result<()> {
    util::ensure_node_packages(&root.join("frontend"))?;
    let dist = pwa::build(root, true)?;
    let mut cmd = util::cargo();
    cmd.current_dir(root)
        .args([
            "run",
            "--release",
            "--package",
            "kiemtra-server",
            "--bin",
            "kiemtra",
            "--",
        ])
        .args(server_args)
        .env("APP__SERVER__PUBLIC_DIR", &dist);
    util::run_cmd(&mut cmd).context("server exited with an error")
}

/// The speed figures of BENCHMARKS.md: release build, real SQLite and PostgreSQL, `wrk` load.
fn bench(root: &PathBuf) -> anyhow::Result<()> {
    util::ensure_postgres()?;
    util::ensure_apt_tool("wrk", "wrk")?;
    util::ensure_apt_tool("vipsthumbnail", "libvips-tools")?;
    // The memory benchmark runs the release server as a child process.
    let mut build = util::cargo();
    build.current_dir(root).args([
        "build",
        "--release",
        "--package",
        "kiemtra-server",
        "--bin",
        "kiemtra",
    ]);
    util::run_cmd(&mut build).context("building the server failed")?;
    let mut cmd = util::cargo();
    cmd.current_dir(root)
        .args(["bench", "--package", "kiemtra-tests"])
        .env(
            "KIEMTRA_BIN",
            util::target_dir(root)?.join("release/kiemtra"),
        );
    util::run_cmd(&mut cmd).context("benchmarks failed")
}

/// Every test: the Rust tests (API on SQLite and PostgreSQL, unit tests), the OpenAPI document
/// through `openapi-spec-validator`, then the browser test.
fn test(root: &PathBuf, args: &[String]) -> anyhow::Result<()> {
    util::ensure_postgres()?;
    let mut cmd = util::cargo();
    cmd.current_dir(root).args(["test", "--workspace"]);
    util::run_cmd(&mut cmd).context("cargo test failed")?;
    evidence_tests_against_moto(root)?;

    let mut build = util::cargo();
    build
        .current_dir(root)
        .args(["build", "--package", "kiemtra-server", "--bin", "kiemtra"]);
    util::run_cmd(&mut build).context("building the server failed")?;
    let bin = util::target_dir(root)?.join("debug/kiemtra");
    validate_openapi(&bin)?;

    if args.iter().any(|a| a == "--no-browser") {
        return Ok(());
    }
    util::ensure_chromium()?;
    util::ensure_node_packages(&root.join("frontend"))?;
    util::ensure_node_packages(&root.join("tests/browser"))?;
    let dist = pwa::build(root, true)?;
    let mut node = std::process::Command::new("node");
    node.current_dir(root.join("tests/browser"))
        .args(["--test", "--test-concurrency=1"])
        .env("KIEMTRA_BIN", &bin)
        .env("KIEMTRA_DIST", &dist);
    util::run_cmd(&mut node).context("browser tests failed")
}

/// The evidence and resumable-upload tests once more against a second, independent S3
/// implementation (multipart included): moto's
/// server (PyPI), installed into the tools virtualenv and started on a free loopback port.
fn evidence_tests_against_moto(root: &PathBuf) -> anyhow::Result<()> {
    let venv = python_venv()?;
    let moto = venv.join("bin/moto_server");
    if !moto.exists() {
        util::run_cmd(std::process::Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "moto[server]==5.2.5",
        ]))
        .context("installing moto")?;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut server = std::process::Command::new(&moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting moto_server")?;
    let result = (|| {
        util::wait_for_port(port, std::time::Duration::from_secs(60))
            .context("moto_server did not start listening")?;
        let mut cmd = util::cargo();
        cmd.current_dir(root)
            .args([
                "test",
                "--package",
                "kiemtra-tests",
                "--test",
                "api",
                "--",
                "evidence::",
                "tus::",
            ])
            .env(
                "KIEMTRA_TEST_S3_ENDPOINT",
                format!("http://127.0.0.1:{port}"),
            )
            // moto refuses a location constraint for the default region.
            .env("RUST_S3_SKIP_LOCATION_CONSTRAINT", "true");
        util::run_cmd(&mut cmd).context("the evidence and tus tests failed against moto")
    })();
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// The virtualenv of the Python test tools, under the user's cache directory.
fn python_venv() -> anyhow::Result<std::path::PathBuf> {
    let venv = util::cache_dir()?.join("pyvenv");
    if !venv.join("bin/pip").exists() {
        util::run_cmd(
            std::process::Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv),
        )?;
    }
    Ok(venv)
}

/// Writes the server's OpenAPI document and checks it with `openapi-spec-validator` (PyPI),
/// installed into a virtualenv under the user's cache directory.
fn validate_openapi(server_bin: &std::path::Path) -> anyhow::Result<()> {
    let venv = util::cache_dir()?.join("pyvenv");
    let validator = venv.join("bin/openapi-spec-validator");
    if !validator.exists() {
        util::run_cmd(
            std::process::Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv),
        )?;
        util::run_cmd(std::process::Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "openapi-spec-validator==0.9.0",
        ]))
        .context("installing openapi-spec-validator")?;
    }
    let output = std::process::Command::new(server_bin)
        .arg("openapi")
        .env("RUST_LOG", "error")
        .output()
        .context("running `kiemtra openapi`")?;
    if !output.status.success() {
        anyhow::bail!(
            "`kiemtra openapi` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let file = util::cache_dir()?.join("openapi.json");
    std::fs::write(&file, &output.stdout)?;
    util::run_cmd(std::process::Command::new(validator).arg(&file))
        .context("the OpenAPI document is not valid")
}
