//! `check_placement`, the hard rules of one move, on the fixture's school
//! (week of 2026-11-30: Ada free 08:03-11:58, Maria 08:00-12:00, co-op on
//! Wednesday 09:00-11:00, Friday off).

use proptest::prelude::*;

use super::*;
use crate::calendar::Window;
use crate::services::fixture::{any_status, at, avail, ben, d, school, session};

/// Ada's 45-minute Math session, to be placed.
fn math() -> Session {
    session("move-me", "2026-11-30", "08:05", 45)
}

fn refused(data: &SchoolData, s: &Session, date: &str, start: &str) -> String {
    check_placement(data, s, d(date), at(start)).expect_err("refused")
}

/// A session of another course (no daily cap on it) for `student`.
fn other(id: &str, date: &str, start: &str, student: &str, teacher: Option<&str>) -> Session {
    Session {
        course_id: "art-course".into(),
        student_ids: vec![student.into()],
        teacher_id: teacher.map(Into::into),
        ..session(id, date, start, 45)
    }
}

#[test]
fn a_placement_inside_every_rule_is_accepted() {
    let data = school();
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("09:00")),
        Ok(())
    );
    // The session's own old time does not clash with itself.
    let mut data = school();
    data.sessions.push(math());
    assert_eq!(
        check_placement(&data, &math(), d("2026-11-30"), at("08:30")),
        Ok(())
    );
}

#[test]
fn off_the_grid_and_past_midnight_are_refused() {
    let data = school();
    let e = refused(&data, &math(), "2026-12-01", "09:02");
    assert!(e.contains("5-minute grid"), "{e}");
    let e = refused(&data, &math(), "2026-12-01", "23:30");
    assert!(e.contains("after midnight"), "{e}");
    // Ending exactly at midnight is not past it (but Ada is not free then).
    let e = refused(&data, &math(), "2026-12-01", "23:15");
    assert!(e.contains("not available"), "{e}");
}

#[test]
fn days_without_school_are_refused() {
    let data = school();
    let e = refused(&data, &math(), "2026-12-05", "09:00");
    assert_eq!(e, "2026-12-05 is not a school day", "Saturday");
    let e = refused(&data, &math(), "2026-12-04", "09:00");
    assert_eq!(e, "2026-12-04 is not a school day", "the family's day off");
    let e = refused(&data, &math(), "2027-06-01", "09:00");
    assert!(e.contains("not a school day"), "after the year: {e}");
}

#[test]
fn a_course_stays_on_its_weekdays() {
    let mut data = school();
    data.courses[0].weekdays = Some(vec![Weekday::Mon, Weekday::Thu]);
    let e = refused(&data, &math(), "2026-12-01", "09:00");
    assert!(e.starts_with("Math is only on"), "{e}");
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-03"), at("09:00")),
        Ok(())
    );
}

#[test]
fn people_must_be_free() {
    let data = school();
    // Ada is free until 11:58; 11:15 + 45 = 12:00.
    let e = refused(&data, &math(), "2026-12-01", "11:15");
    assert!(e.starts_with("Ada is not available"), "{e}");
    let e = refused(&data, &math(), "2026-12-01", "08:00");
    assert!(e.starts_with("Ada is not available"), "before 08:03: {e}");
    // Ada free all day; Maria still only until 12:00.
    let mut data = school();
    data.students[0].availability = avail("mon-fri 08:00-18:00");
    let e = refused(&data, &math(), "2026-12-01", "12:00");
    assert!(e.starts_with("Maria is not available to teach"), "{e}");
    // Independent work needs no teacher.
    let mut alone = math();
    alone.teacher_id = None;
    assert_eq!(
        check_placement(&data, &alone, d("2026-12-01"), at("12:00")),
        Ok(())
    );
}

#[test]
fn exceptions_and_a_childs_own_break_change_who_is_free() {
    let mut data = school();
    data.exceptions.push(AvailabilityException {
        id: "x".into(),
        person_id: "ada".into(),
        date: d("2026-12-01"),
        windows: vec![Window::parse("w", "13:00-14:00").expect("window")],
        note: String::new(),
    });
    data.students[0].availability = avail("mon-fri 08:00-18:00");
    data.guardians[0].availability = avail("mon-fri 08:00-18:00");
    let e = refused(&data, &math(), "2026-12-01", "09:00");
    assert!(e.starts_with("Ada is not available"), "{e}");
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("13:00")),
        Ok(())
    );
    data.breaks.push(Break {
        id: "sick".into(),
        school_year_id: "y".into(),
        name: "Sick".into(),
        kind: BreakKind::Sick,
        start: d("2026-12-02"),
        end: d("2026-12-02"),
        student_ids: vec!["ada".into()],
    });
    let e = refused(&data, &math(), "2026-12-02", "13:00");
    assert!(e.starts_with("Ada is not available"), "{e}");
}

#[test]
fn a_clash_with_the_same_child_or_teacher_is_refused() {
    let mut data = school();
    data.sessions
        .push(other("art", "2026-12-01", "09:00", "ada", None));
    let e = refused(&data, &math(), "2026-12-01", "09:30");
    assert!(e.starts_with("Ada already has"), "{e}");
    // Back to back is fine.
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("09:45")),
        Ok(())
    );
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("08:15")),
        Ok(())
    );

    let mut data = school();
    data.students.push(ben());
    data.sessions
        .push(other("ben-art", "2026-12-01", "09:00", "ben", Some("mom")));
    let e = refused(&data, &math(), "2026-12-01", "09:15");
    assert!(e.starts_with("Maria already has"), "{e}");
    // Ben alone with nobody shared does not block Ada.
    data.sessions[0].teacher_id = None;
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("09:15")),
        Ok(())
    );
}

