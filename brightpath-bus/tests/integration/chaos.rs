//! Chaos: 1,000 jobs (200 of them in eight job groups) through three worker
//! processes that are SIGKILLed at random and restarted; every job's effect
//! must happen exactly once.
//!
//! Delivery is at least once, so "exactly once" is a property of the effect: the
//! handler commits it atomically and idempotently (SET NX on the job id, and a
//! counter bumped only when that SET wins) before returning Ok; only then is the
//! job acknowledged. A worker killed after the commit but before the ack makes
//! the job run again, and the second run changes nothing.
//!
//! Needs BRIGHTPATH_TEST_VALKEY_URL (skipped without it, failing under CI). The
//! worker processes are this test binary re-run with BRIGHTPATH_CHAOS_CHILD set.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use brightpath_bus::worker::{JobError, Registry, WorkerOptions, run_worker};
use brightpath_bus::{Bus, BusConfig, JobSpec, Queue, Status};
use serde_json::json;
use tokio::process::{Child, Command};

const JOBS: usize = 1000;
const WORKERS: usize = 3;
const KILLS: usize = 20;

fn config(url: &str, prefix: &str) -> BusConfig {
    let mut c = common::test_config(url);
    c.prefix = prefix.to_owned();
    c.visibility_timeout = Duration::from_secs(1);
    c
}

/// Tiny xorshift: randomness without a dependency.
struct Rng(u64);
impl Rng {
    fn new() -> Self {
        Self(uuid::Uuid::new_v4().as_u64_pair().0 | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Keys: effect marker, applied counter, invocation counter. Returns 1 if applied now.
const EFFECT: &str = r#"
redis.call('INCR', KEYS[3])
if redis.call('SET', KEYS[1], '1', 'NX') then
  redis.call('INCR', KEYS[2])
  return 1
end
return 0
"#;

/// The worker process. A no-op unless started by `chaos_kill_workers`.
#[test]
fn chaos_child() {
    if std::env::var_os("BRIGHTPATH_CHAOS_CHILD").is_none() {
        return;
    }
    let url = std::env::var("BRIGHTPATH_TEST_VALKEY_URL").expect("url");
    let prefix = std::env::var("BRIGHTPATH_CHAOS_PREFIX").expect("prefix");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let bus = Bus::connect(config(&url, &prefix)).await.expect("connect");
        let client_url = url.replacen("valkey://", "redis://", 1);
        let client = redis::Client::open(client_url).expect("client");
        let conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("conn");
        let script = Arc::new(redis::Script::new(EFFECT));
        let mut reg = Registry::new();
        reg.register("effect", move |ctx| {
            let mut conn = conn.clone();
            let script = script.clone();
            let prefix = prefix.clone();
            async move {
                let mut rng = Rng::new();
                tokio::time::sleep(Duration::from_millis(10 + rng.below(40))).await;
                if ctx.job.payload["flaky"] == json!(true) && ctx.job.attempts == 1 {
                    return Err(JobError::retry("flaky on its first attempt"));
                }
                let applied: i64 = script
                    .key(format!("{prefix}effect:{}", ctx.job.id))
                    .key(format!("{prefix}effects"))
                    .key(format!("{prefix}invocations"))
                    .invoke_async(&mut conn)
                    .await
                    .map_err(JobError::retry)?;
                // A kill here (committed, not yet acknowledged) must not double the effect.
                tokio::time::sleep(Duration::from_millis(rng.below(20))).await;
                Ok(json!({ "applied": applied }))
            }
        });
        let opts = WorkerOptions {
            queues: vec![Queue::default_queue()],
            concurrency: 8,
            poll_wait: Duration::from_millis(200),
            promote_interval: Duration::from_millis(100),
            ..WorkerOptions::default()
        };
        run_worker(bus, Arc::new(reg), opts, std::future::pending())
            .await
            .expect("worker");
    });
}

/// `chaos_child`'s name as the test harness knows it: its module path without
/// the test binary's own name, so the filter still matches if the file moves.
fn child_test_name() -> String {
    match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::chaos_child"),
        None => "chaos_child".to_owned(),
    }
}

