//! Tenants are walls, table by table, on each backend: acting for family A
//! with family B's ids (and names), every service that reads, edits, marks,
//! moves, pins, skips, undoes, deletes or lists is refused as not found or
//! sees nothing of B, and B's school is the same afterwards.

use std::fmt::Debug;

use brightpath_core::calendar::add_days;
use brightpath_core::services::{history, lists};
use brightpath_core::store::ChangeRecord;
use jiff::civil::Date;

use super::*;

/// Everything of a family's, read straight from the store.
#[derive(Debug, PartialEq)]
struct Snapshot {
    family: Family,
    school: planning::SchoolData,
    exceptions: Vec<AvailabilityException>,
    changes: Vec<ChangeRecord>,
    plan: Option<PlanRecord>,
}

async fn snapshot(store: &Store, f: &Family, week: Date) -> Snapshot {
    let mut tx = store.read().await.expect("read");
    let family = tx.family(&f.id).await.expect("family");
    Snapshot {
        school: planning::SchoolData::load(&mut tx, &family, week)
            .await
            .expect("school"),
        exceptions: tx
            .exceptions(&f.id, Date::MIN, Date::MAX)
            .await
            .expect("exceptions"),
        changes: tx.changes(&f.id, 100_000).await.expect("changes"),
        plan: tx.plan(&f.id, week).await.expect("plan"),
        family,
    }
}

#[track_caller]
fn not_found<T: Debug>(what: &str, r: brightpath_core::Result<T>) {
    match r {
        Ok(v) => panic!("{what}: crossed the wall: {v:?}"),
        Err(e) => assert_eq!(e.kind(), ErrorKind::NotFound, "{what}: {e}"),
    }
}

/// Family B: the demo school, its week planned and one exception; family A:
/// one child and a school year of its own.
async fn two_families(store: &Store) -> (Family, Family, Date) {
    let (b, week) = planned(store).await;
    let kid = lists::students(store, &b.id).await.expect("students")[0].clone();
    add_exception(store, &b.id, &kid.id, add_days(week, 1), vec![], "dentist")
        .await
        .expect("B's exception");
    let a = family(store, "Lee").await;
    add_student(store, &a.id, student("Zed"))
        .await
        .expect("A's child");
    let year = YearInput {
        name: "2026-27".into(),
        start: date("2026-08-17"),
        end: date("2027-05-28"),
        weekdays: Weekday::ALL[..5].to_vec(),
        target_days: None,
        target_hours: None,
        target_core_hours: None,
    };
    add_year(store, &a.id, year).await.expect("A's year");
    (a, b, week)
}

