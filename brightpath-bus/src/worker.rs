//! The worker loop: take jobs, run their handlers, acknowledge only after Ok.

mod histogram;
mod metrics;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

pub use histogram::Histogram;
pub use metrics::{Health, HealthReport, Metrics, metrics_text};

use crate::Bus;
use crate::error::{BusError, Result};
use crate::job::{Delivery, FailOutcome, JobRecord, Lease, Queue};

/// What a handler gets.
#[derive(Clone)]
pub struct JobContext {
    pub job: JobRecord,
    /// To enqueue follow-up jobs.
    pub bus: Bus,
}

/// A failed attempt.
#[derive(Debug, Clone, thiserror::Error)]
pub enum JobError {
    /// Worth trying again after a backoff.
    #[error("{0}")]
    Retry(String),
    /// Will never work (bad payload…): dead-letter now.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(e: impl fmt::Display) -> Self {
        JobError::Retry(e.to_string())
    }
    pub fn permanent(e: impl fmt::Display) -> Self {
        JobError::Permanent(e.to_string())
    }
}

/// A handler's future: its result is stored on the job.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<serde_json::Value, JobError>> + Send>>;
type HandlerFn = Arc<dyn Fn(JobContext) -> HandlerFuture + Send + Sync>;

/// Handlers by job kind. Handlers must commit their work before returning Ok and
/// should be idempotent (keyed by job id): a job can run twice when its worker
/// dies between the commit and the acknowledgement.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, HandlerFn>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Register `f` for jobs of `kind`.
    pub fn register<F, Fut>(&mut self, kind: impl Into<String>, f: F) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<serde_json::Value, JobError>> + Send + 'static,
    {
        self.handlers
            .insert(kind.into(), Arc::new(move |ctx| Box::pin(f(ctx))));
        self
    }

    /// Wraps every registered handler's future in `around` (given the job),
    /// e.g. to give it an error-reporting scope. Handlers registered later
    /// are not wrapped.
    pub fn wrap_all<W>(&mut self, around: W) -> &mut Self
    where
        W: Fn(&JobRecord, HandlerFuture) -> HandlerFuture + Send + Sync + 'static,
    {
        let around = Arc::new(around);
        for handler in self.handlers.values_mut() {
            let inner = handler.clone();
            let around = around.clone();
            *handler = Arc::new(move |ctx: JobContext| {
                let job = ctx.job.clone();
                around(&job, inner(ctx))
            });
        }
        self
    }

    /// Registered kinds, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let mut k: Vec<String> = self.handlers.keys().cloned().collect();
        k.sort();
        k
    }
}

/// How a worker runs.
#[derive(Clone)]
pub struct WorkerOptions {
    /// Served in this order (high-priority jobs of all of them first).
    pub queues: Vec<Queue>,
    /// Jobs run at once.
    pub concurrency: usize,
    /// Consumer name; unique per process (default: `worker-HOST-PID-RANDOM`).
    pub name: Option<String>,
    /// Longest wait for a job in one reserve call (also the shutdown reaction time).
    pub poll_wait: Duration,
    /// How often due retries are moved to their queues.
    pub promote_interval: Duration,
    /// After shutdown is asked, running jobs get this long before they are handed back.
    pub shutdown_grace: Duration,
    /// How often a running job's lease is renewed (None: a third of the bus's
    /// visibility timeout). Must be well below the visibility timeout.
    pub heartbeat: Option<Duration>,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            queues: Queue::standard(),
            concurrency: 4,
            name: None,
            poll_wait: Duration::from_secs(1),
            promote_interval: Duration::from_millis(500),
            shutdown_grace: Duration::from_secs(30),
            heartbeat: None,
            metrics: Arc::new(Metrics::default()),
            health: Arc::new(Health::default()),
        }
    }
}

impl WorkerOptions {
    /// The heartbeat period for a bus with this visibility timeout.
    pub fn heartbeat_interval(&self, visibility_timeout: Duration) -> Duration {
        self.heartbeat
            .unwrap_or(visibility_timeout / 3)
            .max(Duration::from_millis(50))
    }
}

/// What a worker did before it stopped.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct WorkerReport {
    pub succeeded: u64,
    pub failed: u64,
    /// Handed back unfinished at shutdown.
    pub released: u64,
}

