//! Does planning with what was learned help? The demo family's year played
//! twice from the same seed through core's simulator (hidden effects: Math 5
//! runs 15 % long, Ada slower after lunch, Cora most engaged before 10:00):
//! once with `learning = suggest` (plans as the courses say), once with
//! `apply`, retraining before every week from week `--from` on (as the
//! nightly `ml.train` would) and planning with the current model. Prints,
//! for the weeks from `--from` on, the lessons that ran over their planned
//! time, the minutes they ran over, and the mean engagement.
//!
//! ```text
//! cargo run -p brightpath-learn --example learning_sim -- [--today 2027-05-10] [--from 6] [--seed 1]
//! ```

use brightpath_core::Store;
use brightpath_core::calendar::{add_days, monday_of, parse_date, planning_week};
use brightpath_core::config::Learning;
use brightpath_core::services::demo::{self, Simulation, WeekPlay};
use brightpath_core::services::{learned, lists};

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

#[derive(Default)]
struct Tally {
    weeks: usize,
    play: WeekPlay,
}

impl Tally {
    fn add(&mut self, p: WeekPlay) {
        self.weeks += 1;
        self.play.lessons += p.lessons;
        self.play.overruns += p.overruns;
        self.play.overrun_minutes += p.overrun_minutes;
        self.play.engagement_sum += p.engagement_sum;
        self.play.engagement_n += p.engagement_n;
    }

    fn print(&self, what: &str) {
        let p = &self.play;
        println!(
            "{what:<34} weeks {:>2}  lessons {:>4}  over planned {:>5.1} %  minutes over / lesson {:>5.2}  engagement {:.3}",
            self.weeks,
            p.lessons,
            100.0 * p.overruns as f64 / p.lessons.max(1) as f64,
            f64::from(p.overrun_minutes) / p.lessons.max(1) as f64,
            f64::from(p.engagement_sum) / p.engagement_n.max(1) as f64,
        );
    }
}

async fn run(
    today: jiff::civil::Date,
    seed: u64,
    from: usize,
    apply: bool,
) -> Result<Tally, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("sim.db").display())).await?;
    let summary = demo::build_with(&store, today, demo::DemoOptions { history: true }).await?;
    let f = summary.family;
    let years = lists::years(&store, &f.id).await?;
    let year = years.first().ok_or("no school year")?;
    let mut sim = Simulation::new(seed);
    let mut tally = Tally::default();
    let mut week = monday_of(year.start);
    let mut n = 0;
    while week < planning_week(today) {
        let learning = if apply && n >= from {
            let data = lists::feedback(&store, &f.id).await?;
            let at = format!("{week}T00:00:00Z");
            let (_, model) = brightpath_learn::train(
                &data.sessions,
                &data.ratings,
                &data.students,
                &data.courses,
                &at,
            );
            learned::keep(&store, &f.id, &model).await?;
            Learning::Apply
        } else {
            Learning::Suggest
        };
        let play = sim.play_week(&store, &f, week, learning).await?;
        if n >= from {
            tally.add(play);
        }
        n += 1;
        week = add_days(week, 7);
    }
    if apply && let Some(m) = learned::current(&store, &f.id).await? {
        println!(
            "last model: version {}, {} lesson length(s), {} best-hours rule(s), from {} lessons",
            m.version,
            m.lengths.len(),
            m.hours.len(),
            m.rows
        );
    }
    Ok(tally)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = parse_date("--today", &arg("--today", "2027-05-10"))?;
    let from: usize = arg("--from", "6").parse()?;
    let seed: u64 = arg("--seed", "1").parse()?;
    let without = run(today, seed, from, false).await?;
    let with = run(today, seed, from, true).await?;
    without.print("without learning (suggest)");
    with.print("with learning (apply, retrained weekly)");
    Ok(())
}
