//! Batch enqueue, batched acknowledgements and the dead-letter queue of the
//! Valkey backend.

use std::collections::HashMap;
use std::sync::Mutex;

use redis::Value;
use tokio::sync::oneshot;

use super::codec::{int_of, record_from, string_of};
use super::{GROUP, ValkeyBus, lock, lua};
use crate::error::{BusError, Result};
use crate::job::{Enqueued, JobRecord, JobSpec, Lease, Queue, ms_of, now_ms};

/// Jobs per ENQUEUE script call of `enqueue_many`.
const ENQUEUE_CHUNK: usize = 250;
/// Script calls per pipeline of `enqueue_many`.
const CHUNKS_PER_PIPELINE: usize = 4;
/// How long an acknowledgement waits for a fetch to ride along with.
const ACK_RIDE: std::time::Duration = std::time::Duration::from_millis(2);
/// Jobs per COMPLETE script call.
const COMPLETE_CHUNK: usize = 256;

/// One succeeded job waiting for its acknowledgement.
pub(super) struct Completion {
    stream: String,
    entry: String,
    id: String,
    consumer: String,
    result: String,
    attempts: u32,
    started_ms: i64,
}

pub(super) type Waiter = oneshot::Sender<redis::RedisResult<()>>;
/// Completions and their waiters, in the order they were queued.
pub(super) type Batch = Vec<(Completion, Waiter)>;

/// Group commit of acknowledgements: each `complete` queues its job, then the
/// caller that gets the turn sends everything queued in one COMPLETE call
/// (per 256 jobs), and each caller returns once its own job is acknowledged.
#[derive(Default)]
pub(super) struct Acks {
    queued: Mutex<Batch>,
    turn: tokio::sync::Mutex<()>,
}

impl ValkeyBus {
    /// Many enqueues in few round trips: one ENQUEUE script call per 250 jobs,
    /// four calls per pipeline; each job is stored as by `enqueue` (record,
    /// index and stream entry together).
    pub(crate) async fn enqueue_many(&self, specs: Vec<JobSpec>) -> Result<Vec<Enqueued>> {
        let mut out = Vec::with_capacity(specs.len());
        let hash = self.scripts.enqueue.get_hash().to_owned();
        let mut specs = specs.into_iter().peekable();
        while specs.peek().is_some() {
            let now = now_ms();
            let mut pipe = redis::pipe();
            // Loaded in the same pipeline, so the EVALSHAs after it always find it.
            pipe.cmd("SCRIPT").arg("LOAD").arg(lua::ENQUEUE).ignore();
            let mut sizes = Vec::new();
            for _ in 0..CHUNKS_PER_PIPELINE {
                let chunk: Vec<JobSpec> = specs.by_ref().take(ENQUEUE_CHUNK).collect();
                if chunk.is_empty() {
                    break;
                }
                let mut args = self.enqueue_head(now, chunk.len());
                sizes.push(chunk.len());
                for spec in chunk {
                    self.enqueue_args(spec, now, &mut args)?;
                }
                pipe.cmd("EVALSHA").arg(&hash).arg(0).arg(args);
            }
            let mut c = self.conn().await?;
            let r: redis::RedisResult<Vec<Value>> = pipe.query_async(&mut c).await;
            let got = self.check(r)?;
            if got.len() != sizes.len() {
                return Err(BusError::Protocol(format!(
                    "enqueue_many: {} replies for {} calls",
                    got.len(),
                    sizes.len()
                )));
            }
            for (reply, n) in got.into_iter().zip(sizes) {
                out.extend(Self::enqueued(reply, n)?);
            }
        }
        Ok(out)
    }

