//! Valkey backend: one stream per (queue, priority) read through one consumer
//! group; a job is acknowledged (XACK + XDEL) only by `complete`, `fail` or
//! `release`, so an entry whose worker died stays pending and is taken over with
//! XAUTOCLAIM once idle for the visibility timeout. Job records are hashes;
//! each stream entry carries what a worker needs of its record, so a fetch is
//! a plain XREADGROUP and a job starts without touching its hash (who runs
//! it, since when and how often it was delivered are read from the pending
//! list). Acknowledgements of jobs finishing together are sent together, in
//! the same round trip as the worker's next fetch when one is under way
//! (`batch`). A job of a busy group is parked until the group's running job
//! finishes (`lua`).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

mod batch;
mod codec;
mod lua;
mod ops;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, Script, Value};
use uuid::Uuid;

use crate::BusConfig;
use crate::error::{BusError, Result};
use crate::job::{
    Delivery, Enqueued, FailOutcome, JobRecord, JobSpec, Lease, LeaseToken, Priority, Queue, ms_of,
    now_ms,
};
use codec::{parse_entries, record_from, string_of};

const GROUP: &str = "workers";
/// Longest single blocking read, so the response timeout can stay bounded.
const MAX_BLOCK: Duration = Duration::from_secs(5);
/// Bound on XAUTOCLAIM pages per stream and reserve call (each scans up to COUNT × 10).
const MAX_CLAIM_PAGES: usize = 1_000;

struct Scripts {
    enqueue: Script,
    start: Script,
    complete: Script,
    fail: Script,
    release: Script,
    heartbeat: Script,
    promote: Script,
    retry: Script,
    purge_one: Script,
    unread: Script,
}

pub(crate) struct ValkeyBus {
    config: BusConfig,
    client: Client,
    /// Shared multiplexed connection; dropped on a connection error and made anew.
    conn: Mutex<Option<MultiplexedConnection>>,
    /// Separate connection for blocking reads, which would stall the shared one.
    blocking: Mutex<Option<MultiplexedConnection>>,
    scripts: Scripts,
    /// Streams whose consumer group we created (forgotten on NOGROUP).
    groups: Mutex<HashSet<String>>,
    last_claim_ms: Mutex<i64>,
    /// Completions waiting to be acknowledged together (`complete`).
    acks: batch::Acks,
}

/// A job START just started at `now` (ms) for `worker`: its record as
/// the script read it (a JSON object of the hash's fields), with what the
/// script then set. The earlier layout's entries (`id` only) start this way.
fn started(fields: &Value, now: i64, worker: &str) -> Result<JobRecord> {
    let Value::BulkString(json) = fields else {
        return Err(BusError::Protocol(format!("START: record {fields:?}")));
    };
    // Lossy like every other string read from Valkey: a byte edited in by
    // hand must not make the record unreadable.
    let fields: HashMap<String, String> = serde_json::from_str(&String::from_utf8_lossy(json))
        .map_err(|e| BusError::Protocol(format!("START: record: {e}")))?;
    let mut job = record_from(&fields)?;
    let at = crate::job::ts(now);
    job.status = crate::job::Status::Running;
    job.attempts += 1;
    job.started_at = Some(at);
    job.updated_at = at;
    job.heartbeat_at = Some(at);
    job.worker = Some(worker.to_owned());
    job.run_after = None;
    Ok(job)
}

