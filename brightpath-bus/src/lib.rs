//! BrightPath's background-job task bus.
//!
//! One contract, two backends chosen by URL: in-process (`memory://` or an
//! empty URL; nothing to install) and Valkey (`valkey://host:port` or
//! `redis://…`; Streams with a consumer group, so a worker killed mid-job loses
//! nothing). Delivery is at least once: a job is acknowledged only after its
//! handler returned Ok, so handlers make their effects idempotent (keyed by job
//! id) and commit them before returning.
//!
//! - [`Bus`]: enqueue, reserve, complete/fail, and the operator functions
//!   behind `brightpath jobs …` (list, show, retry, purge, dead, depths).
//! - [`worker`]: the worker loop, handler registry, metrics and health.
//! - [`schedule`]: recurring jobs, enqueued once per occurrence.

mod error;
mod job;
mod memory;
pub mod schedule;
mod valkey;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

pub use error::{BusError, Result};
pub use job::{
    Backoff, Delivery, Enqueued, FailOutcome, JobRecord, JobSpec, Lease, ListFilter, Priority,
    PurgeFilter, PurgeReport, Queue, QueueDepth, Status,
};

/// A job held this long without a heartbeat is taken over (`BusConfig::new`).
pub const DEFAULT_VISIBILITY_TIMEOUT: Duration = Duration::from_secs(30);

/// How to reach and run the bus.
#[derive(Debug, Clone)]
pub struct BusConfig {
    /// `memory://` (or empty) or `valkey://host:port[/db]` / `redis://…`.
    pub url: String,
    /// Prefix of every Valkey key, so deployments can share a server.
    pub prefix: String,
    /// A job held this long without a heartbeat is handed to another worker.
    pub visibility_timeout: Duration,
    /// Finished (succeeded) job records are kept this long.
    pub retention: Duration,
    /// An idempotency key is remembered this long.
    pub idempotency_ttl: Duration,
    /// Delay before retrying a failed job.
    pub backoff: Backoff,
}

impl BusConfig {
    /// Defaults: prefix `brightpath:`, 30 s visibility, 7 days retention and idempotency.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            prefix: "brightpath:".to_owned(),
            visibility_timeout: DEFAULT_VISIBILITY_TIMEOUT,
            retention: Duration::from_secs(7 * 24 * 3600),
            idempotency_ttl: Duration::from_secs(7 * 24 * 3600),
            backoff: Backoff::default(),
        }
    }

    /// In-process bus with defaults.
    pub fn memory() -> Self {
        Self::new("memory://")
    }
}

/// What survives a restart of the bus (see [`Bus::persistence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Persistence {
    /// The in-process bus: everything lives and dies with the process.
    InProcess,
    /// Valkey with `appendonly yes`.
    AppendOnly,
    /// Valkey without the append-only file (RDB snapshots at most).
    None,
}

/// Which backend a URL selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Memory,
    /// With the URL the `redis` client understands (`valkey://` mapped to `redis://`).
    Valkey(String),
}

/// Map a bus URL to its backend.
pub fn backend_for_url(url: &str) -> Result<Backend> {
    let url = url.trim();
    if url.is_empty() || url == "memory://" || url == "memory" {
        return Ok(Backend::Memory);
    }
    if let Some(rest) = url.strip_prefix("valkey://") {
        return Ok(Backend::Valkey(format!("redis://{rest}")));
    }
    if let Some(rest) = url.strip_prefix("valkeys://") {
        return Ok(Backend::Valkey(format!("rediss://{rest}")));
    }
    if url.starts_with("redis://") || url.starts_with("rediss://") || url.starts_with("unix://") {
        return Ok(Backend::Valkey(url.to_owned()));
    }
    Err(BusError::UnsupportedUrl(url.to_owned()))
}

/// The task bus. Cheap to clone; clones share one backend.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

// Held once behind an Arc, so the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Inner {
    Memory(memory::MemoryBus),
    Valkey(valkey::ValkeyBus),
}

macro_rules! dispatch {
    ($self:ident, $b:ident => $e:expr) => {
        match &*$self.inner {
            Inner::Memory($b) => $e,
            Inner::Valkey($b) => $e,
        }
    };
}

