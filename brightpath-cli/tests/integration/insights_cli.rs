//! `brightpath insights` on the demo's year so far: the hidden Math 5
//! overrun shows as a learned length above the planned one.

use crate::common;

use common::Env;

#[test]
fn demo_history_then_insights_learns_that_math_5_runs_long() {
    let e = Env::new();
    e.ok(&["demo", "--history"]);
    let all = e.json(&["insights"]);
    let math = all["course_lengths"]
        .as_array()
        .and_then(|l| l.iter().find(|c| c["course"] == "Math 5"))
        .unwrap_or_else(|| panic!("no Math 5 in {all}"));
    let planned = math["planned"].as_f64().expect("planned");
    let learned = math["learned_minutes"].as_f64().expect("learned");
    assert_eq!(planned, 45.0);
    assert!(learned > planned * 1.1, "{math}");
    assert_eq!(math["suggested_minutes"], 50, "{math}");
    assert_eq!(all["lengths"]["choice"], "model", "{}", all["lengths"]);

    let ben = e.json(&["insights", "--student", "Ben"]);
    let children: Vec<&str> = ben["course_lengths"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["child"].as_str())
        .collect();
    assert!(!children.is_empty() && children.iter().all(|c| *c == "Ben"));

    let text = e.ok(&["insights"]);
    assert!(text.contains("Lesson lengths"), "{text}");
    assert!(text.contains("Math 5 runs"), "{text}");
}

/// The feedback as recorded, one row per session and child: minutes only
/// where given (a bare `done` records none), marks dated by the `today`
/// setting, group lessons once per child.
#[test]
fn feedback_export_reads_back_what_was_marked() {
    let e = Env::new();
    e.ok(&["demo"]);
    let week = e.json(&["plan", "show"]);
    let ids: Vec<String> = week["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect();
    assert!(ids.len() >= 3, "{week}");
    let (code, err) = e.fails(&["done", &ids[0], "--minutes", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("between 1 and 1440") && err.contains("--partial"),
        "{err}"
    );
    e.ok(&[
        "done",
        &ids[0],
        "--minutes",
        "52",
        "--engagement",
        "4",
        "--difficulty",
        "2",
        "--note",
        "long, but fun",
    ]);
    e.ok(&["done", &ids[1]]);
    e.ok(&["skip", &ids[2], "--reason", "sick"]);

    let csv = e.ok(&["export", "feedback"]);
    assert_eq!(
        csv.lines().next(),
        Some(
            "session_id,date,start,student,course,subject,status,planned_minutes,actual_minutes,\
             engagement,difficulty,grade,note,children,marked_at"
        )
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("CSV");
    let of =
        |id: &str| -> Vec<&csv::StringRecord> { rows.iter().filter(|r| &r[0] == id).collect() };
    let first = of(&ids[0]);
    assert!(!first.is_empty(), "{csv}");
    assert_eq!(
        first.len().to_string(),
        &first[0][13],
        "one row per child: {csv}"
    );
    assert_eq!(&first[0][6], "done");
    assert_eq!(
        (&first[0][8], &first[0][9], &first[0][10]),
        ("52", "4", "2"),
        "{csv}"
    );
    assert_eq!(&first[0][12], "long, but fun");
    // The `today` setting (2026-11-29) dates the mark, not the wall clock:
    // that day at the wall clock's time in the family's zone (in UTC it may
    // be the next day, so the date is read in the demo family's zone).
    let marked: jiff::Timestamp = first[0][14].parse().expect("marked_at is RFC 3339");
    let zone = jiff::tz::TimeZone::get("America/Chicago").expect("zone");
    assert_eq!(
        marked.to_zoned(zone).date().to_string(),
        "2026-11-29",
        "{csv}"
    );
    let bare = of(&ids[1]);
    assert_eq!(&bare[0][6], "done");
    assert_eq!(&bare[0][8], "", "a bare done records no minutes: {csv}");
    assert_eq!(&of(&ids[2])[0][6], "skipped");
    assert_eq!(
        rows.len(),
        first.len() + bare.len() + of(&ids[2]).len(),
        "{csv}"
    );

    let json = e.ok(&["export", "feedback", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let row = json
        .as_array()
        .and_then(|a| a.iter().find(|r| r["session_id"] == ids[0].as_str()))
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(row["actual_minutes"], 52);
    assert_eq!(row["note"], "long, but fun");
    let (code, err) = e.fails(&["export", "feedback", "--student", "Nobody"]);
    assert_ne!(code, 0);
    assert!(err.contains("Nobody"), "{err}");
}
