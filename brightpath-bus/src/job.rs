//! Jobs, queues and the records operators see.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{BusError, Result};

/// A named queue. Workers choose which queues they serve.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Queue(String);

impl Queue {
    /// Everything without a better home.
    pub const DEFAULT: &'static str = "default";
    /// Occurrences enqueued by the recurring-job scheduler.
    pub const SCHEDULES: &'static str = "schedules";
    /// Model training and scoring: slow, so kept apart.
    pub const ML: &'static str = "ml";
    /// E-mail and other messages to people.
    pub const NOTIFICATIONS: &'static str = "notifications";
    /// The standard queues, in the order a worker serves them by default.
    pub const STANDARD: [&'static str; 4] = [
        Self::DEFAULT,
        Self::SCHEDULES,
        Self::ML,
        Self::NOTIFICATIONS,
    ];

    /// A checked queue name (it becomes part of Valkey keys).
    pub fn new(name: impl Into<String>) -> Result<Self> {
        let name = name.into();
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(name))
        } else {
            Err(BusError::InvalidQueue(name))
        }
    }

    /// The `default` queue.
    pub fn default_queue() -> Self {
        Self(Self::DEFAULT.to_owned())
    }

    /// The four standard queues.
    pub fn standard() -> Vec<Self> {
        Self::STANDARD
            .iter()
            .map(|q| Self((*q).to_owned()))
            .collect()
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Queue {
    type Error = BusError;
    fn try_from(value: String) -> Result<Self> {
        Self::new(value)
    }
}

impl From<Queue> for String {
    fn from(q: Queue) -> Self {
        q.0
    }
}

impl fmt::Display for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Urgent jobs are taken before normal ones of every served queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Taken first.
    High,
    /// The default.
    #[default]
    Normal,
}

impl Priority {
    /// Name used in keys and records.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Normal => "normal",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        if s == "high" {
            Priority::High
        } else {
            Priority::Normal
        }
    }
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for a worker (or for its `run_after` time).
    Queued,
    /// A worker holds it.
    Running,
    /// Its handler returned Ok and the job was acknowledged.
    Succeeded,
    /// The last attempt failed; it runs again at `run_after`.
    Failed,
    /// Out of attempts (or failed permanently): kept with its error until retried or purged.
    Dead,
}

impl Status {
    /// Name used in records and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Dead => "dead",
        }
    }

    /// Parse a status name as operators type it.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => Status::Queued,
            "running" => Status::Running,
            "succeeded" => Status::Succeeded,
            "failed" => Status::Failed,
            "dead" => Status::Dead,
            _ => return None,
        })
    }

    /// No more attempts will be made.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Succeeded | Status::Dead)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobSpec {
    /// Which queue.
    pub queue: Queue,
    /// Which handler runs it (e.g. `plan.weekly`).
    pub kind: String,
    /// The handler's input.
    pub payload: serde_json::Value,
    /// High-priority jobs are taken first.
    pub priority: Priority,
    /// A job enqueued twice with the same key is stored and run once.
    pub idempotency_key: Option<String>,
    /// Attempts before the job goes to the dead-letter queue.
    pub max_attempts: u32,
    /// Not before this time (None: now).
    pub run_after: Option<Timestamp>,
    /// Jobs of one group never run at the same time, on any worker (e.g. a
    /// family id: two plans of one family would conflict). A job whose group
    /// is busy is parked by the bus, without a worker slot or an attempt,
    /// until the group's running job finishes.
    #[serde(default)]
    pub group: Option<String>,
}

impl JobSpec {
    /// A normal-priority job on `queue` with the default 5 attempts.
    pub fn new(queue: Queue, kind: impl Into<String>, payload: serde_json::Value) -> Self {
        Self {
            queue,
            kind: kind.into(),
            payload,
            priority: Priority::Normal,
            idempotency_key: None,
            max_attempts: 5,
            run_after: None,
            group: None,
        }
    }

    /// Taken before normal jobs.
    pub fn high_priority(mut self) -> Self {
        self.priority = Priority::High;
        self
    }

    /// Enqueue at most once per key (within the idempotency period).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Attempts before dead-lettering (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Never run at the same time as another job of this group, on any worker.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Run no earlier than `at`.
    pub fn run_after(mut self, at: Timestamp) -> Self {
        self.run_after = Some(at);
        self
    }
}

