//! worker and jobs: the background side, over the task bus.

use anyhow::Result;
use brightpath_bus::{Bus, BusConfig, JobSpec, ListFilter, PurgeFilter, Queue, Status};
use brightpath_core::Error;
use brightpath_server::jobs::{FamilySchedules, core_registry};
use brightpath_server::worker::{WorkerConfig, WorkerOptions, serve, serve_with_schedules};

use super::Ctx;
use crate::args::{JobsCmd, WorkerArgs};
use crate::output::Table;

fn bus_config(ctx: &Ctx) -> BusConfig {
    let mut c = BusConfig::new(ctx.config.valkey_url().unwrap_or("memory://"));
    c.prefix = ctx.config.get("queue_prefix").to_string();
    c
}

fn queue(name: &str) -> Result<Queue> {
    Ok(Queue::new(name).map_err(|e| {
        Error::invalid("--queue", e.to_string())
            .with_hint("queues: default, schedules, ml, notifications")
    })?)
}

pub async fn worker(ctx: &Ctx, a: WorkerArgs) -> Result<()> {
    if ctx.config.valkey_url().is_none() {
        ctx.ui.note("No valkey_url set: running an in-process worker (jobs enqueued by other processes are not seen).");
    }
    let store = ctx.store().await?;
    let mut options = WorkerOptions {
        concurrency: a.concurrency.max(1),
        ..Default::default()
    };
    if !a.queues.is_empty() {
        options.queues = a.queues.iter().map(|q| queue(q)).collect::<Result<_>>()?;
    }
    let config = WorkerConfig {
        bus: bus_config(ctx),
        options,
        metrics_addr: a.metrics,
    };
    let registry = core_registry(store.clone());
    let report = if a.no_schedules {
        serve(config, registry).await
    } else {
        serve_with_schedules(
            config,
            registry,
            FamilySchedules { store },
            Default::default(),
        )
        .await
    }
    .map_err(|e| Error::Io(format!("worker: {e}")))?;
    ctx.ui.note(&format!(
        "Worker stopped: {} succeeded, {} failed, {} handed back.",
        report.succeeded, report.failed, report.released
    ));
    Ok(())
}

fn job_table(list: &[brightpath_bus::JobRecord]) -> Table {
    let mut t = Table::new(&[
        "id", "queue", "kind", "status", "attempts", "updated", "error",
    ]);
    for j in list {
        t.row(vec![
            j.id.to_string(),
            format!("{:?}", j.queue)
                .trim_start_matches("Queue(\"")
                .trim_end_matches("\")")
                .to_string(),
            j.kind.clone(),
            format!("{:?}", j.status).to_lowercase(),
            format!("{}/{}", j.attempts, j.max_attempts),
            j.updated_at.to_string(),
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

pub async fn jobs(ctx: &Ctx, c: JobsCmd) -> Result<()> {
    let bus = Bus::connect(bus_config(ctx))
        .await
        .map_err(|e| Error::Io(format!("job bus: {e}")))?;
    let bus_err = |e: brightpath_bus::BusError| -> anyhow::Error {
        match e {
            brightpath_bus::BusError::NotFound(id) => Error::not_found("job", id).into(),
            brightpath_bus::BusError::InvalidState { .. } => Error::conflict(e.to_string()).into(),
            other => Error::Io(format!("job bus: {other}")).into(),
        }
    };
    match c {
        JobsCmd::List {
            queue: q,
            status: s,
            kind,
            limit,
        } => {
            let filter = ListFilter {
                queue: q.as_deref().map(queue).transpose()?,
                status: s.as_deref().map(status).transpose()?,
                kind,
                limit,
            };
            let list = bus.list(&filter).await.map_err(bus_err)?;
            ctx.ui.emit(&list, &job_table(&list))
        }
        JobsCmd::Show { id } => {
            let j = bus
                .get(job_id(&id)?)
                .await
                .map_err(bus_err)?
                .ok_or_else(|| Error::not_found("job", id.as_str()))?;
            ctx.ui.json(&j)
        }
        JobsCmd::Retry { id } => {
            let j = bus.retry(job_id(&id)?).await.map_err(bus_err)?;
            ctx.ui.note(&format!("Job {} queued again.", j.id));
            ctx.ui.emit(&j, &job_table(std::slice::from_ref(&j)))
        }
        JobsCmd::Purge { queue: q, dead } => {
            let statuses = if dead {
                vec![Status::Dead]
            } else {
                vec![Status::Succeeded, Status::Dead]
            };
            let r = bus
                .purge(&PurgeFilter {
                    queue: q.as_deref().map(queue).transpose()?,
                    statuses,
                    finished_before: None,
                })
                .await
                .map_err(bus_err)?;
            ctx.ui.note(&format!("{r:?}"));
            ctx.ui.json(&r)
        }
        JobsCmd::Dead { queue: q, limit } => {
            let q = q.as_deref().map(queue).transpose()?;
            let list = bus.dead(q.as_ref(), limit).await.map_err(bus_err)?;
            ctx.ui.emit(&list, &job_table(&list))
        }
        JobsCmd::Enqueue {
            kind,
            payload,
            queue: q,
            urgent,
            key,
        } => {
            let payload: serde_json::Value = serde_json::from_str(&payload)
                .map_err(|e| Error::invalid("--payload", format!("not JSON: {e}")))?;
            let mut spec = JobSpec::new(queue(&q)?, kind, payload);
            if urgent {
                spec = spec.high_priority();
            }
            if let Some(k) = key {
                spec = spec.idempotency_key(k);
            }
            let e = bus.enqueue(spec).await.map_err(bus_err)?;
            ctx.ui.note(&format!("{e:?}"));
            ctx.ui.json(&e)
        }
    }
}
