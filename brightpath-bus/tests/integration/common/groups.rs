//! Job groups across workers (issue 11, item 2): jobs of one group never run at
//! the same time on any worker, jobs of different groups run side by side, and
//! a job whose group is busy waits without a slot and without using an attempt.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use brightpath_bus::worker::{JobError, Registry, WorkerOptions, WorkerReport, run_worker};
use brightpath_bus::{Bus, JobSpec, Queue, Status};
use serde_json::json;

use super::{eventually, take_now};

fn q() -> Queue {
    Queue::default_queue()
}

fn grouped(kind: &str, group: &str) -> JobSpec {
    JobSpec::new(q(), kind, json!({ "group": group })).group(group)
}

/// A second handle on the same bus: its own connections on Valkey (another
/// worker process in all but name), the same state in process.
async fn second_handle(bus: &Bus) -> Bus {
    match bus.backend_name() {
        "valkey" => Bus::connect(bus.config().clone())
            .await
            .expect("second connection"),
        _ => bus.clone(),
    }
}

struct Worker {
    metrics: Arc<brightpath_bus::worker::Metrics>,
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<brightpath_bus::Result<WorkerReport>>,
}

fn start(bus: Bus, reg: Arc<Registry>, name: &str, concurrency: usize) -> Worker {
    let opts = WorkerOptions {
        queues: vec![q()],
        concurrency,
        name: Some(name.to_owned()),
        poll_wait: Duration::from_millis(20),
        promote_interval: Duration::from_millis(50),
        ..WorkerOptions::default()
    };
    let metrics = opts.metrics.clone();
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(run_worker(bus, reg, opts, async {
        let _ = rx.await;
    }));
    Worker {
        metrics,
        stop,
        handle,
    }
}

async fn succeeded(workers: &[&Worker], n: u64) {
    let metrics: Vec<_> = workers.iter().map(|w| w.metrics.clone()).collect();
    eventually("jobs to succeed", || {
        let total: u64 = metrics.iter().map(|m| m.succeeded_total()).sum();
        async move { (total >= n).then_some(()) }
    })
    .await;
}

async fn stop(w: Worker) -> WorkerReport {
    let _ = w.stop.send(());
    w.handle.await.expect("join").expect("worker")
}

