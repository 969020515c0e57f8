//! Plans made by this worker process: how many, how long the solver took and
//! the scores it reached, in Prometheus text (appended to the worker's
//! `/metrics`). Process-wide, like the planner jobs that feed it.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use brightpath_bus::worker::Histogram;

/// Upper bounds of the solve-time buckets, in seconds.
const BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

struct Counts {
    solve: Histogram,
    score_sum: i64,
    unscheduled_sum: i64,
}

static PLANS: Mutex<Counts> = Mutex::new(Counts {
    solve: Histogram::new(&BUCKETS),
    score_sum: 0,
    unscheduled_sum: 0,
});

/// Counts one plan: its solve time, its score total and its unscheduled penalty.
pub fn observe(took: Duration, score_total: i64, unscheduled: i64) {
    let secs = took.as_secs_f64();
    let mut c = PLANS.lock().unwrap_or_else(|p| p.into_inner());
    c.solve.observe(secs);
    c.score_sum += score_total;
    c.unscheduled_sum += unscheduled;
}

/// The counts as Prometheus text.
pub fn render() -> String {
    let c = PLANS.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = String::new();
    out.push_str("# HELP brightpath_plan_solve_seconds Time to plan one family's week.\n");
    out.push_str("# TYPE brightpath_plan_solve_seconds histogram\n");
    c.solve
        .render(&mut out, "brightpath_plan_solve_seconds", "");
    let plans = c.solve.count();
    out.push_str("# HELP brightpath_plan_score Score totals of the plans made (a penalty: lower is better).\n");
    out.push_str("# TYPE brightpath_plan_score summary\n");
    let _ = writeln!(out, "brightpath_plan_score_sum {}", c.score_sum);
    let _ = writeln!(out, "brightpath_plan_score_count {plans}");
    out.push_str("# HELP brightpath_plan_unscheduled_penalty_total Score penalty for sessions that found no slot.\n");
    out.push_str("# TYPE brightpath_plan_unscheduled_penalty_total counter\n");
    let _ = writeln!(
        out,
        "brightpath_plan_unscheduled_penalty_total {}",
        c.unscheduled_sum
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_counted_in_cumulative_buckets() {
        let before = PLANS.lock().map(|c| c.solve.count()).unwrap_or(0);
        observe(Duration::from_millis(300), 120, 20);
        let text = render();
        let count = before + 1;
        assert!(
            text.contains(&format!("brightpath_plan_solve_seconds_count {count}")),
            "{text}"
        );
        assert!(text.contains(&format!(
            "brightpath_plan_solve_seconds_bucket{{le=\"+Inf\"}} {count}"
        )));
        let in_half_second: u64 = text
            .lines()
            .find_map(|l| l.strip_prefix("brightpath_plan_solve_seconds_bucket{le=\"0.5\"} "))
            .and_then(|n| n.parse().ok())
            .expect("0.5 bucket");
        assert!(in_half_second >= 1);
        assert!(text.contains("# TYPE brightpath_plan_score summary"));
    }
}
