//! The real `brightpath` binary, run hermetically: cleared environment, a temp
//! home (XDG paths), and a fixed "today".

use std::path::Path;

use crate::common;

use common::Env;

fn setup_school(e: &Env) {
    e.ok(&[
        "init",
        "--no-input",
        "--name",
        "Lee Family",
        "--time-zone",
        "America/Chicago",
        "--guardian",
        "Kim",
        "--guardian-hours",
        "mon-fri 08:00-15:00",
        "--year-start",
        "2026-08-17",
        "--year-end",
        "2027-05-28",
    ]);
    e.ok(&[
        "student",
        "add",
        "Ada",
        "--grade",
        "2",
        "--hours",
        "mon-fri 08:30-12:00,13:00-15:00",
        "--max-daily-minutes",
        "200",
    ]);
    e.ok(&[
        "student",
        "add",
        "Ben",
        "--grade",
        "5",
        "--hours",
        "mon-fri 08:00-12:00,13:00-15:00",
    ]);
    e.ok(&[
        "course",
        "add",
        "Math 5",
        "--subject",
        "math",
        "--minutes",
        "45",
        "--per-week",
        "5",
        "--teacher",
        "Kim",
        "--students",
        "Ben",
        "--preferred",
        "08:00-11:00",
    ]);
    e.ok(&[
        "course",
        "add",
        "Reading",
        "--subject",
        "reading",
        "--minutes",
        "30",
        "--per-week",
        "4",
        "--students",
        "Ada",
    ]);
    e.ok(&[
        "course",
        "add",
        "Nature Science",
        "--subject",
        "science",
        "--minutes",
        "30",
        "--per-week",
        "2",
        "--teacher",
        "Kim",
        "--group",
        "--students",
        "Ada,Ben",
    ]);
    let math = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/curricula/math5.csv");
    e.ok(&[
        "curriculum",
        "import",
        math.to_str().expect("path"),
        "--course",
        "Math 5",
    ]);
    let sci =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/curricula/nature-science.toml");
    e.ok(&["curriculum", "import", sci.to_str().expect("path")]);
    e.ok(&[
        "event",
        "add",
        "Co-op",
        "--weekly",
        "wed",
        "--time",
        "09:00-12:00",
        "--away",
        "--school",
        "elective",
        "--students",
        "Ada,Ben",
        "--guardians",
        "Kim",
    ]);
    e.ok(&[
        "break",
        "add",
        "Day off",
        "--start",
        "2026-12-04",
        "--kind",
        "holiday",
    ]);
}

