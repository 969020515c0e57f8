//! `rebinding`: which lesson each session carries after a change, on the
//! fixture's Math (lessons L1-L10) for Ada, the week of 2026-11-30.

use proptest::prelude::*;

use super::*;
use crate::services::fixture::{ben, d, school, session};

fn with(id: &str, date: &str, status: SessionStatus, lesson: Option<&str>) -> Session {
    Session {
        status,
        lesson_id: lesson.map(Into::into),
        ..session(id, date, "08:05", 45)
    }
}

fn decide(sessions: &[Session], today: &str) -> Vec<(Id, Option<Id>)> {
    let data = school();
    rebinding(sessions, &data.lessons, &data.enrollments, d(today))
}

fn pairs(list: &[(&str, Option<&str>)]) -> Vec<(Id, Option<Id>)> {
    list.iter()
        .map(|(s, l)| (s.to_string(), l.map(str::to_string)))
        .collect()
}

use SessionStatus::*;

#[test]
fn planned_sessions_take_the_next_lessons_in_time_order() {
    let sessions = [
        with("thu", "2026-12-03", Planned, None),
        with("mon", "2026-11-30", Planned, None),
        with("wed", "2026-12-02", Planned, None),
    ];
    assert_eq!(
        decide(&sessions, "2026-11-30"),
        pairs(&[
            ("mon", Some("L1")),
            ("wed", Some("L2")),
            ("thu", Some("L3"))
        ])
    );
    // Already bound that way: nothing to write.
    let bound = [
        with("mon", "2026-11-30", Planned, Some("L1")),
        with("wed", "2026-12-02", Planned, Some("L2")),
    ];
    assert!(decide(&bound, "2026-11-30").is_empty());
}

#[test]
fn skipped_missed_and_partial_lessons_roll_forward() {
    for status in [Skipped, Missed, Partial] {
        let sessions = [
            with("mon", "2026-11-30", Done, Some("L1")),
            with("tue", "2026-12-01", status, Some("L2")),
            with("wed", "2026-12-02", Planned, Some("L3")),
            with("thu", "2026-12-03", Planned, Some("L4")),
        ];
        assert_eq!(
            decide(&sessions, "2026-12-02"),
            pairs(&[("wed", Some("L2")), ("thu", Some("L3"))]),
            "{status:?}: the marked sessions keep theirs as a record"
        );
    }
}

#[test]
fn the_past_keeps_its_marks_and_unmarked_sessions_give_lessons_up() {
    let sessions = [
        with("mon", "2026-11-30", Done, Some("L1")),
        with("tue", "2026-12-01", Planned, Some("L2")),
        with("wed", "2026-12-02", Skipped, Some("L3")),
        with("thu", "2026-12-03", Planned, Some("L4")),
    ];
    assert_eq!(
        decide(&sessions, "2026-12-03"),
        pairs(&[("tue", None), ("thu", Some("L2"))]),
    );
}

#[test]
fn a_session_marked_done_without_a_lesson_takes_the_earliest_due() {
    let sessions = [
        with("mon", "2026-11-30", Done, Some("L1")),
        with("tue", "2026-12-01", Done, None),
        with("wed", "2026-12-02", Planned, Some("L2")),
    ];
    assert_eq!(
        decide(&sessions, "2026-12-02"),
        pairs(&[("tue", Some("L2")), ("wed", Some("L3"))]),
    );
}

#[test]
fn a_late_start_and_another_child_count_apart() {
    let mut data = school();
    data.enrollments[0].start_seq = 3;
    data.students.push(ben());
    let bens = Session {
        student_ids: vec!["ben".into()],
        ..with("ben-mon", "2026-11-30", Planned, None)
    };
    let sessions = [with("mon", "2026-11-30", Planned, None), bens];
    let got = rebinding(&sessions, &data.lessons, &data.enrollments, d("2026-11-30"));
    // Ben has no enrollment here: he starts at the first lesson.
    assert_eq!(got, pairs(&[("mon", Some("L3")), ("ben-mon", Some("L1"))]));
}

#[test]
fn a_course_without_a_curriculum_is_left_alone() {
    let sessions = [
        Session {
            course_id: "art-course".into(),
            ..with("art", "2026-11-30", Planned, None)
        },
        Session {
            course_id: "art-course".into(),
            ..with("art-done", "2026-11-27", Done, None)
        },
    ];
    assert!(decide(&sessions, "2026-11-30").is_empty());
}

#[test]
fn when_lessons_run_out_later_sessions_carry_none() {
    let mut sessions: Vec<Session> = (1..=10)
        .map(|i| {
            with(
                &format!("done{i}"),
                "2026-11-23",
                Done,
                Some(&format!("L{i}")),
            )
        })
        .collect();
    sessions.push(with("extra", "2026-11-30", Planned, Some("L10")));
    assert_eq!(decide(&sessions, "2026-11-30"), pairs(&[("extra", None)]));
}

fn any_status() -> impl Strategy<Value = SessionStatus> {
    prop::sample::select(vec![Planned, Planned, Done, Partial, Skipped, Missed])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Applying the decision leaves nothing more to decide, and from today
    /// on planned sessions carry distinct lessons not yet done, in order.
    #[test]
    fn rebinding_settles_in_one_step(
        list in prop::collection::vec((0i64..10, 0u16..6, any_status(), prop::option::of(1u32..12)), 0..16),
        today in 0i64..10,
    ) {
        let data = school();
        let week = d("2026-11-23");
        let mut sessions: Vec<Session> = list
            .into_iter()
            .enumerate()
            .map(|(i, (day, slot, status, lesson))| Session {
                id: format!("s{i}"),
                date: crate::calendar::add_days(week, day),
                start: crate::calendar::Clock(480 + slot * 60),
                status,
                lesson_id: lesson.map(|n| format!("L{n}")),
                ..session("x", "2026-11-23", "08:00", 45)
            })
            .collect();
        let today = crate::calendar::add_days(week, today);
        let changes = rebinding(&sessions, &data.lessons, &data.enrollments, today);
        for (id, lesson) in &changes {
            let s = sessions.iter_mut().find(|s| &s.id == id).expect("a known session");
            prop_assert!(s.status == Planned || (s.status == Done && s.lesson_id.is_none()));
            s.lesson_id = lesson.clone();
        }
        prop_assert!(rebinding(&sessions, &data.lessons, &data.enrollments, today).is_empty());
        let done: HashSet<&str> = sessions.iter()
            .filter(|s| s.status == Done)
            .filter_map(|s| s.lesson_id.as_deref())
            .collect();
        let mut ahead: Vec<&Session> = sessions.iter()
            .filter(|s| s.status == Planned && s.date >= today)
            .collect();
        ahead.sort_by_key(|s| (s.date, s.start));
        let seqs: Vec<u32> = ahead.iter()
            .filter_map(|s| s.lesson_id.as_deref())
            .map(|l| l[1..].parse().expect("L<n>"))
            .collect();
        prop_assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order: {:?}", seqs);
        for s in &ahead {
            if let Some(l) = &s.lesson_id { prop_assert!(!done.contains(l.as_str())); }
        }
        prop_assert!(sessions.iter().filter(|s| s.status == Planned && s.date < today).all(|s| s.lesson_id.is_none()));
    }
}
