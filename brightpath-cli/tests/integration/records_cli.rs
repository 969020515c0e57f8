//! Records and plans as a parent reads them from the terminal: reports in
//! every format say what they cover and keep one figure per cell, a table
//! written to a file is a table, a dry run shows its diff, `today` gives the
//! ids the marking commands take, and a repeated break is a conflict.

use crate::common;

use common::Env;

fn demo() -> Env {
    let e = Env::new();
    e.ok(&["demo"]);
    e
}

#[test]
fn reports_name_their_dates_and_keep_one_figure_per_cell() {
    let e = demo();
    e.ok(&["done", "--date", "2026-11-30", "--student", "Ben"]);
    let md = e.ok(&[
        "report",
        "attendance",
        "--from",
        "2026-11-30",
        "--to",
        "2026-12-04",
        "--format",
        "md",
    ]);
    assert!(md.contains("2026-11-30 to 2026-12-04"), "{md}");
    assert!(md.contains("### Attendance log"), "{md}");
    assert!(md.contains("- 2026-11-30 mon"), "{md}");
    let html = e.ok(&[
        "report",
        "hours",
        "--from",
        "2026-11-30",
        "--to",
        "2026-12-04",
        "--format",
        "html",
    ]);
    assert!(html.contains("2026-11-30 to 2026-12-04"), "{html}");
    let csv = e.ok(&["report", "progress", "--format", "csv"]);
    let header = csv.lines().next().expect("header");
    assert_eq!(
        header,
        "student,course,done,total,expected by now,pace,lessons off pace,projected finish,suggestion"
    );
    for row in csv.lines().skip(1) {
        assert!(!row.contains('/'), "a done/total pair in one cell: {row}");
        assert!(!row.contains("ahead ") && !row.contains("behind "), "{row}");
    }
}

#[test]
fn a_table_report_written_to_a_file_is_a_table() {
    let e = demo();
    let file = e.home.path().join("hours.txt");
    let path = file.to_str().expect("path");
    e.ok(&["report", "hours", "--format", "table", "--output", path]);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.starts_with("Hours — Rivera Family ("), "{text}");
    assert!(text.contains("│"), "drawn as a table: {text}");
    assert!(!text.contains("student,subject"), "not CSV: {text}");
}

#[test]
fn a_dry_run_prints_what_would_change_and_saves_nothing() {
    let e = demo();
    let before = e.ok(&["plan", "show", "--csv"]);
    // A dentist's appointment over Ben's Tuesday, left unplanned around.
    e.ok(&[
        "event",
        "add",
        "Dentist",
        "--on",
        "2026-12-01",
        "--time",
        "08:00-15:30",
        "--away",
        "--students",
        "Ben",
        "--no-replan",
    ]);
    let out = e.ok(&["plan", "week", "--dry-run"]);
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("- tue")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("+ ")),
        "{out}"
    );
    assert!(out.contains("nothing saved"), "{out}");
    assert_eq!(
        e.ok(&["plan", "show", "--csv"]),
        before,
        "a dry run saves nothing"
    );
}

#[test]
fn today_shows_the_ids_that_marking_takes() {
    let e = demo();
    let rows = |text: &str| -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r.headers().expect("header").clone();
        let rows = r.records().map(|x| x.expect("a CSV row")).collect();
        (header, rows)
    };
    let (header, today) = rows(&e.ok(&["today", "--date", "2026-11-30", "--csv"]));
    let col = header.iter().position(|h| h == "id").expect("an id column");
    let status = header.iter().position(|h| h == "status").expect("status");
    let id = today
        .iter()
        .map(|r| r[col].to_string())
        .find(|id| !id.is_empty())
        .expect("a session id");
    let text = e.ok(&["today", "--date", "2026-11-30"]);
    assert!(
        text.contains(&id[..8]),
        "the short id in the agenda: {text}"
    );
    e.ok(&["done", &id[..8]]);
    let (_, again) = rows(&e.ok(&["today", "--date", "2026-11-30", "--csv"]));
    assert!(
        again.iter().any(|r| r[col] == *id && &r[status] == "done"),
        "{again:?}"
    );
}

#[test]
fn the_same_break_twice_is_a_conflict() {
    let e = demo();
    let args = [
        "break",
        "add",
        "Winter",
        "--start",
        "2026-12-21",
        "--end",
        "2026-12-31",
    ];
    e.ok(&args);
    let (code, err) = e.fails(&args);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already there"), "{err}");
}