pub(crate) async fn every_family_table_is_walled(store: Store) {
    let (a, b, week) = two_families(&store).await;
    let before = snapshot(&store, &b, week).await;
    let bs = &before.school;
    let (guardian, kid, year, course) = (
        &bs.guardians[0],
        &bs.students[0],
        &bs.years[0],
        &bs.courses[0],
    );
    let brk = bs.breaks.first().expect("B has a break");
    let event = bs.events.first().expect("B has an event");
    let exception = before.exceptions.first().expect("B has an exception");
    let session = bs
        .sessions
        .iter()
        .find(|s| s.date >= week)
        .expect("B has a planned session");
    let enrolled = bs.enrollments.first().expect("B has an enrollment");
    let today = week;
    let f = a.id.as_str();

    // Guardians.
    not_found(
        "edit guardian",
        edit_guardian(
            &store,
            f,
            &guardian.id,
            GuardianPatch {
                name: Some("Hijacked".into()),
                ..Default::default()
            },
        )
        .await,
    );
    not_found(
        "edit guardian by name",
        edit_guardian(&store, f, &guardian.name, GuardianPatch::default()).await,
    );
    not_found(
        "remove guardian",
        remove_guardian(&store, f, &guardian.id, None).await,
    );
    assert!(lists::guardians(&store, f).await.expect("list").is_empty());

    // Students.
    not_found(
        "find student",
        lists::find_student(&store, f, &kid.id).await,
    );
    not_found(
        "find student by name",
        lists::find_student(&store, f, &kid.name).await,
    );
    not_found(
        "edit student",
        edit_student(
            &store,
            f,
            &kid.id,
            StudentPatch {
                grade: Some("12".into()),
                ..Default::default()
            },
        )
        .await,
    );
    not_found(
        "remove student",
        remove_student(&store, f, &kid.id, None).await,
    );
    let mine = lists::students(&store, f).await.expect("list");
    assert_eq!(
        mine.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Zed"]
    );

    // Availability exceptions.
    not_found(
        "remove exception",
        remove_exception(&store, f, &exception.id).await,
    );
    not_found(
        "add exception for B's child",
        add_exception(&store, f, &kid.id, add_days(week, 2), vec![], "x").await,
    );
    not_found(
        "add exception for B's guardian, re-planning",
        progress::add_exception(
            &store,
            &a,
            &guardian.id,
            add_days(week, 2),
            vec![],
            "x",
            true,
            &opts(),
            today,
        )
        .await,
    );
    assert!(
        list_exceptions(&store, f, Date::MIN, Date::MAX)
            .await
            .expect("list")
            .is_empty()
    );

    // School years and breaks.
    not_found(
        "edit year",
        edit_year(
            &store,
            f,
            &year.id,
            YearPatch {
                target_days: Some(1),
                ..Default::default()
            },
        )
        .await,
    );
    not_found("remove year", remove_year(&store, f, &year.id, None).await);
    not_found(
        "add a break to B's year",
        add_break(
            &store,
            f,
            BreakInput {
                year: Some(year.id.clone()),
                name: "Hijack".into(),
                kind: BreakKind::Break,
                start: week,
                end: week,
                students: vec![],
            },
        )
        .await,
    );
    not_found("remove break", remove_break(&store, f, &brk.id).await);
    not_found(
        "day off for B's child",
        progress::day_off(
            &store,
            &a,
            week,
            week,
            std::slice::from_ref(&kid.id),
            BreakKind::Sick,
            "",
            &opts(),
            today,
        )
        .await,
    );
    let years = lists::years(&store, f).await.expect("list");
    assert_eq!(
        years.iter().map(|y| y.name.as_str()).collect::<Vec<_>>(),
        ["2026-27"]
    );
    assert!(years.iter().all(|y| y.id != year.id));
    assert!(lists::breaks(&store, f).await.expect("list").is_empty());

    // Courses, enrollments and curricula.
    not_found(
        "edit course",
        edit_course(
            &store,
            f,
            &course.id,
            CoursePatch {
                name: Some("Hijacked".into()),
                ..Default::default()
            },
        )
        .await,
    );
    not_found(
        "remove course",
        remove_course(&store, f, &course.id, None).await,
    );
    not_found(
        "enroll A's child in B's course",
        enroll(&store, f, &enrolled.course_id, "Zed", 1).await,
    );
    not_found(
        "enroll B's child",
        enroll(&store, f, &enrolled.course_id, &enrolled.student_id, 1).await,
    );
    not_found(
        "unenroll",
        unenroll(&store, f, &enrolled.course_id, &enrolled.student_id).await,
    );
    not_found(
        "show curriculum",
        curriculum::show(&store, f, &course.id).await,
    );
    not_found(
        "import into B's course",
        curriculum::import(
            &store,
            f,
            Some(&course.id),
            "x.csv",
            curriculum::Format::Csv,
            "title\nHijack\n",
        )
        .await,
    );
    assert!(lists::courses(&store, f).await.expect("list").is_empty());
    assert!(
        lists::enrollments(&store, f)
            .await
            .expect("list")
            .is_empty()
    );

    // Fixed events.
    not_found(
        "edit event",
        edit_event(
            &store,
            f,
            &event.id,
            EventPatch {
                name: Some("Hijacked".into()),
                ..Default::default()
            },
        )
        .await,
    );
    not_found(
        "remove event",
        remove_event(&store, f, &event.id, None).await,
    );
    let for_b = EventInput {
        name: "Hijack".into(),
        recurrence: Recurrence::Once(week),
        window: Window::parse("w", "09:00-10:00").expect("window"),
        away: false,
        school: SchoolTime::No,
        students: vec![kid.id.clone()],
        guardians: vec![],
    };
    not_found(
        "add event for B's child",
        add_event(&store, f, for_b.clone()).await,
    );
    not_found(
        "add event for B's child, re-planning",
        progress::add_event(&store, &a, for_b, true, &opts(), today).await,
    );
    assert!(lists::events(&store, f).await.expect("list").is_empty());

    // Sessions.
    let by_prefix = progress::Selector::one(&session.id[..8], None);
    not_found(
        "skip by an id prefix",
        progress::skip(&store, &a, &by_prefix, "sick", "mom", today).await,
    );
    let by_child = progress::Selector {
        week: Some(week),
        student: Some(kid.name.clone()),
        ..Default::default()
    };
    not_found(
        "mark B's child's week",
        progress::mark_done(
            &store,
            &a,
            &by_child,
            progress::DoneInput::default(),
            "mom",
            today,
        )
        .await,
    );
    let one = progress::Selector::one(&session.id, Some(session.version));
    not_found(
        "mark done",
        progress::mark_done(
            &store,
            &a,
            &one,
            progress::DoneInput::default(),
            "mom",
            today,
        )
        .await,
    );
    not_found(
        "skip",
        progress::skip(&store, &a, &one, "sick", "mom", today).await,
    );
    not_found(
        "pin",
        progress::set_pinned(&store, &a, &session.id, None, true, "mom", today).await,
    );
    not_found(
        "move",
        progress::move_session(
            &store,
            &a,
            &session.id,
            add_days(week, 1),
            Clock(600),
            None,
            "mom",
            today,
        )
        .await,
    );
    not_found(
        "records of B's child",
        records::records(
            &store,
            &a,
            week,
            add_days(week, 6),
            std::slice::from_ref(&kid.id),
            records::AttendanceRule::default(),
        )
        .await,
    );
    not_found(
        "calendar of B's child",
        ics::export(
            &store,
            &a,
            week,
            add_days(week, 6),
            std::slice::from_ref(&kid.id),
            jiff::Timestamp::UNIX_EPOCH,
        )
        .await,
    );
    let calendar = ics::export(
        &store,
        &a,
        week,
        add_days(week, 6),
        &[],
        jiff::Timestamp::UNIX_EPOCH,
    )
    .await
    .expect("A's calendar");
    assert!(!calendar.contains("BEGIN:VEVENT"), "{calendar}");
    assert!(
        pacing::pacing(&store, &a, today)
            .await
            .expect("pacing")
            .is_empty()
    );

    // Plans: A's week holds none of B's sessions; planning and catching up
    // A touch nothing of B's.
    let view = view::load_week(&store, &a, week).await.expect("A's week");
    assert!(view.students.iter().all(|s| s.name == "Zed"), "{view:?}");
    assert!(view.sessions.is_empty() && view.events.is_empty() && !view.planned);
    planning::plan_week(&store, &a, week, &opts())
        .await
        .expect("A plans");
    progress::catch_up(&store, &a, add_days(week, 7), &opts())
        .await
        .expect("A catches up");

    // History: A's holds none of B's changes, and undo for A never reaches B's.
    let theirs: Vec<&str> = before.changes.iter().map(|c| c.id.as_str()).collect();
    let mine = history::list(&store, &a, 1000).await.expect("A's history");
    assert!(mine.iter().all(|c| !theirs.contains(&c.id.as_str())));
    for _ in 0..mine.len() + 1 {
        if progress::undo(&store, &a, "mom", true, today)
            .await
            .is_err()
        {
            break;
        }
    }
    assert!(
        progress::undo(&store, &a, "mom", true, today)
            .await
            .is_err(),
        "nothing left of A's to undo"
    );

    // Read straight from the store, A's tables hold no row of B's.
    let after_a = snapshot(&store, &a, week).await;
    let shared: Vec<String> = ids(&after_a).intersection(&ids(&before)).cloned().collect();
    assert!(shared.is_empty(), "A and B share rows: {shared:?}");
    assert!(after_a.plan.is_some(), "A planned its own week");

    assert_eq!(
        snapshot(&store, &b, week).await,
        before,
        "B's school is unchanged"
    );
}

/// The id of every row in a snapshot.
fn ids(s: &Snapshot) -> std::collections::HashSet<String> {
    let d = &s.school;
    std::iter::once(s.family.id.clone())
        .chain(d.guardians.iter().map(|x| x.id.clone()))
        .chain(d.students.iter().map(|x| x.id.clone()))
        .chain(d.years.iter().map(|x| x.id.clone()))
        .chain(d.breaks.iter().map(|x| x.id.clone()))
        .chain(d.courses.iter().map(|x| x.id.clone()))
        .chain(d.enrollments.iter().map(|x| x.id.clone()))
        .chain(d.lessons.iter().map(|x| x.id.clone()))
        .chain(d.events.iter().map(|x| x.id.clone()))
        .chain(d.sessions.iter().map(|x| x.id.clone()))
        .chain(s.exceptions.iter().map(|x| x.id.clone()))
        .chain(s.changes.iter().map(|x| x.id.clone()))
        .chain(s.plan.iter().map(|x| x.id.clone()))
        .collect()
}