/// A job handed out at `now` (ms) to `worker` from an entry of `stream` that
/// carries its record (`fields`: id, kind, payload, att, max, at, and idem,
/// group, err, d when set), or from a record of the earlier layout.
fn delivered(
    prefix: &str,
    stream: &str,
    fields: &Value,
    now: i64,
    worker: &str,
) -> Result<JobRecord> {
    let Value::Array(items) = fields else {
        return started(fields, now, worker);
    };
    let mut f = Fields::default();
    for pair in items.chunks_exact(2) {
        let Value::BulkString(k) = &pair[0] else {
            continue;
        };
        let v = &pair[1];
        match k.as_slice() {
            b"id" => f.id = Some(string_of(v)?),
            b"kind" => f.kind = Some(string_of(v)?),
            b"payload" => f.payload = Some(v),
            b"att" => f.att = codec::int_of(v),
            b"max" => f.max = codec::int_of(v),
            b"at" => f.at = codec::int_of(v),
            b"idem" => f.idem = Some(string_of(v)?),
            b"group" => f.group = Some(string_of(v)?),
            b"err" => f.err = Some(string_of(v)?),
            b"d" => f.d = Some(codec::int_of(v)),
            _ => {}
        }
    }
    let id_s = f.id.unwrap_or_default();
    let bad = |reason: String| BusError::Corrupt {
        id: id_s.clone(),
        reason,
    };
    let (queue, priority) = stream
        .strip_prefix(prefix)
        .and_then(|s| s.strip_prefix("q:"))
        .and_then(|s| s.rsplit_once(':'))
        .ok_or_else(|| bad(format!("stream {stream}")))?;
    let payload = match f.payload {
        Some(Value::BulkString(b)) => {
            serde_json::from_slice(b).map_err(|e| bad(format!("payload: {e}")))?
        }
        _ => return Err(bad("missing field payload".into())),
    };
    let at = crate::job::ts(now);
    let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(JobRecord {
        id: Uuid::parse_str(&id_s).map_err(|e| bad(e.to_string()))?,
        queue: Queue::new(queue)?,
        kind: f.kind.ok_or_else(|| bad("missing field kind".into()))?,
        payload,
        priority: Priority::parse(priority),
        status: crate::job::Status::Running,
        attempts: n(f.att).saturating_add(n(f.d.unwrap_or(1))),
        max_attempts: n(f.max),
        idempotency_key: f.idem,
        created_at: crate::job::ts(i64::try_from(f.at).unwrap_or(0)),
        updated_at: at,
        started_at: Some(at),
        heartbeat_at: Some(at),
        finished_at: None,
        run_after: None,
        last_error: f.err,
        result: None,
        worker: Some(worker.to_owned()),
        group: f.group,
    })
}

/// The fields of an entry that carries its record.
#[derive(Default)]
struct Fields<'a> {
    id: Option<String>,
    kind: Option<String>,
    payload: Option<&'a Value>,
    att: u64,
    max: u64,
    at: u64,
    idem: Option<String>,
    group: Option<String>,
    err: Option<String>,
    d: Option<u64>,
}

