//! Marks and reads with a school year of history: the demo school with every
//! week from August to `--today` planned and marked (`play_history`), then
//! `--rounds` times each of: mark one session done with feedback (by id),
//! skip one, `plan show`'s week view, `today`'s agenda, and the feedback
//! export; then rates one child of each open group lesson on their own;
//! prints the median, 95th percentile and worst in milliseconds.
//!
//!   cargo run --release -p brightpath-core --example mark_bench -- [--today 2027-05-10] [--rounds 40] [--db URL]
//!
//! Without --db it uses a fresh SQLite file in a temp directory; a --db
//! database must be empty (the bench writes a demo school into it).

use std::future::Future;
use std::time::Instant;

use brightpath_core::Store;
use brightpath_core::calendar::{add_days, parse_date};
use brightpath_core::services::progress::{self, DoneInput, RatingInput, Selector};
use brightpath_core::services::{demo, lists, planning, view};

#[path = "support/bench.rs"]
mod bench;

use bench::arg;

fn report(what: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what:<28} n {:>3}  median {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
        ms.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

async fn time<F: Future<Output = brightpath_core::Result<T>>, T>(
    out: &mut Vec<f64>,
    f: F,
) -> brightpath_core::Result<T> {
    let t = Instant::now();
    let r = f.await?;
    out.push(t.elapsed().as_secs_f64() * 1e3);
    Ok(r)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = parse_date("--today", &arg("--today").unwrap_or("2027-05-10".into()))?;
    let rounds: usize = arg("--rounds").unwrap_or("40".into()).parse()?;
    let dir = tempfile::tempdir()?;
    let url = arg("--db")
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store = Store::open(&url).await?;
    let t = Instant::now();
    let summary = demo::build_with(&store, today, demo::DemoOptions { history: true }).await?;
    let f = summary.family;
    let played = demo::play_history(&store, &f, today, 1).await?;
    // The weeks to mark in: this one and the next two.
    for k in 0..3 {
        let opts = planning::PlanOptions {
            seed: 1,
            actor: "bench".into(),
            today: Some(today),
            effort: brightpath_core::planner::Effort::Batch,
            ..Default::default()
        };
        planning::plan_week(&store, &f, add_days(summary.week, 7 * k), &opts).await?;
    }
    let all = lists::feedback(&store, &f.id).await?.sessions;
    println!(
        "history: {} weeks, {} sessions ({} done, {} skipped) built in {:.1} s",
        played.weeks,
        all.len(),
        played.done,
        played.skipped,
        t.elapsed().as_secs_f64()
    );
    // Sessions of the current week and later, still open, to mark.
    let open: Vec<_> = all
        .iter()
        .filter(|s| s.status.is_open() && s.date >= today)
        .map(|s| s.id.clone())
        .collect();
    let (mut done, mut skip, mut show, mut agenda, mut export) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, id) in open.iter().take(rounds * 2).enumerate() {
        let sel = Selector::one(id, None);
        if i % 2 == 0 {
            let input = DoneInput {
                actual_minutes: Some(30),
                engagement: Some(4),
                ..Default::default()
            };
            time(
                &mut done,
                progress::mark_done(&store, &f, &sel, input, "bench", today),
            )
            .await?;
        } else {
            time(
                &mut skip,
                progress::skip(&store, &f, &sel, "bench", "bench", today),
            )
            .await?;
        }
        let v = time(&mut show, view::load_week(&store, &f, summary.week)).await?;
        time(&mut agenda, async {
            let v = view::load_week(&store, &f, today).await?;
            Ok(view::agenda(&v, today))
        })
        .await?;
        drop(v);
        time(
            &mut export,
            lists::feedback_rows(
                &store,
                &f.id,
                add_days(today, -300),
                add_days(today, 7),
                None,
            ),
        )
        .await?;
    }
    if done.is_empty() {
        return Err("no open session to mark this week".into());
    }
    // One child of a group lesson rated on their own (the lesson marked by it).
    let marked: std::collections::HashSet<&String> = open.iter().take(rounds * 2).collect();
    let mut rated = Vec::new();
    for s in all
        .iter()
        .filter(|s| s.student_ids.len() > 1 && s.status.is_open() && s.date >= today)
        .filter(|s| !marked.contains(&s.id))
        .take(rounds)
    {
        let input = DoneInput {
            ratings: vec![RatingInput {
                student: s.student_ids[0].clone(),
                engagement: Some(5),
                difficulty: Some(2),
                ..Default::default()
            }],
            ..Default::default()
        };
        let sel = Selector::one(&s.id, None);
        time(
            &mut rated,
            progress::mark_done(&store, &f, &sel, input, "bench", today),
        )
        .await?;
    }
    report("done (one session, feedback)", done);
    report("skip (one session)", skip);
    if !rated.is_empty() {
        report("done (one child's rating)", rated);
    }
    report("plan show (week view)", show);
    report("today (agenda)", agenda);
    report("feedback export (year)", export);
    // Its parts: the year's marked sessions, and the children's ratings.
    let (mut marked, mut rated_year) = (Vec::new(), Vec::new());
    let span = (add_days(today, -300), add_days(today, 7));
    for _ in 0..rounds {
        let mut tx = store.read().await?;
        time(&mut marked, tx.marked_sessions(&f.id, span.0, span.1)).await?;
        time(&mut rated_year, tx.ratings_between(&f.id, Some(span))).await?;
    }
    report("  marked sessions (year)", marked);
    report("  children's ratings (year)", rated_year);
    Ok(())
}
