//! The bus conformance suite, written once and run against every backend.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use brightpath_bus::schedule::{self, Recurrence, Rule, ScheduleEntry, SchedulerOptions};
use brightpath_bus::worker::{JobError, Registry, WorkerOptions, run_worker};
use brightpath_bus::{
    Bus, BusError, FailOutcome, JobSpec, ListFilter, Priority, PurgeFilter, Queue, Status,
};
use serde_json::json;

#[allow(unused_imports)] // the conformance macro reaches every case through `suite`
pub use super::delivery::*;
use super::eventually;
#[allow(unused_imports)]
pub use super::groups::*;

fn q(name: &str) -> Queue {
    Queue::new(name).expect("queue")
}

fn job(kind: &str) -> JobSpec {
    JobSpec::new(q("default"), kind, json!({"n": 1}))
}

const NOW: Duration = Duration::ZERO;
const SHORT: Duration = Duration::from_millis(100);

pub async fn roundtrip(bus: Bus) {
    let e = bus.enqueue(job("echo")).await.expect("enqueue");
    assert!(!e.duplicate);
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Queued);
    let got = bus
        .reserve(&[q("default")], 10, SHORT, "c1")
        .await
        .expect("reserve");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].job.id, e.id);
    assert_eq!(got[0].job.status, Status::Running);
    assert_eq!(got[0].job.attempts, 1);
    assert_eq!(got[0].job.payload, json!({"n": 1}));
    bus.complete(&got[0].lease, json!({"done": true}))
        .await
        .expect("complete");
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Succeeded);
    assert_eq!(rec.result, Some(json!({"done": true})));
    assert!(rec.finished_at.is_some());
    assert!(
        bus.reserve(&[q("default")], 10, NOW, "c1")
            .await
            .expect("reserve")
            .is_empty()
    );
}

pub async fn idempotency(bus: Bus) {
    let a = bus
        .enqueue(job("x").idempotency_key("k1"))
        .await
        .expect("enqueue");
    let b = bus
        .enqueue(job("x").idempotency_key("k1"))
        .await
        .expect("enqueue");
    assert_eq!(a.id, b.id);
    assert!(!a.duplicate && b.duplicate);
    let c = bus
        .enqueue(job("x").idempotency_key("k2"))
        .await
        .expect("enqueue");
    assert_ne!(a.id, c.id);
    let got = bus
        .reserve(&[q("default")], 10, SHORT, "c1")
        .await
        .expect("reserve");
    assert_eq!(got.len(), 2);
}

pub async fn priority_first(bus: Bus) {
    let normal = bus.enqueue(job("n")).await.expect("enqueue");
    let high = bus
        .enqueue(job("h").high_priority())
        .await
        .expect("enqueue");
    let other_high = bus
        .enqueue(JobSpec::new(q("ml"), "h2", json!(null)).high_priority())
        .await
        .expect("enqueue");
    let qs = [q("default"), q("ml")];
    let first = bus.reserve(&qs, 1, SHORT, "c1").await.expect("reserve");
    assert_eq!(first[0].job.id, high.id);
    assert_eq!(first[0].job.priority, Priority::High);
    let second = bus.reserve(&qs, 1, SHORT, "c1").await.expect("reserve");
    assert_eq!(
        second[0].job.id, other_high.id,
        "high priority of any served queue before normal"
    );
    let third = bus.reserve(&qs, 1, SHORT, "c1").await.expect("reserve");
    assert_eq!(third[0].job.id, normal.id);
}

/// A fetch that finds jobs in several streams hands back what it cannot take
/// as if never read: the normal-priority jobs keep their order and count no attempt.
pub async fn surplus_reads_keep_their_order(bus: Bus) {
    let n1 = bus.enqueue(job("n1")).await.expect("enqueue");
    let n2 = bus.enqueue(job("n2")).await.expect("enqueue");
    let h = bus
        .enqueue(job("h").high_priority())
        .await
        .expect("enqueue");
    let qs = [q("default")];
    let mut got = Vec::new();
    for _ in 0..3 {
        let d = bus.reserve(&qs, 1, SHORT, "c1").await.expect("reserve");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].job.attempts, 1);
        got.push(d[0].job.id);
    }
    assert_eq!(got, [h.id, n1.id, n2.id]);
}

/// Only dead or failed jobs are retried; a running one says it runs.
pub async fn a_running_job_is_not_retried(bus: Bus) {
    let e = bus.enqueue(job("r")).await.expect("enqueue");
    let _d = take_one(&bus, "c1").await;
    match bus.retry(e.id).await {
        Err(brightpath_bus::BusError::InvalidState { status, .. }) => assert_eq!(status, "running"),
        other => panic!("retrying a running job: {other:?}"),
    }
}

