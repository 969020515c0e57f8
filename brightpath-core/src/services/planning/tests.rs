//! The pure seam between a family's school and the planner: the request
//! built from the school, the plan bound back to lessons, and the reasons
//! for what did not fit told with people's names.

use super::*;
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
