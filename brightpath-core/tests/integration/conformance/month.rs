//! A real month of school, on each backend: plan, mark, miss a day, add a
//! sick day, catch up, pacing and records, the calendar.

use super::*;

pub(crate) async fn a_month_of_marking_missing_and_catching_up(store: Store) {
    let today = date("2026-11-29");
    let summary = demo::build(&store, today).await.expect("demo");
    let f = summary.family.clone();
    let week = summary.week; // 2026-11-30
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    planning::plan_week(&store, &f, week, &opts)
        .await
        .expect("plan");
    let monday = week;
    let tuesday = brightpath_core::calendar::add_days(week, 1);
    let lessons_before = lesson_ids(&store, &f).await;

    // Monday: everything done for everyone, in bulk.
    let sel = progress::Selector {
        date: Some(monday),
        ..Default::default()
    };
    let done = progress::mark_done(
        &store,
        &f,
        &sel,
        progress::DoneInput {
            engagement: Some(4),
            difficulty: Some(2),
            ..Default::default()
        },
        "mom",
        monday,
    )
    .await
    .expect("done");
    assert!(done.sessions.len() > 5, "{}", done.message);
    let bad = progress::mark_done(
        &store,
        &f,
        &sel,
        progress::DoneInput {
            engagement: Some(9),
            ..Default::default()
        },
        "mom",
        monday,
    )
    .await
    .expect_err("scale");
    assert_eq!(bad.kind(), ErrorKind::Invalid);

    // Tuesday: Ben skips math; the lesson rolls forward, nothing lost or doubled.
    let v = view::load_week(&store, &f, week).await.expect("view");
    let ben_math_tue = v
        .sessions
        .iter()
        .find(|s| s.course == "Math 5" && s.date == tuesday)
        .cloned();
    if let Some(m) = &ben_math_tue {
        let skipped_seq = m.lesson_seq;
        progress::skip(
            &store,
            &f,
            &progress::Selector {
                ids: vec![m.id.clone()],
                ..Default::default()
            },
            "dentist",
            "mom",
            tuesday,
        )
        .await
        .expect("skip");
        let v2 = view::load_week(&store, &f, week).await.expect("view");
        let next = v2
            .sessions
            .iter()
            .filter(|s| s.course == "Math 5" && s.date > tuesday)
            .map(|s| s.lesson_seq)
            .next()
            .flatten();
        assert_eq!(
            next, skipped_seq,
            "the skipped lesson moves to the next session"
        );
        // Undo puts it back.
        progress::undo(&store, &f, "mom", false, tuesday)
            .await
            .expect("undo");
        let v3 = view::load_week(&store, &f, week).await.expect("view");
        let back = v3.sessions.iter().find(|s| s.id == m.id).expect("session");
        assert_eq!(back.status, SessionStatus::Planned);
    }
    assert_eq!(
        lesson_ids(&store, &f).await.len(),
        lessons_before.len(),
        "curriculum unchanged"
    );

    // A move into the co-op morning is refused with the reason; a free slot is accepted.
    let v = view::load_week(&store, &f, week).await.expect("view");
    let wed = brightpath_core::calendar::add_days(week, 2);
    let cora = v
        .sessions
        .iter()
        .find(|s| s.students == ["Cora"] && s.date > monday && s.status == SessionStatus::Planned)
        .expect("cora session")
        .clone();
    let err = progress::move_session(&store, &f, &cora.id, wed, Clock(600), None, "mom", tuesday)
        .await
        .expect_err("co-op clash");
    assert!(err.to_string().contains("Co-op"), "{err}");
    let err = progress::move_session(
        &store,
        &f,
        &cora.id,
        summary.holiday,
        Clock(600),
        None,
        "mom",
        tuesday,
    )
    .await
    .expect_err("holiday");
    assert!(err.to_string().contains("not a school day"), "{err}");

    // Ben is sick on Tuesday: his work planned that day moves.
    let (_, outcomes) = progress::day_off(
        &store,
        &f,
        tuesday,
        tuesday,
        &["Ben".into()],
        BreakKind::Sick,
        "Ben sick",
        &opts,
        tuesday,
    )
    .await
    .expect("sick day");
    assert_eq!(outcomes.len(), 1);
    let v = view::load_week(&store, &f, week).await.expect("view");
    let ben = v
        .students
        .iter()
        .find(|s| s.name == "Ben")
        .expect("ben")
        .id
        .clone();
    assert!(
        !v.sessions.iter().any(|s| s.date == tuesday
            && s.student_ids.contains(&ben)
            && s.status == SessionStatus::Planned),
        "nothing planned for Ben on his sick day"
    );

    // Thursday: catch up on Wednesday's missed work (dry run first: it writes nothing).
    let thursday = brightpath_core::calendar::add_days(week, 3);
    let before = view::load_week(&store, &f, week)
        .await
        .expect("view")
        .plan_version;
    let (_, dry) = progress::catch_up(
        &store,
        &f,
        thursday,
        &planning::PlanOptions {
            dry_run: true,
            ..opts.clone()
        },
    )
    .await
    .expect("dry");
    assert!(!dry.diff.is_empty());
    assert_eq!(
        view::load_week(&store, &f, week)
            .await
            .expect("view")
            .plan_version,
        before
    );
    let (msg, _) = progress::catch_up(&store, &f, thursday, &opts)
        .await
        .expect("catch up");
    assert!(msg.message.contains("missed"), "{}", msg.message);
    let v = view::load_week(&store, &f, week).await.expect("view");
    assert!(
        v.sessions
            .iter()
            .filter(|s| s.date < thursday)
            .all(|s| s.status != SessionStatus::Planned),
        "no unmarked past work"
    );
    // No lesson is bound twice across done and planned sessions.
    let mut bound: Vec<(String, u32)> = v
        .sessions
        .iter()
        .filter(|s| matches!(s.status, SessionStatus::Done | SessionStatus::Planned))
        .filter_map(|s| {
            s.lesson_seq
                .map(|n| (format!("{}{:?}", s.course, s.students), n))
        })
        .collect();
    let n = bound.len();
    bound.sort();
    bound.dedup();
    assert_eq!(bound.len(), n, "a lesson is bound twice");

    // Pacing and records.
    let pace = pacing::pacing(&store, &f, thursday).await.expect("pacing");
    let math = pace
        .iter()
        .find(|p| p.course == "Math 5")
        .expect("math pacing");
    assert!(math.done >= 1 && math.expected > math.done, "{math:?}");
    assert!(math.projected_finish.is_some());
    let recs = records::records(
        &store,
        &f,
        week,
        thursday,
        &[],
        records::AttendanceRule::default(),
    )
    .await
    .expect("records");
    let ben_rec = recs
        .iter()
        .find(|r| r.student == "Ben")
        .expect("ben record");
    assert_eq!(
        ben_rec.school_days, 3,
        "Mon, Wed, Thu (Tuesday was his sick day)"
    );
    assert!(
        ben_rec.days_attended >= 1 && ben_rec.away_minutes >= 180,
        "{ben_rec:?}"
    );
    let html = records::to_html(&records::attendance_report(&f.name, &recs), "2026-12-03");
    assert_eq!(html.matches("<section>").count(), 3, "one page per student");

    // The calendar parses and carries a stable UID per session.
    let cal = ics::export(
        &store,
        &f,
        week,
        brightpath_core::calendar::add_days(week, 6),
        &[],
        jiff::Timestamp::UNIX_EPOCH,
    )
    .await
    .expect("ics");
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\n") && cal.ends_with("END:VCALENDAR\r\n"));
    assert!(
        cal.contains("STATUS:CANCELLED"),
        "skipped or removed sessions are cancelled"
    );
    assert!(cal.lines().all(|l| l.len() <= 75), "folded");
    let again = ics::export(
        &store,
        &f,
        week,
        brightpath_core::calendar::add_days(week, 6),
        &[],
        jiff::Timestamp::UNIX_EPOCH,
    )
    .await
    .expect("ics");
    assert_eq!(cal, again, "stable output");
}

async fn lesson_ids(store: &Store, f: &Family) -> Vec<String> {
    store
        .tx()
        .await
        .expect("tx")
        .lessons(&f.id)
        .await
        .expect("lessons")
        .into_iter()
        .map(|l| l.id)
        .collect()
}
