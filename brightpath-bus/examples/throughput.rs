//! End-to-end throughput of no-op jobs: enqueue → handled → acknowledged.
//!
//! `cargo run --release -p brightpath-bus --example throughput -- --url redis://127.0.0.1:6379`
//! Options: `--jobs N` (20000), `--concurrency C` (64), `--producers P` (8),
//! `--workers W` (1: worker loops, each with its own connections).
//! Four phases: enqueue only; batch enqueue (`enqueue_many`); drain only (the
//! backlog of both); both at once (steady state). Against Valkey, each phase
//! also reports CPU time per job: the server's (`INFO cpu`) and this
//! process's (`/proc/self/stat`, Linux only).

use std::sync::Arc;
use std::time::{Duration, Instant};

use brightpath_bus::worker::{Registry, WorkerOptions, run_worker};
use brightpath_bus::{Bus, BusConfig, JobSpec, Queue};

struct Args {
    url: String,
    jobs: usize,
    concurrency: usize,
    producers: usize,
    workers: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        url: "memory://".into(),
        jobs: 20_000,
        concurrency: 64,
        producers: 8,
        workers: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let num = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--url" => a.url = value.clone(),
            "--jobs" => a.jobs = num()?,
            "--concurrency" => a.concurrency = num()?,
            "--producers" => a.producers = num()?,
            "--workers" => a.workers = num()?.max(1),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(a)
}

async fn enqueue_all(bus: &Bus, jobs: usize, producers: usize) {
    let per = jobs.div_ceil(producers.max(1));
    let mut tasks = Vec::new();
    for p in 0..producers.max(1) {
        let bus = bus.clone();
        let n = per.min(jobs.saturating_sub(p * per));
        tasks.push(tokio::spawn(async move {
            for i in 0..n {
                let spec = JobSpec::new(Queue::default_queue(), "noop", serde_json::json!(i));
                if let Err(e) = bus.enqueue(spec).await {
                    eprintln!("enqueue failed: {e}");
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// CPU seconds used so far by the server (None for the in-process bus).
async fn server_cpu(url: &str) -> Option<f64> {
    let client = redis::Client::open(url.replacen("valkey://", "redis://", 1)).ok()?;
    let mut c = client.get_multiplexed_async_connection().await.ok()?;
    let info: String = redis::cmd("INFO")
        .arg("cpu")
        .query_async(&mut c)
        .await
        .ok()?;
    let field = |name: &str| -> Option<f64> {
        info.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))?
            .trim()
            .parse()
            .ok()
    };
    Some(field("used_cpu_sys")? + field("used_cpu_user")?)
}

/// CPU seconds used so far by this process (user + system; 100 ticks a second).
fn own_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU readings (server, client) at a phase's start.
struct Cpu(Option<f64>, Option<f64>);

impl Cpu {
    async fn now(url: &str) -> Self {
        Self(server_cpu(url).await, own_cpu())
    }
    /// Server and client CPU time per job since `self`, in microseconds.
    async fn per_job(&self, url: &str, jobs: usize) -> String {
        let end = Self::now(url).await;
        let us = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.1}", (b - a) * 1e6 / jobs as f64),
            _ => "-".to_owned(),
        };
        format!(
            "  cpu/job: server {} us, client {} us",
            us(self.0, end.0),
            us(self.1, end.1)
        )
    }
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args()?;
    let mut config = BusConfig::new(&a.url);
    config.prefix = format!("bp-bench:{}:", uuid::Uuid::new_v4().simple());
    // Records of finished no-op jobs need not outlive the run.
    config.retention = Duration::from_secs(120);
    let bus = Bus::connect(config).await?;
    let mut reg = Registry::new();
    reg.register("noop", |_ctx| async { Ok(serde_json::Value::Null) });
    let reg = Arc::new(reg);
    println!(
        "backend={} jobs={} concurrency={} producers={}",
        bus.backend_name(),
        a.jobs,
        a.concurrency,
        a.producers
    );

    // Phase 1: enqueue only.
    let cpu = Cpu::now(&a.url).await;
    let t = Instant::now();
    enqueue_all(&bus, a.jobs, a.producers).await;
    let enq = t.elapsed();
    println!(
        "enqueue only:       {:>9.0} jobs/s ({:.2?}){}",
        rate(a.jobs, enq),
        enq,
        cpu.per_job(&a.url, a.jobs).await
    );

    // Phase 2: batch enqueue.
    let cpu = Cpu::now(&a.url).await;
    let t = Instant::now();
    let batch: Vec<JobSpec> = (0..a.jobs)
        .map(|i| JobSpec::new(Queue::default_queue(), "noop", serde_json::json!(i)))
        .collect();
    bus.enqueue_many(batch).await?;
    let many = t.elapsed();
    println!(
        "batch enqueue:      {:>9.0} jobs/s ({:.2?}){}",
        rate(a.jobs, many),
        many,
        cpu.per_job(&a.url, a.jobs).await
    );

    // Phase 3: drain the backlog (both phases' jobs).
    let mut workers = Vec::new();
    let mut all_metrics = Vec::new();
    let (tx, rx) = tokio::sync::watch::channel(false);
    for _ in 0..a.workers {
        let opts = WorkerOptions {
            queues: vec![Queue::default_queue()],
            concurrency: a.concurrency,
            poll_wait: Duration::from_millis(200),
            ..WorkerOptions::default()
        };
        all_metrics.push(opts.metrics.clone());
        let wbus = Bus::connect(bus.config().clone()).await?;
        let mut rx = rx.clone();
        workers.push(tokio::spawn(run_worker(
            wbus,
            reg.clone(),
            opts,
            async move {
                let _ = rx.wait_for(|s| *s).await;
            },
        )));
    }
    let done = || all_metrics.iter().map(|m| m.succeeded_total()).sum::<u64>();
    let cpu = Cpu::now(&a.url).await;
    let t = Instant::now();
    while done() < 2 * a.jobs as u64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let drain = t.elapsed();
    println!(
        "drain (run + ack):  {:>9.0} jobs/s ({:.2?}){}",
        rate(2 * a.jobs, drain),
        drain,
        cpu.per_job(&a.url, 2 * a.jobs).await
    );

    // Phase 4: enqueue while the workers run: end to end.
    let cpu = Cpu::now(&a.url).await;
    let t = Instant::now();
    enqueue_all(&bus, a.jobs, a.producers).await;
    while done() < 3 * a.jobs as u64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let e2e = t.elapsed();
    println!(
        "end to end:         {:>9.0} jobs/s ({:.2?}){}",
        rate(a.jobs, e2e),
        e2e,
        cpu.per_job(&a.url, a.jobs).await
    );

    let _ = tx.send(true);
    for w in workers {
        w.await??;
    }
    Ok(())
}
