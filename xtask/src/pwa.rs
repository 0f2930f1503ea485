//! Builds the PWA into `dist/` without downloading anything at build time:
//!
//! 1. `cargo build` of the two binaries of `kiemtra-frontend` for `wasm32-unknown-unknown`
//!    (profile `wasm-release`, or `dev` for `--dev`): `kiemtra-field`, the app the phone installs,
//!    `kiemtra-agency`, the agency screens, loaded only under `/agency`, and `kiemtra-portal`,
//!    the enterprise portal, loaded only under `/portal`;
//! 2. wasm-bindgen, as the `wasm-bindgen-cli-support` library pinned to the version in
//!    Cargo.lock (a mismatched CLI is the usual way such builds break);
//! 3. `wasm-opt -Oz` from the npm `binaryen` package (Debian's binaryen is too old for what
//!    wasm-bindgen 0.2.130 emits); skipped for `--dev`;
//! 4. `dist/`: content-hashed JS, wasm and CSS (so they can be cached for ever), `index.html`
//!    `agency.html` and `portal.html` pointing at them, the manifest and icons, and `sw.js` whose cache name
//!    changes with any asset and whose precache list names the exact files of the field app
//!    (the agency and portal bundles are cached when first used, never pushed to a phone).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

use crate::util;

const CRATE: &str = "kiemtra-frontend";

/// One download of the PWA: a binary of the frontend crate and the page that loads it.
struct Bundle {
    /// The cargo binary; wasm-bindgen names its outputs after it.
    bin: &'static str,
    /// The stem of the hashed files in `dist/`.
    stem: &'static str,
    /// The name of its page in `dist/` (written from `frontend/index.html`) and the page's title.
    page: &'static str,
    title: &'static str,
    /// Whether the service worker precaches it (the field app: it must open with no signal).
    precached: bool,
}

const BUNDLES: [Bundle; 3] = [
    Bundle {
        bin: "kiemtra-field",
        stem: "kiemtra",
        page: "index.html",
        title: "Kiểm tra · Thanh tra lao động",
        precached: true,
    },
    Bundle {
        bin: "kiemtra-agency",
        stem: "agency",
        page: "agency.html",
        title: "Kiểm tra · Cơ quan thanh tra",
        precached: false,
    },
    Bundle {
        bin: "kiemtra-portal",
        stem: "portal",
        page: "portal.html",
        title: "Kiểm tra · Cổng doanh nghiệp",
        precached: false,
    },
];

/// Placeholders in `frontend/index.html` and `frontend/sw.js`.
const CSS_PLACEHOLDER: &str = "__KIEMTRA_CSS__";
const TITLE_PLACEHOLDER: &str = "__KIEMTRA_TITLE__";
const JS_PLACEHOLDER: &str = "__KIEMTRA_JS__";
const WASM_PLACEHOLDER: &str = "__KIEMTRA_WASM__";
const CACHE_PLACEHOLDER: &str = "__KIEMTRA_CACHE__";
const PRECACHE_PLACEHOLDER: &str = "__KIEMTRA_PRECACHE__";

