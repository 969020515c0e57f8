//! `brightpath worker`: runs background jobs from the task bus until SIGTERM or
//! SIGINT, with a tiny HTTP listener for `/metrics` (Prometheus text) and
//! `/healthz`. The loop itself lives in `brightpath_bus::worker` so that the bus
//! crate's chaos test drives the very same code in its worker processes.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use brightpath_bus::schedule::{ScheduleSource, SchedulerOptions, run_scheduler};
pub use brightpath_bus::worker::{
    Health, HealthReport, JobContext, JobError, Metrics, Registry, WorkerOptions, WorkerReport,
    metrics_text,
};
use brightpath_bus::{Bus, BusConfig, BusError, Queue};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Why the worker could not run.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Bus(#[from] BusError),
    /// The scheduler was asked for on a Valkey that forgets on restart.
    #[error(
        "refusing to run the scheduler: the Valkey server has no append-only file (appendonly no), so after a restart it forgets which schedule occurrences already ran and enqueues them again; set `appendonly yes` on the server, or run this worker with --no-schedules"
    )]
    SchedulesNeedPersistence,
    #[error("metrics listener on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Everything `brightpath worker` needs.
#[derive(Clone)]
pub struct WorkerConfig {
    /// Bus URL, key prefix, visibility timeout, retention…
    pub bus: BusConfig,
    /// Queues, concurrency, grace period, metrics and health handles.
    pub options: WorkerOptions,
    /// Where to serve `/metrics` and `/healthz` (None: no listener).
    pub metrics_addr: Option<SocketAddr>,
}

impl WorkerConfig {
    /// The standard queues, 4 jobs at a time, no metrics listener.
    pub fn new(bus: BusConfig) -> Self {
        Self {
            bus,
            options: WorkerOptions::default(),
            metrics_addr: None,
        }
    }
}

/// Handlers every worker has, for checking a deployment end to end
/// (`brightpath jobs enqueue system.echo --payload '{"hi":1}'`):
/// `system.echo` returns its payload; `system.fail` fails permanently with
/// the payload's `message` (to see the dead-letter queue work).
pub fn builtin_registry() -> Registry {
    let mut reg = Registry::new();
    reg.register("system.echo", |ctx| async move { Ok(ctx.job.payload) });
    reg.register("system.fail", |ctx| async move {
        let msg = ctx.job.payload["message"]
            .as_str()
            .unwrap_or("system.fail was asked to fail")
            .to_owned();
        Err(JobError::Permanent(msg))
    });
    reg
}

