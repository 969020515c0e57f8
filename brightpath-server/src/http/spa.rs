//! The web app, embedded in the binary at build time (see `build.rs`):
//! hashed files under `assets/` cached for a year, `index.html` revalidated
//! on every load, and any other page path answered with `index.html` so the
//! app's own router draws it. API-like paths never fall back: they 404.

use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use super::problem::Problem;

include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// Paths that belong to the server, never to the app.
const SERVER_PATHS: &[&str] = &[
    "/api", "/feeds", "/login", "/auth", "/healthz", "/readyz", "/metrics",
];

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn asset(path: &str) -> Option<&'static [u8]> {
    ASSETS.iter().find(|(p, _)| *p == path).map(|(_, b)| *b)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "map") => "application/json",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file(path: &str, body: &'static [u8], cache: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

/// `index.html`, or, in a build without the app, how to make one.
fn index() -> Response {
    match asset("index.html") {
        Some(body) => file("index.html", body, "no-cache"),
        None => {
            let mut r = Html(NOT_BUILT).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
    }
}

/// `GET /`.
pub async fn home() -> Response {
    index()
}

/// Everything no route matched: a file of the app, a page of the app
/// (index.html), or a 404 problem.
pub async fn fallback(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let server_path = SERVER_PATHS
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if server_path || !(method == Method::GET || method == Method::HEAD) {
        return Problem::new(StatusCode::NOT_FOUND, "not_found", "no such page").into_response();
    }
    let rel = path.trim_start_matches('/');
    if let Some(body) = asset(rel) {
        let cache = if rel.starts_with("assets/") {
            IMMUTABLE
        } else {
            "no-cache"
        };
        return file(rel, body, cache);
    }
    // A missing hashed file is an old build's: 404, not the app's page.
    if rel.starts_with("assets/") {
        return Problem::new(StatusCode::NOT_FOUND, "not_found", "no such file").into_response();
    }
    index()
}

const NOT_BUILT: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>BrightPath</title></head><body><main><h1>BrightPath</h1>\
<p>This binary was built without the web app. Build it, then build BrightPath again:</p>\
<pre><code>cd brightpath-server/web &amp;&amp; npm ci &amp;&amp; npm run build\n\
cargo build -p brightpath-cli</code></pre>\
<p>The API is here already, under <code>/api/v1</code>.</p></main></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(r: &Response) -> &str {
        r.headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[tokio::test]
    async fn app_paths_get_the_page_and_it_is_revalidated() {
        for p in [
            "/week",
            "/today?date=2026-12-07",
            "/settings/tokens",
            "/invitations/abc",
        ] {
            let r = fallback(Method::GET, p.parse().unwrap_or_default()).await;
            assert_eq!(r.status(), StatusCode::OK, "{p}");
            assert_eq!(cache(&r), "no-cache", "{p}");
            let ct = r
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            assert_eq!(ct, Some("text/html; charset=utf-8"), "{p}");
        }
    }

    #[tokio::test]
    async fn server_paths_other_methods_and_missing_assets_are_404() {
        for p in [
            "/api/v1/nope",
            "/feeds/x",
            "/login/other",
            "/auth/x",
            "/metrics/x",
            "/assets/gone-123.js",
        ] {
            let r = fallback(Method::GET, p.parse().unwrap_or_default()).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{p}");
        }
        let r = fallback(Method::POST, "/week".parse().unwrap_or_default()).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn hashed_assets_are_immutable() {
        // Only with a build of the app embedded (web/dist present at compile time).
        let Some((path, body)) = ASSETS.iter().find(|(p, _)| p.starts_with("assets/")) else {
            return;
        };
        let r = fallback(Method::GET, format!("/{path}").parse().unwrap_or_default()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(cache(&r), IMMUTABLE);
        let got = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        assert_eq!(&got[..], *body);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type("assets/a-1.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