/// WebAssembly features that rustc (1.95, default target features) and wasm-bindgen 0.2.130
/// emit; wasm-opt must be allowed them, and nothing more, so that it does not introduce
/// instructions an older phone browser would reject.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// Builds the PWA into `<root>/dist` (wiped first) and returns that path.
pub fn build(root: &Path, release: bool) -> anyhow::Result<PathBuf> {
    let started = Instant::now();
    let frontend = root.join("frontend");
    let target = util::target_dir(root)?;
    let (profile, profile_dir) = if release {
        ("wasm-release", "wasm-release")
    } else {
        ("dev", "debug")
    };

    let step = Instant::now();
    let mut cargo = util::cargo();
    cargo.current_dir(root).args([
        "build",
        "--package",
        CRATE,
        "--bins",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ]);
    util::run_cmd(&mut cargo).context("building the frontend for wasm32 failed")?;
    eprintln!("xtask: cargo build ({profile}) took {:.1?}", step.elapsed());

    if release {
        // Once, before the bundles are optimised side by side.
        util::ensure_node_packages(&frontend)?;
    }
    // wasm-bindgen, then wasm-opt of the bundles side by side.
    let built: Vec<anyhow::Result<Built>> = std::thread::scope(|scope| {
        let handles: Vec<_> = BUNDLES
            .iter()
            .map(|bundle| {
                let (target, frontend) = (&target, &frontend);
                scope.spawn(move || {
                    bindgen_and_optimise(bundle, target, frontend, profile, profile_dir, release)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a bundle's build thread panicked"))
            .collect()
    });
    let built = built.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    let css_bytes = read(&frontend.join("static/styles.css"))?;

    let dist = root.join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("removing {}", dist.display()))?;
    }
    fs::create_dir_all(&dist)?;

    let mut assets = Assets::new(&dist);
    let css = assets.hashed("styles", "css", &css_bytes)?;
    for entry in fs::read_dir(frontend.join("static"))? {
        let path = entry?.path();
        let name = file_name(&path)?;
        if name == "styles.css" {
            continue;
        }
        assets.plain(&name, &read(&path)?)?;
    }
    copy_api_docs_assets(&frontend, &dist)?;

    let template =
        fs::read_to_string(frontend.join("index.html")).context("reading frontend/index.html")?;
    let mut sizes = Vec::new();
    let mut later = Assets::new(&dist);
    for (bundle, built) in BUNDLES.iter().zip(&built) {
        let assets = if bundle.precached {
            &mut assets
        } else {
            &mut later
        };
        let js = assets.hashed(bundle.stem, "js", &built.js)?;
        let wasm_name = assets.hashed(bundle.stem, "_bg.wasm", &built.wasm)?;
        copy_snippets(&built.bindgen_dir, &dist, assets)?;
        let page = fill(
            &template,
            "frontend/index.html",
            &[
                (TITLE_PLACEHOLDER, bundle.title),
                (CSS_PLACEHOLDER, css.as_str()),
                (JS_PLACEHOLDER, js.as_str()),
                (WASM_PLACEHOLDER, wasm_name.as_str()),
            ],
        )?;
        assets.plain(bundle.page, page.as_bytes())?;
        sizes.push(format!(
            "{}: {wasm_name} {} gzip + {js} {} gzip",
            bundle.bin,
            gzip_size(&dist.join(&wasm_name))?,
            gzip_size(&dist.join(&js))?
        ));
    }

    let cache = format!("kiemtra-{}", assets.build_hash());
    let precache = serde_json::to_string(&assets.urls())?;
    let worker = fs::read_to_string(frontend.join("sw.js")).context("reading frontend/sw.js")?;
    let worker = fill(
        &worker,
        "frontend/sw.js",
        &[
            (CACHE_PLACEHOLDER, cache.as_str()),
            (PRECACHE_PLACEHOLDER, precache.as_str()),
        ],
    )?;
    fs::write(dist.join("sw.js"), worker)?;

    eprintln!(
        "xtask: PWA ({}) built in {:.1?}: {}; {css} {} gzip; cache {cache}",
        if release { "release" } else { "dev" },
        started.elapsed(),
        sizes.join("; "),
        gzip_size(&dist.join(&css))?,
    );
    Ok(dist)
}

/// One bundle after wasm-bindgen (and wasm-opt for a release).
struct Built {
    wasm: Vec<u8>,
    js: Vec<u8>,
    /// The folder of the generated files, for the snippets.
    bindgen_dir: PathBuf,
}

/// wasm-bindgen on one bundle's binary, then `wasm-opt -Oz` for a release.
fn bindgen_and_optimise(
    bundle: &Bundle,
    target: &Path,
    frontend: &Path,
    profile: &str,
    profile_dir: &str,
    release: bool,
) -> anyhow::Result<Built> {
    let step = Instant::now();
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join(format!("{}.wasm", bundle.bin));
    let bindgen_dir = target.join("kiemtra-pwa").join(profile).join(bundle.bin);
    if bindgen_dir.exists() {
        fs::remove_dir_all(&bindgen_dir)
            .with_context(|| format!("removing {}", bindgen_dir.display()))?;
    }
    Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .omit_default_module_path(false)
        .typescript(false)
        .generate(&bindgen_dir)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;
    eprintln!(
        "xtask: wasm-bindgen {} took {:.1?}",
        bundle.bin,
        step.elapsed()
    );
    let bindgen_wasm = bindgen_dir.join(format!("{}_bg.wasm", bundle.bin));
    let bindgen_js = bindgen_dir.join(format!("{}.js", bundle.bin));
    let wasm_bytes = if release {
        let step = Instant::now();
        let optimised = bindgen_dir.join(format!("{}_opt.wasm", bundle.bin));
        wasm_opt(frontend, &bindgen_wasm, &optimised)?;
        eprintln!(
            "xtask: wasm-opt -Oz {} took {:.1?}",
            bundle.bin,
            step.elapsed()
        );
        read(&optimised)?
    } else {
        read(&bindgen_wasm)?
    };
    Ok(Built {
        wasm: wasm_bytes,
        js: read(&bindgen_js)?,
        bindgen_dir,
    })
}

/// `wasm-opt -Oz` from npm's `binaryen` (installed by [`build`] first).
fn wasm_opt(frontend: &Path, input: &Path, output: &Path) -> anyhow::Result<()> {
    let wasm_opt = frontend.join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        bail!(
            "{} is missing: is `binaryen` in frontend/package.json?",
            wasm_opt.display()
        );
    }
    let mut cmd = Command::new(&wasm_opt);
    cmd.arg("-Oz")
        .args(WASM_FEATURES)
        .arg("--strip-debug")
        .arg("--strip-producers")
        .arg(input)
        .arg("-o")
        .arg(output);
    util::run_cmd(&mut cmd).context("wasm-opt failed")
}

/// wasm-bindgen puts inline JS of the crates (`#[wasm_bindgen(inline_js)]`) under `snippets/`;
/// the generated JS imports it relative to itself, so it keeps its path.
fn copy_snippets(bindgen_dir: &Path, dist: &Path, assets: &mut Assets<'_>) -> anyhow::Result<()> {
    let snippets = bindgen_dir.join("snippets");
    if !snippets.exists() {
        return Ok(());
    }
    let mut stack = vec![snippets];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(bindgen_dir)?
                .to_string_lossy()
                .replace('\\', "/");
            fs::create_dir_all(
                dist.join(&relative)
                    .parent()
                    .context("snippet without a parent")?,
            )?;
            assets.plain(&relative, &read(&path)?)?;
        }
    }
    Ok(())
}

