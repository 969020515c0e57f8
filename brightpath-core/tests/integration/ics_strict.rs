//! Our iCalendar output, checked by an independent strict parser (the PyPI
//! package `ical`), which is itself checked against other projects' valid and
//! invalid samples. Without python3 + ical the test skips, except on CI.

use std::path::{Path, PathBuf};
use std::process::Command;

use brightpath_core::Store;
use brightpath_core::calendar::{add_days, parse_date};
use brightpath_core::services::{demo, ics, planning, progress};

fn checker() -> Option<PathBuf> {
    let ok = Command::new("python3")
        .args(["-c", "import ical"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with the `ical` package is missing"
        );
        eprintln!("skipping: python3 with the `ical` package is not installed (pip install ical)");
        return None;
    }
    Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/support/ics_check.py"))
}

fn check(script: &Path, files: &[PathBuf]) -> (bool, String) {
    let out = Command::new("python3")
        .arg(script)
        .args(files)
        .output()
        .expect("python3");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_strict_parser_tells_valid_from_invalid_samples() {
    let Some(script) = checker() else { return };
    let Some(root) = brightpath_core::testing::shared_testdata("ics/allenporter-ical") else {
        return;
    };
    let list = |dir: &str| -> Vec<PathBuf> {
        std::fs::read_dir(root.join(dir))
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    for f in list("invalid") {
        let (ok, out) = check(&script, std::slice::from_ref(&f));
        assert!(!ok, "the checker should refuse {}: {out}", f.display());
    }
}

#[tokio::test]
async fn exported_calendars_parse_strictly() {
    let Some(script) = checker() else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .expect("store");
    let today = parse_date("d", "2026-11-29").expect("date");
    let s = demo::build(&store, today).await.expect("demo");
    let opts = planning::PlanOptions {
        seed: 2,
        actor: "t".into(),
        ..Default::default()
    };
    planning::plan_week(&store, &s.family, s.week, &opts)
        .await
        .expect("plan");
    let monday = progress::Selector {
        date: Some(s.week),
        ..Default::default()
    };
    progress::skip(
        &store,
        &s.family,
        &monday,
        "field trip; back \"soon\", promise",
        "t",
        s.week,
    )
    .await
    .expect("skip");
    // Fewer Math 5 lessons a week: the re-plan removes sessions.
    brightpath_core::services::school::edit_course(
        &store,
        &s.family.id,
        "Math 5",
        brightpath_core::services::school::CoursePatch {
            sessions_per_week: Some(2),
            ..Default::default()
        },
    )
    .await
    .expect("fewer lessons");
    planning::plan_week(
        &store,
        &s.family,
        s.week,
        &planning::PlanOptions { seed: 3, ..opts },
    )
    .await
    .expect("replan");
    let cal = ics::export(
        &store,
        &s.family,
        s.week,
        add_days(s.week, 6),
        &[],
        jiff::Timestamp::now(),
    )
    .await
    .expect("export");
    let file = dir.path().join("week.ics");
    std::fs::write(&file, &cal).expect("write");
    let (ok, out) = check(&script, &[file]);
    assert!(ok, "strict parser refuses our calendar: {out}");
    assert!(out.contains("events"), "{out}");
    let ben = ics::export(
        &store,
        &s.family,
        s.week,
        add_days(s.week, 6),
        &["Ben".into()],
        jiff::Timestamp::now(),
    )
    .await
    .expect("ben");
    assert!(ben.matches("BEGIN:VEVENT").count() < cal.matches("BEGIN:VEVENT").count());
    // Fixed events are in the calendar, one VEVENT a day they happen.
    assert_eq!(
        cal.matches("UID:event-").count(),
        2,
        "co-op (Wed) and piano (Thu)"
    );
    assert!(cal.contains("SUMMARY:Co-op morning"), "{cal}");
    // Sessions a re-plan removed are published as cancelled for a while,
    // then left out rather than kept for ever.
    let live: Vec<String> = store
        .read()
        .await
        .expect("read")
        .all_sessions(&s.family.id)
        .await
        .expect("sessions")
        .into_iter()
        .map(|x| format!("UID:{}@brightpath", x.id))
        .collect();
    let gone = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("UID:") && !l.starts_with("UID:event-"))
            .filter(|l| !live.iter().any(|x| x == l))
            .count()
    };
    assert!(
        gone(&cal) > 0,
        "the re-plan removed sessions: they show as cancelled"
    );
    let later = ics::export(
        &store,
        &s.family,
        s.week,
        add_days(s.week, 6),
        &[],
        jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 31),
    )
    .await
    .expect("a month later");
    assert_eq!(
        gone(&later),
        0,
        "a month later the removed sessions are left out"
    );
}
