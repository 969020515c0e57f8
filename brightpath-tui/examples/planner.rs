//! Runs the planner on a database without the CLI, for trying the TUI out
//! while it is being built: builds the demo school (and plans its week) when
//! the database has no family yet.
//!
//! `cargo run -p brightpath-tui --example planner -- sqlite:///tmp/bp.db`
//! The settings are read as the CLI reads them, without flags
//! (`BRIGHTPATH_TODAY=2026-11-29` fixes today, `BRIGHTPATH_TUI__MOUSE=off`…).

use brightpath_core::Store;
use brightpath_core::calendar::planning_week;
use brightpath_core::config::Config;
use brightpath_core::services::{demo, planning};

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: planner sqlite:///path/to/file.db")?;
    let settings = Config::from_env()?.settings;
    let today = settings.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let store = Store::open(&url).await?;
    let families = store.tx().await?.all_families().await?;
    let family = match families.into_iter().next() {
        Some(f) => f,
        None => {
            let family = demo::build(&store, today).await?.family;
            let opts = planning::PlanOptions {
                seed: 1,
                actor: "demo".into(),
                ..Default::default()
            };
            planning::plan_week(&store, &family, planning_week(today), &opts).await?;
            family
        }
    };
    let no_color = std::env::var("NO_COLOR").ok();
    let options = brightpath_tui::Options {
        actor: "planner example".into(),
        color: settings.color.wanted(no_color.as_deref(), true),
        mouse: settings.tui.mouse,
        // Training after marks is the CLI's (`brightpath tui`); the nightly
        // job covers marks made here.
        after_marks: None,
    };
    Ok(brightpath_tui::run(store, family, today, options).await?)
}
