//! Valkey restarted (SIGKILL) mid-run with appendonly yes + appendfsync always:
//! no acknowledged enqueue is lost, and the worker reconnects and runs them all.
//!
//! Needs BRIGHTPATH_TEST_VALKEY_SERVER, the path of a valkey-server binary (the
//! test starts its own on a free port); skipped without it, failing under CI.

use crate::common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use brightpath_bus::worker::{Registry, WorkerOptions, run_worker};
use brightpath_bus::{Bus, JobSpec, Queue, Status};
use serde_json::json;
use tokio::process::{Child, Command};

const JOBS: usize = 400;

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn start_server(bin: &str, port: u16, dir: &std::path::Path) -> Child {
    start(bin, port, dir, true)
}

fn start(bin: &str, port: u16, dir: &std::path::Path, persist: bool) -> Child {
    let aof: &[&str] = if persist {
        &["--appendonly", "yes", "--appendfsync", "always"]
    } else {
        &["--appendonly", "no"]
    };
    let port = port.to_string();
    Command::new(bin)
        .args(["--port", &port, "--bind", "127.0.0.1", "--save", ""])
        .args(aof)
        .arg("--dir")
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start valkey-server")
}

async fn wait_up(url: &str) {
    let client = redis::Client::open(url).expect("client");
    common::eventually("valkey to accept connections", || {
        let client = client.clone();
        async move {
            let mut c = client.get_multiplexed_async_connection().await.ok()?;
            let pong: redis::RedisResult<String> = redis::cmd("PING").query_async(&mut c).await;
            pong.ok()
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_loses_no_acknowledged_enqueue() {
    let Some(bin) = common::env_or_skip("BRIGHTPATH_TEST_VALKEY_SERVER") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("bp-valkey-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let port = free_port();
    let url = format!("redis://127.0.0.1:{port}");
    let mut server = start_server(&bin, port, &dir);
    wait_up(&url).await;

    let mut cfg = common::test_config(&url);
    cfg.visibility_timeout = Duration::from_secs(1);
    let bus = Bus::connect(cfg).await.expect("connect");
    assert_eq!(
        bus.persistence().await.expect("persistence"),
        brightpath_bus::Persistence::AppendOnly
    );

    let handled: Arc<Mutex<HashSet<uuid::Uuid>>> = Arc::default();
    let mut reg = Registry::new();
    let h = handled.clone();
    reg.register("note", move |ctx| {
        let h = h.clone();
        async move {
            h.lock().expect("lock").insert(ctx.job.id);
            Ok(json!(null))
        }
    });
    let opts = WorkerOptions {
        queues: vec![Queue::default_queue()],
        concurrency: 4,
        poll_wait: Duration::from_millis(200),
        ..WorkerOptions::default()
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(run_worker(bus.clone(), Arc::new(reg), opts, async {
        let _ = stop_rx.await;
    }));

    // The producer retries each enqueue (same idempotency key) until acknowledged.
    let acked: Arc<Mutex<Vec<uuid::Uuid>>> = Arc::default();
    let failed_tries = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let producer = {
        let bus = bus.clone();
        let acked = acked.clone();
        let failed_tries = failed_tries.clone();
        tokio::spawn(async move {
            for n in 0..JOBS {
                loop {
                    let spec = JobSpec::new(Queue::default_queue(), "note", json!(n))
                        .idempotency_key(format!("restart-{n}"));
                    match bus.enqueue(spec).await {
                        Ok(e) => {
                            acked.lock().expect("lock").push(e.id);
                            break;
                        }
                        Err(_) => {
                            failed_tries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };

    common::eventually("a third of the jobs enqueued", || {
        let n = acked.lock().expect("lock").len();
        async move { (n >= JOBS / 3).then_some(()) }
    })
    .await;
    let at_kill = acked.lock().expect("lock").len();
    assert!(at_kill < JOBS, "the restart must happen mid-run");
    server.start_kill().expect("SIGKILL valkey");
    let _ = server.wait().await;
    let mut server = start_server(&bin, port, &dir);
    wait_up(&url).await;
    producer.await.expect("producer");

    let acked: Vec<uuid::Uuid> = acked.lock().expect("lock").clone();
    assert_eq!(
        acked.iter().collect::<HashSet<_>>().len(),
        JOBS,
        "one job per idempotency key"
    );
    for id in &acked {
        let rec = common::eventually("acknowledged job handled", || {
            let bus = bus.clone();
            let id = *id;
            async move {
                bus.get(id)
                    .await
                    .ok()
                    .flatten()
                    .filter(|r| r.status == Status::Succeeded)
            }
        })
        .await;
        assert_eq!(rec.status, Status::Succeeded);
    }
    eprintln!(
        "restart: killed valkey after {at_kill} of {JOBS} acknowledged enqueues; {} enqueue tries failed and were retried",
        failed_tries.load(std::sync::atomic::Ordering::Relaxed)
    );
    let h = handled.lock().expect("lock").clone();
    assert!(acked.iter().all(|id| h.contains(id)));
    let _ = stop_tx.send(());
    worker.await.expect("join").expect("worker");
    let _ = server.start_kill();
    let _ = server.wait().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server restarted empty (no persistence) loses its streams and consumer
/// group; the worker must notice (NOGROUP), recreate them and go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_recovers_after_restart_without_persistence() {
    let Some(bin) = common::env_or_skip("BRIGHTPATH_TEST_VALKEY_SERVER") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("bp-valkey-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let port = free_port();
    let url = format!("redis://127.0.0.1:{port}");
    let mut server = start(&bin, port, &dir, false);
    wait_up(&url).await;
    let bus = Bus::connect(common::test_config(&url))
        .await
        .expect("connect");
    let mut reg = Registry::new();
    reg.register("noop", |_ctx| async { Ok(json!(null)) });
    let opts = WorkerOptions {
        queues: vec![Queue::default_queue()],
        poll_wait: Duration::from_millis(200),
        ..WorkerOptions::default()
    };
    let metrics = opts.metrics.clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(run_worker(bus.clone(), Arc::new(reg), opts, async {
        let _ = stop_rx.await;
    }));
    let spec = || JobSpec::new(Queue::default_queue(), "noop", json!(null));
    bus.enqueue(spec()).await.expect("enqueue");
    common::eventually("first job done", || {
        let m = metrics.clone();
        async move { (m.succeeded_total() >= 1).then_some(()) }
    })
    .await;
    server.start_kill().expect("SIGKILL valkey");
    let _ = server.wait().await;
    let mut server = start(&bin, port, &dir, false);
    wait_up(&url).await;
    let id = common::eventually("enqueue after restart", || {
        let bus = bus.clone();
        async move { bus.enqueue(spec()).await.ok() }
    })
    .await
    .id;
    common::eventually("job after restart done", || {
        let bus = bus.clone();
        async move {
            bus.get(id)
                .await
                .ok()
                .flatten()
                .filter(|r| r.status == Status::Succeeded)
        }
    })
    .await;
    let _ = stop_tx.send(());
    worker.await.expect("join").expect("worker");
    let _ = server.start_kill();
    let _ = server.wait().await;
    let _ = std::fs::remove_dir_all(&dir);
}
