//! Start-up time of the planner with a full school year of data: builds the
//! demo school in a temp SQLite file, plans every week of its school year,
//! then times what stands between `brightpath tui` and a full first frame
//! (load the week, draw it into a TestBackend at 80×24). Prints the median.
//!
//! `cargo run --release -p brightpath-tui --example startup [runs]`

use std::time::{Duration, Instant};

use brightpath_core::Store;
use brightpath_core::calendar::add_days;
use brightpath_core::services::{demo, planning};
use brightpath_tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(25);
    let today = jiff::civil::date(2026, 11, 29);
    let dir = std::env::temp_dir().join(format!("brightpath-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("bp.db").display());
    let store = Store::open(&url).await?;
    let summary = demo::build(&store, today).await?;
    let family = summary.family;

    let years = store.tx().await?.years(&family.id).await?;
    let year = years.first().ok_or("the demo has no school year")?;
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "bench".into(),
        ..Default::default()
    };
    let t = Instant::now();
    let mut week = brightpath_core::calendar::monday_of(year.start);
    let mut weeks = 0;
    while week <= year.end {
        planning::plan_week(&store, &family, week, &opts).await?;
        week = add_days(week, 7);
        weeks += 1;
    }
    let sessions = store.tx().await?.all_sessions(&family.id).await?.len();
    println!(
        "planned {weeks} weeks ({sessions} sessions) in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let mut app = App::new(store.clone(), family.clone(), today, true);
        let start = app.start();
        app.run_inline(start).await;
        let mut term = Terminal::new(TestBackend::new(80, 24))?;
        app.draw(&mut term)?;
        times.push(t.elapsed());
        if app.model.week_view.is_none() {
            return Err("the week did not load".into());
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "first frame (load + draw, 80x24): median {:.1} ms, min {:.1} ms, max {:.1} ms over {runs} runs",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