/// Run until `shutdown` resolves: then take no new jobs, let running ones finish
/// within the grace period and hand back the rest. Bus errors (Valkey down) are
/// logged and retried with backoff; they never stop the loop.
pub async fn run_worker(
    bus: Bus,
    registry: Arc<Registry>,
    opts: WorkerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<WorkerReport> {
    let consumer = opts
        .name
        .clone()
        .unwrap_or_else(|| crate::consumer_name("worker"));
    let concurrency = opts.concurrency.max(1);
    let heartbeat_every = opts.heartbeat_interval(bus.config().visibility_timeout);
    let sem = Arc::new(Semaphore::new(concurrency));
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let (hard_tx, hard_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let promoter = tokio::spawn(promote_loop(bus.clone(), opts.clone(), stop_rx.clone()));
    tracing::info!(%consumer, backend = bus.backend_name(), queues = ?opts.queues, concurrency, "worker started");

    let mut tasks: JoinSet<Outcome> = JoinSet::new();
    let mut report = WorkerReport::default();
    let mut backoff = Backoff::new();
    loop {
        while let Some(done) = tasks.try_join_next() {
            tally(&mut report, done);
        }
        if *stop_rx.borrow() {
            break;
        }
        // Wait for a free slot (or shutdown), then take every free slot: a job is
        // fetched only with a permit in hand, so the worker never holds a job it
        // cannot start (it would wait without heartbeats and be taken over).
        let first = tokio::select! {
            p = sem.clone().acquire_owned() => p.map_err(|_| BusError::Protocol("semaphore closed".into()))?,
            _ = stop_rx.changed() => continue,
        };
        let mut permits = vec![first];
        // Let the jobs that are finishing too give back their slots first: one
        // fetch (which also carries their acknowledgements) serves them all.
        tokio::task::yield_now().await;
        while let Ok(p) = sem.clone().try_acquire_owned() {
            permits.push(p);
        }
        // Not cancelled on shutdown: a cancelled read could leave jobs held until the visibility timeout.
        match bus
            .reserve(&opts.queues, permits.len(), opts.poll_wait, &consumer)
            .await
        {
            Ok(batch) => {
                backoff.reset();
                opts.health.contact(true);
                for delivery in batch {
                    let Some(permit) = permits.pop() else {
                        // More than asked for: hand it back rather than hold it unstarted.
                        let _ = persist("release", || bus.release(&delivery.lease)).await;
                        continue;
                    };
                    let job = JobRun {
                        bus: bus.clone(),
                        registry: registry.clone(),
                        consumer: consumer.clone(),
                        metrics: opts.metrics.clone(),
                        hard_stop: hard_rx.clone(),
                        heartbeat: heartbeat_every,
                    };
                    tasks.spawn(job.run(delivery, permit));
                }
            }
            Err(e) => {
                opts.health.contact(false);
                opts.metrics.bus_error();
                let wait = backoff.next();
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "cannot reach the bus; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop_rx.changed() => {}
                }
            }
        }
    }

    tracing::info!(
        running = tasks.len(),
        "worker stopping: finishing running jobs"
    );
    let grace = tokio::time::sleep(opts.shutdown_grace);
    tokio::pin!(grace);
    loop {
        tokio::select! {
            next = tasks.join_next() => match next {
                Some(done) => tally(&mut report, done),
                None => break,
            },
            _ = &mut grace, if !*hard_rx.borrow() => {
                tracing::warn!(running = tasks.len(), "grace period over: handing running jobs back");
                let _ = hard_tx.send(true);
            }
        }
    }
    promoter.abort();
    tracing::info!(?report, "worker stopped");
    Ok(report)
}

enum Outcome {
    Succeeded,
    Failed,
    Released,
}

fn tally(report: &mut WorkerReport, done: std::result::Result<Outcome, tokio::task::JoinError>) {
    match done {
        Ok(Outcome::Succeeded) => report.succeeded += 1,
        Ok(Outcome::Failed) => report.failed += 1,
        Ok(Outcome::Released) => report.released += 1,
        Err(e) => tracing::error!(error = %e, "job task panicked"),
    }
}

async fn promote_loop(bus: Bus, opts: WorkerOptions, stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(opts.promote_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !*stop.borrow() {
        tick.tick().await;
        if let Err(e) = bus.promote_due().await {
            tracing::debug!(error = %e, "promoting due jobs failed; will retry");
        }
    }
}

struct JobRun {
    bus: Bus,
    registry: Arc<Registry>,
    consumer: String,
    metrics: Arc<Metrics>,
    hard_stop: watch::Receiver<bool>,
    heartbeat: Duration,
}

impl JobRun {
    /// Run one job. Its slot (`permit`) is given back as soon as the handler
    /// is done: the acknowledgement that follows starts nothing, so the worker
    /// may fetch the next job while it is on its way.
    async fn run(mut self, d: Delivery, permit: OwnedSemaphorePermit) -> Outcome {
        let Delivery { job, lease } = d;
        let queue = job.queue.clone();
        let started = Instant::now();
        let waited = (jiff::Timestamp::now() - job.created_at)
            .total(jiff::Unit::Second)
            .unwrap_or(0.0);
        self.metrics.started(&queue, waited);
        let Some(handler) = self.registry.handlers.get(&job.kind).cloned() else {
            // Retryable: a newer worker that knows the kind may be rolling out.
            let msg = format!("no handler for job kind `{}` on this worker", job.kind);
            drop(permit);
            return self
                .finish_err(&lease, &queue, started, JobError::Retry(msg))
                .await;
        };
        let ctx = JobContext {
            job: job.clone(),
            bus: self.bus.clone(),
        };
        // Every log line of the handler carries the job, its kind and queue,
        // and the family by id (never by name).
        let family_id = job.payload["family_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let span = tracing::info_span!("job", job_id = %job.id, kind = %job.kind, queue = %queue, family_id = %family_id);
        // Job groups are enforced by the bus: it hands out a job only while no
        // other job of its group runs, on any worker.
        let fut = tracing::Instrument::instrument(handler(ctx), span);
        tokio::pin!(fut);
        let every = self.heartbeat;
        let mut hb = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        let result = loop {
            tokio::select! {
                r = &mut fut => break Some(r),
                _ = hb.tick() => {
                    match self.bus.heartbeat(&lease, &self.consumer).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(job = %job.id, "job was taken over by another worker (heartbeat too late)"),
                        Err(e) => tracing::warn!(job = %job.id, error = %e, "heartbeat failed"),
                    }
                }
                _ = self.hard_stop.changed() => break None,
            }
        };
        drop(permit);
        match result {
            None => {
                let ok = persist("release", || self.bus.release(&lease)).await;
                self.metrics.finished(&queue, "released", started.elapsed());
                if ok.is_none() {
                    tracing::warn!(job = %job.id, "could not hand the job back; it returns after the visibility timeout");
                }
                Outcome::Released
            }
            Some(Ok(value)) => {
                let acked = persist("complete", || self.bus.complete(&lease, value.clone())).await;
                if acked.is_none() {
                    // Its effect is committed; the job is redelivered and the idempotent handler skips it.
                    tracing::error!(job = %job.id, "could not acknowledge the job; it will run again");
                }
                let took = started.elapsed();
                self.metrics.finished(&queue, "succeeded", took);
                tracing::info!(
                    job_id = %job.id,
                    kind = %job.kind,
                    queue = %queue,
                    family_id = %family_id,
                    ms = took.as_secs_f64() * 1000.0,
                    outcome = "succeeded",
                    "job finished"
                );
                Outcome::Succeeded
            }
            Some(Err(e)) => self.finish_err(&lease, &queue, started, e).await,
        }
    }

    async fn finish_err(
        &self,
        lease: &Lease,
        queue: &Queue,
        started: Instant,
        e: JobError,
    ) -> Outcome {
        let retryable = matches!(e, JobError::Retry(_));
        let msg = e.to_string();
        let outcome = persist("fail", || self.bus.fail(lease, &msg, retryable)).await;
        let label = match outcome {
            Some(FailOutcome::Dead) => "dead",
            _ => "failed",
        };
        let took = started.elapsed();
        tracing::warn!(
            job = %lease.job_id(),
            job_id = %lease.job_id(),
            queue = %queue,
            ms = took.as_secs_f64() * 1000.0,
            error = %msg,
            outcome = label,
            "job failed"
        );
        self.metrics.finished(queue, label, took);
        Outcome::Failed
    }
}

/// Retry a bus write through short outages (about a minute), then give up.
async fn persist<T, F, Fut>(what: &str, f: F) -> Option<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut backoff = Backoff::new();
    for _ in 0..30 {
        match f().await {
            Ok(v) => return Some(v),
            Err(e) if e.is_transient() => {
                let wait = backoff.next();
                tracing::warn!(error = %e, op = what, retry_in_ms = wait.as_millis() as u64, "bus write failed; retrying");
                tokio::time::sleep(wait).await;
            }
            Err(e) => {
                tracing::error!(error = %e, op = what, "bus write failed");
                return None;
            }
        }
    }
    None
}

/// Reconnect backoff: 100 ms doubling to 5 s.
struct Backoff(Duration);

impl Backoff {
    fn new() -> Self {
        Self(Duration::from_millis(100))
    }
    fn reset(&mut self) {
        self.0 = Duration::from_millis(100);
    }
    fn next(&mut self) -> Duration {
        let d = self.0;
        self.0 = (self.0 * 2).min(Duration::from_secs(5));
        d
    }
}

#[cfg(test)]
mod registry_tests {
    use super::*;
    use crate::job::JobSpec;

    #[tokio::test]
    async fn wrap_all_wraps_every_handler_registered_before_it() {
        let bus = Bus::memory(crate::BusConfig::memory());
        let queue = Queue::new("default").expect("queue");
        let id = bus
            .enqueue(JobSpec::new(queue, "echo", serde_json::json!({"n": 1})))
            .await
            .expect("enqueue")
            .id;
        let job = bus.get(id).await.expect("get").expect("job");
        let mut reg = Registry::new();
        reg.register("echo", |ctx| async move { Ok(ctx.job.payload) });
        reg.wrap_all(|job, fut| {
            let kind = job.kind.clone();
            Box::pin(async move {
                let inner = fut.await?;
                Ok(serde_json::json!({"kind": kind, "inner": inner}))
            })
        });
        reg.register("later", |_ctx| async { Ok(serde_json::json!("plain")) });
        let run = |kind: &str| {
            let handler = reg.handlers.get(kind).expect("handler").clone();
            handler(JobContext {
                job: job.clone(),
                bus: bus.clone(),
            })
        };
        assert_eq!(
            run("echo").await.expect("ok"),
            serde_json::json!({"kind": "echo", "inner": {"n": 1}})
        );
        assert_eq!(run("later").await.expect("ok"), serde_json::json!("plain"));
    }
}