pub async fn queues_are_separate(bus: Bus) {
    let ml = bus
        .enqueue(JobSpec::new(q("ml"), "train", json!(null)))
        .await
        .expect("enqueue");
    assert!(
        bus.reserve(&[q("default")], 5, SHORT, "c1")
            .await
            .expect("reserve")
            .is_empty()
    );
    let got = bus
        .reserve(&[q("ml")], 5, SHORT, "c1")
        .await
        .expect("reserve");
    assert_eq!(got[0].job.id, ml.id);
    assert!(matches!(
        Queue::new("Bad Name"),
        Err(BusError::InvalidQueue(_))
    ));
}

async fn take_one(bus: &Bus, consumer: &str) -> brightpath_bus::Delivery {
    let bus = bus.clone();
    let consumer = consumer.to_owned();
    eventually("a job to become available", || {
        let bus = bus.clone();
        let consumer = consumer.clone();
        async move {
            bus.promote_due().await.expect("promote");
            let mut got = bus
                .reserve(&[q("default")], 1, SHORT, &consumer)
                .await
                .expect("reserve");
            got.pop()
        }
    })
    .await
}

pub async fn retry_then_dead_then_operator_retry(bus: Bus) {
    let e = bus
        .enqueue(job("flaky").max_attempts(2))
        .await
        .expect("enqueue");
    let d = take_one(&bus, "c1").await;
    assert_eq!(
        bus.fail(&d.lease, "boom 1", true).await.expect("fail"),
        FailOutcome::Retry
    );
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Failed);
    assert_eq!(rec.last_error.as_deref(), Some("boom 1"));
    assert!(rec.run_after.is_some());
    let d = take_one(&bus, "c1").await;
    assert_eq!(d.job.attempts, 2);
    assert_eq!(
        bus.fail(&d.lease, "boom 2", true).await.expect("fail"),
        FailOutcome::Dead
    );
    let dead = bus.dead(None, 10).await.expect("dead");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].last_error.as_deref(), Some("boom 2"));
    let depth = bus.depths(&[q("default")]).await.expect("depths");
    assert_eq!(depth[0].dead, 1);
    let again = bus.retry(e.id).await.expect("retry");
    assert_eq!(again.status, Status::Queued);
    assert_eq!(again.attempts, 0);
    assert!(bus.dead(None, 10).await.expect("dead").is_empty());
    let d = take_one(&bus, "c1").await;
    bus.complete(&d.lease, json!(1)).await.expect("complete");
    assert!(matches!(
        bus.retry(e.id).await,
        Err(BusError::InvalidState { .. })
    ));
}

pub async fn permanent_failure_is_dead_at_once(bus: Bus) {
    let e = bus.enqueue(job("bad")).await.expect("enqueue");
    let d = take_one(&bus, "c1").await;
    assert_eq!(
        bus.fail(&d.lease, "bad payload", false)
            .await
            .expect("fail"),
        FailOutcome::Dead
    );
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Dead);
    assert_eq!(rec.attempts, 1);
}

pub async fn visibility_timeout_redelivers(bus: Bus) {
    let e = bus.enqueue(job("slow")).await.expect("enqueue");
    let first = take_one(&bus, "c1").await;
    // c1 goes silent; c2 gets the job once the visibility timeout passes.
    let second = take_one(&bus, "c2").await;
    assert_eq!(second.job.id, e.id);
    assert_eq!(second.job.attempts, 2);
    bus.complete(&second.lease, json!("c2"))
        .await
        .expect("complete");
    // The late first holder can neither overwrite nor fail a finished job.
    bus.complete(&first.lease, json!("c1"))
        .await
        .expect("complete");
    assert_eq!(
        bus.fail(&first.lease, "late", true).await.expect("fail"),
        FailOutcome::Ignored
    );
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Succeeded);
    assert_eq!(rec.result, Some(json!("c2")));
}

pub async fn lost_too_often_goes_dead(bus: Bus) {
    let e = bus
        .enqueue(job("poison").max_attempts(1))
        .await
        .expect("enqueue");
    let _held = take_one(&bus, "c1").await;
    let bus2 = bus.clone();
    eventually("the poison job to be dead-lettered", || {
        let bus = bus2.clone();
        async move {
            bus.promote_due().await.expect("promote");
            let got = bus
                .reserve(&[q("default")], 1, SHORT, "c2")
                .await
                .expect("reserve");
            assert!(
                got.is_empty(),
                "a job out of attempts must not be handed out"
            );
            let rec = bus.get(e.id).await.expect("get").expect("record");
            (rec.status == Status::Dead).then_some(rec)
        }
    })
    .await;
}

