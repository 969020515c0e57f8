//! The store's conformance suite: written once, run against every backend.
//! SQLite always runs (a temp file per test). PostgreSQL runs when
//! `BRIGHTPATH_TEST_DATABASE_URL` names a server (each test gets its own
//! database); on CI (`CI` set) a missing URL fails instead of skipping.

use brightpath_core::ErrorKind;
use brightpath_core::Store;
use brightpath_core::calendar::{Clock, Weekday, WeeklyAvailability, Window, parse_date};
use brightpath_core::model::*;
use brightpath_core::services::{
    coop, curriculum, demo, ics, pacing, planning, progress, records, school::*, view,
};

use crate::backends;
#[path = "conformance/migrations.rs"]
mod migrations_suite;
#[path = "conformance/month.rs"]
mod month;
#[path = "conformance/ratings.rs"]
mod ratings_suite;
#[path = "conformance/records.rs"]
mod records_suite;
#[path = "conformance/rolling.rs"]
mod rolling;
#[path = "conformance/school.rs"]
mod school_suite;
#[path = "conformance/walls.rs"]
mod walls_suite;

use migrations_suite::*;
use month::a_month_of_marking_missing_and_catching_up;
use ratings_suite::group_lessons_are_rated_per_child;
use records_suite::*;
use rolling::*;
use school_suite::*;
use walls_suite::*;

fn avail(t: &str) -> WeeklyAvailability {
    WeeklyAvailability::parse("a", t).expect("availability")
}

fn date(t: &str) -> jiff::civil::Date {
    parse_date("date", t).expect("date")
}

fn student(name: &str) -> StudentInput {
    StudentInput {
        name: name.into(),
        birth_date: None,
        grade: Some("3".into()),
        availability: avail("mon-fri 08:00-15:00"),
        max_daily_minutes: Some(240),
    }
}

async fn family(store: &Store, name: &str) -> Family {
    create_family(
        store,
        NewFamily {
            name: name.into(),
            time_zone: "America/Chicago".into(),
        },
    )
    .await
    .expect("family")
}

fn course(name: &str, students: &[&str], teacher: Option<&str>) -> CourseInput {
    CourseInput {
        name: name.into(),
        subject: "math".into(),
        core: true,
        lesson_minutes: 30,
        sessions_per_week: 3,
        max_per_day: 1,
        teacher: teacher.map(str::to_string),
        grouped: students.len() > 1,
        preferred: None,
        preferred_weight: None,
        weekdays: None,
        priority: 1,
        students: students.iter().map(|s| s.to_string()).collect(),
    }
}