    /// Acknowledge a succeeded job, together with the others finishing now.
    pub(crate) async fn complete(&self, lease: &Lease, result: serde_json::Value) -> Result<()> {
        let (stream, entry, consumer) = Self::stream_token(lease)?;
        let (attempts, started_ms) = match &lease.token {
            crate::job::LeaseToken::Stream {
                attempts,
                started_ms,
                ..
            } => (*attempts, *started_ms),
            crate::job::LeaseToken::Memory(_) => (1, now_ms()),
        };
        let job = Completion {
            attempts,
            started_ms,
            stream: stream.to_owned(),
            entry: entry.to_owned(),
            id: lease.job_id.to_string(),
            consumer: consumer.to_owned(),
            result: serde_json::to_string(&result)?,
        };
        let (tx, mut rx) = oneshot::channel();
        lock(&self.acks.queued).push((job, tx));
        // The worker's next fetch, woken by the slot this job freed, carries
        // this acknowledgement (one round trip for both, and one script call
        // for the acknowledgements of all the jobs that fetch had started);
        // with no fetch soon (the worker stops, or waits for a job), send it.
        if let Ok(r) = tokio::time::timeout(ACK_RIDE, &mut rx).await {
            return match r {
                Ok(r) => self.check(r),
                Err(_) => Err(BusError::Valkey(unconfirmed())),
            };
        }
        {
            let _turn = self.acks.turn.lock().await;
            let batch = std::mem::take(&mut *lock(&self.acks.queued));
            if !batch.is_empty() {
                self.complete_batch(batch).await;
            }
        }
        match rx.await {
            Ok(r) => self.check(r),
            // The caller whose turn it was went away mid-flush: not known to be stored.
            Err(_) => Err(BusError::Valkey(unconfirmed())),
        }
    }

    pub(super) async fn complete_batch(&self, batch: Batch) {
        let now = now_ms().to_string();
        let keep = ms_of(self.config.retention).to_string();
        let mut batch = batch.into_iter().peekable();
        while batch.peek().is_some() {
            let chunk: Batch = batch.by_ref().take(COMPLETE_CHUNK).collect();
            let mut inv = self.scripts.complete.prepare_invoke();
            inv.arg(GROUP).arg(&now).arg(&keep).arg(&self.config.prefix);
            completion_args(&mut inv, &chunk);
            let r = match self.conn().await {
                Ok(mut c) => inv.invoke_async::<Value>(&mut c).await.map(|_| ()),
                Err(e) => Err(as_redis(e)),
            };
            answer(chunk, &r);
        }
    }

    /// Up to one script's worth of queued acknowledgements for the caller to
    /// send, unless a flush is under way; hold the guard until they are answered.
    pub(super) fn take_acks(&self) -> Option<(tokio::sync::MutexGuard<'_, ()>, Batch)> {
        let turn = self.acks.turn.try_lock().ok()?;
        let mut queued = lock(&self.acks.queued);
        let n = queued.len().min(COMPLETE_CHUNK);
        let batch = queued.drain(..n).collect();
        drop(queued);
        Some((turn, batch))
    }
}

/// What takes a script's arguments: its invocation, or an EVALSHA command.
pub(super) trait Args {
    fn push<T: redis::ToRedisArgs>(&mut self, a: T) -> &mut Self;
}

impl Args for redis::ScriptInvocation<'_> {
    fn push<T: redis::ToRedisArgs>(&mut self, a: T) -> &mut Self {
        self.arg(a)
    }
}

impl Args for redis::Cmd {
    fn push<T: redis::ToRedisArgs>(&mut self, a: T) -> &mut Self {
        self.arg(a)
    }
}

/// Stream, entry, id, consumer, result, attempts and start of each
/// completion, as COMPLETE takes them.
pub(super) fn completion_args(inv: &mut impl Args, batch: &[(Completion, Waiter)]) {
    for (c, _) in batch {
        inv.push(&c.stream)
            .push(&c.entry)
            .push(&c.id)
            .push(&c.consumer)
            .push(&c.result)
            .push(c.attempts)
            .push(c.started_ms);
    }
}

/// Tell each waiting `complete` how its acknowledgement went.
pub(super) fn answer<T>(batch: Batch, r: &redis::RedisResult<T>) {
    let r = r.as_ref().map(|_| ()).map_err(Clone::clone);
    for (_, tx) in batch {
        let _ = tx.send(r.clone());
    }
}

