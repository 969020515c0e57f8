//! Any bytes as a plan request: parsing never panics; a request that parses
//! is solved (a small, fixed budget), and the plan keeps every hard
//! constraint and carries the referee's score.
#![no_main]

use brightpath_planner::{Effort, SolveOptions, check, parse_request, score, solve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(req) = parse_request(text) else {
        return;
    };
    let opts = SolveOptions {
        seed: data.len() as u64,
        effort: Effort::Batch,
        iterations: Some(2_000),
        ..Default::default()
    };
    let plan = solve(&req, &opts).expect("a request without pins always solves");
    let broken = check(&req, &plan.sessions);
    assert!(broken.is_empty(), "invalid plan: {broken:?}");
    assert_eq!(score(&req, &plan.sessions), plan.score, "score differs");
    // The plan's JSON is what callers read: it must be well formed.
    let json = plan.to_json();
    assert!(
        brightpath_planner::parse_json(&json).is_ok(),
        "bad plan JSON"
    );
});
