//! Differential tests against the referee, `../shared/tools/plan-check` beside
//! the checkout: our plans must be valid there and our score must equal its
//! score part by part, and invalid requests must be refused with the referee's
//! own message. They need python3 and `../shared`; without them they skip with
//! a note, except on CI (env `CI` set), where that is a failure. The project's
//! own fixtures (`tests/fixtures.rs`) need neither.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use brightpath_planner::{SolveOptions, check, parse_request, solve};

/// `../shared` beside the checkout.
fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The referee's folder, or `None` (with a note) where it cannot run; on CI a
/// missing referee fails the test instead.
fn tools() -> Option<PathBuf> {
    let dir = shared().join("tools");
    let ok = dir.join("plan-check").exists()
        && Command::new("python3")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 or {}/plan-check is missing",
            dir.display()
        );
        eprintln!("skipped: python3 or {}/plan-check missing", dir.display());
    }
    ok.then_some(dir)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Solves `req` and asks the referee about the plan.
fn solve_and_referee(tools: &Path, req_path: &Path, out_dir: &Path) {
    let text = std::fs::read_to_string(req_path).unwrap();
    let req = parse_request(&text).unwrap_or_else(|e| panic!("{}: {e}", req_path.display()));
    let opts = SolveOptions {
        iterations: Some(20_000),
        ..SolveOptions::default()
    };
    let plan = solve(&req, &opts).unwrap();
    assert!(
        check(&req, &plan.sessions).is_empty(),
        "{}: our check refuses our plan",
        req_path.display()
    );
    let plan_path = out_dir.join(req_path.file_name().unwrap());
    std::fs::write(&plan_path, plan.to_json()).unwrap();
    let out = Command::new(tools.join("plan-check"))
        .arg(req_path)
        .arg(&plan_path)
        .arg("--json")
        .output()
        .unwrap();
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: {}",
            req_path.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        verdict["valid"],
        true,
        "{}: {}",
        req_path.display(),
        verdict["errors"]
    );
    let ours = serde_json::to_value(plan.score).unwrap();
    for part in [
        "total",
        "unscheduled",
        "preferred",
        "spread",
        "balance",
        "idle",
    ] {
        assert_eq!(
            ours[part],
            verdict["score"][part],
            "{}: part {part}",
            req_path.display()
        );
    }
}

#[test]
fn examples_score_like_the_referee() {
    let Some(tools) = tools() else { return };
    let out = scratch("referee-examples");
    let mut n = 0;
    for entry in std::fs::read_dir(shared().join("spec/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            solve_and_referee(&tools, &path, &out);
            n += 1;
        }
    }
    assert!(n >= 5);
}

#[test]
fn our_fixtures_score_like_the_referee() {
    let Some(tools) = tools() else { return };
    let out = scratch("referee-fixtures");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["siblings.json", "holiday.json"] {
        solve_and_referee(&tools, &dir.join(name), &out);
    }
    let expected = std::fs::read_to_string(dir.join("invalid/expected.txt")).unwrap();
    for line in expected.lines() {
        let (file, message) = line.split_once(": ").unwrap();
        let verdict = referee_verdict(&tools, &dir.join("invalid").join(file));
        assert_eq!(verdict.as_deref(), Some(message), "{file}");
    }
}

#[test]
fn generated_requests_score_like_the_referee() {
    let Some(tools) = tools() else { return };
    let dir = scratch("referee-generated");
    let plans = scratch("referee-generated-plans");
    for (size, seeds) in [
        ("small", 1..=8),
        ("medium", 1..=8),
        ("large", 1..=7),
        ("xl", 1..=7),
    ] {
        for seed in seeds {
            let path = dir.join(format!("{size}-{seed}.json"));
            if !path.exists() {
                let st = Command::new(tools.join("plan-gen"))
                    .args(["one", size, &seed.to_string(), "-o"])
                    .arg(&path)
                    .status()
                    .unwrap();
                assert!(st.success());
            }
            solve_and_referee(&tools, &path, &plans);
        }
    }
}