/// An acknowledgement that may or may not have been stored: a transient
/// error, so the caller sends it again (completing twice changes nothing).
pub(super) fn unconfirmed() -> redis::RedisError {
    redis::RedisError::from(std::io::Error::new(
        std::io::ErrorKind::Interrupted,
        "acknowledgement not confirmed",
    ))
}

/// A bus error as the client's error, for the waiters of a batch.
pub(super) fn as_redis(e: BusError) -> redis::RedisError {
    match e {
        BusError::Valkey(e) => e,
        other => redis::RedisError::from(std::io::Error::other(other.to_string())),
    }
}

impl ValkeyBus {
    /// The dead-letter sets (`PREFIX dead:QUEUE`), newest first: read directly,
    /// so old dead letters are found however many jobs came after them.
    pub(crate) async fn dead(&self, queue: Option<&Queue>, limit: usize) -> Result<Vec<JobRecord>> {
        let mut c = self.conn().await?;
        let keys = match queue {
            Some(q) => vec![self.key(&format!("dead:{q}"))],
            None => {
                let pattern = format!("{}dead:*", glob_escape(&self.config.prefix));
                let mut keys = Vec::new();
                let mut cursor = 0u64;
                loop {
                    let r: redis::RedisResult<(u64, Vec<String>)> = redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(&pattern)
                        .arg("COUNT")
                        .arg(1_000)
                        .query_async(&mut c)
                        .await;
                    let (next, mut found) = self.check(r)?;
                    keys.append(&mut found);
                    if next == 0 {
                        break;
                    }
                    cursor = next;
                }
                keys.sort();
                keys.dedup();
                keys
            }
        };
        if keys.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for k in &keys {
            pipe.cmd("ZREVRANGE")
                .arg(k)
                .arg(0)
                .arg(limit.saturating_sub(1))
                .arg("WITHSCORES");
        }
        let r: redis::RedisResult<Vec<Value>> = pipe.query_async(&mut c).await;
        let mut scored: Vec<(u64, String, String)> = Vec::new();
        for (key, v) in keys.iter().zip(self.check(r)?) {
            let Value::Array(items) = v else { continue };
            for pair in items.chunks(2) {
                if let [id, score] = pair {
                    let score = match score {
                        Value::Double(d) => *d as u64,
                        other => int_of(other),
                    };
                    scored.push((score, string_of(id)?, key.clone()));
                }
            }
        }
        scored.sort_by_key(|a| std::cmp::Reverse(a.0));
        scored.truncate(limit);
        if scored.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for (_, id, _) in &scored {
            pipe.cmd("HGETALL").arg(self.key(&format!("job:{id}")));
        }
        let r: redis::RedisResult<Vec<HashMap<String, String>>> = pipe.query_async(&mut c).await;
        let mut out = Vec::new();
        for ((_, id, key), h) in scored.iter().zip(self.check(r)?) {
            if h.is_empty() {
                // The record is gone (purged by hand): drop the stale entry.
                let r: redis::RedisResult<i64> = redis::cmd("ZREM")
                    .arg(key)
                    .arg(id)
                    .query_async(&mut c)
                    .await;
                self.check(r)?;
                continue;
            }
            out.push(record_from(&h)?);
        }
        Ok(out)
    }
}

impl ValkeyBus {
    pub(crate) async fn persistence(&self) -> Result<crate::Persistence> {
        let mut c = self.conn().await?;
        let r: redis::RedisResult<Vec<String>> = redis::cmd("CONFIG")
            .arg("GET")
            .arg("appendonly")
            .query_async(&mut c)
            .await;
        let on = match r {
            Ok(v) if v.len() >= 2 => v[1].eq_ignore_ascii_case("yes"),
            // CONFIG may be renamed away on managed servers: INFO still says.
            _ => {
                let r: redis::RedisResult<String> = redis::cmd("INFO")
                    .arg("persistence")
                    .query_async(&mut c)
                    .await;
                self.check(r)?.lines().any(|l| l.trim() == "aof_enabled:1")
            }
        };
        Ok(if on {
            crate::Persistence::AppendOnly
        } else {
            crate::Persistence::None
        })
    }
}

/// Escape glob characters so a prefix matches only itself in SCAN MATCH.
fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
