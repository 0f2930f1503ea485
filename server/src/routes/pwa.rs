//! Serves the built PWA: hashed assets cached forever, the pages and the service worker
//! revalidated every time, and unknown non-API paths falling back to their page so client-side
//! routes survive a reload: `agency.html` (the agency screens' bundle) under `/agency`,
//! `portal.html` (the enterprise portal's) under `/portal`, `index.html` (the field app)
//! elsewhere.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::AppError;
use crate::state::AppState;

const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=3600";

pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let public_dir = &state.settings.server.public_dir;
    let relative = req.path().trim_start_matches('/');
    let page = public_dir.join(page_of(relative));
    let target = match safe_relative_path(relative) {
        Some(path) if !relative.is_empty() => public_dir.join(path),
        // A path with `..` or hidden segments is never looked up on disk.
        Some(_) | None => page.clone(),
    };
    let is_file = tokio::fs::metadata(&target)
        .await
        .map(|m| m.is_file())
        .unwrap_or(false);
    let target = if is_file {
        target
    } else if looks_like_asset(relative) {
        // A missing script or image must not get `index.html`, which the browser would then try
        // to run or decode.
        return Err(AppError::NotFound);
    } else {
        page
    };
    file_response(&req, &target).await
}

async fn file_response(req: &HttpRequest, path: &Path) -> Result<HttpResponse, AppError> {
    let mut file = NamedFile::open_async(path).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            tracing::warn!(path = %path.display(), "PWA file missing: was `cargo xtask build-pwa` run?");
            AppError::NotFound
        } else {
            AppError::internal(e)
        }
    })?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name.ends_with(".webmanifest") {
        file = file.set_content_type(
            "application/manifest+json"
                .parse()
                .map_err(AppError::internal)?,
        );
    }
    let mut response = file
        .use_etag(true)
        .use_last_modified(true)
        .into_response(req);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_policy(name)),
    );
    Ok(response)
}

/// The page whose app handles a client-side route.
fn page_of(relative: &str) -> &'static str {
    if relative == "agency" || relative.starts_with("agency/") {
        "agency.html"
    } else if relative == "portal" || relative.starts_with("portal/") {
        "portal.html"
    } else {
        "index.html"
    }
}

/// How long a browser may keep a file of the PWA.
pub fn cache_policy(file_name: &str) -> &'static str {
    if matches!(
        file_name,
        "index.html" | "agency.html" | "portal.html" | "sw.js"
    ) {
        NO_CACHE
    } else if is_content_hashed(file_name) {
        IMMUTABLE
    } else {
        SHORT
    }
}

/// `kiemtra-0123456789abcdef.js`: the build puts 16 hex digits of the content hash in the name.
fn is_content_hashed(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn looks_like_asset(relative: &str) -> bool {
    relative
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// The path as relative segments, or `None` if any segment could escape the directory or name a
/// hidden file.
fn safe_relative_path(relative: &str) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    for segment in relative.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains('\\') || segment.contains('\0') {
            return None;
        }
        path.push(segment);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_entry_points_revalidate() {
        assert_eq!(cache_policy("kiemtra-0123456789abcdef.js"), IMMUTABLE);
        assert_eq!(cache_policy("kiemtra-0123456789abcdef_bg.wasm"), IMMUTABLE);
        assert_eq!(cache_policy("index.html"), NO_CACHE);
        assert_eq!(cache_policy("agency.html"), NO_CACHE);
        assert_eq!(cache_policy("sw.js"), NO_CACHE);
        assert_eq!(cache_policy("icon-192.png"), SHORT);
        assert_eq!(cache_policy("kiemtra-notahash.js"), SHORT);
    }

    #[test]
    fn agency_routes_get_the_agency_page() {
        assert_eq!(page_of("agency"), "agency.html");
        assert_eq!(page_of("agency/inspections/1"), "agency.html");
        assert_eq!(page_of("agencyx"), "index.html");
        assert_eq!(page_of("inspections/agency"), "index.html");
    }

    #[test]
    fn portal_routes_get_the_portal_page() {
        assert_eq!(page_of("portal"), "portal.html");
        assert_eq!(page_of("portal/inspections/1"), "portal.html");
        assert_eq!(page_of("portals"), "index.html");
        assert_eq!(cache_policy("portal.html"), NO_CACHE);
        assert_eq!(page_of(""), "index.html");
    }

    #[test]
    fn traversal_and_hidden_segments_are_refused() {
        assert!(safe_relative_path("../etc/passwd").is_none());
        assert!(safe_relative_path("a/../../b").is_none());
        assert!(safe_relative_path(".env").is_none());
        assert_eq!(safe_relative_path("a/b.js"), Some(PathBuf::from("a/b.js")));
    }
}
