//! `pace` on the fixture's school: Ada's Math, four lessons a week at most
//! one a day, in the year 2026-08-17 to 2027-05-28 (Monday to Friday, one
//! day off on 2026-12-04).

use proptest::prelude::*;

use super::*;
use crate::services::fixture::{d, school, session};

/// The school with `n` Math lessons.
fn with_lessons(n: u32) -> SchoolData {
    let mut data = school();
    let template = data.lessons[0].clone();
    data.lessons = (1..=n)
        .map(|i| Lesson {
            id: format!("L{i}"),
            seq: i,
            title: format!("Lesson {i}"),
            ..template.clone()
        })
        .collect();
    data
}

/// Lesson `seq` done on `date`.
fn done(seq: u32, date: Date) -> Session {
    Session {
        id: format!("done-{seq}-{date}"),
        lesson_id: Some(format!("L{seq}")),
        status: SessionStatus::Done,
        date,
        week_start: monday_of(date),
        ..session("x", "2026-08-17", "08:05", 45)
    }
}

/// Lessons `1..=n` done one a day from 2026-08-17.
fn done_from_start(data: &mut SchoolData, n: u32) {
    for i in 1..=n {
        data.sessions
            .push(done(i, add_days(d("2026-08-17"), i64::from(i) - 1)));
    }
}

fn only(data: &SchoolData, today: &str) -> Pacing {
    let mut all = pace(data, d(today));
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn on_the_first_day_nothing_is_expected_yet() {
    let p = only(&school(), "2026-08-17");
    assert_eq!((p.student.as_str(), p.course.as_str()), ("Ada", "Math"));
    assert_eq!((p.total, p.done, p.expected, p.behind), (10, 0, 0, 0));
    assert_eq!(p.remaining, 10);
    // Four a week, one a day: Mon-Thu twice, then Monday and Tuesday.
    assert_eq!(p.projected_finish, Some(d("2026-09-01")));
    assert!(p.on_track);
    assert_eq!(p.suggestion, None);
    assert_eq!(p.year_end, d("2027-05-28"));
}

#[test]
fn behind_counts_the_lessons_expected_by_today() {
    let mut data = with_lessons(100);
    done_from_start(&mut data, 3);
    // Four school weeks passed: 16 lessons expected, 3 done.
    let p = only(&data, "2026-09-14");
    assert_eq!((p.total, p.done, p.expected, p.behind), (100, 3, 16, 13));
    assert_eq!(p.remaining, 97);
    assert!(p.on_track, "97 lessons fit before May: {p:?}");

    // 200 lessons do not fit: off track, with a suggestion.
    let mut data = with_lessons(200);
    done_from_start(&mut data, 3);
    let p = only(&data, "2026-09-14");
    assert!(!p.on_track);
    assert!(p.projected_finish.is_some_and(|f| f > p.year_end), "{p:?}");
    assert!(p.suggestion.is_some());
}

#[test]
fn ahead_is_negative_behind() {
    let mut data = with_lessons(100);
    done_from_start(&mut data, 6);
    let p = only(&data, "2026-08-24");
    assert_eq!((p.done, p.expected, p.behind), (6, 4, -2));
}

#[test]
fn a_finished_course_has_no_projection() {
    let mut data = school();
    done_from_start(&mut data, 10);
    let p = only(&data, "2026-10-05");
    assert_eq!((p.total, p.done, p.remaining), (10, 10, 0));
    assert_eq!(p.projected_finish, None);
    assert!(p.on_track);
    assert!(p.behind <= 0);
}

#[test]
fn a_late_start_counts_from_the_first_session() {
    let mut data = with_lessons(20);
    data.enrollments[0].start_seq = 5;
    data.sessions.push(done(5, d("2026-11-02")));
    // Lessons 1-4 were done before; two weeks since the first session here.
    let p = only(&data, "2026-11-16");
    assert_eq!((p.total, p.done, p.expected, p.behind), (20, 5, 12, 7));
}

#[test]
fn without_a_curriculum_the_course_is_paced_by_sessions() {
    let mut data = school();
    data.lessons.clear();
    data.sessions.push(Session {
        lesson_id: None,
        ..done(1, d("2026-08-17"))
    });
    let p = only(&data, "2026-08-18");
    // 204 school days, five a week, four lessons a week.
    assert_eq!((p.total, p.done, p.expected), (163, 1, 1));
}

#[test]
fn a_lesson_done_twice_counts_once_and_done_never_passes_the_total() {
    // Two sessions marked done on the same lesson (a repeat) are one lesson.
    let mut data = with_lessons(5);
    for i in 0..6 {
        data.sessions.push(Session {
            id: format!("s{i}"),
            ..done(1, d("2026-08-17"))
        });
    }
    let p = only(&data, "2026-09-01");
    assert_eq!((p.total, p.done, p.remaining), (5, 1, 4));
    // Without a curriculum, more sessions than the year's estimate finish it.
    let mut data = school();
    data.lessons.clear();
    data.courses[0].sessions_per_week = 1;
    for i in 0..60 {
        data.sessions.push(Session {
            id: format!("s{i}"),
            lesson_id: None,
            ..done(1, add_days(d("2026-08-17"), i))
        });
    }
    let p = only(&data, "2027-05-01");
    assert_eq!(p.total, 41);
    assert_eq!((p.done, p.remaining), (41, 0));
}

#[test]
fn no_school_year_no_pacing() {
    let mut data = school();
    data.years.clear();
    assert!(pace(&data, d("2026-09-01")).is_empty());
    // Before the first year starts there is nothing to pace either.
    assert!(pace(&school(), d("2026-08-01")).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Done never exceeds the total, expected never exceeds it either, and
    /// a finish still ahead is never before today.
    #[test]
    fn pacing_stays_within_its_bounds(
        lessons in 0u32..40,
        start_seq in 1u32..12,
        marks in prop::collection::vec((prop::option::of(1u32..14), 0i64..300), 0..60),
        today in 0i64..400,
        per_week in 1u32..6,
        per_day in 1u32..3,
    ) {
        let mut data = with_lessons(lessons);
        data.enrollments[0].start_seq = start_seq;
        data.courses[0].sessions_per_week = per_week;
        data.courses[0].max_per_day = per_day;
        let year_start = d("2026-08-17");
        for (i, (seq, day)) in marks.into_iter().enumerate() {
            let date = add_days(year_start, day);
            data.sessions.push(Session {
                id: format!("s{i}"),
                lesson_id: seq.map(|n| format!("L{n}")),
                ..done(0, date)
            });
        }
        let today = add_days(d("2026-08-01"), today);
        for p in pace(&data, today) {
            prop_assert!(p.done <= p.total, "{:?}", p);
            prop_assert!(p.expected <= p.total, "{:?}", p);
            prop_assert_eq!(p.remaining, p.total - p.done);
            if p.remaining > 0 {
                prop_assert!(p.projected_finish.is_none_or(|f| f >= today), "{:?}", p);
            }
        }
    }
}