#[test]
fn a_family_sets_up_plans_and_sees_its_week() {
    let e = Env::new();
    setup_school(&e);
    let students = e.json(&["student", "list"]);
    assert_eq!(students.as_array().map(Vec::len), Some(2));
    let csv = e.ok(&["course", "list", "--csv"]);
    assert!(csv.starts_with("id,name,subject"), "{csv}");
    assert!(csv.contains("Nature Science"), "{csv}");

    let planned = e.json(&["plan", "week"]);
    assert_eq!(planned["week_start"], "2026-11-30");
    assert!(planned["planned"].as_u64().unwrap_or(0) >= 8, "{planned}");

    let week = e.json(&["plan", "show"]);
    let sessions = week["sessions"].as_array().expect("sessions");
    assert!(
        sessions.iter().all(|s| s["date"] != "2026-12-04"),
        "nothing on the holiday"
    );
    assert!(
        sessions.iter().all(|s| !(s["date"] == "2026-12-02"
            && s["start"].as_str() < Some("12:00")
            && s["end"].as_str() > Some("09:00"))),
        "nothing during co-op"
    );
    let first_math = sessions
        .iter()
        .find(|s| s["course"] == "Math 5")
        .expect("math planned");
    assert_eq!(first_math["lesson_seq"], 1);
    assert_eq!(first_math["lesson"], "Place value, lesson 1");

    let human = e.ok(&["plan", "show"]);
    assert!(
        human.contains("Ada") && human.contains("Kim (teaching)"),
        "{human}"
    );
    assert!(!human.contains('\x1b'), "no colour when not on a terminal");

    let today = e.json(&["today", "--date", "2026-11-30"]);
    let ben = today
        .as_array()
        .and_then(|a| a.iter().find(|x| x["student"]["name"] == "Ben"))
        .expect("ben");
    assert!(!ben["items"].as_array().expect("items").is_empty());

    // Planning again is safe: same number of sessions, nothing doubled.
    let again = e.json(&["plan", "week"]);
    assert_eq!(again["planned"], planned["planned"]);
    let week2 = e.json(&["plan", "show"]);
    assert_eq!(
        week2["sessions"].as_array().map(Vec::len),
        Some(sessions.len())
    );

    let dry = e.json(&["plan", "week", "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
}

#[test]
fn bad_input_is_named_with_a_nonzero_exit_and_nothing_written() {
    let e = Env::new();
    let (code, err) = e.fails(&["init", "--no-input", "--time-zone", "UTC"]);
    assert_eq!(code, 2);
    assert!(err.contains("--name"), "{err}");
    setup_school(&e);

    // Times and dates that once overflowed or never ended a loop.
    let (code, err) = e.fails(&["student", "add", "Hal", "--hours", "mon 08:00-1093:00"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("1093:00"), "{err}");
    let (code, err) = e.fails(&[
        "break",
        "add",
        "Forever",
        "--start",
        "2026-12-01",
        "--end",
        "9999-12-31",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("outside the years"), "{err}");
    let (code, err) = e.fails(&[
        "break",
        "add",
        "Long",
        "--start",
        "2026-12-01",
        "--end",
        "2027-12-31",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("past the end of the school year"), "{err}");
    assert!(
        !e.ok(&["break", "list"]).contains("Long"),
        "nothing half-written"
    );

    let (code, err) = e.fails(&["student", "edit", "Zed", "--grade", "3"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("Zed") && err.contains("hint"), "{err}");

    let (code, err) = e.fails(&["student", "add", "Ada", "--hours", "mon 08:00-09:00"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already exists"), "{err}");

    let (code, err) = e.fails(&[
        "student",
        "add",
        "Cy",
        "--hours",
        "mon 08:00-12:00,11:00-13:00",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("overlap"), "{err}");

    let (code, err) = e.fails(&["student", "add", "Cy", "--hours", "mon 12:00-08:00"]);
    assert_eq!(code, 2);
    assert!(err.contains("empty"), "{err}");

    let (code, err) = e.fails(&[
        "year",
        "add",
        "Next",
        "--start",
        "2027-09-01",
        "--end",
        "2027-08-01",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("before it starts"), "{err}");

    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("bad.csv");
    let mut text = String::from("title,minutes\n");
    for i in 2..=40 {
        text.push_str(&format!(
            "Lesson {i},{}\n",
            if i == 37 { "forty" } else { "30" }
        ));
    }
    std::fs::write(&file, text).expect("write");
    let (code, err) = e.fails(&[
        "curriculum",
        "import",
        file.to_str().expect("p"),
        "--course",
        "Reading",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("line 37, column minutes"), "{err}");
    let shown = e.json(&["curriculum", "show", "Reading"]);
    assert_eq!(
        shown["lessons"].as_array().map(Vec::len),
        Some(0),
        "nothing imported"
    );

    let (code, err) = e.fails(&["plan", "week", "--week", "2026-W60"]);
    assert_eq!(code, 2);
    assert!(err.contains("ISO week"), "{err}");

    let (code, err) = e.fails(&["student", "list", "--json", "--family", "Nobody"]);
    assert_eq!(code, 3);
    let body: serde_json::Value = serde_json::from_str(err.trim()).expect("json error");
    assert_eq!(body["error"]["kind"], "not_found");
}

#[test]
fn config_layers_show_their_source_and_hide_secrets() {
    let e = Env::new();
    let cfg = e.home.path().join(".config/brightpath");
    std::fs::create_dir_all(&cfg).expect("mkdir");
    std::fs::write(
        cfg.join("config.toml"),
        "log_format = \"json\"\ncolor = \"never\"\nvalkey_url = \"redis://u:pw@127.0.0.1:1/0\"\n",
    )
    .expect("write");
    let shown = e
        .cmd()
        .env("BRIGHTPATH_COLOR", "always")
        .args(["config", "show", "--json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert!(
        v["log_format"]["source"]
            .as_str()
            .unwrap_or("")
            .starts_with("file"),
        "{v}"
    );
    assert_eq!(v["color"]["value"], "always");
    assert_eq!(v["color"]["source"], "environment BRIGHTPATH_COLOR");
    assert_eq!(v["valkey_url"]["value"], "redis://u:***@127.0.0.1:1/0");
    assert_eq!(v["database_url"]["source"], "default");
    let flagged = e.json(&["config", "show", "--db", "sqlite:///tmp/x.db"]);
    assert_eq!(flagged["database_url"]["source"], "command-line flag --db");
}

#[test]
fn config_show_lists_nested_settings_from_the_environment_with_secrets_hidden() {
    let e = Env::new();
    let out = e
        .cmd()
        .env("BRIGHTPATH_SMTP__HOST", "127.0.0.1")
        .env("BRIGHTPATH_SMTP__USERNAME", "relay")
        .env("BRIGHTPATH_SMTP__PASSWORD", "hunter2")
        .env("BRIGHTPATH_SMTP_FROM", "BrightPath <plans@example.org>")
        .env("BRIGHTPATH_TUI_MOUSE", "off")
        .args(["config", "show", "--json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("hunter2"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["smtp.host"]["value"], "127.0.0.1");
    assert_eq!(
        v["smtp.host"]["source"],
        "environment BRIGHTPATH_SMTP__HOST"
    );
    assert_eq!(v["smtp.host"]["env"], "BRIGHTPATH_SMTP__HOST");
    assert_eq!(v["smtp.password"]["value"], "***");
    assert_eq!(
        v["smtp.password"]["source"],
        "environment BRIGHTPATH_SMTP__PASSWORD"
    );
    // An older name is still read, and shown as the source.
    assert_eq!(v["smtp.from"]["source"], "environment BRIGHTPATH_SMTP_FROM");
    assert_eq!(v["tui.mouse"]["value"], "false");
    assert_eq!(v["smtp.port"]["value"], "25");
    assert_eq!(v["smtp.port"]["source"], "default");
    assert_eq!(v["webhook.url"]["value"], serde_json::Value::Null);
    assert_eq!(v["today"]["value"], "2026-11-29");
    // Every setting is listed.
    for key in [
        "database_url",
        "valkey_url",
        "queue_prefix",
        "log_format",
        "color",
        "actor",
        "today",
        "connect_timeout",
        "smtp.port",
        "smtp.username",
        "webhook.url",
        "worker.visibility_timeout",
        "worker.heartbeat",
    ] {
        assert!(v.get(key).is_some(), "{key} missing: {v}");
    }

    let human = e
        .cmd()
        .env("BRIGHTPATH_SMTP__PASSWORD", "hunter2")
        .env("BRIGHTPATH_SMTP__HOTS", "typo.example")
        .args(["config", "show"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("smtp.password"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // A misspelt variable is ignored, and said to be.
    let err = String::from_utf8_lossy(&human.stderr);
    assert!(err.contains("BRIGHTPATH_SMTP__HOTS"), "{err}");
    assert!(err.contains("not a BrightPath setting"), "{err}");
}

#[test]
fn a_bad_setting_is_named_with_its_source_and_exits_2() {
    let e = Env::new();
    let cfg = e.home.path().join(".config/brightpath");
    std::fs::create_dir_all(&cfg).expect("mkdir");
    std::fs::write(cfg.join("config.toml"), "[smtp]\nport = \"abc\"\n").expect("write");
    let (code, err) = e.fails(&["config", "show"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("smtp.port"), "{err}");
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("port number"), "{err}");

    std::fs::write(cfg.join("config.toml"), "[smtp]\nhots = \"x\"\n").expect("write");
    let (code, err) = e.fails(&["config", "show"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("smtp.hots") && err.contains("config.toml"),
        "{err}"
    );
    std::fs::remove_file(cfg.join("config.toml")).expect("rm");

    let out = e
        .cmd()
        .env("BRIGHTPATH_TODAY", "someday")
        .args(["today"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BRIGHTPATH_TODAY"), "{err}");
}

#[test]
fn demo_builds_a_school_and_prints_the_week() {
    let e = Env::new();
    let out = e.ok(&["demo"]);
    assert!(out.contains("Rivera Family — week of 2026-11-30"), "{out}");
    for name in [
        "Ada",
        "Ben",
        "Cora",
        "Maria (teaching)",
        "Co-op morning",
        "Family holiday",
    ] {
        assert!(out.contains(name), "demo output lacks {name}");
    }
    let bash = e.ok(&["completions", "bash"]);
    assert!(bash.contains("brightpath"));
    let status = e.ok(&["db", "status"]);
    assert!(status.contains("plans"), "{status}");
}

#[test]
fn a_week_is_marked_moved_undone_and_recorded() {
    let e = Env::new();
    setup_school(&e);
    e.ok(&["plan", "week"]);
    let week = e.json(&["plan", "show"]);
    let sessions = week["sessions"].as_array().expect("sessions").clone();

    // Monday done in bulk (Ben only), with feedback.
    let out = e.run(&[
        "done",
        "--date",
        "2026-11-30",
        "--student",
        "Ben",
        "--minutes",
        "40",
        "--engagement",
        "4",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, err) = e.fails(&["done", "--date", "2026-11-30", "--engagement", "7"]);
    assert_eq!(code, 2, "{err}");
    let (code, _) = e.fails(&["done"]);
    assert_eq!(code, 2, "a selection is required");

    // A move onto the co-op morning is refused and names why.
    let ada = sessions
        .iter()
        .find(|s| s["students"] == serde_json::json!(["Ada"]) && s["date"] == "2026-12-01")
        .expect("ada tuesday");
    let id = ada["id"].as_str().expect("id");
    let (code, err) = e.fails(&["move", id, "--to", "2026-12-02", "--at", "10:00"]);
    assert_eq!(code, 2);
    assert!(err.contains("Co-op"), "{err}");
    let (code, err) = e.fails(&["move", id, "--to", "2026-12-03", "--at", "14:30"]);
    assert_eq!(code, 2);
    assert!(err.contains("at most 1"), "one Reading a day: {err}");
    let moved = ["14:30", "14:00", "13:30", "11:30", "11:00", "08:30"]
        .iter()
        .any(|at| {
            e.run(&["move", id, "--to", "2026-12-01", "--at", at])
                .status
                .success()
        });
    assert!(moved, "some free time on Tuesday");
    let why = e.ok(&["why", &id[..8]]);
    assert!(why.contains("Pinned"), "{why}");

    // Skip, then undo the skip.
    e.ok(&["skip", id, "--reason", "tired"]);
    let history = e.json(&["history"]);
    assert_eq!(history[0]["kind"], "skip");
    e.ok(&["undo"]);
    let after = e.json(&["plan", "show"]);
    let s = after["sessions"]
        .as_array()
        .expect("s")
        .iter()
        .find(|s| s["id"] == id)
        .expect("kept")
        .clone();
    assert_eq!(s["status"], "planned");

    // Ada is sick on Thursday: her work moves (dry run first writes nothing).
    let before = e.json(&["history"]).as_array().map(Vec::len);
    let dry = e.ok(&[
        "day-off",
        "--start",
        "2026-12-03",
        "--students",
        "Ada",
        "--dry-run",
    ]);
    assert!(dry.contains("- thu 2026-12-03"), "{dry}");
    assert_eq!(e.json(&["history"]).as_array().map(Vec::len), before);
    e.ok(&["day-off", "--start", "2026-12-03", "--students", "Ada"]);
    let after = e.json(&["plan", "show"]);
    assert!(
        !after["sessions"]
            .as_array()
            .expect("s")
            .iter()
            .any(|s| s["date"] == "2026-12-03"
                && s["students"] == serde_json::json!(["Ada"])
                && s["status"] == "planned"),
        "Ada's Thursday work moved"
    );

    // Records and calendar.
    let att = e.json(&[
        "report",
        "attendance",
        "--from",
        "2026-11-30",
        "--to",
        "2026-12-04",
    ]);
    let ben = att
        .as_array()
        .and_then(|a| a.iter().find(|r| r["student"] == "Ben"))
        .expect("ben");
    assert_eq!(
        ben["days_attended"], 2,
        "Monday's work and Wednesday's co-op: {ben}"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let html = dir.path().join("hours.html");
    e.ok(&[
        "report",
        "hours",
        "--format",
        "html",
        "--output",
        html.to_str().expect("p"),
    ]);
    let text = std::fs::read_to_string(&html).expect("html");
    assert_eq!(text.matches("<section>").count(), 2, "one page per student");
    let csv = e.ok(&["report", "progress", "--format", "csv"]);
    assert!(csv.starts_with("student,course,done"), "{csv}");
    let ics = e.ok(&[
        "export",
        "ics",
        "--from",
        "2026-11-30",
        "--to",
        "2026-12-06",
        "--student",
        "Ben",
    ]);
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("@brightpath"),
        "{ics}"
    );
    let progress = e.json(&["progress"]);
    assert!(
        progress
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p["course"] == "Math 5"))
    );
}

#[test]
fn plan_week_all_plans_every_family_and_skips_one_with_no_school_that_week() {
    let e = Env::new();
    setup_school(&e);
    e.ok(&[
        "init",
        "--no-input",
        "--name",
        "Old Year Family",
        "--time-zone",
        "Europe/Berlin",
        "--guardian",
        "Ola",
        "--guardian-hours",
        "mon-fri 08:00-12:00",
        "--year-start",
        "2025-08-18",
        "--year-end",
        "2026-06-30",
    ]);
    let out = e.run(&["plan", "week", "--all", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a family whose year is over is skipped, not failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = results.as_array().expect("array");
    assert_eq!(results.len(), 2);
    let old = results
        .iter()
        .find(|r| r["family"] == "Old Year Family")
        .expect("old");
    assert!(old["error"].is_null(), "{old}");
    assert!(
        old["skipped"]
            .as_str()
            .unwrap_or("")
            .contains("no school year"),
        "{old}"
    );
    let human = e.ok(&["plan", "week", "--all"]);
    assert!(
        human.contains("skipped: no school year covers the week"),
        "{human}"
    );
    let lee = results
        .iter()
        .find(|r| r["family"] == "Lee Family")
        .expect("lee");
    assert!(lee["outcome"]["planned"].as_u64().unwrap_or(0) > 0, "{lee}");
    // Batch effort is the default with --all; interactive is there to ask for.
    let out = e.run(&["plan", "week", "--all", "--effort", "interactive", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let (code, err) = e.fails(&["plan", "week", "--effort", "fast"]);
    assert_eq!(code, 2, "an unknown effort is a usage error");
    assert!(err.contains("fast"), "{err}");
    let (code, err) = e.fails(&["student", "list"]);
    assert_eq!(code, 2, "two families: --family is needed");
    assert!(err.contains("--family"), "{err}");
    e.ok(&["student", "list", "--family", "Lee Family"]);
}
