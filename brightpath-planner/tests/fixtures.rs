//! The project's own requests (`tests/fixtures/`), with answers known by hand
//! (see `tests/fixtures/README.md`): they need nothing outside the checkout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use brightpath_planner::{Score, SolveOptions, check, parse_request, score, solve};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn solved(name: &str) -> Score {
    let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
    let req = parse_request(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let plan = solve(&req, &SolveOptions::default()).unwrap();
    assert!(
        check(&req, &plan.sessions).is_empty(),
        "{name}: invalid plan"
    );
    assert_eq!(score(&req, &plan.sessions), plan.score, "{name}: score");
    plan.score
}

#[test]
fn siblings_reach_the_known_optimum() {
    let s = solved("siblings.json");
    assert_eq!((s.total, s.unscheduled), (1000, 1000), "{s:?}");
}

#[test]
fn the_holiday_week_reaches_the_known_optimum() {
    let s = solved("holiday.json");
    assert_eq!((s.total, s.spread), (8, 8), "{s:?}");
}

#[test]
fn invalid_fixtures_are_refused_with_the_expected_message() {
    let dir = fixtures().join("invalid");
    let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    let mut n = 0;
    for line in expected.lines() {
        let (file, message) = line.split_once(": ").unwrap();
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let err = parse_request(&text).expect_err(file).to_string();
        assert_eq!(err, message, "{file}");
        n += 1;
    }
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    assert_eq!(n, files, "every invalid fixture has its expected message");
}
