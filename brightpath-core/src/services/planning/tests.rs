//! The pure seam between a family's school and the planner: the request
//! built from the school, the plan bound back to lessons, and the reasons
//! for what did not fit told with people's names.

use super::*;
use crate::calendar::Window;
use crate::services::fixture::{d, school, session};

fn done_monday(data: &mut SchoolData) {
    data.sessions.push(Session {
        lesson_id: Some("L1".into()),
        status: SessionStatus::Done,
        actual_minutes: Some(50),
        version: 2,
        ..session("done-1", "2026-11-30", "08:05", 45)
    });
}

#[test]
fn the_request_holds_the_schools_rules() {
    let mut data = school();
    done_monday(&mut data);
    let (req, groups) = build_request(&data, d("2026-12-02"), None).expect("request");
    assert_eq!(req.week_start, "2026-11-30");
    assert_eq!(
        req.days,
        ["mon", "tue", "wed", "thu"],
        "Friday is a day off"
    );
    let ada = &req.students[0];
    assert_eq!(
        ada.availability["mon"],
        [["08:05".to_string(), "11:55".to_string()]],
        "windows shrink onto the 5-minute grid"
    );
    assert_eq!(groups.len(), 1);
    let math = &req.lessons[0];
    assert_eq!(math.id, groups[0].key);
    assert_eq!(math.sessions, 3, "four a week, one already done");
    assert_eq!(math.preferred, Some(["08:00".into(), "10:00".into()]));
    assert_eq!(math.preferred_weight, Some(40));
    assert_eq!(math.teacher.as_deref(), Some("mom"));
    let kept = req
        .fixed
        .iter()
        .find(|f| f.id == "kept:done-1")
        .expect("the done session holds its time");
    assert_eq!((kept.day.as_str(), kept.start.as_str()), ("mon", "08:05"));
    assert_eq!(kept.meta, Some(serde_json::json!({"session": "done-1"})));
    assert!(
        req.fixed
            .iter()
            .any(|f| f.day == "wed" && f.start == "09:00" && f.students == ["ada"]),
        "the co-op blocks Wednesday morning"
    );
    // The planner takes it as it is.
    planner::Request::from_raw(req).expect("a valid request");
}

#[test]
fn a_solved_plan_binds_to_the_next_lessons_in_order() {
    let mut data = school();
    done_monday(&mut data);
    let week = d("2026-11-30");
    let (req, groups) = build_request(&data, week, None).expect("request");
    let plan = solve_request(req, 1, None, planner::Effort::Batch).expect("solved");
    let sessions = bind_sessions(&data, week, None, &groups, &plan).expect("bound");
    assert_eq!(sessions.len(), 3);
    let lessons: Vec<&str> = sessions
        .iter()
        .map(|s| s.lesson_id.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(
        lessons,
        ["L2", "L3", "L4"],
        "after the done L1, in date order"
    );
    assert!(
        sessions
            .iter()
            .all(|s| s.date > week && s.date < d("2026-12-04"))
    );
    assert_eq!(plan.score.unscheduled, 0);
}

#[test]
fn what_did_not_fit_is_told_with_names() {
    let mut data = school();
    // Ada may do 30 minutes a day; Math takes 45.
    data.students[0].max_daily_minutes = Some(30);
    let week = d("2026-11-30");
    let (req, groups) = build_request(&data, week, None).expect("request");
    let plan = solve_request(req, 1, None, planner::Effort::Batch).expect("solved");
    let items = unscheduled(&data, &groups, &plan);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].course, "Math");
    assert_eq!(items[0].students, ["Ada"]);
    assert_eq!(items[0].missing, 4);
    assert_eq!(
        items[0].reason,
        "a session is longer than Ada's max_daily_minutes 30"
    );
}

/// With `apply`, a child's learned length becomes the lesson's minutes and
/// the learned best hours its preferred time where the course has none;
/// without it (or for other children) the course's figures stay, and `why`
/// says where the minutes came from.
#[test]
fn learned_lengths_and_hours_shape_the_request_only_when_applied() {
    let mut data = school();
    data.courses[0].preferred = None;
    let learned = Learned {
        lengths: vec![LearnedLength {
            student_id: "ada".into(),
            course_id: "math-course".into(),
            minutes: 55,
            lessons: 68,
        }],
        hours: vec![LearnedHours {
            student_id: "ada".into(),
            subject: "math".into(),
            window: Window::parse("w", "06:00-10:00").expect("window"),
            label: "before 10:00".into(),
            lessons: 40,
        }],
        ..Default::default()
    };
    let week = d("2026-11-30");
    let (plain, _) = build_request_with(&data, week, None, None).expect("request");
    assert_eq!(plain.lessons[0].duration, 45);
    assert_eq!(plain.lessons[0].preferred, None);
    let (applied, groups) = build_request_with(&data, week, None, Some(&learned)).expect("request");
    assert_eq!(applied.lessons[0].duration, 55);
    assert_eq!(
        groups[0].minutes, 55,
        "the sessions get the learned minutes"
    );
    assert_eq!(
        applied.lessons[0].preferred,
        Some(["06:00".into(), "10:00".into()])
    );
    // A course's own preferred time wins over the learned one.
    data.courses[0].preferred = Some(Window::parse("p", "13:00-15:00").expect("window"));
    let (own, _) = build_request_with(&data, week, None, Some(&learned)).expect("request");
    assert_eq!(
        own.lessons[0].preferred,
        Some(["13:00".into(), "15:00".into()])
    );
    planner::Request::from_raw(applied).expect("a valid request");

    data.courses[0].preferred = None;
    data.learned = Some(learned);
    let s = Session {
        minutes: 55,
        ..session("s-1", "2026-11-30", "08:30", 55)
    };
    let why = crate::services::pacing::explain_session(&data, &s).join("\n");
    assert!(why.contains("Planned 55 min: learned from 68 of"), "{why}");
    assert!(
        why.contains(
            "most engaged in math before 10:00 (learned from 40 lessons); this session is then"
        ),
        "{why}"
    );
}
