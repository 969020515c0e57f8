//! Unit tests of the pure parts on hand-made sessions.

use brightpath_core::calendar::{Clock, WeeklyAvailability};
use brightpath_core::model::{ChildRating, Course, Session, SessionStatus, Student};
use jiff::civil::Date;
use ndarray::{Array1, array};

use crate::*;

fn student(id: &str, name: &str) -> Student {
    Student {
        id: id.into(),
        family_id: "f".into(),
        name: name.into(),
        birth_date: None,
        grade: None,
        availability: WeeklyAvailability::default(),
        max_daily_minutes: None,
        version: 1,
    }
}

fn course(id: &str, name: &str, subject: &str) -> Course {
    Course {
        id: id.into(),
        name: name.into(),
        subject: subject.into(),
        core: true,
        lesson_minutes: 30,
        sessions_per_week: 5,
        max_per_day: 1,
        teacher_id: None,
        grouped: false,
        preferred: None,
        preferred_weight: None,
        weekdays: None,
        priority: 1,
        version: 1,
    }
}

fn session(
    id: &str,
    day: i8,
    start: u16,
    status: SessionStatus,
    actual: Option<u32>,
    engagement: Option<u8>,
) -> Session {
    let date = Date::constant(2026, 9, 7)
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .expect("date");
    Session {
        id: id.into(),
        week_start: Date::constant(2026, 9, 7),
        course_id: "c".into(),
        lesson_id: None,
        student_ids: vec!["s".into()],
        teacher_id: None,
        date,
        start: Clock(start),
        minutes: 30,
        status,
        pinned: false,
        actual_minutes: actual,
        grade: None,
        note: None,
        engagement,
        difficulty: engagement.map(|_| 3),
        version: 1,
    }
}

/// Rows of sessions of Ada's Math (student "s", course "c").
fn ada_math(list: &[Session]) -> (Vec<Row>, Cleaning) {
    rows(
        list,
        &[],
        &[student("s", "Ada")],
        &[course("c", "Math", "math")],
    )
}

#[test]
fn a_group_lesson_gives_each_child_their_own_rating() {
    use SessionStatus::Done;
    let mut group = session("g", 1, 540, Done, Some(30), Some(3));
    group.student_ids = vec!["s".into(), "t".into()];
    let ben = ChildRating {
        session_id: "g".into(),
        student_id: "t".into(),
        actual_minutes: Some(40),
        engagement: Some(1),
        difficulty: Some(5),
        note: None,
    };
    let kids = [student("s", "Ada"), student("t", "Ben")];
    let math = [course("c", "Math", "math")];
    let (got, clean) = rows(&[group.clone()], std::slice::from_ref(&ben), &kids, &math);
    let got: Vec<_> = got
        .iter()
        .map(|r| (r.child.as_str(), r.engagement, r.minutes, r.shared))
        .collect();
    // Ada keeps the lesson's figures; Ben has his own.
    assert_eq!(
        got,
        [
            ("Ada", Some(3.0), Some(30.0), true),
            ("Ben", Some(1.0), Some(40.0), true)
        ]
    );
    assert_eq!(clean.rows, 2);
    // A child's own engagement out of range is dropped for that child only,
    // and the lesson counted once.
    let bad = ChildRating {
        engagement: Some(9),
        ..ben
    };
    let (got, clean) = rows(&[group], &[bad], &kids, &math);
    assert_eq!(got[0].engagement, Some(3.0));
    assert_eq!(got[1].engagement, None);
    assert_eq!(clean.bad_engagement, 1);
}

#[test]
fn cleaning_rules_drop_what_cannot_be_true() {
    use SessionStatus::*;
    let list = vec![
        session("a", 0, 540, Done, Some(35), Some(4)),
        session("b", 0, 600, Done, Some(600), Some(3)), // absurd: 600
        session("c", 1, 540, Done, Some(95), Some(3)),  // absurd: over 3x planned
        session("d", 1, 600, Done, Some(30), None),     // no feedback at all
        session("e", 2, 540, Partial, Some(15), Some(2)),
        session("f", 2, 600, Skipped, Some(30), Some(5)),
        session("g", 3, 540, Done, Some(32), Some(9)), // engagement out of range
        session("h", 3, 600, Planned, None, None),
    ];
    let (rows, c) = ada_math(&list);
    assert_eq!(rows.len(), 6);
    assert_eq!(
        c,
        Cleaning {
            rows: 6,
            absurd_minutes: 2,
            bad_engagement: 1,
            void_with_feedback: 1,
            without_feedback: 1,
            partial: 1,
        }
    );
    let lengths: Vec<Option<f64>> = rows.iter().map(|r| r.minutes).collect();
    assert_eq!(
        lengths,
        vec![Some(35.0), None, None, None, None, Some(32.0)]
    );
    // The absurd lesson's engagement and the partial one's stay.
    assert_eq!(rows[1].engagement, Some(3.0));
    assert_eq!(rows[4].engagement, Some(2.0));
    assert_eq!(rows[5].engagement, None);
    // Positions in the day, and recent difficulty from earlier days only.
    assert_eq!((rows[0].position, rows[1].position), (0, 1));
    assert_eq!(rows[0].recent_difficulty, 3.0);
    assert!(absurd(0, 30) && absurd(91, 30) && !absurd(90, 30) && absurd(601, 300));
}

