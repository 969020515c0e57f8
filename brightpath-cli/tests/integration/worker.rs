//! `brightpath worker` and `brightpath jobs` against a real Valkey
//! (`BRIGHTPATH_TEST_VALKEY_URL`; required on CI): a plan job enqueued from the
//! command line is run by a worker process, which stops cleanly on SIGTERM.

use std::process::{Command, Stdio};
use std::time::Duration;

fn valkey() -> Option<String> {
    match std::env::var("BRIGHTPATH_TEST_VALKEY_URL") {
        Ok(u) => Some(u),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but BRIGHTPATH_TEST_VALKEY_URL is not"
            );
            eprintln!("skipping: BRIGHTPATH_TEST_VALKEY_URL is not set");
            None
        }
    }
}

#[test]
fn a_worker_runs_a_plan_job_enqueued_from_the_command_line() {
    let Some(url) = valkey() else { return };
    let home = tempfile::tempdir().expect("home");
    let db = format!("sqlite://{}", home.path().join("school.db").display());
    let prefix = format!("bp-cli-test-{}:", std::process::id());
    let bin = assert_cmd::cargo::cargo_bin("brightpath");
    let cmd = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.env_clear()
            .env("HOME", home.path())
            .env("BRIGHTPATH_TODAY", "2026-11-29")
            .env("BRIGHTPATH_DATABASE_URL", &db)
            .env("BRIGHTPATH_VALKEY_URL", &url)
            .env("BRIGHTPATH_QUEUE_PREFIX", &prefix)
            .args(args);
        c
    };
    let demo_file = home.path().join("school.db");
    let out = cmd(&["demo", "--file", demo_file.to_str().expect("path")])
        .output()
        .expect("demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fam = cmd(&["family", "list", "--json"])
        .output()
        .expect("families");
    let families: serde_json::Value = serde_json::from_slice(&fam.stdout).expect("json");
    let family_id = families[0]["id"].as_str().expect("id").to_string();

    let mut worker = cmd(&["worker", "--concurrency", "2", "--no-schedules"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("worker");
    let payload = format!("{{\"family_id\": \"{family_id}\", \"date\": \"2026-12-06\"}}");
    let enq = cmd(&[
        "jobs",
        "enqueue",
        "plan.week",
        "--payload",
        &payload,
        "--key",
        "plan-once",
        "--json",
    ])
    .output()
    .expect("enqueue");
    assert!(
        enq.status.success(),
        "{}",
        String::from_utf8_lossy(&enq.stderr)
    );
    let again = cmd(&[
        "jobs",
        "enqueue",
        "plan.week",
        "--payload",
        &payload,
        "--key",
        "plan-once",
        "--json",
    ])
    .output()
    .expect("enqueue");
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(
        again["duplicate"], true,
        "the idempotency key makes the second enqueue a no-op"
    );

    let mut status = String::new();
    for _ in 0..150 {
        let list = cmd(&["jobs", "list", "--kind", "plan.week", "--json"])
            .output()
            .expect("list");
        let jobs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap_or_default();
        status = jobs[0]["status"].as_str().unwrap_or("").to_string();
        if status == "succeeded" || status == "dead" {
            assert_eq!(jobs.as_array().map(Vec::len), Some(1));
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(status, "succeeded");
    let week = cmd(&["plan", "show", "--week", "2026-12-07", "--json"])
        .output()
        .expect("show");
    let week: serde_json::Value = serde_json::from_slice(&week.stdout).expect("json");
    assert_eq!(
        week["planned"], true,
        "the worker planned the week of 2026-12-07"
    );

    let pid = worker.id().to_string();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    let code = worker.wait().expect("wait");
    assert!(
        code.success(),
        "the worker stops cleanly on SIGTERM: {code:?}"
    );
    let bad = cmd(&["jobs", "show", "not-a-uuid"]).output().expect("show");
    assert_eq!(bad.status.code(), Some(2));
}
