//! `build`: attendance and hours from a hand-made school (the fixture's week
//! of 2026-11-30, Friday off, co-op on Wednesday).

use proptest::prelude::*;

use super::*;
use crate::calendar::Window;
use crate::services::fixture::{any_status, ben, d, school, session};

fn marked(id: &str, date: &str, status: SessionStatus, actual: Option<u32>) -> Session {
    Session {
        status,
        actual_minutes: actual,
        ..session(id, date, "08:05", 45)
    }
}

fn event(name: &str, on: Recurrence, time: &str, away: bool, school: SchoolTime) -> FixedEvent {
    FixedEvent {
        id: name.to_lowercase(),
        name: name.into(),
        recurrence: on,
        window: Window::parse("w", time).expect("window"),
        away,
        school,
        student_ids: vec!["ada".into()],
        guardian_ids: vec![],
        version: 1,
    }
}

/// Ada's week: Math done Monday (50 minutes), partly done Tuesday (20),
/// skipped, missed and planned after; the co-op (elective, away) on
/// Wednesday, Latin (core, at home) on Thursday, a dentist (no school
/// time) on Tuesday.
fn week() -> SchoolData {
    let mut data = school();
    data.sessions = vec![
        marked("mon", "2026-11-30", SessionStatus::Done, Some(50)),
        marked("tue", "2026-12-01", SessionStatus::Partial, Some(20)),
        marked("wed", "2026-12-02", SessionStatus::Skipped, None),
        marked("thu", "2026-12-03", SessionStatus::Missed, None),
        marked("thu2", "2026-12-03", SessionStatus::Planned, None),
    ];
    data.events.push(event(
        "Latin",
        Recurrence::Weekly(Weekday::Thu),
        "13:00-14:00",
        false,
        SchoolTime::Core,
    ));
    data.events.push(event(
        "Dentist",
        Recurrence::Once(d("2026-12-01")),
        "14:00-15:00",
        true,
        SchoolTime::No,
    ));
    data
}

fn ada(data: &SchoolData, rule: AttendanceRule) -> StudentRecord {
    let mut all = build(
        data,
        d("2026-11-30"),
        d("2026-12-04"),
        &["ada".into()],
        rule,
    );
    assert_eq!(all.len(), 1);
    all.remove(0)
}

#[test]
fn done_and_partial_work_counts_and_nothing_else() {
    let r = ada(&week(), AttendanceRule::default());
    assert_eq!(r.student, "Ada");
    assert_eq!(r.school_days, 4, "Friday is off");
    assert_eq!(
        r.attended,
        [
            d("2026-11-30"),
            d("2026-12-01"),
            d("2026-12-02"),
            d("2026-12-03")
        ]
    );
    let minutes: Vec<u32> = r.days.iter().map(|w| w.minutes).collect();
    assert_eq!(minutes, [50, 20, 120, 60], "actual minutes; events by day");
    assert_eq!(r.minutes_by_subject["math"], 70);
    assert_eq!(r.minutes_by_subject["Co-op (away)"], 120);
    assert_eq!(r.minutes_by_subject["Latin"], 60);
    assert!(!r.minutes_by_subject.contains_key("Dentist"));
    assert!(!r.minutes_by_subject.contains_key("Dentist (away)"));
    assert_eq!((r.core_minutes, r.elective_minutes), (130, 120));
    assert_eq!((r.home_minutes, r.away_minutes), (130, 120));
    assert_eq!(r.total_minutes, 250);
}

#[test]
fn a_done_session_without_actual_minutes_counts_its_plan() {
    let mut data = school();
    data.sessions = vec![marked("mon", "2026-11-30", SessionStatus::Done, None)];
    let r = ada(&data, AttendanceRule::default());
    assert_eq!(r.minutes_by_subject["math"], 45);
}

#[test]
fn the_rule_sets_the_minutes_a_day_needs() {
    let r = ada(&week(), AttendanceRule { min_minutes: 30 });
    assert_eq!(r.days_attended, 3, "Tuesday's 20 minutes are not enough");
    assert!(!r.attended.contains(&d("2026-12-01")));
    assert!(
        r.days
            .iter()
            .any(|w| w.date == d("2026-12-01") && !w.attended)
    );
    // Zero behaves as "any work".
    let r = ada(&week(), AttendanceRule { min_minutes: 0 });
    assert_eq!(r.days_attended, 4);
}

