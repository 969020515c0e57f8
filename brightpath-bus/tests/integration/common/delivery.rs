//! Conformance cases of issue 11: a worker holds no more than it runs, takeover
//! looks past live entries, operator reads on an empty bus, old dead letters,
//! heartbeats visible on the record, batch enqueue.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use brightpath_bus::worker::JobError;
use brightpath_bus::worker::{Registry, WorkerOptions, run_worker};
use brightpath_bus::{Bus, JobSpec, ListFilter, PurgeFilter, Queue, Status};
use serde_json::json;

use super::{eventually, take_now};

fn q(name: &str) -> Queue {
    Queue::new(name).expect("queue")
}

fn job(kind: &str) -> JobSpec {
    JobSpec::new(q("default"), kind, json!({"n": 1}))
}

/// Enqueue one job on `default` and take it at once as `consumer`.
async fn enqueue_and_take(
    bus: &Bus,
    consumer: &str,
) -> (brightpath_bus::Enqueued, Vec<brightpath_bus::Delivery>) {
    let e = bus.enqueue(job("x")).await.expect("enqueue");
    let got = bus
        .reserve(&[q("default")], 1, Duration::ZERO, consumer)
        .await
        .expect("reserve");
    assert_eq!(got.len(), 1);
    (e, got)
}

/// A worker on `default` with `concurrency` slots; stop it with [`Running::stop_after`].
struct Running {
    metrics: Arc<brightpath_bus::worker::Metrics>,
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<brightpath_bus::Result<brightpath_bus::worker::WorkerReport>>,
}

impl Running {
    fn start(bus: &Bus, reg: Registry, concurrency: usize) -> Self {
        let opts = WorkerOptions {
            queues: vec![q("default")],
            concurrency,
            poll_wait: Duration::from_millis(20),
            ..WorkerOptions::default()
        };
        let metrics = opts.metrics.clone();
        let (stop, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(run_worker(bus.clone(), Arc::new(reg), opts, async {
            let _ = rx.await;
        }));
        Self {
            metrics,
            stop,
            handle,
        }
    }

    /// Wait until `n` jobs succeeded, then stop the worker.
    async fn stop_after(self, n: u64) -> brightpath_bus::worker::WorkerReport {
        let m = self.metrics.clone();
        eventually("jobs to succeed", || {
            let m = m.clone();
            async move { (m.succeeded_total() >= n).then_some(()) }
        })
        .await;
        let _ = self.stop.send(());
        self.handle.await.expect("join").expect("worker")
    }
}

async fn running(bus: &Bus) -> Vec<brightpath_bus::JobRecord> {
    bus.list(&ListFilter {
        status: Some(Status::Running),
        ..ListFilter::default()
    })
    .await
    .expect("list")
}

/// Concurrency 2 and three slow jobs: the third stays queued (not held by a
/// worker that cannot start it, where it would be "taken over" and run twice).
pub async fn worker_holds_no_more_than_concurrency(bus: Bus) {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let started = Arc::new(AtomicUsize::new(0));
    let mut reg = Registry::new();
    let (g, s) = (gate.clone(), started.clone());
    reg.register("slow", move |_ctx| {
        let (g, s) = (g.clone(), s.clone());
        async move {
            s.fetch_add(1, Ordering::SeqCst);
            let _p = g.acquire().await.map_err(JobError::retry)?;
            Ok(json!(null))
        }
    });
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(bus.enqueue(job("slow")).await.expect("enqueue").id);
    }
    let worker = Running::start(&bus, reg, 2);
    let s = started.clone();
    eventually("two jobs to start", || {
        let s = s.clone();
        async move { (s.load(Ordering::SeqCst) >= 2).then_some(()) }
    })
    .await;
    // Let the worker loop go round several times with both slots busy.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let held = running(&bus).await;
    assert_eq!(held.len(), 2, "held: {held:?}");
    assert_eq!(started.load(Ordering::SeqCst), 2);
    let waiting = bus.get(ids[2]).await.expect("get").expect("record");
    assert_eq!(waiting.status, Status::Queued, "{waiting:?}");
    gate.add_permits(10);
    let report = worker.stop_after(3).await;
    assert_eq!(report.succeeded, 3);
    assert_eq!(started.load(Ordering::SeqCst), 3, "each job ran once");
}

