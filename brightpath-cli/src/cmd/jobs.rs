//! worker and jobs: the background side, over the task bus.

use std::io::Read;
use std::time::Duration;

use anyhow::Result;
use brightpath_bus::{
    Bus, BusConfig, BusError, JobRecord, JobSpec, ListFilter, PurgeFilter, Queue, Status,
};
use brightpath_core::Error;
use brightpath_server::jobs::{FamilySchedules, core_registry, known_kinds};
use brightpath_server::worker::{WorkerConfig, WorkerOptions, serve, serve_with_schedules};

use super::Ctx;
use crate::args::{JobsCmd, WorkerArgs};
use crate::output::Table;

/// Largest payload `jobs enqueue` accepts (and per line of `--from`).
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

pub(super) fn bus_config(ctx: &Ctx) -> BusConfig {
    bus_config_of(&ctx.config.settings)
}

pub(super) fn bus_config_of(settings: &brightpath_core::config::Settings) -> BusConfig {
    let mut c = BusConfig::new(settings.valkey_url().unwrap_or("memory://"));
    c.prefix = settings.queue_prefix.clone();
    c.visibility_timeout = Duration::from_secs_f64(settings.worker.visibility_timeout);
    c
}

fn queue(name: &str) -> Result<Queue> {
    Ok(Queue::new(name).map_err(|e| {
        Error::invalid("--queue", e.to_string())
            .with_hint("queues: default, schedules, ml, notifications")
    })?)
}

pub async fn worker(ctx: &Ctx, a: WorkerArgs) -> Result<()> {
    let _sentry = super::sentry(ctx)?;
    if ctx.config.settings.valkey_url().is_none() {
        ctx.ui.note("No valkey_url set: running an in-process worker (jobs enqueued by other processes are not seen).");
    }
    // The lease times were checked against each other when the settings loaded.
    let heartbeat = ctx
        .config
        .settings
        .worker
        .heartbeat
        .map(Duration::from_secs_f64);
    let store = ctx.store().await?;
    let mut options = WorkerOptions {
        concurrency: a.concurrency.max(1),
        heartbeat,
        ..Default::default()
    };
    if !a.queues.is_empty() {
        options.queues = a.queues.iter().map(|q| queue(q)).collect::<Result<_>>()?;
    }
    let bus = bus_config(ctx);
    let config = WorkerConfig {
        bus,
        options,
        metrics_addr: a.metrics,
    };
    let registry = core_registry(store.clone(), &ctx.config.settings);
    let report = if a.no_schedules {
        serve(config, registry).await
    } else {
        serve_with_schedules(
            config,
            registry,
            brightpath_server::backups::WithBackup::new(
                FamilySchedules { store },
                &ctx.config.settings,
            )
            .map_err(|e| Error::invalid("backup", e))?,
            Default::default(),
        )
        .await
    }
    .map_err(|e| match e {
        brightpath_server::worker::WorkerError::Bus(b) => bus_error(b),
        e @ brightpath_server::worker::WorkerError::SchedulesNeedPersistence => {
            Error::invalid("valkey_url", e.to_string()).into()
        }
        other => Error::Io(format!("worker: {other}")).into(),
    })?;
    ctx.ui.note(&format!(
        "Worker stopped: {} succeeded, {} failed, {} handed back.",
        report.succeeded, report.failed, report.released
    ));
    Ok(())
}

pub(super) fn bus_error(e: BusError) -> anyhow::Error {
    match e {
        BusError::NotFound(id) => Error::not_found("job", id).into(),
        BusError::InvalidState { .. } => Error::conflict(e.to_string()).into(),
        BusError::UnsupportedUrl(_) | BusError::InvalidUrl(_) => {
            Error::invalid("valkey_url", e.to_string()).into()
        }
        BusError::InvalidQueue(_) => Error::invalid("--queue", e.to_string()).into(),
        other => Error::Io(format!("job bus: {other}")).into(),
    }
}