#[test]
fn a_childs_own_break_is_hers_alone() {
    let mut data = week();
    data.students.push(ben());
    data.events[1].student_ids.push("ben".into());
    data.breaks.push(Break {
        id: "sick".into(),
        school_year_id: "y".into(),
        name: "Sick".into(),
        kind: BreakKind::Sick,
        start: d("2026-12-03"),
        end: d("2026-12-03"),
        student_ids: vec!["ada".into()],
    });
    let all = build(
        &data,
        d("2026-11-30"),
        d("2026-12-04"),
        &[],
        AttendanceRule::default(),
    );
    assert_eq!(all.len(), 2);
    let (a, b) = (&all[0], &all[1]);
    assert_eq!((a.student.as_str(), b.student.as_str()), ("Ada", "Ben"));
    assert_eq!(a.school_days, 3, "Thursday is Ada's sick day");
    assert!(!a.minutes_by_subject.contains_key("Latin"));
    assert_eq!(b.school_days, 4);
    assert_eq!(b.minutes_by_subject["Latin"], 60, "Ben had Latin");
}

#[test]
fn work_on_a_day_off_keeps_it_a_school_day() {
    let mut data = school();
    data.events.clear();
    data.sessions = vec![marked("fri", "2026-12-04", SessionStatus::Done, None)];
    let r = ada(&data, AttendanceRule::default());
    assert_eq!(r.school_days, 5);
    assert_eq!(r.attended, [d("2026-12-04")]);
}

#[test]
fn the_years_targets_come_along() {
    let mut data = school();
    data.years[0].target_days = Some(180);
    data.years[0].target_hours = Some(900);
    data.years[0].target_core_hours = Some(600);
    let r = ada(&data, AttendanceRule::default());
    assert_eq!(
        (r.target_days, r.target_hours, r.target_core_hours),
        (Some(180), Some(900), Some(600))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Attended days are school days, and the hours add up each way.
    #[test]
    fn the_numbers_add_up(
        marks in prop::collection::vec((0i64..21, any_status(), prop::option::of(1u32..120), prop::bool::ANY), 0..25),
        events in prop::collection::vec((0usize..7, prop::bool::ANY, 0usize..3), 0..4),
        off in prop::collection::vec((0i64..21, 0i64..4, prop::bool::ANY), 0..3),
        min_minutes in 0u32..90,
    ) {
        let mut data = school();
        data.students.push(ben());
        let from = d("2026-11-23");
        for (i, (day, status, actual, both)) in marks.into_iter().enumerate() {
            let date = add_days(from, day);
            let mut s = marked(&format!("s{i}"), "2026-11-30", status, actual);
            s.date = date;
            if both {
                s.student_ids.push("ben".into());
            }
            data.sessions.push(s);
        }
        for (i, (day, away, kind)) in events.into_iter().enumerate() {
            let mut e = event(
                &format!("E{i}"),
                Recurrence::Weekly(Weekday::ALL[day]),
                "13:00-14:30",
                away,
                [SchoolTime::No, SchoolTime::Core, SchoolTime::Elective][kind],
            );
            e.student_ids.push("ben".into());
            data.events.push(e);
        }
        for (i, (day, len, ada_only)) in off.into_iter().enumerate() {
            data.breaks.push(Break {
                id: format!("b{i}"),
                school_year_id: "y".into(),
                name: "Off".into(),
                kind: BreakKind::Break,
                start: add_days(from, day),
                end: add_days(from, day + len),
                student_ids: if ada_only { vec!["ada".into()] } else { vec![] },
            });
        }
        let to = add_days(from, 20);
        for r in build(&data, from, to, &[], AttendanceRule { min_minutes }) {
            prop_assert!(r.days_attended <= r.school_days, "{:?}", r);
            prop_assert_eq!(r.days_attended as usize, r.attended.len());
            prop_assert_eq!(r.total_minutes, r.home_minutes + r.away_minutes);
            prop_assert_eq!(r.total_minutes, r.core_minutes + r.elective_minutes);
            prop_assert_eq!(r.total_minutes, r.minutes_by_subject.values().sum::<u32>());
            prop_assert_eq!(r.total_minutes, r.days.iter().map(|w| w.minutes).sum::<u32>());
            prop_assert!(r.attended.iter().all(|a| *a >= from && *a <= to));
        }
    }
}