/// A silent holder's job behind ten live ones is still taken over.
pub async fn takeover_looks_past_live_jobs(bus: Bus) {
    let qs = [q("default")];
    for i in 0..11 {
        bus.enqueue(JobSpec::new(q("default"), "x", json!(i)))
            .await
            .expect("enqueue");
    }
    let live = bus
        .reserve(&qs, 10, Duration::ZERO, "live")
        .await
        .expect("reserve");
    assert_eq!(live.len(), 10);
    let silent = bus
        .reserve(&qs, 1, Duration::ZERO, "silent")
        .await
        .expect("reserve");
    assert_eq!(silent.len(), 1);
    tokio::time::sleep(bus.config().visibility_timeout + Duration::from_millis(200)).await;
    for d in &live {
        assert!(bus.heartbeat(&d.lease, "live").await.expect("heartbeat"));
    }
    let got = bus
        .reserve(&qs, 1, Duration::ZERO, "rescuer")
        .await
        .expect("reserve");
    assert_eq!(got.len(), 1, "the silent worker's job is taken over");
    assert_eq!(got[0].job.id, silent[0].job.id);
    assert_eq!(got[0].job.worker.as_deref(), Some("rescuer"));
}

async fn assert_nothing_listed(bus: &Bus) {
    let list = bus.list(&ListFilter::default()).await.expect("list");
    assert!(list.is_empty(), "{list:?}");
    assert!(bus.dead(None, 50).await.expect("dead").is_empty());
}

/// `jobs list` and `jobs dead` on an empty bus, and after a purge removed everything.
pub async fn empty_bus_lists_nothing(bus: Bus) {
    assert_nothing_listed(&bus).await;
    assert!(bus.dead(Some(&q("ml")), 50).await.expect("dead").is_empty());
    let (e, got) = enqueue_and_take(&bus, "c").await;
    bus.fail(&got[0].lease, "boom", false).await.expect("fail");
    let r = bus
        .purge(&PurgeFilter {
            queue: None,
            statuses: vec![Status::Dead],
            finished_before: None,
        })
        .await
        .expect("purge");
    assert_eq!(r.removed, 1);
    assert!(bus.get(e.id).await.expect("get").is_none());
    assert_nothing_listed(&bus).await;
}

/// A dead letter older than the last 1,100 jobs is still listed by `dead`;
/// `retry` clears its old error.
pub async fn dead_lists_old_dead_letters(bus: Bus) {
    let (e, got) = enqueue_and_take(&bus, "c").await;
    bus.fail(&got[0].lease, "bad input", false)
        .await
        .expect("fail");
    let newer: Vec<JobSpec> = (0..1_100)
        .map(|i| JobSpec::new(q("ml"), "y", json!(i)))
        .collect();
    let ids = bus.enqueue_many(newer).await.expect("enqueue_many");
    assert_eq!(ids.len(), 1_100);
    let dead = bus.dead(None, 50).await.expect("dead");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].id, e.id);
    assert_eq!(dead[0].last_error.as_deref(), Some("bad input"));
    let dead = bus.dead(Some(&q("default")), 50).await.expect("dead");
    assert_eq!(dead.len(), 1);
    assert!(bus.dead(Some(&q("ml")), 50).await.expect("dead").is_empty());
    let again = bus.retry(e.id).await.expect("retry");
    assert_eq!(again.status, Status::Queued);
    assert_eq!(again.last_error, None, "retry clears the old error");
    assert!(bus.dead(None, 50).await.expect("dead").is_empty());
}

/// The record says who holds a job, since when, and when it last heartbeated.
pub async fn heartbeat_is_on_the_record(bus: Bus) {
    let (e, got) = enqueue_and_take(&bus, "w1").await;
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert_eq!(rec.worker.as_deref(), Some("w1"));
    let started = rec.started_at.expect("started_at");
    let first = rec.heartbeat_at.expect("heartbeat_at set on start");
    assert!(first >= started);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(bus.heartbeat(&got[0].lease, "w1").await.expect("heartbeat"));
    let rec = bus.get(e.id).await.expect("get").expect("record");
    assert!(rec.heartbeat_at.expect("heartbeat_at") > first);
    assert!(!rec.is_silent(bus.config().visibility_timeout, jiff::Timestamp::now()));
    let later = jiff::Timestamp::now() + bus.config().visibility_timeout * 2;
    assert!(rec.is_silent(bus.config().visibility_timeout, later));
}

