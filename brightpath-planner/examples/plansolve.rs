//! Solves one request file and prints the plan JSON: the whole job as one process,
//! for timing with hyperfine.
//!   cargo run --release -p brightpath-planner --example plansolve -- REQUEST.json
//!       [--seed N] [--batch] [--threads N]

use brightpath_planner::{Effort, SolveOptions, parse_request, solve};

fn main() {
    let mut opts = SolveOptions::default();
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => opts.seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--threads" => opts.threads = args.next().and_then(|v| v.parse().ok()),
            "--batch" => opts.effort = Effort::Batch,
            _ => file = Some(a),
        }
    }
    let Some(file) = file else {
        eprintln!("usage: plansolve REQUEST.json [--seed N] [--batch] [--threads N]");
        std::process::exit(2)
    };
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    let req = parse_request(&text).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1)
    });
    match solve(&req, &opts) {
        Ok(plan) => println!("{}", plan.to_json()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}
