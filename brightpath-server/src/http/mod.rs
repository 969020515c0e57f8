//! `brightpath serve`: the HTTP API over the same core services as the CLI
//! and the TUI. It decides nothing itself: handlers translate (see
//! `docs/http.md`). This build signs a parent in with a one-time link on
//! their own computer; Google sign-in comes with the OAuth settings.

mod api;
mod auth;
mod cache;
mod feed;
mod limits;
mod metrics;
mod oidc;
mod problem;
mod spa;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use brightpath_core::Store;
use jiff::civil::Date;

pub use metrics::HttpMetrics;
pub use oidc::{Provider, ProviderError};
pub use problem::Problem;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The job bus, when one is configured (checked by `/readyz`).
    pub bus: Option<brightpath_bus::Bus>,
    pub metrics: Arc<HttpMetrics>,
    /// A fixed "today" (the `today` setting), else each family's own.
    pub today: Option<Date>,
    /// Cookies only over HTTPS (a public URL that starts with https).
    pub secure_cookies: bool,
    /// The sign-in provider, when one is configured.
    pub provider: Option<Provider>,
    /// Sign-in requests per client address.
    pub sign_ins: Arc<limits::SignInLimiter>,
    pub options: ServeOptions,
    /// Seconds of memory for sessions, memberships and week versions.
    pub cache: Arc<cache::Cache>,
}

/// The `[server]` settings `serve` runs with.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// When browser sessions end.
    pub sessions: brightpath_core::services::web::SessionPolicy,
    /// `scheme://host[:port]` of the public URL: links are made with it and
    /// a browser's `Origin` must be it (unset: the request's own host).
    pub public_origin: Option<String>,
    /// The largest request body, in bytes.
    pub body_limit: usize,
    /// The largest roster upload, in bytes.
    pub upload_limit: usize,
    /// How long one request may take.
    pub request_timeout: std::time::Duration,
    /// Sign-in requests a client address may make per minute.
    pub sign_ins_per_minute: u32,
    /// The `learning` setting: `off` queues no training after marks.
    pub learning: brightpath_core::config::Learning,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            sessions: Default::default(),
            public_origin: None,
            body_limit: limits::BODY_LIMIT,
            upload_limit: limits::UPLOAD_LIMIT,
            request_timeout: limits::REQUEST_TIMEOUT,
            sign_ins_per_minute: limits::SIGN_IN_PER_MINUTE,
            learning: Default::default(),
        }
    }
}