impl Bus {
    /// Open the backend the URL names (Valkey: connects and checks with PING).
    pub async fn connect(config: BusConfig) -> Result<Self> {
        let inner = match backend_for_url(&config.url)? {
            Backend::Memory => Inner::Memory(memory::MemoryBus::new(config)),
            Backend::Valkey(url) => Inner::Valkey(valkey::ValkeyBus::connect(&url, config).await?),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// A fresh in-process bus.
    pub fn memory(config: BusConfig) -> Self {
        Self {
            inner: Arc::new(Inner::Memory(memory::MemoryBus::new(config))),
        }
    }

    /// `memory` or `valkey`.
    pub fn backend_name(&self) -> &'static str {
        match &*self.inner {
            Inner::Memory(_) => "memory",
            Inner::Valkey(_) => "valkey",
        }
    }

    /// The configuration it was opened with.
    pub fn config(&self) -> &BusConfig {
        dispatch!(self, b => b.config())
    }

    /// Is the backend reachable?
    pub async fn ping(&self) -> Result<()> {
        dispatch!(self, b => b.ping().await)
    }

    /// Does the backend keep its data over a restart? In process: no (nothing
    /// outlives the process, so nothing fires twice either). Valkey: only with
    /// the append-only file on (`CONFIG GET appendonly`, or `INFO persistence`
    /// where CONFIG is disabled). Without it a restart forgets which schedule
    /// occurrences already ran, and the scheduler would enqueue them again.
    pub async fn persistence(&self) -> Result<Persistence> {
        match &*self.inner {
            Inner::Memory(_) => Ok(Persistence::InProcess),
            Inner::Valkey(b) => b.persistence().await,
        }
    }

    /// Queue a job; returns once it is durably stored (as durable as the server is configured).
    pub async fn enqueue(&self, spec: JobSpec) -> Result<Enqueued> {
        dispatch!(self, b => b.enqueue(spec).await)
    }

    /// Queue many jobs in few round trips (Valkey: one script call per 250 jobs, four per pipeline);
    /// the answers are in the order of `specs`. Each job is stored atomically;
    /// on an error, a prefix of the batch may have been stored (set idempotency
    /// keys to make a retry safe).
    pub async fn enqueue_many(&self, specs: Vec<JobSpec>) -> Result<Vec<Enqueued>> {
        if specs.is_empty() {
            return Ok(Vec::new());
        }
        match &*self.inner {
            Inner::Memory(b) => {
                let mut out = Vec::with_capacity(specs.len());
                for spec in specs {
                    out.push(b.enqueue(spec).await?);
                }
                Ok(out)
            }
            Inner::Valkey(b) => b.enqueue_many(specs).await,
        }
    }

    /// Take up to `max` jobs from `queues` (high priority first, then in the given
    /// order), waiting up to `wait` for one to arrive. Jobs whose holder stopped
    /// heartbeating for the visibility timeout are taken over too.
    pub async fn reserve(
        &self,
        queues: &[Queue],
        max: usize,
        wait: Duration,
        consumer: &str,
    ) -> Result<Vec<Delivery>> {
        if max == 0 {
            return Ok(Vec::new());
        }
        dispatch!(self, b => b.reserve(queues, max, wait, consumer).await)
    }

    /// Keep holding a job (call well within the visibility timeout). False if it was lost.
    pub async fn heartbeat(&self, lease: &Lease, consumer: &str) -> Result<bool> {
        dispatch!(self, b => b.heartbeat(lease, consumer).await)
    }

    /// Acknowledge a job whose handler returned Ok; stores its result.
    pub async fn complete(&self, lease: &Lease, result: serde_json::Value) -> Result<()> {
        dispatch!(self, b => b.complete(lease, result).await)
    }

    /// Record a failed attempt: retried after a backoff, or dead-lettered when out
    /// of attempts or when `retryable` is false.
    pub async fn fail(&self, lease: &Lease, error: &str, retryable: bool) -> Result<FailOutcome> {
        dispatch!(self, b => b.fail(lease, error, retryable).await)
    }

    /// Hand a job back unfinished (shutdown): it is queued again, the attempt not counted.
    pub async fn release(&self, lease: &Lease) -> Result<()> {
        dispatch!(self, b => b.release(lease).await)
    }

    /// Move due retries and delayed jobs to their queues; workers call this every second or so.
    pub async fn promote_due(&self) -> Result<u64> {
        dispatch!(self, b => b.promote_due().await)
    }

    /// `jobs show`: one job, if still retained.
    pub async fn get(&self, id: Uuid) -> Result<Option<JobRecord>> {
        dispatch!(self, b => b.get(id).await)
    }

    /// `jobs list`: newest first.
    pub async fn list(&self, filter: &ListFilter) -> Result<Vec<JobRecord>> {
        dispatch!(self, b => b.list(filter).await)
    }

    /// `jobs dead`: the dead-letter queue, newest first, with errors.
    pub async fn dead(&self, queue: Option<&Queue>, limit: usize) -> Result<Vec<JobRecord>> {
        match &*self.inner {
            Inner::Memory(b) => {
                let filter = ListFilter {
                    queue: queue.cloned(),
                    status: Some(Status::Dead),
                    kind: None,
                    limit,
                };
                b.list(&filter).await
            }
            Inner::Valkey(b) => b.dead(queue, limit).await,
        }
    }

    /// `jobs retry`: queue a dead (or failed) job again with fresh attempts.
    pub async fn retry(&self, id: Uuid) -> Result<JobRecord> {
        dispatch!(self, b => b.retry(id).await)?;
        self.get(id)
            .await?
            .ok_or(BusError::NotFound(id.to_string()))
    }

    /// `jobs purge`: delete finished records (succeeded and/or dead).
    pub async fn purge(&self, filter: &PurgeFilter) -> Result<PurgeReport> {
        if let Some(s) = filter.statuses.iter().find(|s| !s.is_terminal()) {
            return Err(BusError::InvalidState {
                id: "*".to_owned(),
                status: s.to_string(),
                hint: "only succeeded and dead jobs can be purged",
            });
        }
        dispatch!(self, b => b.purge(filter).await)
    }

    /// Queue depths (for `jobs list --queues` and metrics).
    pub async fn depths(&self, queues: &[Queue]) -> Result<Vec<QueueDepth>> {
        dispatch!(self, b => b.depths(queues).await)
    }
}

/// A consumer name unique to this process and call: `host-pid-xxxx`.
pub fn consumer_name(label: &str) -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".to_owned());
    let short = Uuid::new_v4().simple().to_string();
    format!("{label}-{host}-{}-{}", std::process::id(), &short[..8])
}
