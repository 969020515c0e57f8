//! Lessons rolling forward are not anyone's edit: when a day passes and the
//! next mark unbinds the missed lessons, the sessions keep their versions,
//! so the other parent's mark based on what they read still applies; the
//! week's version moves, so screens reload.

use super::records_suite::{planned, sessions};
use super::*;

pub(crate) async fn rolled_lessons_do_not_refuse_the_other_parents_mark(store: Store) {
    let (f, week) = planned(&store).await;
    let read = sessions(&store, &f).await;
    // A course with a session on each of Monday to Wednesday.
    let mut by_course: std::collections::BTreeMap<(&str, &Vec<Id>), Vec<&Session>> =
        Default::default();
    for s in &read {
        by_course
            .entry((s.course_id.as_str(), &s.student_ids))
            .or_default()
            .push(s);
    }
    let mut run = by_course
        .into_values()
        .find(|v| (0..3).all(|d| v.iter().any(|s| s.date == add(week, d))))
        .expect("a course meeting Monday to Wednesday");
    run.sort_by_key(|s| (s.date, s.start));
    let (mon, tue, wed) = (run[0].clone(), run[1].clone(), run[2].clone());
    assert!(wed.lesson_id.is_some());
    let thursday = add(week, 3);
    let before = view::week_fingerprint(&store, &f, week)
        .await
        .expect("fingerprint");

    // Thursday: Dad marks Tuesday's lesson (late), as he read it.
    progress::mark_done(
        &store,
        &f,
        &progress::Selector::one(&tue.id, Some(tue.version)),
        Default::default(),
        "dad",
        thursday,
    )
    .await
    .expect("dad's mark");
    let now = sessions(&store, &f).await;
    let find = |id: &str| now.iter().find(|s| s.id == id).expect("session").clone();
    // Wednesday's lesson rolled forward (it was missed), its version did not move.
    assert_eq!(find(&wed.id).lesson_id, None);
    assert_eq!(find(&wed.id).version, wed.version);
    assert_eq!(find(&mon.id).version, mon.version);
    let after = view::week_fingerprint(&store, &f, week)
        .await
        .expect("fingerprint");
    assert_ne!(before, after, "the week's screens must reload");

    // Mom marks Monday's lesson with the version she read: it applies.
    progress::mark_done(
        &store,
        &f,
        &progress::Selector::one(&mon.id, Some(mon.version)),
        Default::default(),
        "mom",
        thursday,
    )
    .await
    .expect("mom's mark is not refused");
    let monday = sessions(&store, &f)
        .await
        .into_iter()
        .find(|s| s.id == mon.id)
        .expect("monday");
    assert_eq!(monday.status, SessionStatus::Done);
    assert!(
        monday.lesson_id.is_some(),
        "a done session records a lesson"
    );
    // A real edit of the same session by someone else is still refused.
    let e = progress::skip(
        &store,
        &f,
        &progress::Selector::one(&mon.id, Some(mon.version)),
        "sick",
        "dad",
        thursday,
    )
    .await
    .expect_err("stale");
    assert_eq!(e.kind(), ErrorKind::Conflict);
}

fn add(d: jiff::civil::Date, days: i64) -> jiff::civil::Date {
    brightpath_core::calendar::add_days(d, days)
}