async fn students_round_trip_and_duplicates_conflict(store: Store) {
    let f = family(&store, "Lee").await;
    let ada = add_student(&store, &f.id, student("Ada"))
        .await
        .expect("add");
    let mut tx = store.tx().await.expect("tx");
    let listed = tx.students(&f.id).await.expect("list");
    assert_eq!(listed, vec![ada.clone()]);
    assert_eq!(
        tx.find_student(&f.id, "ada").await.expect("by name").id,
        ada.id
    );
    assert_eq!(
        tx.find_student(&f.id, &ada.id[..6])
            .await
            .expect("by prefix")
            .id,
        ada.id
    );
    drop(tx);
    let dup = add_student(&store, &f.id, student("Ada"))
        .await
        .expect_err("duplicate");
    assert_eq!(dup.kind(), ErrorKind::Conflict, "{dup}");
    assert!(dup.to_string().contains("Ada"), "{dup}");
    let missing = edit_student(&store, &f.id, "Zed", StudentPatch::default())
        .await
        .expect_err("unknown");
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    let edited = edit_student(
        &store,
        &f.id,
        "Ada",
        StudentPatch {
            grade: Some("4".into()),
            ..Default::default()
        },
    )
    .await
    .expect("edit");
    assert_eq!(edited.grade.as_deref(), Some("4"));
    assert_eq!(edited.version, ada.version + 1);
    remove_student(&store, &f.id, "Ada", None)
        .await
        .expect("remove");
    assert!(
        store
            .tx()
            .await
            .expect("tx")
            .students(&f.id)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn stale_writes_are_refused(store: Store) {
    let f = family(&store, "Lee").await;
    let ada = add_student(&store, &f.id, student("Ada"))
        .await
        .expect("add");
    edit_student(
        &store,
        &f.id,
        "Ada",
        StudentPatch {
            grade: Some("4".into()),
            ..Default::default()
        },
    )
    .await
    .expect("first edit");
    let stale = edit_student(
        &store,
        &f.id,
        "Ada",
        StudentPatch {
            grade: Some("5".into()),
            expected_version: Some(ada.version),
            ..Default::default()
        },
    )
    .await
    .expect_err("stale");
    assert_eq!(stale.kind(), ErrorKind::Conflict, "{stale}");
    let now = store
        .tx()
        .await
        .expect("tx")
        .find_student(&f.id, "Ada")
        .await
        .expect("get");
    assert_eq!(
        now.grade.as_deref(),
        Some("4"),
        "the stale write must not land"
    );

    add_guardian(
        &store,
        &f.id,
        GuardianInput {
            name: "Kim".into(),
            email: None,
            availability: avail("mon-fri 08:00-15:00"),
        },
    )
    .await
    .expect("guardian");
    let c = add_course(&store, &f.id, course("Math", &["Ada"], Some("Kim")))
        .await
        .expect("course");
    edit_course(
        &store,
        &f.id,
        "Math",
        CoursePatch {
            sessions_per_week: Some(4),
            ..Default::default()
        },
    )
    .await
    .expect("edit course");
    let stale = edit_course(
        &store,
        &f.id,
        "Math",
        CoursePatch {
            priority: Some(2),
            expected_version: Some(c.version),
            ..Default::default()
        },
    )
    .await
    .expect_err("stale course");
    assert_eq!(stale.kind(), ErrorKind::Conflict);
}

async fn dropped_transactions_roll_back(store: Store) {
    let f = family(&store, "Lee").await;
    {
        let mut tx = store.tx().await.expect("tx");
        let s = Student {
            id: new_id(),
            family_id: f.id.clone(),
            name: "Ghost".into(),
            birth_date: None,
            grade: None,
            availability: avail("mon 08:00-09:00"),
            max_daily_minutes: None,
            version: 1,
        };
        tx.insert_student(&f.id, &s).await.expect("insert");
        assert_eq!(tx.students(&f.id).await.expect("inside").len(), 1);
    }
    assert!(
        store
            .tx()
            .await
            .expect("tx")
            .students(&f.id)
            .await
            .expect("after")
            .is_empty()
    );
}

async fn tenants_cannot_cross_walls(store: Store) {
    let a = family(&store, "Lee").await;
    let b = family(&store, "Ng").await;
    let ada = add_student(&store, &a.id, student("Ada"))
        .await
        .expect("add");
    let mut tx = store.tx().await.expect("tx");
    assert!(tx.students(&b.id).await.expect("list").is_empty());
    let err = tx
        .find_student(&b.id, &ada.id)
        .await
        .expect_err("other family's id");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = tx
        .delete_student(&b.id, &ada.id)
        .await
        .expect_err("delete across");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let mut moved = ada.clone();
    moved.name = "Hijacked".into();
    let err = tx
        .update_student(&b.id, &moved)
        .await
        .expect_err("update across");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    drop(tx);
    // The same name may exist in two families.
    add_student(&store, &b.id, student("Ada"))
        .await
        .expect("same name, other family");
    let err = resolve_family(&mut store.tx().await.expect("tx"), None)
        .await
        .expect_err("ambiguous");
    assert_eq!(err.kind(), ErrorKind::Invalid);
}

async fn curriculum_import_is_all_or_nothing(store: Store) {
    let f = family(&store, "Lee").await;
    add_student(&store, &f.id, student("Ada"))
        .await
        .expect("add");
    add_course(&store, &f.id, course("Math", &["Ada"], None))
        .await
        .expect("course");
    let good = "title,minutes\nPlace value,30\nAddition,30\n";
    curriculum::import(
        &store,
        &f.id,
        Some("Math"),
        "math.csv",
        curriculum::Format::Csv,
        good,
    )
    .await
    .expect("import");
    let bad = "title,minutes\nOne,30\nTwo,thirty\n";
    let err = curriculum::import(
        &store,
        &f.id,
        Some("Math"),
        "math.csv",
        curriculum::Format::Csv,
        bad,
    )
    .await
    .expect_err("bad row");
    assert!(err.to_string().contains("line 3"), "{err}");
    let multi = "course,title\nMath,New one\nNo such course,x\n";
    let err = curriculum::import(&store, &f.id, None, "m.csv", curriculum::Format::Csv, multi)
        .await
        .expect_err("unknown course");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let shown = curriculum::show(&store, &f.id, "Math").await.expect("show");
    let titles: Vec<&str> = shown.lessons.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Place value", "Addition"],
        "failed imports changed nothing"
    );
    assert_eq!(shown.positions[0].next_seq, Some(1));
}

async fn school_years_and_events_are_validated(store: Store) {
    let f = family(&store, "Lee").await;
    let year = |name: &str, a: &str, b: &str| YearInput {
        name: name.into(),
        start: date(a),
        end: date(b),
        weekdays: Weekday::ALL[..5].to_vec(),
        target_days: Some(180),
        target_hours: None,
        target_core_hours: None,
    };
    let err = add_year(&store, &f.id, year("Backwards", "2026-09-01", "2026-08-01"))
        .await
        .expect_err("backwards");
    assert!(err.to_string().contains("before it starts"), "{err}");
    add_year(&store, &f.id, year("2026-27", "2026-08-17", "2027-05-28"))
        .await
        .expect("year");
    let err = add_year(&store, &f.id, year("Overlap", "2027-05-01", "2027-06-30"))
        .await
        .expect_err("overlap");
    assert!(err.to_string().contains("overlaps"), "{err}");
    let brk = |a: &str, b: &str| BreakInput {
        year: None,
        name: "Off".into(),
        kind: BreakKind::Break,
        start: date(a),
        end: date(b),
        students: vec![],
    };
    let err = add_break(&store, &f.id, brk("2027-05-20", "2027-06-10"))
        .await
        .expect_err("outside");
    assert!(err.to_string().contains("not inside"), "{err}");
    add_break(&store, &f.id, brk("2026-12-21", "2027-01-01"))
        .await
        .expect("break");
    let window = Window::new("w", Clock(540), Clock(720)).expect("window");
    let ev = |students: Vec<String>| EventInput {
        name: "Co-op".into(),
        recurrence: Recurrence::Weekly(Weekday::Wed),
        window,
        away: true,
        school: SchoolTime::Elective,
        students,
        guardians: vec![],
    };
    let err = add_event(&store, &f.id, ev(vec![]))
        .await
        .expect_err("nobody");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let err = add_event(&store, &f.id, ev(vec!["Nobody".into()]))
        .await
        .expect_err("unknown student");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let mut tx = store.tx().await.expect("tx");
    assert!(
        tx.events(&f.id).await.expect("events").is_empty(),
        "nothing half-written"
    );
}

async fn demo_week_plans_and_replans_safely(store: Store) {
    let today = date("2026-11-29");
    let summary = demo::build(&store, today).await.expect("demo");
    assert_eq!(summary.courses, 15);
    let f = summary.family.clone();
    let opts = planning::PlanOptions {
        seed: 7,
        actor: "test".into(),
        ..Default::default()
    };
    let out = planning::plan_week(&store, &f, summary.week, &opts)
        .await
        .expect("plan");
    assert!(out.planned > 40, "planned {}", out.planned);
    let week = view::load_week(&store, &f, summary.week)
        .await
        .expect("view");
    assert!(week.planned);
    assert!(
        week.sessions.iter().all(|s| s.date != summary.holiday),
        "no work on the holiday"
    );
    // No child is in two places at once, co-op included.
    for st in &week.students {
        let mut spans: Vec<(jiff::civil::Date, Clock, Clock)> = week
            .sessions_of_student(&st.id)
            .map(|s| (s.date, s.start, s.end))
            .collect();
        spans.extend(
            week.events
                .iter()
                .filter(|e| e.student_ids.contains(&st.id))
                .map(|e| (e.date, e.start, e.end)),
        );
        spans.sort();
        for w in spans.windows(2) {
            assert!(
                w[0].0 != w[1].0 || w[0].2 <= w[1].1,
                "{} double-booked: {w:?}",
                st.name
            );
        }
    }
    // Lessons are bound in curriculum order.
    let math: Vec<u32> = week
        .sessions
        .iter()
        .filter(|s| s.course == "Math 5")
        .filter_map(|s| s.lesson_seq)
        .collect();
    let first = math.first().copied().unwrap_or(1);
    assert!(first > 1, "the demo family started mid-year");
    assert_eq!(math, (first..first + math.len() as u32).collect::<Vec<_>>());

    // Mark the first session done; re-planning keeps it and does not redo its lesson.
    let first = week
        .sessions
        .iter()
        .find(|s| s.course == "Math 5")
        .expect("math")
        .clone();
    let mut tx = store.tx().await.expect("tx");
    let mut s = tx.session(&f.id, &first.id).await.expect("session");
    s.status = SessionStatus::Done;
    tx.update_session(&f.id, &s).await.expect("done");
    tx.commit().await.expect("commit");
    let again = planning::plan_week(&store, &f, summary.week, &opts)
        .await
        .expect("replan");
    assert_eq!(again.kept, 1);
    let week2 = view::load_week(&store, &f, summary.week)
        .await
        .expect("view");
    assert!(
        week2.sessions.iter().any(|s| s.id == first.id),
        "done session kept"
    );
    let seqs: Vec<u32> = week2
        .sessions
        .iter()
        .filter(|s| s.course == "Math 5")
        .filter_map(|s| s.lesson_seq)
        .collect();
    let mut sorted = seqs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seqs.len(), "no lesson doubled: {seqs:?}");
    assert!(week2.plan_version > week.plan_version);

    let dry = planning::plan_week(
        &store,
        &f,
        summary.week,
        &planning::PlanOptions {
            dry_run: true,
            ..opts.clone()
        },
    )
    .await
    .expect("dry run");
    assert!(dry.dry_run);
    let week3 = view::load_week(&store, &f, summary.week)
        .await
        .expect("view");
    assert_eq!(
        week3.plan_version, week2.plan_version,
        "a dry run writes nothing"
    );
}