#[test]
fn hours_for_one_day_add_up() {
    let e = demo();
    e.ok(&[
        "student",
        "add",
        "Dot",
        "--hours",
        "mon-fri 08:00-12:00; mon 13:00-14:00",
    ]);
    let kids = e.json(&["student", "list"]);
    let dot = kids
        .as_array()
        .and_then(|a| a.iter().find(|k| k["name"] == "Dot"))
        .expect("Dot")
        .clone();
    let text = dot.to_string();
    assert!(text.contains("13:00") && text.contains("08:00"), "{text}");
    let (code, err) = e.fails(&[
        "student",
        "add",
        "Eve",
        "--hours",
        "mon-fri 08:00-12:00; mon 11:00-14:00",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("overlap"), "{err}");
}

#[test]
fn feedback_can_be_read_back() {
    let e = demo();
    let csv = e.ok(&["plan", "show", "--csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let first = r.records().next().expect("a row").expect("row");
    let id = first[col("id")].to_string();
    e.ok(&[
        "done",
        &id,
        "--minutes",
        "52",
        "--engagement",
        "4",
        "--difficulty",
        "2",
        "--note",
        "long division, finally",
    ]);
    let again = e.ok(&["plan", "show", "--csv"]);
    let mut r = csv::Reader::from_reader(again.as_bytes());
    let row = r
        .records()
        .map(|x| x.expect("row"))
        .find(|x| x[col("id")] == *id)
        .expect("the session");
    assert_eq!(&row[col("actual minutes")], "52");
    assert_eq!(&row[col("engagement")], "4");
    assert_eq!(&row[col("difficulty")], "2");
    assert_eq!(&row[col("note")], "long division, finally");
    let json = e.json(&["plan", "show"]);
    let s = json["sessions"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == id.as_str()))
        .expect("in JSON");
    assert_eq!(s["actual_minutes"], 52);
    assert_eq!(s["engagement"], 4);
}

#[test]
fn a_group_lesson_is_rated_child_by_child() {
    let e = demo();
    let json = e.json(&["plan", "show"]);
    let group = json["sessions"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|s| s["students"].as_array().is_some_and(|k| k.len() == 2))
        })
        .expect("a group lesson")
        .clone();
    let id = group["id"].as_str().expect("id");
    let kids: Vec<&str> = group["students"]
        .as_array()
        .expect("students")
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    let (a, b) = (kids[0], kids[1]);
    e.ok(&[
        "done",
        id,
        "--student",
        a,
        "--engagement",
        "5",
        "--difficulty",
        "1",
    ]);
    e.ok(&[
        "done",
        id,
        "--student",
        b,
        "--engagement",
        "2",
        "--minutes",
        "45",
    ]);
    // The export: one row per child, each with their own figures.
    let csv = e.ok(&["export", "feedback"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut rows: Vec<(String, String, String, String)> = r
        .records()
        .map(|x| x.expect("row"))
        .filter(|x| x[col("session_id")] == *id)
        .map(|x| {
            (
                x[col("student")].to_string(),
                x[col("engagement")].to_string(),
                x[col("difficulty")].to_string(),
                x[col("actual_minutes")].to_string(),
            )
        })
        .collect();
    rows.sort();
    let fig = |k: &str, en: &str, d: &str, m: &str| (k.into(), en.into(), d.into(), m.into());
    assert_eq!(rows, [fig(a, "5", "1", ""), fig(b, "2", "", "45")]);
    // plan show --csv: one row per session and child.
    let csv = e.ok(&["plan", "show", "--csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut shown: Vec<(String, String)> = r
        .records()
        .map(|x| x.expect("row"))
        .filter(|x| x[col("id")] == *id)
        .map(|x| {
            (
                x[col("student")].to_string(),
                x[col("engagement")].to_string(),
            )
        })
        .collect();
    shown.sort();
    assert_eq!(shown, [(a.into(), "5".into()), (b.into(), "2".into())]);
    // A child not in the lesson, or a figure out of range, names the field.
    let outsider = ["Ada", "Ben", "Cora"]
        .into_iter()
        .find(|k| !kids.contains(k))
        .expect("a third child");
    let (code, err) = e.fails(&["done", id, "--student", outsider, "--engagement", "3"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("student") && err.contains(outsider), "{err}");
    let (code, err) = e.fails(&["done", id, "--student", a, "--engagement", "7"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("engagement"), "{err}");
    // Undo takes back the last child's rating only.
    e.ok(&["undo"]);
    let csv = e.ok(&["export", "feedback", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&csv).expect("json");
    let of = |k: &str| {
        rows.as_array()
            .and_then(|a| {
                a.iter()
                    .find(|x| x["session_id"] == id && x["student"] == k)
            })
            .map(|x| x["engagement"].clone())
            .expect("row")
    };
    assert_eq!(of(a), 5);
    assert_eq!(of(b), serde_json::Value::Null);
}