#[test]
fn skipped_and_missed_sessions_take_no_time() {
    for status in [SessionStatus::Skipped, SessionStatus::Missed] {
        let mut data = school();
        data.sessions.push(Session {
            status,
            ..other("art", "2026-12-01", "09:00", "ada", None)
        });
        assert_eq!(
            check_placement(&data, &math(), d("2026-12-01"), at("09:00")),
            Ok(()),
            "{status:?}"
        );
    }
}

#[test]
fn fixed_events_block_their_people() {
    let data = school();
    let e = refused(&data, &math(), "2026-12-02", "10:30");
    assert_eq!(e, "Ada has Co-op 09:00-11:00");
    // On another day the weekly co-op is not there.
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("10:30")),
        Ok(())
    );
    // An event for the teacher blocks the session too.
    let mut data = school();
    data.events[0].student_ids.clear();
    data.events[0].guardian_ids = vec!["mom".into()];
    let e = refused(&data, &math(), "2026-12-02", "08:30");
    assert_eq!(e, "Maria has Co-op 09:00-11:00");
}

#[test]
fn the_daily_caps_hold() {
    // Math is at most once a day.
    let mut data = school();
    data.sessions
        .push(session("math-2", "2026-12-01", "10:00", 45));
    let e = refused(&data, &math(), "2026-12-01", "08:30");
    assert_eq!(e, "Math already has 1 session(s) that day (at most 1)");
    // Ada may do 60 minutes a day; Art takes 45 of them.
    let mut data = school();
    data.students[0].max_daily_minutes = Some(60);
    data.sessions
        .push(other("art", "2026-12-01", "10:00", "ada", None));
    let e = refused(&data, &math(), "2026-12-01", "08:30");
    assert_eq!(e, "Ada would have 90 minutes that day (at most 60)");
    data.students[0].max_daily_minutes = Some(90);
    assert_eq!(
        check_placement(&data, &math(), d("2026-12-01"), at("08:30")),
        Ok(())
    );
}

/// Other sessions of Ada and Ben, with or without Maria, on the week's days.
fn others() -> impl Strategy<Value = Vec<Session>> {
    let one = (
        0usize..5,
        (8u16 * 12)..(12 * 12),
        prop::sample::select(vec![15u32, 30, 45, 60]),
        prop::bool::ANY,
        prop::bool::ANY,
        any_status(),
    )
        .prop_map(|(day, slot, minutes, ada, taught, status)| Session {
            course_id: if ada { "art-course" } else { "math-course" }.into(),
            student_ids: vec![if ada { "ada" } else { "ben" }.into()],
            teacher_id: taught.then(|| "mom".into()),
            date: crate::calendar::add_days(d("2026-11-30"), day as i64),
            start: Clock(slot * 5),
            minutes,
            status,
            ..session("x", "2026-11-30", "08:00", 45)
        });
    prop::collection::vec(one, 0..10).prop_map(|mut v| {
        for (i, s) in v.iter_mut().enumerate() {
            s.id = format!("other-{i}");
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// What `check_placement` accepts lies inside the people's free windows,
    /// on the grid and a school day, and overlaps nothing of theirs.
    #[test]
    fn an_accepted_placement_breaks_no_rule(
        sessions in others(),
        day in prop_oneof![4 => 0i64..4, 1 => 4i64..7],
        start in prop_oneof![4 => (7u16 * 12..13 * 12).prop_map(|k| k * 5), 1 => 420u16..780],
        minutes in prop::sample::select(vec![20u32, 45, 90]),
        cap in prop::option::of(60u32..240),
    ) {
        let mut data = school();
        data.students.push(ben());
        data.students[0].max_daily_minutes = cap;
        data.sessions = sessions;
        let date = crate::calendar::add_days(d("2026-11-30"), day);
        let s = Session { minutes, ..math() };
        if check_placement(&data, &s, date, Clock(start)).is_ok() {
            let w = Window { start: Clock(start), end: Clock(start + minutes as u16) };
            prop_assert_eq!(start % 5, 0);
            prop_assert!(data.school_days(monday_of(date)).contains(&date));
            let inside = |ws: &[Window]| ws.iter().any(|x| x.start <= w.start && w.end <= x.end);
            prop_assert!(inside(&data.free_windows("ada", &data.students[0].availability, date)));
            prop_assert!(inside(&data.free_windows("mom", &data.guardians[0].availability, date)));
            for o in data.sessions.iter().filter(|o| o.date == date && !o.status.is_void()) {
                let shares = o.student_ids.iter().any(|x| x == "ada")
                    || o.teacher_id.as_deref() == Some("mom");
                prop_assert!(!(shares && o.window().overlaps(&w)), "clashes with {:?}", o);
            }
            for e in data.events.iter().filter(|e| e.recurrence.occurs_on(date)) {
                prop_assert!(!e.window.overlaps(&w), "clashes with {}", e.name);
            }
            if let Some(cap) = cap {
                let load: u32 = data.sessions.iter()
                    .filter(|o| o.date == date && !o.status.is_void() && o.student_ids.iter().any(|x| x == "ada"))
                    .map(|o| o.minutes)
                    .sum();
                prop_assert!(load + minutes <= cap);
            }
        }
    }
}
