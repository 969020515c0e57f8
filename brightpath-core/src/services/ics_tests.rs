//! `build` and `event_days` on the fixture's school (Lee family, in
//! America/Chicago; the week of 2026-11-30).

use proptest::prelude::*;

use super::*;
use crate::calendar::Weekday;
use crate::services::fixture::{d, school, session};

fn stamp() -> jiff::Timestamp {
    "2026-11-29T12:00:00Z".parse().expect("timestamp")
}

/// The physical lines, checking every one ends in CRLF and none is longer
/// than 75 octets.
fn lines(cal: &str) -> Vec<&str> {
    assert!(cal.ends_with("\r\n"), "ends with CRLF");
    let body = &cal[..cal.len() - 2];
    let out: Vec<&str> = body.split("\r\n").collect();
    for l in &out {
        assert!(
            !l.contains('\n') && !l.contains('\r'),
            "bare line end in {l:?}"
        );
        assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
    }
    out
}

/// The content lines, continuation lines joined back.
fn unfold(cal: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines(cal) {
        match l.strip_prefix(' ') {
            Some(rest) => out.last_mut().expect("a line to continue").push_str(rest),
            None => out.push(l.to_string()),
        }
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a lone backslash ends {text:?}"),
            }
        } else {
            assert!(!matches!(c, ',' | ';'), "unescaped {c:?} in {text:?}");
            out.push(c);
        }
    }
    out
}