/// The files written to `dist/` that the service worker precaches.
struct Assets<'a> {
    dist: &'a Path,
    /// Path relative to `dist/` and SHA-256 of the content.
    files: Vec<(String, String)>,
}

impl<'a> Assets<'a> {
    fn new(dist: &'a Path) -> Self {
        Assets {
            dist,
            files: Vec::new(),
        }
    }

    /// Writes `<stem>-<hash>.<ext>` (or `<stem>-<hash><suffix>` when `suffix` starts with `_`)
    /// and returns its name.
    fn hashed(&mut self, stem: &str, suffix: &str, content: &[u8]) -> anyhow::Result<String> {
        let hash = sha256_hex(content);
        let short = &hash[..16];
        let name = if suffix.starts_with('_') {
            format!("{stem}-{short}{suffix}")
        } else {
            format!("{stem}-{short}.{suffix}")
        };
        self.write(name.clone(), hash, content)?;
        Ok(name)
    }

    /// Writes a file under its own name.
    fn plain(&mut self, name: &str, content: &[u8]) -> anyhow::Result<()> {
        self.write(name.to_owned(), sha256_hex(content), content)
    }

    fn write(&mut self, name: String, hash: String, content: &[u8]) -> anyhow::Result<()> {
        let path = self.dist.join(&name);
        fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
        self.files.push((name, hash));
        Ok(())
    }

    /// Changes whenever any asset does: names the service worker's cache.
    fn build_hash(&self) -> String {
        let mut files = self.files.clone();
        files.sort();
        let mut hasher = Sha256::new();
        for (name, hash) in &files {
            hasher.update(name.as_bytes());
            hasher.update(b"\0");
            hasher.update(hash.as_bytes());
            hasher.update(b"\n");
        }
        hex::encode(hasher.finalize())[..16].to_owned()
    }

    fn urls(&self) -> Vec<String> {
        let mut urls: Vec<String> = self
            .files
            .iter()
            .map(|(name, _)| format!("/{name}"))
            .collect();
        urls.sort();
        urls
    }
}

/// Replaces every placeholder, failing if the template lacks one (a renamed placeholder would
/// otherwise ship a page that loads nothing).
fn fill(template: &str, what: &str, values: &[(&str, &str)]) -> anyhow::Result<String> {
    let mut out = template.to_owned();
    for (placeholder, value) in values {
        if !out.contains(placeholder) {
            bail!("{what} has no {placeholder}");
        }
        out = out.replace(placeholder, value);
    }
    Ok(out)
}

fn sha256_hex(content: &[u8]) -> String {
    hex::encode(Sha256::digest(content))
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn file_name(path: &Path) -> anyhow::Result<String> {
    Ok(path
        .file_name()
        .context("path without a file name")?
        .to_string_lossy()
        .into_owned())
}

/// Size after `gzip -9`, as a phone on a slow link would download it from a compressing server.
fn gzip_size(path: &Path) -> anyhow::Result<String> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("running gzip to measure the bundle")?;
    if !out.status.success() {
        bail!("gzip failed on {}", path.display());
    }
    Ok(format!("{:.1} KiB", out.stdout.len() as f64 / 1024.0))
}

/// Swagger UI (npm `swagger-ui-dist`) for the server's `/api/docs` page. Not part of the app
/// shell: the service worker does not precache it.
fn copy_api_docs_assets(frontend: &Path, dist: &Path) -> anyhow::Result<()> {
    let source = frontend.join("node_modules/swagger-ui-dist");
    let target = dist.join("api-docs");
    fs::create_dir_all(&target)?;
    for name in ["swagger-ui-bundle.js", "swagger-ui.css"] {
        fs::copy(source.join(name), target.join(name))
            .with_context(|| format!("copying {name} from {}", source.display()))?;
    }
    Ok(())
}
