//! Errors to Sentry: panics of `serve` and `worker`, and 5xx answers, with
//! the request id and never personal data. Off unless `sentry.dsn` is set.
//!
//! Events go out through a small transport over the reqwest (rustls) client
//! already in the build, on a thread of its own, so reporting works from a
//! panicking thread and costs no second HTTP or TLS stack. `scrub` runs on
//! every event before it leaves: no user, no request headers, cookies, query
//! or body, no extra data, only known tags, and e-mail addresses masked.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use brightpath_core::config::SentrySettings;
use sentry::protocol::{Event, Level};
use sentry::{ClientOptions, Envelope, Hub, SentryFuture, SentryFutureExt, Transport};

/// Tags an event may carry; every other tag is dropped by [`scrub`].
const KEPT_TAGS: &[&str] = &[
    "request_id",
    "job_id",
    "job_kind",
    "family_id",
    "route",
    "method",
    "status",
];

/// Why Sentry could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The DSN itself is left out: it holds the project's key.
    #[error("sentry.dsn is not a Sentry DSN (expected https://KEY@HOST/PROJECT): {0}")]
    Dsn(String),
}

/// Keeps Sentry on; dropping it sends what is queued (up to 2 s).
pub struct SentryGuard(#[allow(dead_code)] sentry::ClientInitGuard);

/// Turns Sentry on when `sentry.dsn` is set (None when it is not).
pub fn init(settings: &SentrySettings) -> Result<Option<SentryGuard>, TelemetryError> {
    let Some(dsn) = settings
        .dsn
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    else {
        return Ok(None);
    };
    let dsn: sentry::types::Dsn = dsn
        .parse()
        .map_err(|e: sentry::types::ParseDsnError| TelemetryError::Dsn(e.to_string()))?;
    let mut options = ClientOptions::default();
    options.dsn = Some(dsn);
    options.release = Some(concat!("brightpath@", env!("CARGO_PKG_VERSION")).into());
    options.environment = settings.environment.clone().map(Into::into);
    options.send_default_pii = false;
    options.server_name = None;
    options.shutdown_timeout = Duration::from_secs(2);
    options.before_send = Some(Arc::new(|event| Some(scrub(event))));
    options.transport = Some(Arc::new(|opts: &ClientOptions| -> Arc<dyn Transport> {
        Arc::new(HttpTransport::new(opts))
    }));
    Ok(Some(SentryGuard(sentry::init(options))))
}

/// Reports a 5xx answer: the status, method and route pattern (never the
/// path with its ids, nor the query) and the request id that the access log
/// and the problem document carry. `serve`'s `observe` middleware calls it.
pub fn report_server_error(request_id: &str, method: &str, route: &str, status: u16) {
    let mut tags = BTreeMap::new();
    tags.insert("request_id".to_owned(), request_id.to_owned());
    tags.insert("method".to_owned(), method.to_owned());
    tags.insert("route".to_owned(), route.to_owned());
    tags.insert("status".to_owned(), status.to_string());
    sentry::capture_event(Event {
        level: Level::Error,
        message: Some(format!("HTTP {status} on {method} {route}")),
        tags,
        ..Default::default()
    });
}

/// Runs `fut` with `request_id` on its Sentry scope, so a panic inside it is
/// reported with the request id (wrap the handler's future in `observe`).
pub fn in_request<F: Future>(request_id: &str, fut: F) -> SentryFuture<F> {
    scoped(&[("request_id", request_id)], fut)
}

/// Runs `fut` with the job's id and kind on its Sentry scope.
pub fn in_job<F: Future>(job_id: &str, kind: &str, fut: F) -> SentryFuture<F> {
    scoped(&[("job_id", job_id), ("job_kind", kind)], fut)
}

fn scoped<F: Future>(tags: &[(&str, &str)], fut: F) -> SentryFuture<F> {
    let hub = Arc::new(Hub::new_from_top(Hub::current()));
    hub.configure_scope(|scope| {
        for (k, v) in tags {
            scope.set_tag(k, v);
        }
    });
    fut.bind_hub(hub)
}

/// What leaves the process: no user, no request details beyond method and
/// the URL without its query, no extra data, breadcrumbs without data, only
/// [`KEPT_TAGS`], and e-mail addresses in messages masked as `[email]`.
pub fn scrub(mut event: Event<'static>) -> Event<'static> {
    event.user = None;
    event.extra.clear();
    event.server_name = None;
    if let Some(req) = event.request.as_mut() {
        req.query_string = None;
        req.cookies = None;
        req.headers.clear();
        req.data = None;
        req.env.clear();
        if let Some(url) = req.url.as_mut() {
            url.set_query(None);
            url.set_fragment(None);
        }
    }
    event.tags.retain(|k, _| KEPT_TAGS.contains(&k.as_str()));
    if let Some(m) = event.message.as_mut() {
        *m = mask_emails(m);
    }
    if let Some(l) = event.logentry.as_mut() {
        l.message = mask_emails(&l.message);
        l.params.clear();
    }
    for e in event.exception.values.iter_mut() {
        if let Some(v) = e.value.as_mut() {
            *v = mask_emails(v);
        }
    }
    for b in event.breadcrumbs.values.iter_mut() {
        b.data.clear();
        if let Some(m) = b.message.as_mut() {
            *m = mask_emails(m);
        }
    }
    event
}

/// Each word that looks like an address (`x@y.z`) becomes `[email]`.
fn mask_emails(text: &str) -> String {
    let looks_like_email = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
    };
    text.split_inclusive(char::is_whitespace)
        .map(|w| {
            let trimmed = w.trim_end();
            if looks_like_email(trimmed) {
                format!("[email]{}", &w[trimmed.len()..])
            } else {
                w.to_owned()
            }
        })
        .collect()
}

/// Posts envelopes to the DSN's envelope endpoint from one background
/// thread. `flush` waits until everything queued has been tried.
struct HttpTransport {
    queue: Mutex<Option<mpsc::Sender<Vec<u8>>>>,
    pending: Arc<(Mutex<usize>, Condvar)>,
}

impl HttpTransport {
    fn new(opts: &ClientOptions) -> Self {
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        let pending = Arc::new((Mutex::new(0usize), Condvar::new()));
        let target = opts.dsn.as_ref().map(|dsn| {
            let agent = concat!("brightpath/", env!("CARGO_PKG_VERSION"));
            (
                dsn.envelope_api_url().to_string(),
                dsn.to_auth(Some(agent)).to_string(),
            )
        });
        let done = pending.clone();
        let spawned = std::thread::Builder::new()
            .name("sentry-transport".into())
            .spawn(move || send_loop(rx, target, done));
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the Sentry transport; errors will not be reported");
        }
        Self {
            queue: Mutex::new(Some(tx)),
            pending,
        }
    }
}