/// `enqueue_many` stores every job in order, honouring idempotency keys.
pub async fn enqueue_many_stores_all(bus: Bus) {
    let first = bus
        .enqueue(job("x").idempotency_key("k"))
        .await
        .expect("enqueue");
    let specs = vec![
        job("a"),
        job("b").idempotency_key("k"),
        job("c").high_priority(),
        job("d").idempotency_key("k2"),
        job("e").idempotency_key("k2"),
    ];
    let out = bus.enqueue_many(specs).await.expect("enqueue_many");
    assert_eq!(out.len(), 5);
    assert!(!out[0].duplicate);
    assert!(out[1].duplicate);
    assert_eq!(out[1].id, first.id);
    // A key used twice in one batch: the second is a duplicate of the first.
    assert!(!out[3].duplicate);
    assert!(out[4].duplicate);
    assert_eq!(out[4].id, out[3].id);
    let got = bus
        .reserve(&[q("default")], 10, Duration::ZERO, "c")
        .await
        .expect("reserve");
    let kinds: Vec<&str> = got.iter().map(|d| d.job.kind.as_str()).collect();
    assert_eq!(kinds, ["c", "x", "a", "d"]);
    assert!(
        bus.enqueue_many(Vec::new())
            .await
            .expect("empty")
            .is_empty()
    );
}

/// Jobs of one group run one after another on a worker; the record keeps the group.
pub async fn one_group_runs_one_at_a_time(bus: Bus) {
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut reg = Registry::new();
    let (n, m) = (now.clone(), most.clone());
    reg.register("plan", move |_ctx| {
        let (n, m) = (n.clone(), m.clone());
        async move {
            let running = n.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(running, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            n.fetch_sub(1, Ordering::SeqCst);
            Ok(json!(null))
        }
    });
    let specs: Vec<JobSpec> = (0..6).map(|_| job("plan").group("family:a")).collect();
    let ids = bus.enqueue_many(specs).await.expect("enqueue_many");
    let rec = bus.get(ids[0].id).await.expect("get").expect("record");
    assert_eq!(rec.group.as_deref(), Some("family:a"));
    Running::start(&bus, reg, 4).stop_after(6).await;
    assert_eq!(
        most.load(Ordering::SeqCst),
        1,
        "two jobs of one group ran at once"
    );
}

/// Twenty jobs from two streams acknowledged at once (Valkey sends them
/// together, one XACK and XDEL per stream): each ends succeeded with its own
/// result and none stays held.
pub async fn concurrent_completes_all_land(bus: Bus) {
    let specs: Vec<JobSpec> = (0..20)
        .map(|i| {
            let spec = JobSpec::new(q("default"), "x", json!(i));
            if i % 2 == 0 {
                spec.high_priority()
            } else {
                spec
            }
        })
        .collect();
    bus.enqueue_many(specs).await.expect("enqueue_many");
    let got = bus
        .reserve(&[q("default")], 20, Duration::ZERO, "c")
        .await
        .expect("reserve");
    assert_eq!(got.len(), 20);
    let mut tasks = tokio::task::JoinSet::new();
    for d in got.clone() {
        let bus = bus.clone();
        tasks.spawn(async move {
            let result = d.job.payload.clone();
            bus.complete(&d.lease, result).await
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("join").expect("complete");
    }
    for d in &got {
        let rec = bus.get(d.job.id).await.expect("get").expect("record");
        assert_eq!(rec.status, Status::Succeeded);
        assert_eq!(rec.result.as_ref(), Some(&d.job.payload));
    }
    let depth = bus.depths(&[q("default")]).await.expect("depths");
    assert_eq!((depth[0].ready, depth[0].running), (0, 0), "{depth:?}");
}

/// A started job's record reaches the worker unchanged, whatever its text:
/// quotes, backslashes, slashes, control characters, emoji, big numbers, and
/// the error of an earlier attempt.
pub async fn started_record_keeps_every_character(bus: Bus) {
    let text = "ünïcødé \"quoted\" back\\slash / tab\t newline\n nul\u{0} 😀";
    let payload = json!({ "text": text, "big": 1.5e300, "nested": [null, true, -0.25] });
    let spec = JobSpec::new(q("default"), "x", payload.clone())
        .idempotency_key(text)
        .group(text);
    let e = bus.enqueue(spec).await.expect("enqueue");
    let got = take_now(&bus, "c").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].job.payload, payload);
    assert_eq!(got[0].job.idempotency_key.as_deref(), Some(text));
    assert_eq!(got[0].job.group.as_deref(), Some(text));
    bus.fail(&got[0].lease, text, true).await.expect("fail");
    let again = eventually("the retry to come due", || {
        let bus = bus.clone();
        async move {
            bus.promote_due().await.expect("promote");
            let mut got = take_now(&bus, "c").await;
            got.pop()
        }
    })
    .await;
    assert_eq!(again.job.id, e.id);
    assert_eq!(again.job.last_error.as_deref(), Some(text));
    assert_eq!(again.job.payload, payload);
    assert_eq!(again.job.attempts, 2);
}