pub async fn heartbeat_and_release(bus: Bus) {
    let e = bus.enqueue(job("r")).await.expect("enqueue");
    let d = take_one(&bus, "c1").await;
    assert!(bus.heartbeat(&d.lease, "c1").await.expect("heartbeat"));
    bus.release(&d.lease).await.expect("release");
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Queued);
    assert_eq!(rec.attempts, 0);
    assert!(!bus.heartbeat(&d.lease, "c1").await.expect("heartbeat"));
    let d = take_one(&bus, "c2").await;
    assert_eq!(d.job.attempts, 1);
}

pub async fn delayed_jobs_wait(bus: Bus) {
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let e = bus
        .enqueue(job("later").run_after(later))
        .await
        .expect("enqueue");
    bus.promote_due().await.expect("promote");
    assert!(
        bus.reserve(&[q("default")], 5, SHORT, "c1")
            .await
            .expect("reserve")
            .is_empty()
    );
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Queued);
    assert!(rec.run_after.is_some());
}

pub async fn list_show_purge(bus: Bus) {
    let ok = bus.enqueue(job("a")).await.expect("enqueue");
    let d = take_one(&bus, "c1").await;
    bus.complete(&d.lease, json!(null)).await.expect("complete");
    let bad = bus.enqueue(job("b")).await.expect("enqueue");
    let d = take_one(&bus, "c1").await;
    bus.fail(&d.lease, "nope", false).await.expect("fail");
    let waiting = bus
        .enqueue(JobSpec::new(q("ml"), "c", json!(null)))
        .await
        .expect("enqueue");

    let all = bus.list(&ListFilter::default()).await.expect("list");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].id, waiting.id, "newest first");
    let succeeded = bus
        .list(&ListFilter {
            status: Some(Status::Succeeded),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(
        succeeded.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ok.id]
    );
    let ml = bus
        .list(&ListFilter {
            queue: Some(q("ml")),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(ml.len(), 1);

    let purge_live = PurgeFilter {
        queue: None,
        statuses: vec![Status::Queued],
        finished_before: None,
    };
    assert!(
        bus.purge(&purge_live).await.is_err(),
        "live jobs are never purged"
    );
    let purge_dead = PurgeFilter {
        queue: None,
        statuses: vec![Status::Dead],
        finished_before: None,
    };
    assert_eq!(bus.purge(&purge_dead).await.expect("purge").removed, 1);
    assert!(bus.get(bad.id).await.expect("get").is_none());
    assert!(bus.get(ok.id).await.expect("get").is_some());
    assert_eq!(
        bus.depths(&[q("default")]).await.expect("depths")[0].dead,
        0
    );
    assert_eq!(
        bus.list(&ListFilter::default()).await.expect("list").len(),
        2
    );
}

pub async fn depths(bus: Bus) {
    for _ in 0..2 {
        bus.enqueue(job("n")).await.expect("enqueue");
    }
    bus.enqueue(job("h").high_priority())
        .await
        .expect("enqueue");
    let d = bus.depths(&[q("default"), q("ml")]).await.expect("depths");
    assert_eq!((d[0].ready, d[0].ready_high, d[0].running), (3, 1, 0));
    assert_eq!(d[1].ready, 0);
    let _held = bus
        .reserve(&[q("default")], 1, SHORT, "c1")
        .await
        .expect("reserve");
    let d = bus.depths(&[q("default")]).await.expect("depths");
    assert_eq!((d[0].ready, d[0].ready_high, d[0].running), (2, 0, 1));
}

fn entries() -> Vec<ScheduleEntry> {
    let rule = |name: &str, rec: &str| Rule {
        name: name.into(),
        recurrence: Recurrence::parse(rec).expect("rule"),
        queue: q("schedules"),
        kind: format!("plan.{name}"),
        payload: json!({}),
        priority: Priority::Normal,
    };
    let mut out = Vec::new();
    for (fam, tz) in [("f1", "America/Chicago"), ("f2", "Europe/Berlin")] {
        for r in [
            rule("daily-agenda", "daily 07:00"),
            rule("weekly-plan", "weekly sunday 18:00"),
        ] {
            out.push(ScheduleEntry {
                family_id: fam.into(),
                time_zone: tz.into(),
                rule: r,
            });
        }
    }
    out
}

pub async fn scheduler_enqueues_each_occurrence_once(bus: Bus) {
    let src = entries();
    let opts = SchedulerOptions::default();
    // Monday 2026-11-30 12:00 UTC: both families passed Sunday 18:00 and two 07:00s in 48 h.
    let now: jiff::Timestamp = "2026-11-30T12:00:00Z".parse().expect("ts");
    let (a, b, c) = tokio::join!(
        schedule::tick(&bus, &src, &opts, now),
        schedule::tick(&bus, &src, &opts, now),
        schedule::tick(&bus, &src, &opts, now),
    );
    let reports = [a.expect("tick"), b.expect("tick"), c.expect("tick")];
    let enqueued: u64 = reports.iter().map(|r| r.enqueued).sum();
    let already: u64 = reports.iter().map(|r| r.already).sum();
    // Per family: 2 daily + 1 weekly.
    assert_eq!(enqueued, 6);
    assert_eq!(already, 12);
    let listed = bus
        .list(&ListFilter {
            queue: Some(q("schedules")),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.len(), 6);
    assert!(listed.iter().all(|r| r.payload["family_id"].is_string()));
    // A day of downtime later: only the new daily occurrences are added.
    let later = now + jiff::SignedDuration::from_hours(24);
    let r = schedule::tick(&bus, &src, &opts, later)
        .await
        .expect("tick");
    // New: one daily each; already there: the other daily and the weekly of each.
    assert_eq!((r.enqueued, r.already), (2, 4));
}

pub async fn worker_runs_jobs_and_retries(bus: Bus) {
    let seen: Arc<Mutex<HashMap<uuid::Uuid, u32>>> = Arc::default();
    let mut reg = Registry::new();
    let s = seen.clone();
    reg.register("count", move |ctx| {
        let s = s.clone();
        async move {
            let mut g = s.lock().expect("lock");
            let n = g.entry(ctx.job.id).or_insert(0);
            *n += 1;
            Ok(json!(*n))
        }
    });
    reg.register("flaky", |ctx| async move {
        if ctx.job.attempts < 2 {
            Err(JobError::retry("first try fails"))
        } else {
            Ok(json!("ok"))
        }
    });
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(
            bus.enqueue(JobSpec::new(q("default"), "count", json!(i)))
                .await
                .expect("enqueue")
                .id,
        );
    }
    for _ in 0..5 {
        ids.push(
            bus.enqueue(JobSpec::new(q("notifications"), "flaky", json!(null)))
                .await
                .expect("enqueue")
                .id,
        );
    }
    let opts = WorkerOptions {
        concurrency: 4,
        poll_wait: Duration::from_millis(100),
        promote_interval: Duration::from_millis(20),
        ..WorkerOptions::default()
    };
    let metrics = opts.metrics.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(run_worker(bus.clone(), Arc::new(reg), opts, async {
        let _ = rx.await;
    }));
    eventually("all jobs to succeed", || {
        let m = metrics.clone();
        async move { (m.succeeded_total() >= 35).then_some(()) }
    })
    .await;
    let _ = tx.send(());
    let report = worker.await.expect("join").expect("worker");
    assert_eq!(report.succeeded, 35);
    assert_eq!(report.failed, 5);
    for id in ids {
        assert_eq!(
            bus.get(id).await.expect("get").expect("record").status,
            Status::Succeeded
        );
    }
    assert!(seen.lock().expect("lock").values().all(|n| *n == 1));
    let text = brightpath_bus::worker::metrics_text(&bus, &metrics, &Queue::standard()).await;
    assert!(
        text.contains("brightpath_jobs_finished_total{queue=\"default\",outcome=\"succeeded\"} 30")
    );
    assert!(text.contains("brightpath_queue_depth{queue=\"default\",state=\"ready\"} 0"));
}

pub async fn worker_shutdown_hands_back_running_jobs(bus: Bus) {
    let started = Arc::new(tokio::sync::Notify::new());
    let mut reg = Registry::new();
    let st = started.clone();
    reg.register("forever", move |_ctx| {
        let st = st.clone();
        async move {
            st.notify_one();
            std::future::pending::<()>().await;
            Ok(json!(null))
        }
    });
    let e = bus.enqueue(job("forever")).await.expect("enqueue");
    let opts = WorkerOptions {
        queues: vec![q("default")],
        poll_wait: Duration::from_millis(100),
        shutdown_grace: Duration::from_millis(100),
        ..WorkerOptions::default()
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(run_worker(bus.clone(), Arc::new(reg), opts, async {
        let _ = rx.await;
    }));
    started.notified().await;
    let _ = tx.send(());
    let report = worker.await.expect("join").expect("worker");
    assert_eq!(report.released, 1);
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Queued);
    assert_eq!(rec.attempts, 0);
}