/// Run the worker loop on `bus` until `shutdown` resolves (see
/// [`brightpath_bus::worker::run_worker`]).
pub async fn run_worker(
    bus: Bus,
    registry: Arc<Registry>,
    opts: WorkerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<WorkerReport, WorkerError> {
    Ok(brightpath_bus::worker::run_worker(bus, registry, opts, shutdown).await?)
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutdown requested");
}

/// `brightpath worker`: connect (waiting for Valkey if it is down), serve
/// metrics, run jobs until SIGTERM/SIGINT.
pub async fn serve(config: WorkerConfig, registry: Registry) -> Result<WorkerReport, WorkerError> {
    serve_inner(
        config,
        registry,
        None::<(
            Vec<brightpath_bus::schedule::ScheduleEntry>,
            SchedulerOptions,
        )>,
        shutdown_signal(),
    )
    .await
}

/// Like [`serve`], also running the recurring-job scheduler (safe on every
/// worker: each occurrence is enqueued once).
pub async fn serve_with_schedules(
    config: WorkerConfig,
    registry: Registry,
    source: impl ScheduleSource + 'static,
    schedule: SchedulerOptions,
) -> Result<WorkerReport, WorkerError> {
    serve_inner(
        config,
        registry,
        Some((source, schedule)),
        shutdown_signal(),
    )
    .await
}

/// [`serve`] with an explicit shutdown future (for tests and embedding).
pub async fn serve_inner<S: ScheduleSource + 'static>(
    config: WorkerConfig,
    registry: Registry,
    schedules: Option<(S, SchedulerOptions)>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<WorkerReport, WorkerError> {
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let opts = config.options.clone();
    let Some(bus) = connect_with_retry(config.bus.clone(), stop_rx.clone()).await? else {
        return Ok(WorkerReport::default());
    };
    if schedules.is_some() && bus.persistence().await? == brightpath_bus::Persistence::None {
        return Err(WorkerError::SchedulesNeedPersistence);
    }
    if let Some(addr) = config.metrics_addr {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| WorkerError::Listen { addr, source })?;
        tracing::info!(%addr, "serving /metrics and /healthz");
        tokio::spawn(serve_metrics(
            listener,
            bus.clone(),
            opts.metrics.clone(),
            opts.health.clone(),
            opts.queues.clone(),
            stopped(stop_rx.clone()),
        ));
    }
    if let Some((source, sched)) = schedules {
        tokio::spawn(run_scheduler(
            bus.clone(),
            source,
            sched,
            stopped(stop_rx.clone()),
        ));
    }
    run_worker(bus, Arc::new(registry), opts, stopped(stop_rx)).await
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// Connect, retrying with backoff while the server is unreachable. None if shut down first.
async fn connect_with_retry(
    config: BusConfig,
    mut stop: watch::Receiver<bool>,
) -> Result<Option<Bus>, WorkerError> {
    let mut wait = Duration::from_millis(200);
    loop {
        match Bus::connect(config.clone()).await {
            Ok(bus) => return Ok(Some(bus)),
            Err(e) if e.is_transient() => {
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "bus unreachable; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.wait_for(|s| *s) => return Ok(None),
                }
                wait = (wait * 2).min(Duration::from_secs(10));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[derive(Clone)]
struct MetricsState {
    bus: Bus,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    queues: Vec<Queue>,
}

/// The worker's `GET /metrics` (Prometheus text) and `GET /healthz` (200
/// while connected to the bus, else 503), on the same HTTP stack as `serve`.
pub async fn serve_metrics(
    listener: TcpListener,
    bus: Bus,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    queues: Vec<Queue>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    use axum::routing::get;
    let state = MetricsState {
        bus,
        metrics,
        health,
        queues,
    };
    let app = axum::Router::new()
        .route(
            "/metrics",
            get(
                |axum::extract::State(s): axum::extract::State<MetricsState>| async move {
                    (
                        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                        metrics_text(&s.bus, &s.metrics, &s.queues).await
                            + &crate::plan_metrics::render(),
                    )
                },
            ),
        )
        .route(
            "/healthz",
            get(
                |axum::extract::State(s): axum::extract::State<MetricsState>| async move {
                    let report = s.health.report();
                    let code = if report.connected {
                        StatusCode::OK
                    } else {
                        StatusCode::SERVICE_UNAVAILABLE
                    };
                    (code, axum::Json(report)).into_response()
                },
            ),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "try /metrics or /healthz\n") })
        .with_state(state);
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        tracing::warn!(error = %e, "metrics listener stopped");
    }
}

/// Jobs run inside the process that enqueues them: an in-process bus and a
/// worker on it, for `serve` without a Valkey (background plans, roster
/// imports, training after marks) and for tests.
pub struct LocalWorker {
    pub bus: Bus,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<WorkerReport, WorkerError>>,
}

impl LocalWorker {
    /// Starts a worker of `registry` on a new in-process bus.
    pub fn start(bus: BusConfig, registry: Registry) -> LocalWorker {
        let bus = Bus::memory(bus);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let options = WorkerOptions {
            concurrency: 2,
            ..Default::default()
        };
        let task = tokio::spawn(run_worker(
            bus.clone(),
            Arc::new(registry),
            options,
            async move {
                let _ = stopped.await;
            },
        ));
        LocalWorker { bus, stop, task }
    }

    /// Lets the jobs in flight finish (within the grace period), then stops.
    pub async fn stop(self) -> Result<WorkerReport, WorkerError> {
        let _ = self.stop.send(());
        self.task
            .await
            .map_err(|e| WorkerError::Bus(BusError::Protocol(format!("worker task: {e}"))))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brightpath_bus::JobSpec;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn get(addr: SocketAddr, path: &str) -> String {
        let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("write");
        let mut out = String::new();
        s.read_to_string(&mut out).await.expect("read");
        out
    }

    #[tokio::test]
    async fn schedules_are_refused_on_a_valkey_without_aof() {
        let url = match std::env::var("BRIGHTPATH_TEST_VALKEY_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI needs BRIGHTPATH_TEST_VALKEY_URL"
                );
                eprintln!("skipped: BRIGHTPATH_TEST_VALKEY_URL is not set");
                return;
            }
        };
        let mut bus = BusConfig::new(url);
        bus.prefix = format!("bp-worker-test:{}:", std::process::id());
        let probe = Bus::connect(bus.clone()).await.expect("connect");
        if probe.persistence().await.expect("persistence") != brightpath_bus::Persistence::None {
            eprintln!("skipped: the test server has appendonly yes");
            return;
        }
        let config = WorkerConfig::new(bus);
        let r = serve_inner(
            config,
            builtin_registry(),
            Some((
                Vec::<brightpath_bus::schedule::ScheduleEntry>::new(),
                SchedulerOptions::default(),
            )),
            std::future::pending::<()>(),
        )
        .await;
        let Err(e) = r else {
            panic!("the worker ran schedules on a Valkey without AOF")
        };
        assert!(matches!(e, WorkerError::SchedulesNeedPersistence), "{e}");
        assert!(e.to_string().contains("appendonly"), "{e}");
    }

    #[tokio::test]
    async fn serves_metrics_and_health_and_runs_jobs() {
        let mut config = WorkerConfig::new(BusConfig::memory());
        config.options.poll_wait = Duration::from_millis(50);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let bus = Bus::memory(config.bus.clone());
        let opts = config.options.clone();
        let (tx, rx) = watch::channel(false);
        tokio::spawn(serve_metrics(
            listener,
            bus.clone(),
            opts.metrics.clone(),
            opts.health.clone(),
            opts.queues.clone(),
            stopped(rx.clone()),
        ));
        let reg = builtin_registry();
        let worker = tokio::spawn(run_worker(
            bus.clone(),
            Arc::new(reg),
            opts.clone(),
            stopped(rx),
        ));
        let echo = JobSpec::new(
            Queue::default_queue(),
            "system.echo",
            serde_json::json!({"hi": 1}),
        );
        let echo = bus.enqueue(echo).await.expect("enqueue").id;
        let fail = JobSpec::new(
            Queue::default_queue(),
            "system.fail",
            serde_json::json!({"message": "asked to"}),
        );
        let fail = bus.enqueue(fail).await.expect("enqueue").id;
        let dead = loop {
            let rec = bus.get(fail).await.expect("get").expect("record");
            if rec.status == brightpath_bus::Status::Dead && opts.metrics.succeeded_total() >= 1 {
                break rec;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        assert_eq!(dead.last_error.as_deref(), Some("asked to"));
        let rec = bus.get(echo).await.expect("get").expect("record");
        assert_eq!(rec.result, Some(serde_json::json!({"hi": 1})));
        let m = get(addr, "/metrics").await;
        assert!(m.starts_with("HTTP/1.1 200"));
        assert!(
            m.contains("brightpath_jobs_finished_total{queue=\"default\",outcome=\"succeeded\"} 1")
        );
        assert!(m.contains("brightpath_queue_depth{queue=\"default\",state=\"ready\"} 0"));
        let h = get(addr, "/healthz").await;
        assert!(h.starts_with("HTTP/1.1 200"), "{h}");
        assert!(get(addr, "/nope").await.starts_with("HTTP/1.1 404"));
        let _ = tx.send(true);
        let report = worker.await.expect("join").expect("worker");
        assert_eq!((report.succeeded, report.failed), (1, 1));
    }
}