fn spawn_worker(url: &str, prefix: &str) -> Child {
    let exe = std::env::current_exe().expect("current exe");
    Command::new(exe)
        .arg(child_test_name())
        .args(["--exact", "--nocapture", "--test-threads=1"])
        .env("BRIGHTPATH_CHAOS_CHILD", "1")
        .env("BRIGHTPATH_TEST_VALKEY_URL", url)
        .env("BRIGHTPATH_CHAOS_PREFIX", prefix)
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn worker process")
}

async fn get_u64(conn: &mut redis::aio::MultiplexedConnection, key: &str) -> u64 {
    let v: Option<u64> = redis::cmd("GET")
        .arg(key)
        .query_async(conn)
        .await
        .expect("GET");
    v.unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chaos_kill_workers() {
    let Some(url) = common::valkey_url() else {
        return;
    };
    let prefix = format!("bp-chaos:{}:", uuid::Uuid::new_v4().simple());
    let bus = Bus::connect(config(&url, &prefix)).await.expect("connect");
    let client = redis::Client::open(url.replacen("valkey://", "redis://", 1)).expect("client");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");

    let mut ids = Vec::with_capacity(JOBS);
    for n in 0..JOBS {
        let mut spec = JobSpec::new(
            Queue::default_queue(),
            "effect",
            json!({ "n": n, "flaky": n % 10 == 0 }),
        )
        .max_attempts(10);
        if n % 5 == 0 {
            // Every fifth job in one of eight groups: a killed holder's group
            // must pass on, and no parked job may be left behind.
            spec = spec.group(format!("family:{}", (n / 5) % 8));
        }
        ids.push(bus.enqueue(spec).await.expect("enqueue").id);
    }

    let mut workers: Vec<Child> = (0..WORKERS).map(|_| spawn_worker(&url, &prefix)).collect();
    let mut rng = Rng::new();
    let mut kills = 0;
    let effects_key = format!("{prefix}effects");
    // A bound against hangs only; nothing asserts on timing.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    loop {
        tokio::time::sleep(Duration::from_millis(100 + rng.below(200))).await;
        let done = get_u64(&mut conn, &effects_key).await;
        if done >= JOBS as u64 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "stuck at {done} of {JOBS} effects"
        );
        if kills < KILLS {
            let i = rng.below(WORKERS as u64) as usize;
            workers[i].start_kill().expect("SIGKILL");
            let _ = workers[i].wait().await;
            workers[i] = spawn_worker(&url, &prefix);
            kills += 1;
        }
    }

    // Every job must end acknowledged as succeeded (the last acks may still be in flight).
    for id in &ids {
        common::eventually("job acknowledged", || {
            let bus = bus.clone();
            let id = *id;
            async move {
                let rec = bus.get(id).await.expect("get").expect("record");
                assert_ne!(
                    rec.status,
                    Status::Dead,
                    "job {id} dead: {:?}",
                    rec.last_error
                );
                (rec.status == Status::Succeeded).then_some(())
            }
        })
        .await;
    }
    for w in &mut workers {
        let _ = w.start_kill();
        let _ = w.wait().await;
    }

    let effects = get_u64(&mut conn, &effects_key).await;
    let invocations = get_u64(&mut conn, &format!("{prefix}invocations")).await;
    let keys: Vec<String> = ids
        .iter()
        .map(|id| format!("{prefix}effect:{id}"))
        .collect();
    let marks: Vec<Option<String>> = redis::cmd("MGET")
        .arg(&keys)
        .query_async(&mut conn)
        .await
        .expect("MGET");
    eprintln!(
        "chaos: {JOBS} jobs, {kills} SIGKILLs, {invocations} effect invocations, {effects} effects applied"
    );
    assert_eq!(effects, JOBS as u64, "each effect applied exactly once");
    assert!(
        marks.iter().all(Option::is_some),
        "every job's effect is present"
    );
    assert!(invocations >= JOBS as u64);
}
