//! Co-op-scale benchmark: N generated families (1 to 8 children, one or two
//! parents, 3-8 courses per child, some shared, a co-op morning) planned with
//! `plan_all`, as `brightpath plan week --all` does.
//!
//!   cargo run --release -p brightpath-core --example coop_bench -- [--families 1000] [--db URL] [--concurrency N] [--effort batch|interactive] [--profile]
//!
//! Without --db it uses a fresh SQLite file in a temp directory. With a
//! PostgreSQL URL it creates a fresh database next to the one named.

use std::time::Instant;

use brightpath_core::calendar::{Weekday, WeeklyAvailability, Window, parse_date};
use brightpath_core::model::{Recurrence, SchoolTime};
use brightpath_core::services::{planning, school::*};
use brightpath_core::{Store, planner};

#[path = "support/bench.rs"]
mod bench;

use bench::{Rng, arg};

const SUBJECTS: [(&str, bool); 10] = [
    ("math", true),
    ("reading", true),
    ("writing", true),
    ("science", true),
    ("history", true),
    ("spanish", false),
    ("music", false),
    ("art", false),
    ("typing", false),
    ("latin", false),
];

async fn seed(store: &Store, i: usize, rng: &mut Rng) -> brightpath_core::Result<()> {
    let d = |t: &str| parse_date("d", t).expect("date");
    let a = |t: &str| WeeklyAvailability::parse("a", t).expect("availability");
    let f = init_school(
        store,
        InitInput {
            family: NewFamily {
                name: format!("Family {i:04}"),
                time_zone: "America/Chicago".into(),
            },
            guardian: GuardianInput {
                name: "Parent A".into(),
                email: None,
                availability: a("mon-fri 08:00-12:00,13:00-15:30"),
            },
            year: YearInput {
                name: "2026-27".into(),
                start: d("2026-08-17"),
                end: d("2027-05-28"),
                weekdays: Weekday::ALL[..5].to_vec(),
                target_days: Some(180),
                target_hours: None,
                target_core_hours: None,
            },
        },
    )
    .await?;
    let two = rng.range(0, 2) == 0;
    if two {
        add_guardian(
            store,
            &f.id,
            GuardianInput {
                name: "Parent B".into(),
                email: None,
                availability: a("mon-fri 13:00-16:00"),
            },
        )
        .await?;
    }
    let kids = rng.range(1, 8) as usize;
    let mut names = Vec::new();
    for k in 0..kids {
        let name = format!("Child {k}");
        let start = ["08:00", "08:30", "09:00"][rng.range(0, 2) as usize];
        add_student(
            store,
            &f.id,
            StudentInput {
                name: name.clone(),
                birth_date: None,
                grade: Some(rng.range(1, 12).to_string()),
                availability: a(&format!("mon-fri {start}-12:00,12:30-15:30")),
                max_daily_minutes: Some(rng.range(150, 330) as u32),
            },
        )
        .await?;
        names.push(name);
    }
    for (k, name) in names.iter().enumerate() {
        let n = rng.range(3, 8) as usize;
        for c in 0..n {
            let (subject, core) = SUBJECTS[(c + k) % SUBJECTS.len()];
            let teacher = match rng.range(0, 3) {
                0 => None,
                1 if two => Some("Parent B".to_string()),
                _ => Some("Parent A".to_string()),
            };
            add_course(
                store,
                &f.id,
                CourseInput {
                    name: format!("{subject} {name}"),
                    subject: subject.into(),
                    core,
                    lesson_minutes: rng.range(3, 10) as u32 * 5,
                    sessions_per_week: rng.range(2, 5) as u32,
                    max_per_day: 1,
                    teacher,
                    grouped: false,
                    preferred: None,
                    preferred_weight: None,
                    weekdays: None,
                    priority: if core { 2 } else { 1 },
                    students: vec![name.clone()],
                },
            )
            .await?;
        }
    }
    if names.len() > 1 {
        add_course(
            store,
            &f.id,
            CourseInput {
                name: "Family science".into(),
                subject: "science".into(),
                core: true,
                lesson_minutes: 40,
                sessions_per_week: 2,
                max_per_day: 1,
                teacher: Some("Parent A".into()),
                grouped: true,
                preferred: None,
                preferred_weight: None,
                weekdays: None,
                priority: 2,
                students: names[..2].to_vec(),
            },
        )
        .await?;
    }
    add_event(
        store,
        &f.id,
        EventInput {
            name: "Co-op".into(),
            recurrence: Recurrence::Weekly(Weekday::Wed),
            window: Window::parse("w", "09:00-12:00")?,
            away: true,
            school: SchoolTime::Elective,
            students: names.clone(),
            guardians: vec!["Parent A".into()],
        },
    )
    .await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n = bench::number("--families", 1000)?;
    let conc: usize = arg("--concurrency")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or_else(planning::default_concurrency);
    let effort = match arg("--effort").as_deref() {
        None | Some("batch") => planner::Effort::Batch,
        Some("interactive") => planner::Effort::Interactive,
        Some(other) => return Err(format!("--effort {other}: use batch or interactive").into()),
    };
    let dir = tempfile::tempdir()?;
    let url = match arg("--db") {
        Some(u) if u.starts_with("postgres") => bench::fresh_postgres(&u).await?,
        Some(u) => u,
        None => format!("sqlite://{}", dir.path().join("coop.db").display()),
    };
    let store = Store::open(&url).await?;
    // Kept after the run (a given SQLite file, a new PostgreSQL database),
    // e.g. for the HTTP benchmark (docs/http-bench.md).
    println!("database: {url}");
    let t = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..n {
        seed(&store, i, &mut rng).await?;
    }
    println!(
        "seeded {n} families in {:.1} s ({})",
        t.elapsed().as_secs_f64(),
        store.backend_name()
    );
    let week = parse_date("w", "2026-11-30")?;
    if std::env::args().any(|a| a == "--profile") {
        // Where one family's time goes: loading, solving, saving.
        let fams = store.read().await?.all_families().await?;
        for f in fams.iter().take(5) {
            let t0 = Instant::now();
            let data = {
                let mut tx = store.read().await?;
                planning::SchoolData::load(&mut tx, f, week).await?
            };
            let t1 = Instant::now();
            let (req, _) = planning::build_request(&data, week, None)?;
            let t2 = Instant::now();
            planning::solve_request(req, 0, None, effort)?;
            let t3 = Instant::now();
            let opts = planning::PlanOptions {
                effort,
                ..Default::default()
            };
            planning::plan_week(&store, f, week, &opts).await?;
            let t4 = Instant::now();
            println!(
                "{}: {} students, load {:?}, build {:?}, solve {:?}, plan_week {:?}",
                f.name,
                data.students.len(),
                t1 - t0,
                t2 - t1,
                t3 - t2,
                t4 - t3
            );
        }
    }
    let t = Instant::now();
    let results = planning::plan_all(
        &store,
        week,
        &planning::PlanOptions {
            actor: "bench".into(),
            effort,
            ..Default::default()
        },
        conc,
        |_, _| {},
    )
    .await?;
    let secs = t.elapsed().as_secs_f64();
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    let sessions: usize = results
        .iter()
        .filter_map(|r| r.outcome.as_ref())
        .map(|o| o.planned)
        .sum();
    // The plans' quality, to weigh against the time: the scores' sum.
    let total: i64 = results
        .iter()
        .filter_map(|r| r.outcome.as_ref())
        .map(|o| o.score.total)
        .sum();
    println!(
        "planned {} families ({failed} failed, {sessions} sessions) in {secs:.2} s with concurrency {conc}, effort {effort:?}: {:.1} ms per family; scores sum to {total}",
        results.len(),
        secs * 1000.0 / n as f64
    );
    Ok(())
}
