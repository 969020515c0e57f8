//! Writes the features of the demo school year (core's `play_history` up to
//! 2026-11-29 on a temp SQLite store) to a CSV file, with the time-based
//! split marked, and prints linfa's figures for the same split, for the
//! scikit-learn reference in `reference/`.
//!
//! ```text
//! cargo run -p brightpath-learn --example export_features -- OUT.csv
//! ```

use brightpath_core::Store;
use brightpath_core::services::demo;
use brightpath_learn::{Evaluation, Target, evaluate, rows};
use jiff::civil::Date;

fn print(ev: &Evaluation) {
    println!(
        "{:?}: train {} weeks / {} rows, test {} weeks / {} rows",
        ev.target, ev.train_weeks, ev.train_rows, ev.test_weeks, ev.test_rows
    );
    if let Some(m) = ev.model {
        println!(
            "  {:<18} MAE {:.4}  RMSE {:.4}  Spearman {:.4}",
            "linfa ridge", m.mae, m.rmse, m.spearman
        );
    }
    for (name, m) in &ev.baselines {
        println!(
            "  {:<18} MAE {:.4}  RMSE {:.4}  Spearman {:.4}",
            name, m.mae, m.rmse, m.spearman
        );
    }
    println!("  choice: {:?} ({})", ev.choice, ev.reason);
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: export_features OUT.csv")?;
    let today = Date::constant(2026, 11, 29);
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let store = Store::open(&url).await?;
    let summary = demo::build_with(&store, today, demo::DemoOptions { history: true }).await?;
    let f = summary.family.id.clone();
    demo::play_history(&store, &summary.family, today, 1).await?;
    let (sessions, ratings, students, courses) = {
        let mut tx = store.read().await?;
        (
            tx.all_sessions(&f).await?,
            tx.ratings_between(&f, None).await?,
            tx.students(&f).await?,
            tx.courses(&f).await?,
        )
    };
    let (rows, cleaning) = rows(&sessions, &ratings, &students, &courses);
    let lengths = evaluate(Target::Lengths, &rows);
    let engagement = evaluate(Target::Engagement, &rows);
    let split = |ev: &Evaluation, week: Date| match ev.test_from {
        Some(from) if week >= from => "test",
        Some(_) => "train",
        None => "none",
    };
    let mut w = csv::Writer::from_path(&out)?;
    w.write_record([
        "session_id",
        "date",
        "week",
        "child",
        "course",
        "subject",
        "planned",
        "start",
        "hour",
        "daypart",
        "weekday",
        "position",
        "shared",
        "recent_difficulty",
        "minutes",
        "engagement",
        "split_lengths",
        "split_engagement",
    ])?;
    for r in &rows {
        let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        w.write_record([
            r.session_id.clone(),
            r.date.to_string(),
            r.week.to_string(),
            r.child.clone(),
            r.course.clone(),
            r.subject.clone(),
            r.planned.to_string(),
            r.start.to_string(),
            format!("{:02}", r.hour()),
            r.daypart().as_str().to_string(),
            r.weekday.name()[..3].to_lowercase(),
            r.position.to_string(),
            u8::from(r.shared).to_string(),
            r.recent_difficulty.to_string(),
            opt(r.minutes),
            opt(r.engagement),
            split(&lengths, r.week).to_string(),
            split(&engagement, r.week).to_string(),
        ])?;
    }
    w.flush()?;
    println!(
        "{} rows written to {out}; cleaning: {cleaning:?}",
        rows.len()
    );
    print(&lengths);
    print(&engagement);
    Ok(())
}