/// The lease of a job handed out from `stream`'s `entry` to `consumer`.
fn lease_of(job: &JobRecord, stream: String, entry: String, consumer: &str, now: i64) -> Lease {
    Lease {
        job_id: job.id,
        token: LeaseToken::Stream {
            key: stream,
            entry,
            consumer: consumer.to_owned(),
            attempts: job.attempts,
            started_ms: now,
        },
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ValkeyBus {
    pub(crate) async fn connect(url: &str, config: BusConfig) -> Result<Self> {
        let client = Client::open(url).map_err(|e| BusError::InvalidUrl(e.to_string()))?;
        let bus = Self {
            config,
            client,
            conn: Mutex::new(None),
            blocking: Mutex::new(None),
            scripts: Scripts {
                enqueue: Script::new(lua::ENQUEUE),
                start: Script::new(lua::START),
                complete: Script::new(lua::COMPLETE),
                fail: Script::new(lua::FAIL),
                release: Script::new(lua::RELEASE),
                heartbeat: Script::new(lua::HEARTBEAT),
                promote: Script::new(lua::PROMOTE),
                retry: Script::new(lua::RETRY),
                purge_one: Script::new(lua::PURGE_ONE),
                unread: Script::new(lua::UNREAD),
            },
            groups: Mutex::new(HashSet::new()),
            last_claim_ms: Mutex::new(0),
            acks: batch::Acks::default(),
        };
        bus.ping().await?;
        Ok(bus)
    }

    pub(crate) fn config(&self) -> &BusConfig {
        &self.config
    }

    async fn conn_in(
        &self,
        slot: &Mutex<Option<MultiplexedConnection>>,
        timeout: Duration,
    ) -> Result<MultiplexedConnection> {
        if let Some(c) = lock(slot).as_ref() {
            return Ok(c.clone());
        }
        let cfg = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(timeout));
        let c = self
            .client
            .get_multiplexed_async_connection_with_config(&cfg)
            .await?;
        *lock(slot) = Some(c.clone());
        Ok(c)
    }

    async fn conn(&self) -> Result<MultiplexedConnection> {
        // appendfsync always can make writes slow; be generous.
        self.conn_in(&self.conn, Duration::from_secs(10)).await
    }

    /// Forget broken connections so the next call reconnects.
    fn check<T>(&self, r: redis::RedisResult<T>) -> Result<T> {
        r.map_err(|e| {
            if !matches!(e.kind(), redis::ErrorKind::Server(_)) || e.is_connection_dropped() {
                *lock(&self.conn) = None;
                *lock(&self.blocking) = None;
            }
            if e.code() == Some("NOGROUP") {
                lock(&self.groups).clear();
            }
            BusError::Valkey(e)
        })
    }

    fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.config.prefix)
    }
    fn job_key(&self, id: Uuid) -> String {
        self.key(&format!("job:{id}"))
    }
    fn stream(&self, q: &Queue, p: Priority) -> String {
        self.key(&format!("q:{q}:{}", p.as_str()))
    }

    pub(crate) async fn ping(&self) -> Result<()> {
        let mut c = self.conn().await?;
        let r: redis::RedisResult<String> = redis::cmd("PING").query_async(&mut c).await;
        self.check(r).map(|_| ())
    }

    /// One job's part of the ENQUEUE script's arguments: id, stream,
    /// idempotency key ('' for none), due, field count, fields.
    fn enqueue_args(&self, spec: JobSpec, now: i64, args: &mut Vec<String>) -> Result<()> {
        let id = Uuid::new_v4();
        let due = spec.run_after.map_or(0, |t| t.as_millisecond());
        let payload = serde_json::to_string(&spec.payload)?;
        let mut fields: Vec<(&str, String)> = vec![
            ("id", id.to_string()),
            ("queue", spec.queue.to_string()),
            ("kind", spec.kind),
            ("payload", payload),
            ("priority", spec.priority.as_str().to_owned()),
            ("status", "queued".to_owned()),
            ("attempts", "0".to_owned()),
            ("max_attempts", spec.max_attempts.max(1).to_string()),
            ("created_at", now.to_string()),
            ("updated_at", now.to_string()),
        ];
        if let Some(k) = &spec.idempotency_key {
            fields.push(("idem", k.clone()));
        }
        if let Some(g) = spec.group {
            fields.push(("group", g));
        }
        args.push(id.to_string());
        args.push(self.stream(&spec.queue, spec.priority));
        args.push(spec.idempotency_key.unwrap_or_default());
        args.push(due.to_string());
        args.push((fields.len() * 2).to_string());
        for (k, v) in fields {
            args.push(k.to_owned());
            args.push(v);
        }
        Ok(())
    }

    /// The ENQUEUE script's leading arguments for `n` jobs.
    fn enqueue_head(&self, now: i64, n: usize) -> Vec<String> {
        vec![
            ms_of(self.config.idempotency_ttl).to_string(),
            now.to_string(),
            self.config.prefix.clone(),
            n.to_string(),
        ]
    }

    /// The ENQUEUE script's answer: id, duplicate flag per job.
    fn enqueued(reply: Value, n: usize) -> Result<Vec<Enqueued>> {
        let Value::Array(items) = reply else {
            return Err(BusError::Protocol(format!("ENQUEUE: {reply:?}")));
        };
        if items.len() != 2 * n {
            return Err(BusError::Protocol(format!(
                "ENQUEUE: {} replies for {n} jobs",
                items.len() / 2
            )));
        }
        items
            .chunks(2)
            .map(|pair| {
                let [id, dup] = pair else {
                    return Err(BusError::Protocol("ENQUEUE: odd reply".into()));
                };
                let id = Uuid::parse_str(&string_of(id)?)
                    .map_err(|e| BusError::Protocol(e.to_string()))?;
                Ok(Enqueued {
                    id,
                    duplicate: codec::int_of(dup) == 1,
                })
            })
            .collect()
    }

    pub(crate) async fn enqueue(&self, spec: JobSpec) -> Result<Enqueued> {
        let now = now_ms();
        let mut args = self.enqueue_head(now, 1);
        self.enqueue_args(spec, now, &mut args)?;
        let mut inv = self.scripts.enqueue.prepare_invoke();
        for a in args {
            inv.arg(a);
        }
        let mut c = self.conn().await?;
        let r: redis::RedisResult<Value> = inv.invoke_async(&mut c).await;
        Self::enqueued(self.check(r)?, 1)?
            .pop()
            .ok_or_else(|| BusError::Protocol("ENQUEUE: no reply".into()))
    }

    async fn ensure_groups(&self, streams: &[String]) -> Result<()> {
        let missing: Vec<String> = {
            let g = lock(&self.groups);
            streams
                .iter()
                .filter(|s| !g.contains(*s))
                .cloned()
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let mut c = self.conn().await?;
        for s in missing {
            // From id 0, so entries added before the group existed are delivered too.
            let r: redis::RedisResult<Value> = redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(&s)
                .arg(GROUP)
                .arg("0")
                .arg("MKSTREAM")
                .query_async(&mut c)
                .await;
            match r {
                Ok(_) => {}
                Err(e) if e.code() == Some("BUSYGROUP") => {}
                Err(e) => return self.check(Err(e)),
            }
            lock(&self.groups).insert(s);
        }
        Ok(())
    }

    pub(crate) async fn reserve(
        &self,
        queues: &[Queue],
        max: usize,
        wait: Duration,
        consumer: &str,
    ) -> Result<Vec<Delivery>> {
        let mut order = Vec::new();
        for p in [Priority::High, Priority::Normal] {
            for q in queues {
                order.push(self.stream(q, p));
            }
        }
        self.ensure_groups(&order).await?;
        let mut out = Vec::new();
        self.reclaim(&order, max, consumer, &mut out).await?;
        let mut more = true;
        while more && out.len() < max {
            more = self
                .read_and_start(&order, max - out.len(), consumer, &mut out)
                .await?;
        }
        if !out.is_empty() || wait.is_zero() {
            return Ok(out);
        }
        let block = wait.min(MAX_BLOCK);
        let mut bc = self
            .conn_in(&self.blocking, block + Duration::from_secs(5))
            .await?;
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(GROUP)
            .arg(consumer)
            .arg("COUNT")
            .arg(1);
        cmd.arg("BLOCK").arg(ms_of(block)).arg("STREAMS");
        for s in &order {
            cmd.arg(s);
        }
        for _ in &order {
            cmd.arg(">");
        }
        let r: redis::RedisResult<Value> = cmd.query_async(&mut bc).await;
        let read = self.check(r)?;
        for (stream, entries) in codec::parse_read_fields(&read)? {
            let entries = entries.into_iter().map(|(e, _)| (e, None)).collect();
            self.start(&stream, entries, consumer, &mut out).await?;
        }
        // COUNT applies per stream: hand back any surplus at once rather than
        // holding jobs nobody runs (they would be redelivered only after the timeout).
        if out.len() > max {
            for extra in out.split_off(max) {
                self.release(&extra.lease).await?;
            }
        }
        Ok(out)
    }

    /// New entries of `streams`, in order: one XREADGROUP, with the
    /// acknowledgements of jobs this worker just finished riding along (a
    /// COMPLETE call in the same round trip). Entries that carry their record
    /// (no group, attempts left) are handed out as read; the others are
    /// started by START. Entries read past `max` (several streams had some)
    /// are handed back unread. True when jobs parked or dropped left places
    /// that more entries may fill.
    async fn read_and_start(
        &self,
        streams: &[String],
        max: usize,
        consumer: &str,
        out: &mut Vec<Delivery>,
    ) -> Result<bool> {
        let now = now_ms();
        let started = out.len();
        let mut pipe = redis::pipe();
        pipe.ignore_errors();
        let acks = self.take_acks().filter(|(_, b)| !b.is_empty());
        if let Some((_, batch)) = &acks {
            let mut call = redis::cmd("EVALSHA");
            call.arg(self.scripts.complete.get_hash())
                .arg(0)
                .arg(GROUP)
                .arg(now)
                .arg(ms_of(self.config.retention))
                .arg(&self.config.prefix);
            batch::completion_args(&mut call, batch);
            pipe.add_command(call);
        }
        let mut read = redis::cmd("XREADGROUP");
        read.arg("GROUP")
            .arg(GROUP)
            .arg(consumer)
            .arg("COUNT")
            .arg(max)
            .arg("STREAMS")
            .arg(streams);
        for _ in streams {
            read.arg(">");
        }
        pipe.add_command(read);
        let r: redis::RedisResult<Vec<redis::RedisResult<Value>>> = match self.conn().await {
            Ok(mut c) => pipe.query_async(&mut c).await,
            Err(e) => Err(batch::as_redis(e)),
        };
        let mut replies = match r {
            Ok(v) => v.into_iter(),
            Err(e) => {
                if let Some((turn, batch)) = acks {
                    batch::answer(batch, &Err::<(), _>(batch::unconfirmed()));
                    drop(turn);
                }
                return self.check(Err::<bool, _>(e));
            }
        };
        if let Some((turn, batch)) = acks {
            match replies.next() {
                Some(Ok(_)) => batch::answer(batch, &Ok::<(), redis::RedisError>(())),
                // The server forgot the script (restarted, or flushed): send
                // them again the way that loads it, or every fetch would
                // carry them to the same error.
                Some(Err(e)) if e.code() == Some("NOSCRIPT") => {
                    self.complete_batch(batch).await;
                }
                // Not known to be stored: each job's own COMPLETE (idempotent) retries.
                _ => batch::answer(batch, &Err::<(), _>(batch::unconfirmed())),
            }
            drop(turn);
        }
        let read = replies
            .next()
            .ok_or_else(|| BusError::Protocol("XREADGROUP: no reply".into()))?;
        let read = self.check(read)?;
        let per_stream = codec::parse_read_fields(&read)?;
        let mut kept = 0;
        let mut short = false;
        for (stream, entries) in per_stream {
            let take = entries.len().min(max - kept);
            kept += take;
            let (now_entries, extra) = entries.split_at(take);
            if !extra.is_empty() {
                self.unread(&stream, now_entries.last(), extra, consumer)
                    .await?;
            }
            let mut slow = Vec::new();
            for (entry, fields) in now_entries {
                if fields.is_some_and(codec::plain) {
                    let fields = fields.unwrap_or(&Value::Nil);
                    let job = delivered(&self.config.prefix, &stream, fields, now, consumer)?;
                    let lease = lease_of(&job, stream.clone(), entry.clone(), consumer, now);
                    out.push(Delivery { lease, job });
                } else {
                    slow.push((entry.clone(), None));
                }
            }
            let before = out.len() + slow.len();
            self.start(&stream, slow, consumer, out).await?;
            short |= out.len() < before;
        }
        Ok(short && kept == max && out.len() - started < max)
    }

    /// Hand back `extra`, entries of `stream` read after `last_kept` (if any)
    /// but not wanted: unread when nobody read on meanwhile, else started and
    /// released (to the end of the stream).
    async fn unread(
        &self,
        stream: &str,
        last_kept: Option<&(String, Option<&Value>)>,
        extra: &[(String, Option<&Value>)],
        consumer: &str,
    ) -> Result<()> {
        let first = &extra[0].0;
        let back_to = match last_kept {
            Some((e, _)) => e.clone(),
            None => codec::entry_before(first)?,
        };
        let mut inv = self.scripts.unread.prepare_invoke();
        inv.key(stream).arg(GROUP).arg(back_to);
        for (e, _) in extra {
            inv.arg(e);
        }
        let mut c = self.conn().await?;
        let r: redis::RedisResult<i64> = inv.invoke_async(&mut c).await;
        if self.check(r)? == 1 {
            return Ok(());
        }
        let mut held = Vec::new();
        let entries = extra.iter().map(|(e, _)| (e.clone(), None)).collect();
        self.start(stream, entries, consumer, &mut held).await?;
        for d in held {
            self.release(&d.lease).await?;
        }
        Ok(())
    }

    /// Take over entries idle longer than the visibility timeout (throttled).
    async fn reclaim(
        &self,
        streams: &[String],
        max: usize,
        consumer: &str,
        out: &mut Vec<Delivery>,
    ) -> Result<()> {
        let now = now_ms();
        let vis = ms_of(self.config.visibility_timeout);
        {
            let mut last = lock(&self.last_claim_ms);
            if now - *last < (vis / 4).max(50) {
                return Ok(());
            }
            *last = now;
        }
        let mut c = self.conn().await?;
        for s in streams {
            // XAUTOCLAIM scans at most COUNT × 10 entries per call: follow its
            // cursor, or a silent holder's entry behind live ones is never reached.
            let mut cursor = "0-0".to_owned();
            for _ in 0..MAX_CLAIM_PAGES {
                if out.len() >= max {
                    return Ok(());
                }
                let r: redis::RedisResult<Value> = redis::cmd("XAUTOCLAIM")
                    .arg(s)
                    .arg(GROUP)
                    .arg(consumer)
                    .arg(vis)
                    .arg(&cursor)
                    .arg("COUNT")
                    .arg(max - out.len())
                    .query_async(&mut c)
                    .await;
                let v = self.check(r)?;
                let (next, entries) = match &v {
                    Value::Array(parts) if parts.len() >= 2 => {
                        (string_of(&parts[0])?, parse_entries(&parts[1])?)
                    }
                    _ => return Err(BusError::Protocol(format!("XAUTOCLAIM: {v:?}"))),
                };
                if !entries.is_empty() {
                    tracing::info!(stream = %s, count = entries.len(), "took over jobs from a silent worker");
                }
                self.start(s, entries, consumer, out).await?;
                if next == "0-0" {
                    break;
                }
                cursor = next;
            }
        }
        Ok(())
    }

    async fn start(
        &self,
        stream: &str,
        entries: Vec<(String, Option<String>)>,
        consumer: &str,
        out: &mut Vec<Delivery>,
    ) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        let mut inv = self.scripts.start.prepare_invoke();
        inv.key(stream)
            .arg(GROUP)
            .arg(now)
            .arg(consumer)
            .arg(&self.config.prefix)
            .arg(ms_of(self.config.visibility_timeout));
        // The script reads each entry (gone, or without an id: dropped).
        for (entry, _) in &entries {
            inv.arg(entry);
        }
        let mut c = self.conn().await?;
        let r: redis::RedisResult<Value> = inv.invoke_async(&mut c).await;
        let v = self.check(r)?;
        let Value::Array(items) = v else {
            return Err(BusError::Protocol("START returned no array".into()));
        };
        for pair in items.chunks(2) {
            let [entry, fields] = pair else { continue };
            let job = delivered(&self.config.prefix, stream, fields, now, consumer)?;
            let lease = lease_of(&job, stream.to_owned(), string_of(entry)?, consumer, now);
            out.push(Delivery { lease, job });
        }
        Ok(())
    }

    /// A Valkey lease's stream, entry and consumer.
    fn stream_token(lease: &Lease) -> Result<(&str, &str, &str)> {
        match &lease.token {
            LeaseToken::Stream {
                key,
                entry,
                consumer,
                ..
            } => Ok((key, entry, consumer)),
            LeaseToken::Memory(_) => Err(BusError::Protocol("lease from another backend".into())),
        }
    }

    pub(crate) async fn heartbeat(&self, lease: &Lease, consumer: &str) -> Result<bool> {
        let (key, entry, _) = Self::stream_token(lease)?;
        let mut c = self.conn().await?;
        let r: redis::RedisResult<i64> = self
            .scripts
            .heartbeat
            .key(key)
            .key(self.job_key(lease.job_id))
            .arg(GROUP)
            .arg(entry)
            .arg(consumer)
            .arg(now_ms())
            .arg(&self.config.prefix)
            .arg(ms_of(self.config.visibility_timeout))
            .arg(lease.job_id.to_string())
            .invoke_async(&mut c)
            .await;
        Ok(self.check(r)? == 1)
    }

    pub(crate) async fn fail(
        &self,
        lease: &Lease,
        error: &str,
        retryable: bool,
    ) -> Result<FailOutcome> {
        let (key, entry, holder) = Self::stream_token(lease)?;
        let attempts = self.get(lease.job_id).await?.map_or(1, |j| j.attempts);
        let now = now_ms();
        let due = now.saturating_add(ms_of(self.config.backoff.delay(attempts)));
        let mut c = self.conn().await?;
        let r: redis::RedisResult<String> = self
            .scripts
            .fail
            .key(self.job_key(lease.job_id))
            .key(key)
            .key(self.key("delayed"))
            .arg(GROUP)
            .arg(entry)
            .arg(now)
            .arg(error)
            .arg(due)
            .arg(if retryable { "1" } else { "0" })
            .arg(&self.config.prefix)
            .arg(lease.job_id.to_string())
            .arg(holder)
            .invoke_async(&mut c)
            .await;
        Ok(match self.check(r)?.as_str() {
            "retry" => FailOutcome::Retry,
            "dead" => FailOutcome::Dead,
            _ => FailOutcome::Ignored,
        })
    }

    pub(crate) async fn release(&self, lease: &Lease) -> Result<()> {
        let (key, entry, holder) = Self::stream_token(lease)?;
        let mut c = self.conn().await?;
        let r: redis::RedisResult<i64> = self
            .scripts
            .release
            .key(self.job_key(lease.job_id))
            .key(key)
            .arg(GROUP)
            .arg(entry)
            .arg(now_ms())
            .arg(lease.job_id.to_string())
            .arg(&self.config.prefix)
            .arg(holder)
            .invoke_async(&mut c)
            .await;
        self.check(r).map(|_| ())
    }

    pub(crate) async fn promote_due(&self) -> Result<u64> {
        let mut c = self.conn().await?;
        let r: redis::RedisResult<u64> = self
            .scripts
            .promote
            .key(self.key("delayed"))
            .arg(now_ms())
            .arg(&self.config.prefix)
            .arg(500)
            .invoke_async(&mut c)
            .await;
        self.check(r)
    }
}
