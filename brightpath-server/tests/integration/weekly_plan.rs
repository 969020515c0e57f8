//! The cron-style weekly plan: three workers, each running the scheduler and
//! the job loop, over one bus. Every family's "next week" plan must be made
//! exactly once. Runs on the real Valkey named by `BRIGHTPATH_TEST_VALKEY_URL`
//! (required on CI), else on the in-process bus.

use std::time::Duration;

use brightpath_bus::schedule::{SchedulerOptions, tick};
use brightpath_bus::{Bus, BusConfig, ListFilter, Queue, Status};
use brightpath_core::Store;
use brightpath_core::calendar::{Weekday, WeeklyAvailability, parse_date};
use brightpath_core::services::{demo, school::*};
use brightpath_server::jobs::{FamilySchedules, PLAN_WEEK, core_registry_with};
use brightpath_server::notify::NotifyConfig;
use brightpath_server::worker::WorkerOptions;

fn bus_url() -> String {
    match std::env::var("BRIGHTPATH_TEST_VALKEY_URL") {
        Ok(u) => u,
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but BRIGHTPATH_TEST_VALKEY_URL is not"
            );
            eprintln!("BRIGHTPATH_TEST_VALKEY_URL not set: using the in-process bus");
            "memory://".into()
        }
    }
}

async fn small_family(store: &Store, name: &str, tz: &str) {
    let d = |t: &str| parse_date("d", t).expect("date");
    let f = init_school(
        store,
        InitInput {
            family: NewFamily {
                name: name.into(),
                time_zone: tz.into(),
            },
            guardian: GuardianInput {
                name: "Pat".into(),
                email: None,
                availability: WeeklyAvailability::parse("a", "mon-fri 08:00-15:00").expect("a"),
            },
            year: YearInput {
                name: "2026-27".into(),
                start: d("2026-08-17"),
                end: d("2027-06-30"),
                weekdays: Weekday::ALL[..5].to_vec(),
                target_days: None,
                target_hours: None,
                target_core_hours: None,
            },
        },
    )
    .await
    .expect("family");
    add_student(
        store,
        &f.id,
        StudentInput {
            name: "Kid".into(),
            birth_date: None,
            grade: None,
            availability: WeeklyAvailability::parse("a", "mon-fri 08:00-15:00").expect("a"),
            max_daily_minutes: None,
        },
    )
    .await
    .expect("student");
    add_course(
        store,
        &f.id,
        CourseInput {
            name: "Math".into(),
            subject: "math".into(),
            core: true,
            lesson_minutes: 30,
            sessions_per_week: 4,
            max_per_day: 1,
            teacher: Some("Pat".into()),
            grouped: false,
            preferred: None,
            preferred_weight: None,
            weekdays: None,
            priority: 1,
            students: vec!["Kid".into()],
        },
    )
    .await
    .expect("course");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn weekly_plans_run_exactly_once_per_family_with_three_workers() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .expect("store");
    demo::build(&store, parse_date("d", "2026-11-20").expect("d"))
        .await
        .expect("demo");
    small_family(&store, "Berlin family", "Europe/Berlin").await;
    small_family(&store, "Tokyo family", "Asia/Tokyo").await;
    // Just imported from a co-op roster: no school year yet, so nothing to
    // plan. Its weekly job succeeds as skipped, not dead.
    let imported = create_family(
        &store,
        NewFamily {
            name: "Imported family".into(),
            time_zone: "America/Chicago".into(),
        },
    )
    .await
    .expect("family");

    let url = bus_url();
    let prefix = format!("bp-test-{}:", brightpath_core::model::new_id());
    let config = |u: &str| {
        let mut c = BusConfig::new(u);
        c.prefix = prefix.clone();
        c
    };
    let memory = Bus::connect(config(&url)).await.expect("bus");
    let mut buses = Vec::new();
    for _ in 0..3 {
        buses.push(if url.starts_with("memory") {
            memory.clone()
        } else {
            Bus::connect(config(&url)).await.expect("bus")
        });
    }

    // Sunday 18:00 has passed in all three zones; each worker's scheduler ticks twice.
    let now: jiff::Timestamp = "2026-11-30T03:00:00Z".parse().expect("ts");
    let source = FamilySchedules {
        store: store.clone(),
    };
    let opts = SchedulerOptions {
        catch_up: Duration::from_secs(24 * 3600),
        ..Default::default()
    };
    let mut ticks = Vec::new();
    for b in &buses {
        for _ in 0..2 {
            let (b, src, o) = (
                b.clone(),
                FamilySchedules {
                    store: store.clone(),
                },
                opts.clone(),
            );
            ticks.push(tokio::spawn(async move { tick(&b, &src, &o, now).await }));
        }
    }
    for t in ticks {
        t.await.expect("join").expect("tick");
    }
    drop(source);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for b in &buses {
        let mut rx = stop_rx.clone();
        let opts = WorkerOptions {
            queues: vec![Queue::new(Queue::SCHEDULES).expect("q")],
            concurrency: 2,
            poll_wait: Duration::from_millis(200),
            ..Default::default()
        };
        let reg = std::sync::Arc::new(core_registry_with(
            store.clone(),
            NotifyConfig::default(),
            Default::default(),
        ));
        let b = b.clone();
        workers.push(tokio::spawn(async move {
            brightpath_server::worker::run_worker(b, reg, opts, async move {
                let _ = rx.wait_for(|s| *s).await;
            })
            .await
        }));
    }
    let filter = ListFilter {
        queue: Some(Queue::new(Queue::SCHEDULES).expect("q")),
        status: None,
        kind: Some(PLAN_WEEK.into()),
        limit: 100,
    };
    let mut jobs = Vec::new();
    for _ in 0..300 {
        jobs = buses[0].list(&filter).await.expect("list");
        if jobs.len() >= 4
            && jobs
                .iter()
                .all(|j| matches!(j.status, Status::Succeeded | Status::Dead))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop_tx.send(true);
    for w in workers {
        w.await.expect("join").expect("worker");
    }
    assert_eq!(
        jobs.len(),
        4,
        "one plan job per family, however many workers ticked: {jobs:?}"
    );
    assert!(
        jobs.iter().all(|j| j.status == Status::Succeeded),
        "{jobs:?}"
    );
    let skipped: Vec<_> = jobs
        .iter()
        .filter_map(|j| j.result.as_ref()?["skipped"].as_str())
        .collect();
    assert_eq!(skipped.len(), 1, "{jobs:?}");
    assert!(
        skipped[0].contains("no school year covers the week of 2026-11-30"),
        "{skipped:?}"
    );

    let mut tx = store.tx().await.expect("tx");
    for f in tx.all_families().await.expect("families") {
        if f.id == imported.id {
            continue;
        }
        let plans = tx
            .changes(&f.id, 100)
            .await
            .expect("history")
            .into_iter()
            .filter(|c| c.kind == "plan")
            .count();
        assert_eq!(plans, 1, "{} planned {plans} times", f.name);
        let week = parse_date("w", "2026-11-30").expect("w");
        assert!(
            tx.plan(&f.id, week).await.expect("plan").is_some(),
            "{} has next week's plan",
            f.name
        );
    }
}