/// The value of `name` in each VEVENT, in order.
fn values(cal: &str, name: &str) -> Vec<String> {
    let prefix = format!("{name}:");
    unfold(cal)
        .into_iter()
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

#[test]
fn one_event_per_session_removed_session_and_event_day() {
    let data = school();
    let done = Session {
        status: SessionStatus::Done,
        lesson_id: Some("L1".into()),
        version: 3,
        ..session("done", "2026-11-30", "08:05", 45)
    };
    let skipped = Session {
        status: SessionStatus::Skipped,
        ..session("skipped", "2026-12-01", "09:00", 45)
    };
    let missed = Session {
        status: SessionStatus::Missed,
        ..session("missed", "2026-12-02", "08:05", 45)
    };
    let removed = Session {
        version: 2,
        ..session("removed", "2026-12-03", "08:05", 45)
    };
    let days = event_days(&data, d("2026-11-30"), d("2026-12-06"), &[]);
    assert_eq!(days.len(), 1, "the co-op, on Wednesday only");
    let cal = build(&data, &[done, skipped, missed], &[removed], &days, stamp()).expect("calendar");
    let all = unfold(&cal);
    assert_eq!(all.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(all.last().map(String::as_str), Some("END:VCALENDAR"));
    assert_eq!(all.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 5);
    assert_eq!(all.iter().filter(|l| *l == "END:VEVENT").count(), 5);
    assert_eq!(
        values(&cal, "UID"),
        [
            "done@brightpath",
            "skipped@brightpath",
            "missed@brightpath",
            "removed@brightpath",
            "event-coop-event-20261202@brightpath"
        ]
    );
    assert_eq!(
        values(&cal, "STATUS"),
        [
            "CONFIRMED",
            "CANCELLED",
            "CANCELLED",
            "CANCELLED",
            "CONFIRMED"
        ]
    );
    assert_eq!(
        values(&cal, "SEQUENCE"),
        ["3", "1", "1", "3", "1"],
        "a removal is a newer version"
    );
    // 08:05 in Chicago in winter is 14:05 UTC.
    assert_eq!(values(&cal, "DTSTART")[0], "20261130T140500Z");
    assert_eq!(values(&cal, "DTEND")[0], "20261130T145000Z");
    assert_eq!(values(&cal, "DTSTAMP")[0], "20261129T120000Z");
    assert_eq!(values(&cal, "SUMMARY")[0], "Math (Ada)");
    assert_eq!(
        values(&cal, "DESCRIPTION")[0],
        "Lesson 1: Lesson 1\\nWith Maria"
    );
    assert_eq!(values(&cal, "SUMMARY")[4], "Co-op (Ada)");
    assert_eq!(values(&cal, "DESCRIPTION")[4], "Away from home");
}

#[test]
fn event_days_skip_family_breaks_and_other_children() {
    let data = school();
    // Weekly on Wednesday: two Wednesdays in the range.
    let days = event_days(&data, d("2026-11-30"), d("2026-12-13"), &[]);
    let dates: Vec<Date> = days.iter().map(|(_, day)| *day).collect();
    assert_eq!(dates, [d("2026-12-02"), d("2026-12-09")]);
    // Moved onto the family's Friday off, it is not there.
    let mut data = school();
    data.events[0].recurrence = Recurrence::Weekly(Weekday::Fri);
    assert!(event_days(&data, d("2026-11-30"), d("2026-12-06"), &[]).is_empty());
    // Asked for another child, Ada's co-op is left out.
    let data = school();
    assert!(event_days(&data, d("2026-11-30"), d("2026-12-06"), &["ben".into()]).is_empty());
}

#[test]
fn text_is_escaped() {
    let mut data = school();
    data.courses[0].name = "Art, music; and \\ more".into();
    data.courses[0].subject = "art;craft".into();
    data.lessons[0].title = "Line one\r\nline two, too".into();
    let s = Session {
        lesson_id: Some("L1".into()),
        ..session("s", "2026-11-30", "08:05", 45)
    };
    let cal = build(&data, &[s], &[], &[], stamp()).expect("calendar");
    assert_eq!(
        values(&cal, "SUMMARY"),
        ["Art\\, music\\; and \\\\ more (Ada)"]
    );
    assert_eq!(
        values(&cal, "DESCRIPTION"),
        ["Lesson 1: Line one\\nline two\\, too\\nWith Maria"]
    );
    assert_eq!(values(&cal, "CATEGORIES"), ["art\\;craft"]);
    assert_eq!(values(&cal, "X-WR-CALNAME"), ["Lee school"]);
}

#[test]
fn long_lines_fold_at_75_octets_between_characters() {
    let folded = fold(&format!("SUMMARY:{}", "é".repeat(60)));
    let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(parts.len(), 2);
    // "SUMMARY:" (8) + 33 two-octet characters = 74; a 34th would be 76.
    assert_eq!(parts[0].len(), 74);
    assert!(parts[1].starts_with(' '));
    assert_eq!(fold("END:VEVENT"), "END:VEVENT\r\n");
    let exact = "X".repeat(75);
    assert_eq!(fold(&exact), format!("{exact}\r\n"), "75 octets fit");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the names, every line is at most 75 octets, ends in CRLF,
    /// and unfolds and unescapes back to the text.
    #[test]
    fn any_names_fold_and_escape_safely(
        child in "[a-zA-Z ,;\\\\\n😀é漢👩‍👧]{0,60}|\\PC{0,90}",
        course in "[a-zA-Z ,;\\\\\n😀é漢👩‍👧]{0,60}|\\PC{0,90}",
        title in "\\PC{0,120}",
    ) {
        let mut data = school();
        data.students[0].name = child.clone();
        data.courses[0].name = course.clone();
        data.lessons[0].title = title.clone();
        data.family.name = child.clone();
        let s = Session { lesson_id: Some("L1".into()), ..session("s", "2026-11-30", "08:05", 45) };
        let days = event_days(&data, d("2026-11-30"), d("2026-12-06"), &[]);
        let cal = build(&data, std::slice::from_ref(&s), std::slice::from_ref(&s), &days, stamp()).expect("calendar");
        lines(&cal);
        let summaries = values(&cal, "SUMMARY");
        prop_assert_eq!(summaries.len(), 3);
        let want = format!("{course} ({child})").replace('\r', "");
        prop_assert_eq!(unescape(&summaries[0]), want);
        let desc = unescape(&values(&cal, "DESCRIPTION")[0]);
        let want = format!("Lesson 1: {title}\nWith Maria");
        prop_assert_eq!(desc, want.trim().replace('\r', ""));
    }
}
