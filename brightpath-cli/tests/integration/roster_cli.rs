//! `brightpath import oneroster|csv` and `export oneroster` through the real
//! binary: the example roster in and out, exit codes, JSON summaries.

use std::path::{Path, PathBuf};

use crate::common;

use common::Env;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/roster")
}

fn coop(e: &Env) {
    e.ok(&[
        "coop",
        "add",
        "Riverside Co-op",
        "--time-zone",
        "America/Chicago",
    ]);
}

fn counts(v: &serde_json::Value, kind: &str) -> (usize, usize, u64, usize) {
    let d = &v["changes"][kind];
    let n = |k: &str| d[k].as_array().map_or(0, Vec::len);
    (
        n("created"),
        n("updated"),
        d["unchanged"].as_u64().unwrap_or(0),
        n("removed"),
    )
}

#[test]
fn import_dry_run_import_again_and_export_round_trip() {
    let e = Env::new();
    coop(&e);
    let dir = example().join("riverside");
    let dir = dir.to_str().expect("path");
    let dry = e.json(&[
        "import",
        "oneroster",
        dir,
        "--coop",
        "Riverside Co-op",
        "--dry-run",
    ]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(counts(&dry, "families"), (2, 0, 0, 0));
    // A dry run writes nothing: the real import still creates everything.
    let first = e.json(&["import", "oneroster", dir, "--coop", "Riverside Co-op"]);
    assert_eq!(counts(&first, "families"), (2, 0, 0, 0));
    assert_eq!(counts(&first, "events"), (6, 0, 0, 0));
    let again = e.json(&["import", "oneroster", dir, "--coop", "Riverside Co-op"]);
    assert_eq!(counts(&again, "users"), (0, 0, 5, 0));
    assert_eq!(counts(&again, "events"), (0, 0, 6, 0));
    // The admin's class lists.
    let classes = e.json(&["coop", "classes", "Riverside Co-op"]);
    let art = &classes[0];
    assert_eq!(art["title"], "Art Studio", "{classes}");
    assert_eq!(
        art["meetings"].as_array().map(Vec::len),
        Some(2),
        "{classes}"
    );
    let table = e.ok(&["coop", "classes", "Riverside Co-op"]);
    assert!(
        table.contains("wed 09:00-10:30, Fellowship Hall"),
        "{table}"
    );
    // plan week --all plans every family around its co-op classes.
    let events = e.ok(&["--family", "Rivera family", "event", "list", "--csv"]);
    assert!(events.contains("Hands-on Science (wed)"), "{events}");

    let zip = e.home.path().join("riverside.zip");
    e.ok(&[
        "export",
        "oneroster",
        "--coop",
        "Riverside Co-op",
        "-o",
        zip.to_str().expect("path"),
    ]);
    let back = e.json(&[
        "import",
        "oneroster",
        zip.to_str().expect("path"),
        "--coop",
        "Riverside Co-op",
    ]);
    for kind in [
        "users",
        "classes",
        "enrollments",
        "events",
        "class_meetings",
    ] {
        let (c, u, _, r) = counts(&back, kind);
        assert_eq!(
            (c, u, r),
            (0, 0, 0),
            "{kind} changed on the round trip: {back}"
        );
    }
}

#[test]
fn a_bad_file_exits_2_with_every_problem_and_a_class_moved_by_csv() {
    let e = Env::new();
    coop(&e);
    let dir = e.home.path().join("bad");
    std::fs::create_dir_all(&dir).expect("dir");
    for f in std::fs::read_dir(example().join("riverside")).expect("example") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, dir.join(f.file_name().expect("name"))).expect("copy");
    }
    let enr = std::fs::read_to_string(dir.join("enrollments.csv")).expect("read");
    std::fs::write(
        dir.join("enrollments.csv"),
        enr.replace("usr-june,student", "usr-juno,pupil"),
    )
    .expect("write");
    let out = e.run(&[
        "import",
        "oneroster",
        dir.to_str().expect("path"),
        "--coop",
        "Riverside Co-op",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let problems = report["problems"].as_array().expect("problems");
    let at = |line: u64, col: &str| {
        problems
            .iter()
            .any(|p| p["line"] == line && p["column"] == col && p["file"] == "enrollments.csv")
    };
    assert!(
        at(3, "role") && at(3, "userSourcedId") && at(6, "role"),
        "{report}"
    );
    let families = e.json(&["family", "list"]);
    assert_eq!(
        families.as_array().map(Vec::len),
        Some(0),
        "nothing written: {families}"
    );

    // The templates alone, by `import csv`: art moves to Thursday.
    e.ok(&[
        "import",
        "oneroster",
        example().join("riverside").to_str().expect("path"),
        "--coop",
        "Riverside Co-op",
    ]);
    let moved = e.home.path().join("meetings.csv");
    std::fs::write(&moved, "classSourcedId,day,start,end,place\ncls-science-a,wed,09:00,10:30,Fellowship Hall\ncls-art-a,thu,10:45,12:00,Room 4\n").expect("write");
    let r = e.json(&[
        "import",
        "csv",
        moved.to_str().expect("path"),
        "--coop",
        "Riverside Co-op",
    ]);
    assert_eq!(counts(&r, "class_meetings").3, 2, "{r}");
    let (code, err) = e.fails(&["import", "csv", "/no/such.csv", "--coop", "Riverside Co-op"]);
    assert_eq!(code, 3, "{err}");
    let (code, _) = e.fails(&[
        "import",
        "oneroster",
        example().join("riverside").to_str().expect("path"),
        "--coop",
        "Nobody",
    ]);
    assert_eq!(code, 3);
}