async fn plan_all_reports_each_family(store: Store) {
    let today = date("2026-11-29");
    demo::build(&store, today).await.expect("demo");
    let other = family(&store, "No year yet").await;
    add_student(&store, &other.id, student("Solo"))
        .await
        .expect("student");
    let week = brightpath_core::calendar::planning_week(today);
    let results = planning::plan_all(
        &store,
        week,
        &planning::PlanOptions::default(),
        2,
        |_, _| {},
    )
    .await
    .expect("all");
    assert_eq!(results.len(), 2);
    // A family with no school year that week has nothing to plan: skipped,
    // not failed, so a batch's failures are real ones.
    assert!(results.iter().all(|r| r.error.is_none()), "{results:?}");
    let skipped: Vec<_> = results.iter().filter(|r| r.skipped.is_some()).collect();
    assert_eq!(skipped.len(), 1, "{results:?}");
    assert_eq!(skipped[0].family, "No year yet");
    assert!(
        skipped[0]
            .skipped
            .as_deref()
            .unwrap_or("")
            .contains("no school year"),
        "{:?}",
        skipped[0]
    );
    assert!(
        results
            .iter()
            .any(|r| r.outcome.as_ref().is_some_and(|o| o.planned > 0))
    );
}

async fn coops_group_families_and_have_admins(store: Store) {
    let a = family(&store, "Lee").await;
    let b = family(&store, "Ng").await;
    let c = coop::create(&store, "Riverside Co-op", "America/Chicago")
        .await
        .expect("coop");
    let dup = coop::create(&store, "Riverside Co-op", "America/Chicago")
        .await
        .expect_err("duplicate");
    assert_eq!(dup.kind(), ErrorKind::Conflict);
    let bad = coop::create(&store, "Elsewhere", "Mars/Olympus")
        .await
        .expect_err("zone");
    assert_eq!(bad.kind(), ErrorKind::Invalid);
    coop::join(&store, &a, "riverside co-op")
        .await
        .expect("join");
    coop::join(&store, &b, &c.id).await.expect("join by id");
    coop::add_admin(
        &store,
        "Riverside Co-op",
        "Dana",
        Some("dana@example.org".into()),
    )
    .await
    .expect("admin");
    let list = coop::list(&store).await.expect("list");
    assert_eq!(list[0].families, ["Lee", "Ng"]);
    assert_eq!(list[0].admins, ["Dana"]);
    coop::leave(&store, &b).await.expect("leave");
    assert_eq!(coop::list(&store).await.expect("list")[0].families, ["Lee"]);
    // A co-op admin is not a guardian of any family.
    assert!(
        store
            .tx()
            .await
            .expect("tx")
            .guardians(&a.id)
            .await
            .expect("g")
            .is_empty()
    );
}

