//! Worker metrics in Prometheus text format, and health.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

use super::Histogram;
use crate::Bus;
use crate::job::{Queue, QueueDepth, now_ms, ts};

/// Histogram bucket bounds in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0, 300.0,
];

#[derive(Clone)]
struct QueueStats {
    /// By outcome: succeeded, failed, dead, released.
    finished: BTreeMap<&'static str, u64>,
    duration: Histogram,
    wait: Histogram,
}

impl Default for QueueStats {
    fn default() -> Self {
        QueueStats {
            finished: BTreeMap::new(),
            duration: Histogram::new(&BUCKETS),
            wait: Histogram::new(&BUCKETS),
        }
    }
}

/// Counters of one worker process.
#[derive(Default)]
pub struct Metrics {
    queues: Mutex<BTreeMap<String, QueueStats>>,
    running: AtomicI64,
    bus_errors: AtomicU64,
    succeeded: AtomicU64,
}

impl Metrics {
    fn with<R>(&self, q: &Queue, f: impl FnOnce(&mut QueueStats) -> R) -> R {
        let mut g = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        f(g.entry(q.to_string()).or_default())
    }

    pub(crate) fn started(&self, q: &Queue, waited_secs: f64) {
        self.running.fetch_add(1, Ordering::Relaxed);
        self.with(q, |s| s.wait.observe(waited_secs.max(0.0)));
    }

    pub(crate) fn finished(&self, q: &Queue, outcome: &'static str, took: Duration) {
        self.running.fetch_sub(1, Ordering::Relaxed);
        if outcome == "succeeded" {
            self.succeeded.fetch_add(1, Ordering::Relaxed);
        }
        self.with(q, |s| {
            *s.finished.entry(outcome).or_default() += 1;
            s.duration.observe(took.as_secs_f64());
        });
    }

    pub(crate) fn bus_error(&self) {
        self.bus_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Jobs acknowledged as succeeded by this process.
    pub fn succeeded_total(&self) -> u64 {
        self.succeeded.load(Ordering::Relaxed)
    }

    /// Jobs running now.
    pub fn running(&self) -> i64 {
        self.running.load(Ordering::Relaxed)
    }

    /// Prometheus text exposition of the counters and the given queue depths.
    pub fn render(&self, depths: Option<&[QueueDepth]>) -> String {
        let mut out = String::new();
        let stats = self
            .queues
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        out.push_str("# HELP brightpath_jobs_finished_total Job attempts finished, by outcome.\n");
        out.push_str("# TYPE brightpath_jobs_finished_total counter\n");
        for (q, s) in &stats {
            for (outcome, n) in &s.finished {
                let _ = writeln!(
                    out,
                    "brightpath_jobs_finished_total{{queue=\"{q}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP brightpath_job_duration_seconds Handler run time until acknowledged.\n",
        );
        out.push_str("# TYPE brightpath_job_duration_seconds histogram\n");
        for (q, s) in &stats {
            let q = format!("queue=\"{q}\"");
            s.duration
                .render(&mut out, "brightpath_job_duration_seconds", &q);
        }
        out.push_str("# HELP brightpath_job_wait_seconds Time from enqueue to start.\n");
        out.push_str("# TYPE brightpath_job_wait_seconds histogram\n");
        for (q, s) in &stats {
            let q = format!("queue=\"{q}\"");
            s.wait.render(&mut out, "brightpath_job_wait_seconds", &q);
        }
        out.push_str("# TYPE brightpath_jobs_running gauge\n");
        let _ = writeln!(out, "brightpath_jobs_running {}", self.running());
        out.push_str("# TYPE brightpath_bus_errors_total counter\n");
        let _ = writeln!(
            out,
            "brightpath_bus_errors_total {}",
            self.bus_errors.load(Ordering::Relaxed)
        );
        out.push_str("# TYPE brightpath_bus_up gauge\n");
        let _ = writeln!(out, "brightpath_bus_up {}", u8::from(depths.is_some()));
        if let Some(depths) = depths {
            out.push_str("# HELP brightpath_queue_depth Jobs in a queue, by state.\n");
            out.push_str("# TYPE brightpath_queue_depth gauge\n");
            for d in depths {
                let q = &d.queue;
                let _ = writeln!(
                    out,
                    "brightpath_queue_depth{{queue=\"{q}\",state=\"ready\"}} {}",
                    d.ready
                );
                let _ = writeln!(
                    out,
                    "brightpath_queue_depth{{queue=\"{q}\",state=\"ready_high\"}} {}",
                    d.ready_high
                );
                let _ = writeln!(
                    out,
                    "brightpath_queue_depth{{queue=\"{q}\",state=\"running\"}} {}",
                    d.running
                );
                let _ = writeln!(
                    out,
                    "brightpath_queue_depth{{queue=\"{q}\",state=\"dead\"}} {}",
                    d.dead
                );
            }
        }
        out
    }
}

/// Metrics text including current queue depths (read from the bus; omitted if it is down).
pub async fn metrics_text(bus: &Bus, metrics: &Metrics, queues: &[Queue]) -> String {
    let depths = bus.depths(queues).await.ok();
    metrics.render(depths.as_deref())
}

/// Whether the worker can reach its bus.
pub struct Health {
    connected: AtomicBool,
    last_ok_ms: AtomicI64,
    started_ms: i64,
}

impl Default for Health {
    fn default() -> Self {
        Self {
            connected: AtomicBool::new(false),
            last_ok_ms: AtomicI64::new(0),
            started_ms: now_ms(),
        }
    }
}

/// What `/healthz` returns.
#[derive(Debug, Clone, Serialize)]
pub struct HealthReport {
    /// `ok` when the last bus call worked, else `degraded`.
    pub status: &'static str,
    pub connected: bool,
    pub last_contact: Option<jiff::Timestamp>,
    pub started_at: jiff::Timestamp,
}

impl Health {
    pub(crate) fn contact(&self, ok: bool) {
        self.connected.store(ok, Ordering::Relaxed);
        if ok {
            self.last_ok_ms.store(now_ms(), Ordering::Relaxed);
        }
    }

    pub fn report(&self) -> HealthReport {
        let connected = self.connected.load(Ordering::Relaxed);
        let last = self.last_ok_ms.load(Ordering::Relaxed);
        HealthReport {
            status: if connected { "ok" } else { "degraded" },
            connected,
            last_contact: (last > 0).then(|| ts(last)),
            started_at: ts(self.started_ms),
        }
    }
}