fn job_table(list: &[JobRecord], visibility: Duration) -> Table {
    let mut t = Table::new(&[
        "id",
        "queue",
        "kind",
        "status",
        "attempts",
        "updated",
        "worker",
        "since",
        "heartbeat",
        "error",
    ]);
    let now = jiff::Timestamp::now();
    let ts = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
    for j in list {
        let running = j.status == Status::Running;
        let status = if j.is_silent(visibility, now) {
            "running (silent: worker gone?)".to_owned()
        } else {
            j.status.to_string()
        };
        t.row(vec![
            j.id.to_string(),
            j.queue.to_string(),
            j.kind.clone(),
            status,
            format!("{}/{}", j.attempts, j.max_attempts),
            j.updated_at.to_string(),
            if running {
                j.worker.clone().unwrap_or_default()
            } else {
                String::new()
            },
            if running {
                ts(j.started_at)
            } else {
                String::new()
            },
            if running {
                ts(j.heartbeat_at)
            } else {
                String::new()
            },
            j.last_error.clone().unwrap_or_default(),
        ]);
    }
    t
}

fn job_id(id: &str) -> Result<uuid::Uuid> {
    Ok(id.parse().map_err(|_| {
        Error::invalid("job", format!("{id:?} is not a job id"))
            .with_hint("`brightpath jobs list` shows them")
    })?)
}

fn status(s: &str) -> Result<Status> {
    Ok(match s {
        "queued" => Status::Queued,
        "running" => Status::Running,
        "succeeded" => Status::Succeeded,
        "failed" => Status::Failed,
        "dead" => Status::Dead,
        _ => {
            return Err(
                Error::invalid("--status", format!("{s:?} is not a job status"))
                    .with_hint("queued, running, succeeded, failed or dead")
                    .into(),
            );
        }
    })
}

fn no_bus_error() -> anyhow::Error {
    Error::invalid(
        "valkey_url",
        "no job bus is configured: a job enqueued in this process would be lost when the command exits",
    )
    .with_hint("set valkey_url (e.g. BRIGHTPATH_VALKEY_URL=valkey://127.0.0.1:6379) to the bus your workers serve")
    .into()
}

/// Refuse an empty kind, and one no BrightPath worker runs unless `any_kind`.
fn check_kind(kind: &str, any_kind: bool) -> Result<()> {
    if kind.trim().is_empty() {
        return Err(Error::invalid("kind", "the job kind is empty").into());
    }
    if !any_kind && !known_kinds().contains(&kind) {
        return Err(
            Error::invalid("kind", format!("no worker runs jobs of kind {kind:?}"))
                .with_hint(format!(
                    "known kinds: {}; --any-kind for a custom worker's",
                    known_kinds().join(", ")
                ))
                .into(),
        );
    }
    Ok(())
}

/// Text of `--payload`/`--from`: literal, `@FILE`, or `-` (stdin), at most `limit` bytes.
fn read_input(flag: &str, arg: &str, literal: bool, limit: usize) -> Result<String> {
    let (what, reader): (String, Box<dyn Read>) = if arg == "-" {
        ("stdin".into(), Box::new(std::io::stdin()))
    } else if let Some(path) = arg.strip_prefix('@').or((!literal).then_some(arg)) {
        let f = std::fs::File::open(path)
            .map_err(|e| Error::invalid(flag, format!("cannot read {path}: {e}")))?;
        (path.to_owned(), Box::new(f))
    } else {
        if arg.len() > limit {
            return Err(too_big(flag, "the argument", limit));
        }
        return Ok(arg.to_owned());
    };
    let mut buf = String::new();
    reader
        .take(limit as u64 + 1)
        .read_to_string(&mut buf)
        .map_err(|e| Error::invalid(flag, format!("cannot read {what}: {e}")))?;
    if buf.len() > limit {
        return Err(too_big(flag, &what, limit));
    }
    Ok(buf)
}

fn too_big(flag: &str, what: &str, limit: usize) -> anyhow::Error {
    Error::invalid(
        flag,
        format!("{what} is larger than the limit of {limit} bytes"),
    )
    .with_hint("keep payloads small: pass ids and let the job read the rest")
    .into()
}

