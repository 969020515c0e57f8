//! `brightpath insights` on the demo's year so far: the hidden Math 5
//! overrun shows as a learned length above the planned one.

mod common;

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