#[test]
fn the_solution_example_scores_as_given() {
    let Some(_) = tools() else { return };
    let dir = shared().join("spec/examples");
    let req = parse_request(&std::fs::read_to_string(dir.join("tiny-1.json")).unwrap()).unwrap();
    let plan: brightpath_planner::Plan =
        serde_json::from_str(&std::fs::read_to_string(dir.join("solutions/tiny-1.json")).unwrap())
            .unwrap();
    assert!(check(&req, &plan.sessions).is_empty());
    assert_eq!(brightpath_planner::score(&req, &plan.sessions), plan.score);
    // and the solver finds that optimum
    assert_eq!(
        solve(&req, &SolveOptions::default()).unwrap().score.total,
        plan.score.total
    );
}

fn referee_verdict(tools: &Path, path: &Path) -> Option<String> {
    let out = Command::new(tools.join("plan-check"))
        .arg("--request")
        .arg(path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    err.trim()
        .strip_prefix("request invalid: ")
        .map(str::to_owned)
}

#[test]
fn invalid_examples_are_refused_naming_the_field() {
    let Some(tools) = tools() else { return };
    let dir = shared().join("spec/examples/invalid");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let mut n = 0;
    for line in readme.lines() {
        // - `file.json`: FIELD rest...
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let (file, why) = rest.split_once("`: ").unwrap();
        let field = why.split([' ', '.']).next().unwrap();
        let field = if why.starts_with("lessons[") {
            why.split(' ')
                .next()
                .unwrap()
                .trim_end_matches('.')
                .to_owned()
        } else {
            field.to_owned()
        };
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let err = parse_request(&text).expect_err(file).to_string();
        assert!(
            err.starts_with(&field),
            "{file}: {err:?} does not name {field:?}"
        );
        assert_eq!(
            Some(err),
            referee_verdict(&tools, &dir.join(file)),
            "{file}"
        );
        n += 1;
    }
    assert_eq!(n, 3);
}

/// Requests broken one rule at a time get the referee's own message.
#[test]
fn broken_requests_get_the_referees_message() {
    let Some(tools) = tools() else { return };
    let base: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("spec/examples/tiny-1.json")).unwrap(),
    )
    .unwrap();
    let edits: Vec<(&str, serde_json::Value)> = vec![
        ("/version", 2.into()),
        ("/slot_minutes", 7.into()),
        ("/slot_minutes", serde_json::json!(5.0)),
        ("/week_start", "2026-02-30".into()),
        ("/days/0", "monday".into()),
        ("/days/1", "mon".into()),
        ("/teachers/0/id", "".into()),
        ("/students/0/max_daily_minutes", 0.into()),
        ("/students/0/availability/mon/0/0", "8:00".into()),
        ("/students/0/availability/mon/0/1", "07:00".into()),
        ("/students/0/availability/tue/0/1", "24:05".into()),
        ("/students/0/availability/xyz", serde_json::json!([])),
        ("/lessons/0/students/0", "bob".into()),
        ("/lessons/0/teacher", "dad".into()),
        ("/lessons/0/duration", true.into()),
        ("/lessons/0/sessions", 0.into()),
        (
            "/lessons/0/preferred",
            serde_json::json!(["11:00", "08:00"]),
        ),
        ("/lessons/0/priority", 0.into()),
        ("/lessons/1/id", "ada-math".into()),
        ("/lessons/1/days", serde_json::json!(["mon", "mon"])),
        ("/fixed/0/day", "someday".into()),
        ("/fixed/0/students", serde_json::json!(["ada", "ada"])),
        ("/fixed/0/start", "15:00".into()),
        ("/fixed/0/teachers", "mom".into()),
        ("/weights/idle", (-1).into()),
        ("/weights/colour", 1.into()),
        ("/extra", 1.into()),
    ];
    let dir = scratch("referee-broken");
    for (i, (ptr, value)) in edits.into_iter().enumerate() {
        let mut req = base.clone();
        let (parent, key) = ptr.rsplit_once('/').unwrap();
        match req.pointer_mut(parent).unwrap() {
            serde_json::Value::Object(o) => {
                o.insert(key.to_owned(), value);
            }
            serde_json::Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
            _ => unreachable!(),
        }
        let text = serde_json::to_string(&req).unwrap();
        let path = dir.join(format!("broken-{i}.json"));
        std::fs::write(&path, &text).unwrap();
        let ours = parse_request(&text).expect_err(ptr).to_string();
        assert_eq!(Some(ours), referee_verdict(&tools, &path), "edit {ptr}");
    }
}