fn timestamp(flag: &str, s: &str) -> Result<jiff::Timestamp> {
    Ok(s.parse().map_err(|e| {
        Error::invalid(flag, format!("{s:?} is not a time: {e}"))
            .with_hint("RFC 3339, e.g. 2026-12-01T07:00:00Z")
    })?)
}

/// One line of `jobs enqueue --from FILE.ndjson`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    kind: String,
    #[serde(default)]
    payload: Option<serde_json::Value>,
    #[serde(default)]
    queue: Option<String>,
    #[serde(default)]
    high: bool,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    max_attempts: Option<u32>,
    #[serde(default)]
    run_after: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

struct SpecArgs<'a> {
    kind: &'a str,
    payload: serde_json::Value,
    queue: &'a str,
    high: bool,
    key: Option<String>,
    max_attempts: Option<u32>,
    run_after: Option<&'a str>,
    group: Option<String>,
    any_kind: bool,
}

fn spec(a: SpecArgs<'_>) -> Result<JobSpec> {
    check_kind(a.kind, a.any_kind)?;
    // Two plans of one family at once conflict: run them one after another.
    let group = a.group.or_else(|| {
        (a.kind == brightpath_server::jobs::PLAN_WEEK)
            .then(|| {
                a.payload["family_id"]
                    .as_str()
                    .map(|f| format!("family:{f}"))
            })
            .flatten()
    });
    let mut spec = JobSpec::new(queue(a.queue)?, a.kind, a.payload);
    if a.high {
        spec = spec.high_priority();
    }
    if let Some(k) = a.key {
        spec = spec.idempotency_key(k);
    }
    if let Some(n) = a.max_attempts {
        if n == 0 {
            return Err(Error::invalid("--max-attempts", "must be at least 1").into());
        }
        spec = spec.max_attempts(n);
    }
    if let Some(t) = a.run_after {
        spec = spec.run_after(timestamp("--run-after", t)?);
    }
    if let Some(g) = group {
        spec = spec.group(g);
    }
    Ok(spec)
}

/// Every line of an NDJSON file as a job (blank lines skipped).
fn specs_from_ndjson(text: &str, any_kind: bool) -> Result<Vec<JobSpec>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: anyhow::Error| -> anyhow::Error {
            Error::invalid("--from", format!("line {}: {e}", n + 1)).into()
        };
        if line.len() > MAX_PAYLOAD_BYTES {
            return Err(at(too_big("--from", "the line", MAX_PAYLOAD_BYTES)));
        }
        let l: Line = serde_json::from_str(line).map_err(|e| at(e.into()))?;
        out.push(
            spec(SpecArgs {
                kind: &l.kind,
                payload: l.payload.unwrap_or_else(|| serde_json::json!({})),
                queue: l.queue.as_deref().unwrap_or(Queue::DEFAULT),
                high: l.high,
                key: l.key,
                max_attempts: l.max_attempts,
                run_after: l.run_after.as_deref(),
                group: l.group,
                any_kind,
            })
            .map_err(at)?,
        );
    }
    Ok(out)
}

fn depth_table(depths: &[brightpath_bus::QueueDepth]) -> Table {
    let mut t = Table::new(&[
        "queue",
        "ready",
        "high",
        "running",
        "dead",
        "oldest waiting",
    ]);
    let now = jiff::Timestamp::now();
    for d in depths {
        let age = d.oldest_at.map_or(String::new(), |o| {
            let secs = (now - o).total(jiff::Unit::Second).unwrap_or(0.0).max(0.0);
            format!("{secs:.0} s ago ({o})")
        });
        t.row(vec![
            d.queue.to_string(),
            d.ready.to_string(),
            d.ready_high.to_string(),
            d.running.to_string(),
            d.dead.to_string(),
            age,
        ]);
    }
    t
}