fn send_loop(
    rx: mpsc::Receiver<Vec<u8>>,
    target: Option<(String, String)>,
    pending: Arc<(Mutex<usize>, Condvar)>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let (Ok(runtime), Some((url, auth))) = (runtime, target) else {
        tracing::warn!("the Sentry transport cannot run; errors will not be reported");
        return;
    };
    // The client's connector needs the runtime it will run on.
    let client = {
        let _in_runtime = runtime.enter();
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
    };
    let Ok(client) = client else {
        tracing::warn!("the Sentry transport has no HTTP client; errors will not be reported");
        return;
    };
    while let Ok(body) = rx.recv() {
        // Built inside block_on: the request's timer needs the runtime.
        let sent = runtime.block_on(async {
            client
                .post(&url)
                .header("X-Sentry-Auth", &auth)
                .header("Content-Type", "application/x-sentry-envelope")
                .body(body)
                .send()
                .await
        });
        match sent {
            Ok(r) if r.status().is_success() => {}
            Ok(r) => tracing::warn!(status = r.status().as_u16(), "Sentry refused an event"),
            Err(e) => tracing::warn!(error = %e, "cannot send an event to Sentry"),
        }
        let (count, cv) = &*pending;
        let mut n = count.lock().unwrap_or_else(|p| p.into_inner());
        *n = n.saturating_sub(1);
        cv.notify_all();
    }
}

impl Transport for HttpTransport {
    fn send_envelope(&self, envelope: Envelope) {
        let mut body = Vec::new();
        if envelope.to_writer(&mut body).is_err() {
            return;
        }
        let queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = queue.as_ref() {
            let (count, _) = &*self.pending;
            *count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            if tx.send(body).is_err() {
                *count.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
            }
        }
    }

    fn flush(&self, timeout: Duration) -> bool {
        let (count, cv) = &*self.pending;
        let n = count.lock().unwrap_or_else(|p| p.into_inner());
        let (n, _) = cv
            .wait_timeout_while(n, timeout, |n| *n > 0)
            .unwrap_or_else(|p| p.into_inner());
        *n == 0
    }

    fn shutdown(&self, timeout: Duration) -> bool {
        let flushed = self.flush(timeout);
        // Closing the channel ends the thread.
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).take();
        flushed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_masked_and_other_words_kept() {
        assert_eq!(
            mask_emails("no mail for <ada@example.org>, ask bob@x.io\tnow"),
            "no mail for [email] ask [email]\tnow"
        );
        assert_eq!(
            mask_emails("user@localhost @ home"),
            "user@localhost @ home"
        );
    }

    #[test]
    fn scrub_drops_personal_data() {
        let mut event = Event {
            message: Some("cannot mail ada@example.org".into()),
            user: Some(sentry::User {
                email: Some("ada@example.org".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        event.tags.insert("request_id".into(), "r-1".into());
        event.tags.insert("guardian".into(), "Ada Rivera".into());
        event
            .extra
            .insert("notes".into(), "struggles with fractions".into());
        let event = scrub(event);
        assert!(event.user.is_none());
        assert!(event.extra.is_empty());
        assert_eq!(
            event.tags.get("request_id").map(String::as_str),
            Some("r-1")
        );
        assert!(!event.tags.contains_key("guardian"));
        assert_eq!(event.message.as_deref(), Some("cannot mail [email]"));
    }
}