#[test]
fn unseen_categories_encode_as_zeros() {
    use SessionStatus::*;
    let list = vec![session("a", 0, 540, Done, Some(35), Some(4))];
    let (rows, _) = ada_math(&list);
    let enc = Encoder::fit(&[Feature::Child, Feature::Planned], &[&rows[0]]);
    assert_eq!(enc.columns, vec!["const", "child=Ada", "planned_hours"]);
    assert_eq!(enc.encode_one(&rows[0]).to_vec(), vec![1.0, 1.0, 0.5]);
    let mut other = rows[0].clone();
    other.child = "Zed".into();
    assert_eq!(enc.encode_one(&other).to_vec(), vec![1.0, 0.0, 0.5]);
    assert_eq!(Daypart::of(599), Daypart::Morning);
    assert_eq!(Daypart::of(600), Daypart::Midday);
    assert_eq!(Daypart::of(720), Daypart::Afternoon);
}

#[test]
fn spearman_handles_ties_and_constants() {
    assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), 0.0);
    // Ties take their average rank: ranks (1.5, 1.5, 3) against (1, 2, 3).
    let r = spearman(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]);
    assert!((r - 0.866_025_403_784_438_6).abs() < 1e-9, "{r}");
}

#[test]
fn ridge_is_least_squares_with_a_penalty_but_not_on_the_intercept() {
    // y = 2 + 3x exactly; a tiny penalty recovers it.
    let x = array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]];
    let y: Array1<f64> = array![2.0, 5.0, 8.0, 11.0];
    let w = ridge(&x, &y, 1e-9).expect("fit");
    assert!(
        (w[0] - 2.0).abs() < 1e-6 && (w[1] - 3.0).abs() < 1e-6,
        "{w}"
    );
    // With lambda 1: slope = Sxy / (Sxx + 1) = 15 / 6 on centred data.
    let w = ridge(&x, &y, 1.0).expect("fit");
    assert!((w[1] - 2.5).abs() < 1e-9, "{w}");
    assert!((w[0] - (6.5 - 2.5 * 1.5)).abs() < 1e-9, "{w}");
}

#[test]
fn one_week_is_not_enough_to_split() {
    use SessionStatus::*;
    let list: Vec<Session> = (0..5)
        .map(|d| session(&format!("s{d}"), d, 540, Done, Some(33), Some(4)))
        .collect();
    let (rows, _) = ada_math(&list);
    let ev = evaluate(Target::Lengths, &rows);
    assert_eq!(ev.choice, Choice::Baseline);
    assert_eq!(ev.test_from, None);
    let i = learn(&rows, Cleaning::default());
    assert_eq!(i.course_lengths[0].learned_minutes, 33.0);
    assert_eq!(
        i.course_lengths[0].suggested_minutes, None,
        "33 is within 10 %"
    );
}

#[test]
fn a_model_that_does_not_beat_the_baseline_is_not_shipped() {
    use SessionStatus::*;
    // Three weeks of lessons running half as long again, then a week exactly
    // as planned: the model learnt the old habit, the plan is right now.
    let list: Vec<Session> = (0..26)
        .map(|d| {
            let actual = if d < 21 { 45 } else { 30 };
            session(&format!("s{d:02}"), d, 540, Done, Some(actual), Some(4))
        })
        .collect();
    let (rows, _) = ada_math(&list);
    let ev = evaluate(Target::Lengths, &rows);
    assert_eq!((ev.train_weeks, ev.test_weeks), (3, 1), "{ev:?}");
    let model = ev.model.expect("fitted");
    assert!(model.mae > 10.0, "{model:?}");
    assert_eq!(ev.best_baseline().map(|b| b.0.as_str()), Some("planned"));
    assert_eq!(ev.choice, Choice::Baseline);
    assert!(ev.reason.contains("does not beat planned"), "{}", ev.reason);
}
