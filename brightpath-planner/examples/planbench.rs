//! Solves request files several times and prints, per file, the median wall time,
//! the score and whether the plan passes `check`.
//!   cargo run --release -p brightpath-planner --example planbench -- FILES... [--seed N]
//!       [--time-limit MS] [--runs N] [--out DIR] [--iterations N] [--threads N] [--batch]
//! Each timing covers the whole job: reading and validating the request, solving.

use std::time::{Duration, Instant};

use brightpath_planner::{SolveOptions, check, parse_request, solve};

/// CPU time of this process so far (user + system), in ms, from /proc (Linux);
/// with other builds sharing the cores, wall time alone says little.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // fields after the command name, which is in parentheses
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0) // USER_HZ is 100 on Linux
}

fn main() {
    let mut files = Vec::new();
    let mut opts = SolveOptions::default();
    let mut runs = 5usize;
    let mut out_dir: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> u64 {
            args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("{what} needs a number");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--seed" => opts.seed = num("--seed"),
            "--time-limit" => opts.time_limit = Some(Duration::from_millis(num("--time-limit"))),
            "--runs" => runs = num("--runs").max(1) as usize,
            "--iterations" => opts.iterations = Some(num("--iterations")),
            "--threads" => opts.threads = Some(num("--threads") as usize),
            "--batch" => opts.effort = brightpath_planner::Effort::Batch,
            "--out" => out_dir = args.next(),
            _ => files.push(a),
        }
    }
    let mut failed = false;
    for f in &files {
        let mut times = Vec::new();
        let mut last = None;
        let cpu0 = cpu_ms();
        for _ in 0..runs {
            let t = Instant::now();
            let text = match std::fs::read_to_string(f) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{f}: {e}");
                    std::process::exit(2)
                }
            };
            let req = match parse_request(&text) {
                Ok(r) => r,
                Err(e) => {
                    println!("{f} invalid: {e}");
                    failed = true;
                    break;
                }
            };
            let plan = solve(&req, &opts);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some((req, plan));
        }
        let cpu = match (cpu0, cpu_ms()) {
            (Some(a), Some(b)) if !times.is_empty() => {
                format!("{:.0}", (b - a) / times.len() as f64)
            }
            _ => "?".into(),
        };
        let Some((req, plan)) = last else { continue };
        let plan = match plan {
            Ok(p) => p,
            Err(e) => {
                println!("{f} error: {e}");
                failed = true;
                continue;
            }
        };
        times.sort_by(f64::total_cmp);
        let valid = check(&req, &plan.sessions).is_empty();
        failed |= !valid;
        let s = plan.score;
        println!(
            "{f} median_ms={:.1} cpu_ms={cpu} total={} valid={valid} unscheduled={} preferred={} spread={} balance={} idle={}",
            times[times.len() / 2],
            s.total,
            s.unscheduled,
            s.preferred,
            s.spread,
            s.balance,
            s.idle
        );
        if let Some(dir) = &out_dir {
            let name = std::path::Path::new(f)
                .file_stem()
                .and_then(|x| x.to_str())
                .unwrap_or("plan");
            let path = format!("{dir}/{name}.plan.json");
            if let Err(e) = std::fs::write(&path, plan.to_json()) {
                eprintln!("{path}: {e}");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