backends::conformance!(
    migrations_apply_once_and_report_status,
    an_edited_applied_migration_is_refused,
    students_round_trip_and_duplicates_conflict,
    stale_writes_are_refused,
    dropped_transactions_roll_back,
    tenants_cannot_cross_walls,
    curriculum_import_is_all_or_nothing,
    school_years_and_events_are_validated,
    demo_week_plans_and_replans_safely,
    plan_all_reports_each_family,
    a_month_of_marking_missing_and_catching_up,
    coops_group_families_and_have_admins,
    a_bulk_mark_keeps_skips_and_partial_lessons,
    learned_models_are_versioned_and_applied,
    a_stale_edit_is_refused,
    replans_racing_marks_lose_no_mark,
    undo_reverses_the_callers_own_change,
    undoing_a_day_off_restores_the_plan,
    a_replan_keeps_ids_and_never_writes_the_past,
    catch_up_finds_last_weeks_missed_work,
    rules_added_after_planning_replan_what_clashes,
    pacing_counts_a_late_start_and_courses_without_a_curriculum,
    hours_count_only_events_that_are_school_time,
    a_day_with_work_stays_a_school_day_after_a_day_off,
    why_says_only_what_is_true,
    every_school_change_is_in_history,
    a_curriculum_grows_after_lessons_are_done,
    demo_history_plays_the_year_so_far,
    a_mark_on_a_session_another_replan_removed_names_who,
    every_family_table_is_walled,
    rolled_lessons_do_not_refuse_the_other_parents_mark,
    group_lessons_are_rated_per_child,
);