/// `scheme://host[:port]` of a URL (the origin a browser sends).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to listen on {0} without a sign-in provider: anyone who reaches it could \
         use the one-time link's session; listen on 127.0.0.1 (or ::1), or configure OAuth"
    )]
    Exposed(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

/// Without a sign-in provider, only a loopback address is safe: the
/// printed link is the only key, and only this computer can reach it.
pub fn check_exposure(addr: SocketAddr, oauth_configured: bool) -> Result<(), ServeError> {
    if addr.ip().is_loopback() || oauth_configured {
        Ok(())
    } else {
        Err(ServeError::Exposed(addr))
    }
}

/// The whole application: API, sign-in, health and metrics.
pub fn router(state: AppState) -> Router {
    let api = api::routes_router().fallback(api::not_found);
    Router::new()
        .nest("/api/v1", api)
        .route("/api", get(api::not_found))
        .route("/api/openapi.json", get(openapi_json))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/feeds/{file}", get(feed::calendar))
        .route("/login/local", get(auth::local_login))
        .route("/login/google", get(oidc::start))
        .route("/auth/callback", get(oidc::callback))
        .route("/", get(spa::home))
        .fallback(spa::fallback)
        .layer(axum::extract::DefaultBodyLimit::max(
            state.options.body_limit,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// `GET /api/openapi.json`: the API's description, built once.
async fn openapi_json() -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let body = DOC.get_or_init(|| api::openapi().to_string());
    let mut r = body.clone().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Request ids, one JSON access-log line per request, and the metrics.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let sign_in = path.starts_with("/login/") || path == "/auth/callback";
    let client = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let mut res = match client {
        Some(ip)
            if sign_in
                && !state
                    .sign_ins
                    .allow(ip, started, state.options.sign_ins_per_minute) =>
        {
            limits::too_many().into_response()
        }
        _ => match tokio::time::timeout(
            state.options.request_timeout,
            // Whatever is logged while answering carries the request's id.
            tracing::Instrument::instrument(
                // A panic or error reported to Sentry carries the request id.
                crate::telemetry::in_request(&id, next.run(req)),
                tracing::info_span!("request", request_id = %id, route = %route),
            ),
        )
        .await
        {
            Ok(r) => r,
            Err(_) => limits::timed_out().into_response(),
        },
    };
    // Refusals made below the handlers (a body over the limit, a bad path
    // or query, a method the route lacks) are problems too.
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes())
        == Some(b"application/problem+json");
    if res.status().is_client_error() && !is_problem {
        res = if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
            limits::too_large(state.options.body_limit).into_response()
        } else {
            as_problem(res).await
        };
    }
    // A change made through this process: its family's weeks and
    // memberships are read afresh by the next request.
    if !method.is_safe()
        && res.status().is_success()
        && let Some(f) = cache::family_in_path(&path)
    {
        state.cache.forget_family(f);
    }
    let took = started.elapsed();
    let status = res.status().as_u16();
    state.metrics.observe(&route, status, took);
    if status >= 500 {
        crate::telemetry::report_server_error(&id, method.as_str(), &route, status);
    }
    // A feed's path is its secret: the log keeps only the route.
    let path = if path.starts_with("/feeds/") {
        route.clone()
    } else {
        path
    };
    tracing::info!(
        target: "brightpath::access",
        request_id = %id,
        %method,
        %path,
        %route,
        status,
        ms = took.as_secs_f64() * 1000.0,
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// A plain-text refusal (axum's extractors, 405) as a problem, with its text.
async fn as_problem(res: Response) -> Response {
    let status = res.status();
    let kind = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => "invalid",
    };
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_string();
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("refused").to_string()
    } else {
        text
    };
    Problem::new(status, kind, detail).into_response()
}

/// Alive: the process answers.
async fn healthz() -> impl IntoResponse {
    axum::Json(serde_json::json!({"status": "ok"}))
}

/// Ready: the database (and the job bus, when configured) answer.
async fn readyz(State(state): State<AppState>) -> Response {
    let db = state.store.ping().await;
    let bus = match &state.bus {
        Some(b) => b.ping().await.map_err(|e| e.to_string()),
        None => Ok(()),
    };
    let body = serde_json::json!({
        "database": db.as_ref().map(|_| "ok").unwrap_or("unavailable"),
        "job_bus": match (&state.bus, &bus) {
            (None, _) => "in-process",
            (Some(_), Ok(())) => "ok",
            (Some(_), Err(_)) => "unavailable",
        },
    });
    let status = if db.is_ok() && bus.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    use std::fmt::Write;
    let mut text = state.metrics.render();
    let (size, idle, max) = state.store.pool_stats();
    let _ = write!(
        text,
        "# HELP brightpath_db_pool_connections Database connections by state.\n\
         # TYPE brightpath_db_pool_connections gauge\n\
         brightpath_db_pool_connections{{state=\"idle\"}} {idle}\n\
         brightpath_db_pool_connections{{state=\"in_use\"}} {}\n\
         # HELP brightpath_db_pool_max_connections The most connections the pool opens.\n\
         # TYPE brightpath_db_pool_max_connections gauge\n\
         brightpath_db_pool_max_connections {max}\n",
        size.saturating_sub(idle)
    );
    // Queue depths, when there is a bus to ask (a slow bus must not stall
    // the scrape: it is skipped, and `/readyz` says why).
    if let Some(bus) = &state.bus
        && let Ok(Ok(depths)) = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            bus.depths(&brightpath_bus::Queue::standard()),
        )
        .await
    {
        text.push_str(
            "# HELP brightpath_queue_depth Jobs in a queue, by state.\n# TYPE brightpath_queue_depth gauge\n",
        );
        for d in depths {
            for (st, n) in [("ready", d.ready), ("running", d.running), ("dead", d.dead)] {
                let _ = writeln!(
                    text,
                    "brightpath_queue_depth{{queue=\"{}\",state=\"{st}\"}} {n}",
                    d.queue.as_str()
                );
            }
        }
    }
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    r
}

/// Serves until `shutdown` resolves; requests in flight finish first.
pub async fn serve(
    addr: SocketAddr,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    on_listen: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| ServeError::Listen { addr, source })?;
    on_listen(bound);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(ServeError::Server)
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod access_tests;
#[cfg(test)]
mod import_tests;
#[cfg(test)]
mod probe_tests;
#[cfg(test)]
mod tests;