pub async fn jobs(ctx: &Ctx, c: JobsCmd) -> Result<()> {
    let config = bus_config(ctx);
    let visibility = config.visibility_timeout;
    if matches!(c, JobsCmd::Enqueue { .. }) && ctx.config.settings.valkey_url().is_none() {
        return Err(no_bus_error());
    }
    let bus = Bus::connect(config).await.map_err(bus_error)?;
    match c {
        JobsCmd::List {
            queue: q,
            status: s,
            kind,
            limit,
            queues,
        } => {
            if queues {
                let qs = match q.as_deref() {
                    Some(q) => vec![queue(q)?],
                    None => Queue::standard(),
                };
                let d = bus.depths(&qs).await.map_err(bus_error)?;
                return ctx.ui.emit(&d, &depth_table(&d));
            }
            let filter = ListFilter {
                queue: q.as_deref().map(queue).transpose()?,
                status: s.as_deref().map(status).transpose()?,
                kind,
                limit,
            };
            let list = bus.list(&filter).await.map_err(bus_error)?;
            ctx.ui.emit(&list, &job_table(&list, visibility))
        }
        JobsCmd::Show { id } => {
            let j = bus
                .get(job_id(&id)?)
                .await
                .map_err(bus_error)?
                .ok_or_else(|| Error::not_found("job", id.as_str()))?;
            ctx.ui.json(&j)
        }
        JobsCmd::Retry { id } => {
            let j = bus.retry(job_id(&id)?).await.map_err(bus_error)?;
            ctx.ui.note(&format!("Job {} queued again.", j.id));
            ctx.ui
                .emit(&j, &job_table(std::slice::from_ref(&j), visibility))
        }
        JobsCmd::Purge {
            queue: q,
            status: st,
            dead,
            before,
        } => {
            let statuses = if dead {
                vec![Status::Dead]
            } else if st.is_empty() {
                vec![Status::Succeeded, Status::Dead]
            } else {
                st.iter().map(|s| status(s)).collect::<Result<Vec<_>>>()?
            };
            if let Some(s) = statuses.iter().find(|s| !s.is_terminal()) {
                return Err(Error::invalid(
                    "--status",
                    format!("{s} jobs are live and never purged"),
                )
                .with_hint("succeeded, dead or both")
                .into());
            }
            let r = bus
                .purge(&PurgeFilter {
                    queue: q.as_deref().map(queue).transpose()?,
                    statuses,
                    finished_before: before
                        .as_deref()
                        .map(|b| timestamp("--before", b))
                        .transpose()?,
                })
                .await
                .map_err(bus_error)?;
            ctx.ui.note(&format!("Removed {} job records.", r.removed));
            ctx.ui.json(&r)
        }
        JobsCmd::Dead { queue: q, limit } => {
            let q = q.as_deref().map(queue).transpose()?;
            let list = bus.dead(q.as_ref(), limit).await.map_err(bus_error)?;
            ctx.ui.emit(&list, &job_table(&list, visibility))
        }
        JobsCmd::Enqueue {
            kind,
            payload,
            queue: q,
            high,
            key,
            max_attempts,
            run_after,
            from,
            any_kind,
            group,
        } => {
            if let Some(file) = from {
                let text = read_input("--from", &file, false, usize::MAX / 2)?;
                let specs = specs_from_ndjson(&text, any_kind)?;
                let out = bus.enqueue_many(specs).await.map_err(bus_error)?;
                let dups = out.iter().filter(|e| e.duplicate).count();
                ctx.ui.note(&format!(
                    "Enqueued {} jobs ({dups} already queued by key).",
                    out.len() - dups
                ));
                return ctx.ui.json(&out);
            }
            let kind = kind.unwrap_or_default();
            let text = read_input("--payload", &payload, true, MAX_PAYLOAD_BYTES)?;
            let payload: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Error::invalid("--payload", format!("not JSON: {e}")))?;
            let spec = spec(SpecArgs {
                kind: &kind,
                payload,
                queue: &q,
                high,
                key,
                max_attempts,
                run_after: run_after.as_deref(),
                group,
                any_kind,
            })?;
            let e = bus.enqueue(spec).await.map_err(bus_error)?;
            ctx.ui.json(&e)
        }
    }
}