/// Two workers, two groups of six jobs: within a group the runs never overlap
/// (start and end times recorded), the two groups do run at the same time (each
/// group's first job waits until the other group has started one), and no job
/// used more than one attempt waiting for its group.
pub async fn groups_are_exclusive_across_workers(bus: Bus) {
    type Runs = Arc<Mutex<HashMap<String, Vec<(Instant, Instant)>>>>;
    let runs: Runs = Arc::default();
    let started: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let mut reg = Registry::new();
    let (r, s) = (runs.clone(), started.clone());
    reg.register("plan", move |ctx| {
        let (runs, started) = (r.clone(), s.clone());
        async move {
            let group = ctx.job.group.clone().unwrap_or_default();
            let other = if group == "family:a" {
                "family:b"
            } else {
                "family:a"
            };
            let begin = Instant::now();
            let first = {
                let mut s = started.lock().map_err(JobError::retry)?;
                let n = s.entry(group.clone()).or_insert(0);
                *n += 1;
                *n == 1
            };
            if first {
                // Proof of parallelism without a clock: this job holds its
                // group until a job of the other group has started too.
                let s = started.clone();
                let other = other.to_owned();
                eventually("the other group to start meanwhile", || {
                    let seen = s.lock().map(|m| m.contains_key(&other)).unwrap_or(false);
                    async move { seen.then_some(()) }
                })
                .await;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
            runs.lock()
                .map_err(JobError::retry)?
                .entry(group)
                .or_default()
                .push((begin, Instant::now()));
            Ok(json!(null))
        }
    });
    let reg = Arc::new(reg);
    let mut specs = Vec::new();
    for _ in 0..6 {
        specs.push(grouped("plan", "family:a"));
        specs.push(grouped("plan", "family:b"));
    }
    let ids = bus.enqueue_many(specs).await.expect("enqueue_many");
    let w1 = start(bus.clone(), reg.clone(), "w1", 4);
    let w2 = start(second_handle(&bus).await, reg, "w2", 4);
    succeeded(&[&w1, &w2], 12).await;
    let (r1, r2) = (stop(w1).await, stop(w2).await);
    assert_eq!(r1.succeeded + r2.succeeded, 12);
    let runs = runs.lock().expect("runs").clone();
    for (group, mut spans) in runs {
        assert_eq!(spans.len(), 6, "{group}: {spans:?}");
        spans.sort();
        for pair in spans.windows(2) {
            assert!(
                pair[1].0 >= pair[0].1,
                "two jobs of {group} overlapped: {pair:?}"
            );
        }
    }
    for e in ids {
        let rec = bus.get(e.id).await.expect("get").expect("record");
        assert_eq!(rec.status, Status::Succeeded);
        assert_eq!(rec.attempts, 1, "waiting for its group used an attempt");
    }
}

/// Concurrency 2, a running job of group g, a second job of g and an
/// ungrouped job: the second g job does not sit in the free slot, so the
/// ungrouped job runs while the first g job still runs.
pub async fn a_job_waiting_for_its_group_holds_no_slot(bus: Bus) {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let mut reg = Registry::new();
    let g = gate.clone();
    reg.register("gated", move |_ctx| {
        let g = g.clone();
        async move {
            let _p = g.acquire().await.map_err(JobError::retry)?;
            Ok(json!(null))
        }
    });
    let quick_done = Arc::new(AtomicBool::new(false));
    let d = quick_done.clone();
    reg.register("quick", move |_ctx| {
        let d = d.clone();
        async move {
            d.store(true, Ordering::SeqCst);
            Ok(json!(null))
        }
    });
    let first = bus.enqueue(grouped("gated", "g")).await.expect("enqueue");
    let second = bus.enqueue(grouped("gated", "g")).await.expect("enqueue");
    bus.enqueue(JobSpec::new(q(), "quick", json!({})))
        .await
        .expect("enqueue");
    let w = start(bus.clone(), Arc::new(reg), "w", 2);
    let d = quick_done.clone();
    eventually("the ungrouped job to run beside the gated one", || {
        let done = d.load(Ordering::SeqCst);
        async move { done.then_some(()) }
    })
    .await;
    let rec = bus.get(first.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Running);
    let rec = bus.get(second.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Queued, "{rec:?}");
    assert_eq!(rec.attempts, 0);
    gate.add_permits(10);
    succeeded(&[&w], 3).await;
    stop(w).await;
    let rec = bus.get(second.id).await.expect("get").expect("record");
    assert_eq!(rec.status, Status::Succeeded);
    assert_eq!(rec.attempts, 1);
}

/// The group stays held while its job heartbeats past the visibility timeout;
/// when the holder falls silent its job is taken over with the group, and
/// when that finishes the parked job runs.
pub async fn group_lease_follows_heartbeats_and_takeover(bus: Bus) {
    let vis = bus.config().visibility_timeout;
    let holder = bus.enqueue(grouped("x", "g")).await.expect("enqueue");
    let held = take_now(&bus, "holder").await;
    assert_eq!(held.len(), 1);
    // Heartbeats keep the job and its group past the visibility timeout.
    for _ in 0..6 {
        tokio::time::sleep(vis / 3).await;
        assert!(bus.heartbeat(&held[0].lease, "holder").await.expect("hb"));
    }
    let waiting = bus.enqueue(grouped("x", "g")).await.expect("enqueue");
    let got = take_now(&bus, "other").await;
    assert!(got.is_empty(), "the group is busy: {got:?}");
    let rec = bus.get(waiting.id).await.expect("get").expect("record");
    assert_eq!((rec.status, rec.attempts), (Status::Queued, 0));
    // The holder falls silent: its job (and group) is taken over, not the parked one.
    let bus2 = bus.clone();
    let rescued = eventually("the silent holder's job to be taken over", || {
        let bus = bus2.clone();
        async move {
            let mut got = bus
                .reserve(&[q()], 1, Duration::from_millis(50), "rescuer")
                .await
                .expect("reserve");
            got.pop()
        }
    })
    .await;
    assert_eq!(rescued.job.id, holder.id);
    assert!(take_now(&bus, "other").await.is_empty());
    // The late holder's acknowledgement does not free the rescuer's group.
    bus.complete(&held[0].lease, json!("late"))
        .await
        .expect("complete");
    assert!(
        take_now(&bus, "other").await.is_empty(),
        "the group is still the rescuer's"
    );
    bus.complete(&rescued.lease, json!(1))
        .await
        .expect("complete");
    let got = take_now(&bus, "other").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].job.id, waiting.id);
    assert_eq!(got[0].job.attempts, 1);
}
