//! `brightpath plan solve` on the planner's own fixtures (every checkout) and
//! on `../shared/spec/examples` with the external referee (where present;
//! required on CI).

use std::path::{Path, PathBuf};

use crate::common;

use common::{Env, shared};

/// The planner's own fixtures, which every checkout has.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../brightpath-planner/tests/fixtures")
}

/// `../shared` and python3 for its referee, or `None` with a note; on CI
/// (env `CI` set) their absence is a failure.
fn shared_with_referee() -> Option<PathBuf> {
    let dir = shared();
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let ok = python && dir.join("tools/plan-check").exists();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 or {}/tools/plan-check is missing",
            dir.display()
        );
        eprintln!(
            "skipped: python3 or {}/tools/plan-check missing",
            dir.display()
        );
    }
    ok.then_some(dir)
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("json"))
        .collect();
    files.sort();
    files
}

fn solve_args<'a>(request: &'a Path, out: &'a Path) -> Vec<&'a str> {
    let input = request.to_str().expect("utf-8 path");
    let output = out.to_str().expect("utf-8 path");
    vec!["plan", "solve", "--input", input, "--output", output]
}

/// `plan solve` on `request`, writing `out`; returns the plan.
fn solve_file(e: &Env, request: &Path, out: &Path) -> serde_json::Value {
    let mut args = solve_args(request, out);
    args.extend(["--seed", "3"]);
    e.ok(&args);
    serde_json::from_str(&std::fs::read_to_string(out).expect("plan")).expect("plan json")
}

/// `plan solve` on `request` must refuse it (exit 2) and write nothing.
fn refused(e: &Env, request: &Path, out: &Path) -> String {
    let (code, err) = e.fails(&solve_args(request, out));
    assert_eq!(code, 2, "{}: {err}", request.display());
    assert!(!out.exists(), "no plan written for {}", request.display());
    err
}

#[test]
fn plan_solve_refuses_invalid_requests_and_writes_valid_plans() {
    let e = Env::new();
    let out_dir = tempfile::tempdir().expect("tmp");
    let never = out_dir.path().join("never.json");
    let invalid = fixtures().join("invalid");
    let expected = std::fs::read_to_string(invalid.join("expected.txt")).expect("expected");
    for line in expected.lines() {
        let (file, message) = line.split_once(": ").expect("file: message");
        let err = refused(&e, &invalid.join(file), &never);
        assert!(err.contains(message), "{file}: {err}");
    }
    for (name, total) in [("siblings.json", 1000), ("holiday.json", 8)] {
        let out = out_dir.path().join(name);
        let plan = solve_file(&e, &fixtures().join(name), &out);
        assert_eq!(plan["score"]["total"], total, "{name}");
    }
}

#[test]
fn plan_solve_on_the_shared_examples_satisfies_the_referee() {
    let Some(shared) = shared_with_referee() else {
        return;
    };
    let e = Env::new();
    let out_dir = tempfile::tempdir().expect("tmp");
    let never = out_dir.path().join("never.json");
    for path in json_files(&shared.join("spec/examples/invalid")) {
        refused(&e, &path, &never);
    }
    let examples = json_files(&shared.join("spec/examples"));
    assert!(examples.len() >= 5, "{} examples", examples.len());
    for path in examples {
        let out = out_dir.path().join(path.file_name().expect("name"));
        solve_file(&e, &path, &out);
        let check = std::process::Command::new("python3")
            .arg(shared.join("tools/plan-check"))
            .arg(&path)
            .arg(&out)
            .output()
            .expect("referee");
        assert!(
            check.status.success(),
            "referee rejects the plan for {}: {}",
            path.display(),
            String::from_utf8_lossy(&check.stdout)
        );
    }
}