/// A job as stored: what `jobs show` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub id: Uuid,
    pub queue: Queue,
    pub kind: String,
    pub payload: serde_json::Value,
    pub priority: Priority,
    pub status: Status,
    /// Attempts started so far (including the running one).
    pub attempts: u32,
    pub max_attempts: u32,
    pub idempotency_key: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub started_at: Option<Timestamp>,
    /// The running attempt's last heartbeat (set when it starts, renewed by each heartbeat).
    #[serde(default)]
    pub heartbeat_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    /// When a queued or failed job may next run.
    pub run_after: Option<Timestamp>,
    /// The error of the last failed attempt (kept on dead jobs).
    pub last_error: Option<String>,
    /// What the handler returned.
    pub result: Option<serde_json::Value>,
    /// The worker that last took the job.
    pub worker: Option<String>,
    /// Its group ([`JobSpec::group`]), if any.
    #[serde(default)]
    pub group: Option<String>,
}

impl JobRecord {
    /// Running, but its holder has not heartbeated for `visibility_timeout` at
    /// `now`: the worker is probably dead and the job waits to be taken over.
    pub fn is_silent(&self, visibility_timeout: std::time::Duration, now: Timestamp) -> bool {
        if self.status != Status::Running {
            return false;
        }
        let last = self
            .heartbeat_at
            .or(self.started_at)
            .unwrap_or(self.updated_at);
        let limit = i64::try_from(visibility_timeout.as_millis()).unwrap_or(i64::MAX);
        now.as_millisecond().saturating_sub(last.as_millisecond()) > limit
    }
}

/// The answer to an enqueue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enqueued {
    pub id: Uuid,
    /// True when the idempotency key was already used: nothing new was queued.
    pub duplicate: bool,
}

/// Proof that a worker holds a job; needed to finish it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub(crate) job_id: Uuid,
    pub(crate) token: LeaseToken,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LeaseToken {
    Memory(u64),
    /// Stream, entry id and the consumer that holds it (the group lease's
    /// owner); the attempts and start (ms) of this run, stored when it succeeds.
    Stream {
        key: String,
        entry: String,
        consumer: String,
        attempts: u32,
        started_ms: i64,
    },
}

impl Lease {
    /// The job this lease is for.
    pub fn job_id(&self) -> Uuid {
        self.job_id
    }
}

/// A job handed to a worker.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub job: JobRecord,
    pub lease: Lease,
}

/// What happened to a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOutcome {
    /// It runs again later.
    Retry,
    /// Moved to the dead-letter queue.
    Dead,
    /// It had already finished elsewhere (a duplicate delivery): nothing changed.
    Ignored,
}

/// Filter of `jobs list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ListFilter {
    pub queue: Option<Queue>,
    pub status: Option<Status>,
    pub kind: Option<String>,
    /// Newest first; at most this many (0: 100).
    pub limit: usize,
}

impl ListFilter {
    pub(crate) fn matches(&self, r: &JobRecord) -> bool {
        self.queue.as_ref().is_none_or(|q| *q == r.queue)
            && self.status.is_none_or(|s| s == r.status)
            && self.kind.as_ref().is_none_or(|k| *k == r.kind)
    }

    pub(crate) fn effective_limit(&self) -> usize {
        if self.limit == 0 { 100 } else { self.limit }
    }
}

/// What `jobs purge` removes: finished records of these statuses.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PurgeFilter {
    pub queue: Option<Queue>,
    /// Only `succeeded` and `dead` may be purged; live jobs never are.
    pub statuses: Vec<Status>,
    /// Only records finished before this time (None: all).
    pub finished_before: Option<Timestamp>,
}

/// What a purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeReport {
    pub removed: u64,
}

/// How many jobs wait in a queue: what `jobs list --queues` and the metrics show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueDepth {
    pub queue: Queue,
    /// Ready to run now (both priorities).
    pub ready: u64,
    /// Ready high-priority jobs (included in `ready`).
    pub ready_high: u64,
    /// Held by workers.
    pub running: u64,
    /// In the dead-letter queue.
    pub dead: u64,
    /// When the oldest job still in the queue's streams (waiting or held) was
    /// queued: an old one on a queue nobody serves stands out.
    #[serde(default)]
    pub oldest_at: Option<Timestamp>,
}

/// Retry delay: `base * 2^(attempt-1)`, at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(5),
            max: Duration::from_secs(3600),
        }
    }
}

impl Backoff {
    /// Delay after the `attempt`-th failure (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let shift = attempt.saturating_sub(1).min(30);
        self.base.saturating_mul(1u32 << shift).min(self.max)
    }
}

pub(crate) fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

pub(crate) fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn ms_of(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
