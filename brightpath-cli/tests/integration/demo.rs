//! `brightpath demo` builds where the other commands look: the configured
//! database (`--db` honoured), or a throwaway `--file`.

use crate::common;

use common::Env;

#[test]
fn the_empty_database_hint_leads_to_a_school_that_today_opens() {
    let e = Env::new();
    let (code, err) = e.fails(&["today"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("brightpath demo"), "{err}");
    let out = e.ok(&["demo"]);
    assert!(out.contains("Explore it with: brightpath today"), "{out}");
    let today = e.ok(&["today"]);
    assert!(today.contains("Ada"), "{today}");
    let kids = e.json(&["student", "list"]);
    assert_eq!(kids.as_array().map(Vec::len), Some(3), "{kids}");
}

#[test]
fn demo_honours_db_and_never_mixes_into_a_school() {
    let e = Env::new();
    let file = e.home.path().join("elsewhere.db");
    let url = format!("sqlite://{}", file.display());
    let out = e.ok(&["--db", &url, "demo"]);
    assert!(
        out.contains(&format!("brightpath --db {url} today")),
        "{out}"
    );
    assert!(file.exists(), "demo wrote {}", file.display());
    let data = e.home.path().join(".local/share/brightpath");
    assert!(!data.join("demo.db").exists(), "no demo.db beside it");
    assert!(!data.join("brightpath.db").exists(), "default untouched");
    let kids = e.json(&["--db", &url, "student", "list"]);
    assert_eq!(kids.as_array().map(Vec::len), Some(3), "{kids}");

    let (code, err) = e.fails(&["--db", &url, "demo"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already holds 1 family"), "{err}");
    assert!(err.contains("--file"), "{err}");
    let kids = e.json(&["--db", &url, "student", "list"]);
    assert_eq!(kids.as_array().map(Vec::len), Some(3), "still one demo");
}

#[test]
fn demo_file_is_a_throwaway_replaced_each_run() {
    let e = Env::new();
    let file = e.home.path().join("throwaway.db");
    let path = file.to_str().expect("utf-8 path");
    e.ok(&["demo", "--file", path]);
    let out = e.ok(&["demo", "--file", path]);
    assert!(
        out.contains(&format!("brightpath --db sqlite://{path}")),
        "{out}"
    );
    let url = format!("sqlite://{path}");
    let families = e.json(&["--db", &url, "family", "list"]);
    assert_eq!(families.as_array().map(Vec::len), Some(1), "{families}");
}

/// The plan of a school, without its random ids: what a seed must reproduce.
fn plan_by_names(e: &Env) -> Vec<String> {
    let week = e.json(&["plan", "show"]);
    let mut plan: Vec<String> = week["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| {
            format!(
                "{} {}-{} {} {}",
                s["date"], s["start"], s["end"], s["course"], s["students"]
            )
        })
        .collect();
    plan.sort();
    plan
}

/// The same school built from the same commands in four databases (so with
/// four sets of random ids) gets one plan from `plan week --seed 1`.
#[test]
fn a_seed_reproduces_a_plan_across_databases() {
    let plans: Vec<Vec<String>> = (0..4)
        .map(|_| {
            let e = Env::new();
            e.ok(&["demo"]);
            e.ok(&["plan", "week", "--seed", "1"]);
            plan_by_names(&e)
        })
        .collect();
    assert!(plans[0].len() > 20, "{:?}", plans[0]);
    for p in &plans[1..] {
        assert_eq!(p, &plans[0]);
    }
}
