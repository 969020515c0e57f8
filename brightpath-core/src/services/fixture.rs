//! A small school for the pure functions' unit tests: one parent, one
//! child, Math (ten lessons) with a preferred time, a co-op on Wednesday, a
//! family day off on Friday, the week of 2026-11-30; and a session builder.

use jiff::civil::Date;

use crate::calendar::{Clock, Weekday, WeeklyAvailability, Window};
use crate::model::*;
use crate::services::planning::SchoolData;

pub(crate) fn d(t: &str) -> Date {
    t.parse().expect("date")
}

pub(crate) fn avail(t: &str) -> WeeklyAvailability {
    WeeklyAvailability::parse("a", t).expect("availability")
}

/// A small school: one parent, one child, Math with a preferred time, a
/// co-op on Wednesday, a family day off on Friday, the week of 2026-11-30.
pub(crate) fn school() -> SchoolData {
    let family = Family {
        id: "fam".into(),
        coop_id: None,
        name: "Lee".into(),
        time_zone: "America/Chicago".into(),
        version: 1,
    };
    let course = Course {
        id: "math-course".into(),
        name: "Math".into(),
        subject: "math".into(),
        core: true,
        lesson_minutes: 45,
        sessions_per_week: 4,
        max_per_day: 1,
        teacher_id: Some("mom".into()),
        grouped: false,
        preferred: Some(Window::parse("p", "08:00-10:00").expect("window")),
        preferred_weight: Some(40),
        weekdays: None,
        priority: 2,
        version: 1,
    };
    let lessons = (1..=10)
        .map(|i| Lesson {
            id: format!("L{i}"),
            course_id: course.id.clone(),
            seq: i,
            title: format!("Lesson {i}"),
            notes: String::new(),
            minutes: None,
            resource: String::new(),
        })
        .collect();
    SchoolData {
        family,
        years: vec![SchoolYear {
            id: "y".into(),
            name: "2026-27".into(),
            start: d("2026-08-17"),
            end: d("2027-05-28"),
            weekdays: Weekday::ALL[..5].to_vec(),
            target_days: None,
            target_hours: None,
            target_core_hours: None,
            version: 1,
        }],
        breaks: vec![Break {
            id: "b".into(),
            school_year_id: "y".into(),
            name: "Day off".into(),
            kind: BreakKind::Holiday,
            start: d("2026-12-04"),
            end: d("2026-12-04"),
            student_ids: vec![],
        }],
        guardians: vec![Guardian {
            id: "mom".into(),
            family_id: "fam".into(),
            name: "Maria".into(),
            email: None,
            availability: avail("mon-fri 08:00-12:00"),
            version: 1,
        }],
        students: vec![Student {
            id: "ada".into(),
            family_id: "fam".into(),
            name: "Ada".into(),
            birth_date: None,
            grade: None,
            // Off the 5-minute grid on purpose.
            availability: avail("mon-fri 08:03-11:58"),
            max_daily_minutes: None,
            version: 1,
        }],
        courses: vec![course],
        enrollments: vec![Enrollment {
            id: "e".into(),
            course_id: "math-course".into(),
            student_id: "ada".into(),
            start_seq: 1,
        }],
        lessons,
        events: vec![FixedEvent {
            id: "coop-event".into(),
            name: "Co-op".into(),
            recurrence: Recurrence::Weekly(Weekday::Wed),
            window: Window::parse("w", "09:00-11:00").expect("window"),
            away: true,
            school: SchoolTime::Elective,
            student_ids: vec!["ada".into()],
            guardian_ids: vec![],
            version: 1,
        }],
        exceptions: vec![],
        sessions: vec![],
        learned: None,
    }
}

/// `HH:MM` as a clock.
pub(crate) fn at(t: &str) -> Clock {
    Clock::parse("t", t).expect("time")
}

/// A planned Math session for Ada with Maria, in the week of its date.
pub(crate) fn session(id: &str, date: &str, start: &str, minutes: u32) -> Session {
    let date = d(date);
    Session {
        id: id.into(),
        week_start: crate::calendar::monday_of(date),
        course_id: "math-course".into(),
        lesson_id: None,
        student_ids: vec!["ada".into()],
        teacher_id: Some("mom".into()),
        date,
        start: at(start),
        minutes,
        status: SessionStatus::Planned,
        pinned: false,
        actual_minutes: None,
        grade: None,
        note: None,
        engagement: None,
        difficulty: None,
        version: 1,
    }
}

/// A second child, Ben, free Monday to Friday 08:00-15:00.
pub(crate) fn ben() -> Student {
    Student {
        id: "ben".into(),
        family_id: "fam".into(),
        name: "Ben".into(),
        birth_date: None,
        grade: None,
        availability: avail("mon-fri 08:00-15:00"),
        max_daily_minutes: None,
        version: 1,
    }
}

/// Any status a session can have.
pub(crate) fn any_status() -> impl proptest::strategy::Strategy<Value = SessionStatus> {
    proptest::sample::select(vec![
        SessionStatus::Planned,
        SessionStatus::Done,
        SessionStatus::Partial,
        SessionStatus::Skipped,
        SessionStatus::Missed,
    ])
}
