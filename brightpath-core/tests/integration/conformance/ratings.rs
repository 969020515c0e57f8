//! Group lessons rated child by child, on each backend: each child's own
//! rating reads back in the export, the week and the learner's input; an
//! undo puts back exactly what its own change replaced; bad ratings are
//! refused before anything is written.

use std::collections::BTreeMap;

use brightpath_core::services::lists;

use super::records_suite::{planned, sessions};
use super::*;

fn rating(student: &str, engagement: u8, difficulty: u8) -> progress::RatingInput {
    progress::RatingInput {
        student: student.into(),
        engagement: Some(engagement),
        difficulty: Some(difficulty),
        ..Default::default()
    }
}

fn rate(ratings: Vec<progress::RatingInput>) -> progress::DoneInput {
    progress::DoneInput {
        ratings,
        ..Default::default()
    }
}

type Figures = (Option<u8>, Option<u8>, Option<u32>);

/// (engagement, difficulty, minutes) of each child's row of `session` in
/// the feedback export, by child's name.
async fn exported(
    store: &Store,
    f: &Family,
    session: &str,
    week: jiff::civil::Date,
) -> BTreeMap<String, Figures> {
    lists::feedback_rows(store, &f.id, week, add_week(week), None)
        .await
        .expect("export")
        .into_iter()
        .filter(|r| r.session_id == session)
        .map(|r| (r.student, (r.engagement, r.difficulty, r.actual_minutes)))
        .collect()
}

fn both(a: &str, fa: Figures, b: &str, fb: Figures) -> BTreeMap<String, Figures> {
    [(a.to_string(), fa), (b.to_string(), fb)]
        .into_iter()
        .collect()
}

fn add_week(d: jiff::civil::Date) -> jiff::civil::Date {
    brightpath_core::calendar::add_days(d, 6)
}

pub(crate) async fn group_lessons_are_rated_per_child(store: Store) {
    let (f, week) = planned(&store).await;
    let all = sessions(&store, &f).await;
    let group = all
        .iter()
        .find(|s| s.student_ids.len() == 2)
        .expect("a group lesson in the demo week")
        .clone();
    let kids = lists::students(&store, &f.id).await.expect("students");
    let name = |id: &str| {
        kids.iter()
            .find(|k| k.id == id)
            .map(|k| k.name.clone())
            .expect("child")
    };
    let (a, b) = (name(&group.student_ids[0]), name(&group.student_ids[1]));
    let outsider = kids
        .iter()
        .find(|k| !group.student_ids.contains(&k.id))
        .expect("a child not in the lesson")
        .name
        .clone();
    let one = progress::Selector::one(&group.id, None);
    // What the feedback export holds for the lesson: a's figures and b's.
    let expect_both = async |fa: Figures, fb: Figures| {
        assert_eq!(
            exported(&store, &f, &group.id, week).await,
            both(&a, fa, &b, fb)
        );
    };

    // The lesson is marked once for both, then each child is rated apart
    // by a different parent.
    let whole = progress::DoneInput {
        actual_minutes: Some(30),
        engagement: Some(3),
        difficulty: Some(3),
        ..Default::default()
    };
    progress::mark_done(&store, &f, &one, whole, "mom", week)
        .await
        .expect("whole lesson");
    progress::mark_done(&store, &f, &one, rate(vec![rating(&a, 5, 2)]), "mom", week)
        .await
        .expect("first child");
    let mut second = rating(&b, 2, 4);
    second.actual_minutes = Some(40);
    progress::mark_done(&store, &f, &one, rate(vec![second]), "dad", week)
        .await
        .expect("second child");
    expect_both((Some(5), Some(2), Some(30)), (Some(2), Some(4), Some(40))).await;
    // The week shows each child's rating; the learner reads each child's own.
    let v = view::load_week(&store, &f, week).await.expect("week");
    let sv = v.sessions.iter().find(|s| s.id == group.id).expect("shown");
    let shown: Vec<_> = sv
        .ratings
        .iter()
        .map(|r| (r.student.clone(), r.engagement, r.own))
        .collect();
    let mut want = vec![(a.clone(), Some(5), true), (b.clone(), Some(2), true)];
    want.sort();
    assert_eq!(shown, want);
    let data = lists::feedback(&store, &f.id).await.expect("feedback");
    let own: Vec<_> = data
        .ratings
        .iter()
        .filter(|r| r.session_id == group.id)
        .map(|r| (name(&r.student_id), r.engagement, r.actual_minutes))
        .collect();
    let mut want = vec![(a.clone(), Some(5), None), (b.clone(), Some(2), Some(40))];
    want.sort();
    let mut own = own;
    own.sort();
    assert_eq!(own, want);

    // Mom changes her child's engagement only; her undo puts back exactly
    // what she had, and leaves dad's rating of the other child alone.
    let again = progress::RatingInput {
        student: a.clone(),
        engagement: Some(4),
        ..Default::default()
    };
    progress::mark_done(&store, &f, &one, rate(vec![again]), "mom", week)
        .await
        .expect("re-rate");
    assert_eq!(
        exported(&store, &f, &group.id, week).await[&a],
        (Some(4), Some(2), Some(30))
    );
    progress::undo(&store, &f, "mom", false, week)
        .await
        .expect("undo the re-rating");
    expect_both((Some(5), Some(2), Some(30)), (Some(2), Some(4), Some(40))).await;
    progress::undo(&store, &f, "mom", false, week)
        .await
        .expect("undo the first rating");
    expect_both((Some(3), Some(3), Some(30)), (Some(2), Some(4), Some(40))).await;
    // Her first change marked the lesson that dad's rating rests on: not
    // undone under him.
    let err = progress::undo(&store, &f, "mom", false, week)
        .await
        .expect_err("dad's rating rests on it");
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");

    // Bad ratings are refused, naming the field; nothing is written.
    let before = sessions(&store, &f).await;
    let cases = [
        (rate(vec![rating(&outsider, 4, 4)]), "ratings[0].student"),
        (rate(vec![rating("Nobody", 4, 4)]), "ratings[0].student"),
        (
            rate(vec![rating(&a, 4, 4), rating(&b, 6, 1)]),
            "ratings[1].engagement",
        ),
        (rate(vec![rating(&a, 0, 4)]), "ratings[0].engagement"),
        (rate(vec![rating(&a, 4, 9)]), "ratings[0].difficulty"),
        (
            rate(vec![rating(&a, 4, 4), rating(&a, 3, 3)]),
            "ratings[1].student",
        ),
    ];
    for (input, field) in cases {
        let err = progress::mark_done(&store, &f, &one, input, "mom", week)
            .await
            .expect_err(field);
        match &err {
            brightpath_core::Error::Invalid { field: got, .. } => assert_eq!(got, field, "{err}"),
            other => panic!("{field}: {other}"),
        }
    }
    assert_eq!(sessions(&store, &f).await, before);
    expect_both((Some(3), Some(3), Some(30)), (Some(2), Some(4), Some(40))).await;

    // A figure for the whole lesson is every child's again.
    let all_four = progress::DoneInput {
        engagement: Some(4),
        ..Default::default()
    };
    progress::mark_done(&store, &f, &one, all_four, "dad", week)
        .await
        .expect("whole lesson again");
    expect_both((Some(4), Some(3), Some(30)), (Some(4), Some(4), Some(40))).await;
    progress::undo(&store, &f, "dad", false, week)
        .await
        .expect("undo the whole-lesson mark");
    assert_eq!(
        exported(&store, &f, &group.id, week).await[&b],
        (Some(2), Some(4), Some(40))
    );
}
