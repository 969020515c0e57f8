//! Trustworthy records, on each backend: bulk marks keep skips, stale edits
//! are refused, re-plans racing marks lose nothing, undo is the caller's own
//! and whole, re-plans keep ids and never write into the past.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use brightpath_core::calendar::add_days;
use brightpath_core::services::history;

use super::*;

/// The demo school with its week of 2026-11-30 planned by `mom`.
pub(crate) async fn planned(store: &Store) -> (Family, jiff::civil::Date) {
    let summary = demo::build(store, date("2026-11-29")).await.expect("demo");
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    planning::plan_week(store, &summary.family, summary.week, &opts)
        .await
        .expect("plan");
    (summary.family, summary.week)
}

pub(crate) async fn sessions(store: &Store, f: &Family) -> Vec<Session> {
    store
        .read()
        .await
        .expect("read")
        .all_sessions(&f.id)
        .await
        .expect("sessions")
}

async fn session(store: &Store, f: &Family, id: &str) -> Session {
    sessions(store, f)
        .await
        .into_iter()
        .find(|s| s.id == id)
        .expect("session still there")
}

fn by_id(id: &str) -> progress::Selector {
    progress::Selector::one(id, None)
}

/// Two planned sessions of different courses on `day`.
fn two_on(all: &[Session], day: jiff::civil::Date) -> (Session, Session) {
    let on: Vec<&Session> = all
        .iter()
        .filter(|s| s.date == day && s.status == SessionStatus::Planned)
        .collect();
    let a = on[0].clone();
    let b = on
        .iter()
        .find(|s| s.course_id != a.course_id)
        .map(|s| (*s).clone())
        .expect("a second course that day");
    (a, b)
}

pub(crate) async fn a_bulk_mark_keeps_skips_and_partial_lessons(store: Store) {
    let (f, week) = planned(&store).await;
    let all = sessions(&store, &f).await;
    let (math, art) = two_on(&all, week);
    let partial = progress::DoneInput {
        actual_minutes: Some(20),
        partial: true,
        ..Default::default()
    };
    progress::mark_done(&store, &f, &by_id(&math.id), partial, "mom", week)
        .await
        .expect("partial");
    progress::skip(&store, &f, &by_id(&art.id), "dentist", "mom", week)
        .await
        .expect("skip");
    let day = progress::Selector {
        date: Some(week),
        ..Default::default()
    };
    let minutes = progress::DoneInput {
        actual_minutes: Some(30),
        ..Default::default()
    };
    let err = progress::mark_done(&store, &f, &day, minutes, "mom", week)
        .await
        .expect_err("minutes for many sessions");
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    let bulk = progress::mark_done(&store, &f, &day, Default::default(), "mom", week)
        .await
        .expect("bulk done");
    assert!(!bulk.sessions.contains(&math.id) && !bulk.sessions.contains(&art.id));
    let m = session(&store, &f, &math.id).await;
    assert_eq!(m.status, SessionStatus::Partial);
    assert_eq!(m.actual_minutes, Some(20));
    let a = session(&store, &f, &art.id).await;
    assert_eq!(a.status, SessionStatus::Skipped);
    assert_eq!(a.note.as_deref(), Some("dentist"));
    // Naming a marked session by id still changes it: that is what was asked.
    progress::mark_done(&store, &f, &by_id(&art.id), Default::default(), "mom", week)
        .await
        .expect("re-mark by id");
    assert_eq!(
        session(&store, &f, &art.id).await.status,
        SessionStatus::Done
    );
}

pub(crate) async fn a_stale_edit_is_refused(store: Store) {
    let (f, week) = planned(&store).await;
    let all = sessions(&store, &f).await;
    let (s, other) = two_on(&all, add_days(week, 1));
    // The TUI read `s` at its version; meanwhile the CLI skips it.
    let read = vec![(s.id.clone(), s.version)];
    progress::skip(&store, &f, &by_id(&s.id), "x", "dad", week)
        .await
        .expect("skip");
    let err = progress::mark_done(
        &store,
        &f,
        &progress::Selector::read(&read),
        Default::default(),
        "mom",
        week,
    )
    .await
    .expect_err("stale done");
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(
        session(&store, &f, &s.id).await.status,
        SessionStatus::Skipped
    );
    // Pinning what someone else just pinned, from a stale read, is refused too.
    progress::set_pinned(
        &store,
        &f,
        &other.id,
        Some(other.version),
        true,
        "dad",
        week,
    )
    .await
    .expect("pin");
    let err = progress::set_pinned(
        &store,
        &f,
        &other.id,
        Some(other.version),
        true,
        "mom",
        week,
    )
    .await
    .expect_err("stale pin");
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let current = session(&store, &f, &other.id).await;
    progress::set_pinned(
        &store,
        &f,
        &other.id,
        Some(current.version),
        false,
        "mom",
        week,
    )
    .await
    .expect("unpin at the current version");
}

pub(crate) async fn replans_racing_marks_lose_no_mark(store: Store) {
    let (f, week) = planned(&store).await;
    let stop = Arc::new(AtomicBool::new(false));
    let planner = {
        let (store, f, stop) = (store.clone(), f.clone(), stop.clone());
        tokio::spawn(async move {
            let mut runs = 0;
            let mut seed = 2;
            while !stop.load(Ordering::SeqCst) {
                let opts = planning::PlanOptions {
                    seed,
                    actor: "dad".into(),
                    ..Default::default()
                };
                seed += 1;
                match planning::plan_week(&store, &f, week, &opts).await {
                    Ok(_) => runs += 1,
                    Err(e) if e.kind() == ErrorKind::Conflict => {}
                    Err(e) => panic!("re-plan failed: {e}"),
                }
            }
            runs
        })
    };
    let mut marked: BTreeMap<String, SessionStatus> = BTreeMap::new();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(3) {
        let open: Vec<Session> = sessions(&store, &f)
            .await
            .into_iter()
            .filter(|s| s.status == SessionStatus::Planned && !marked.contains_key(&s.id))
            .collect();
        let Some(s) = open.get(marked.len() * 7 % open.len().max(1)).cloned() else {
            break;
        };
        let sel = progress::Selector::one(&s.id, Some(s.version));
        let result = if marked.len().is_multiple_of(2) {
            progress::mark_done(&store, &f, &sel, Default::default(), "mom", week)
                .await
                .map(|_| SessionStatus::Done)
        } else {
            progress::skip(&store, &f, &sel, "race", "mom", week)
                .await
                .map(|_| SessionStatus::Skipped)
        };
        match result {
            Ok(status) => {
                marked.insert(s.id.clone(), status);
            }
            // The re-plan moved or replaced it after it was read: refused, not lost.
            Err(e) if matches!(e.kind(), ErrorKind::Conflict | ErrorKind::NotFound) => {}
            Err(e) => panic!("mark failed: {e}"),
        }
    }
    stop.store(true, Ordering::SeqCst);
    let runs = planner.await.expect("planner task");
    assert!(runs > 0, "the planner ran");
    assert!(marked.len() >= 3, "marks were made: {}", marked.len());
    let now: BTreeMap<String, SessionStatus> = sessions(&store, &f)
        .await
        .into_iter()
        .map(|s| (s.id, s.status))
        .collect();
    for (id, status) in &marked {
        assert_eq!(
            now.get(id),
            Some(status),
            "mark on {id} survived {runs} re-plans"
        );
    }
    // Every mark is in the history.
    let changes = history::list(&store, &f, 10_000).await.expect("history");
    let recorded = changes
        .iter()
        .filter(|c| c.actor == "mom" && (c.kind == "done" || c.kind == "skip"))
        .count();
    assert_eq!(recorded, marked.len());
}

pub(crate) async fn undo_reverses_the_callers_own_change(store: Store) {
    let (f, week) = planned(&store).await;
    let all = sessions(&store, &f).await;
    let (a, b) = two_on(&all, add_days(week, 2));
    progress::skip(&store, &f, &by_id(&a.id), "mom's", "mom", week)
        .await
        .expect("mom skips");
    progress::skip(&store, &f, &by_id(&b.id), "dad's", "dad", week)
        .await
        .expect("dad skips");
    let u = progress::undo(&store, &f, "mom", false, week)
        .await
        .expect("mom undoes");
    assert!(u.message.contains("skipped"), "{}", u.message);
    assert_eq!(
        session(&store, &f, &a.id).await.status,
        SessionStatus::Planned
    );
    assert_eq!(
        session(&store, &f, &b.id).await.status,
        SessionStatus::Skipped
    );
    // Someone with no change of their own is told whose the newest is.
    let err = progress::undo(&store, &f, "grandma", false, week)
        .await
        .expect_err("nothing of grandma's");
    assert!(err.to_string().contains("dad"), "{err}");
    // Mom's change that dad built on is not undone behind his back.
    progress::skip(&store, &f, &by_id(&a.id), "again", "mom", week)
        .await
        .expect("mom skips again");
    progress::mark_done(&store, &f, &by_id(&a.id), Default::default(), "dad", week)
        .await
        .expect("dad marks it done");
    let err = progress::undo(&store, &f, "mom", false, week)
        .await
        .expect_err("dad changed it since");
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("dad"), "{err}");
    let forced = progress::undo(&store, &f, "mom", true, week)
        .await
        .expect("forced");
    assert!(
        forced.message.contains("dad's change"),
        "{}",
        forced.message
    );
    assert_eq!(
        session(&store, &f, &a.id).await.status,
        SessionStatus::Skipped
    );
}

fn places(list: &[Session], week: jiff::civil::Date) -> Vec<(String, String, u32, String)> {
    let mut out: Vec<_> = list
        .iter()
        .filter(|s| s.week_start == week)
        .map(|s| {
            (
                s.id.clone(),
                s.date.to_string(),
                s.start.minutes(),
                s.status.as_str().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

pub(crate) async fn undoing_a_day_off_restores_the_plan(store: Store) {
    let (f, week) = planned(&store).await;
    let before = places(&sessions(&store, &f).await, week);
    let tuesday = add_days(week, 1);
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    let entries = history::list(&store, &f, 1000)
        .await
        .expect("history")
        .len();
    progress::day_off(
        &store,
        &f,
        tuesday,
        tuesday,
        &["Ben".into()],
        BreakKind::Sick,
        "Ben sick",
        &opts,
        week,
    )
    .await
    .expect("day off");
    assert_eq!(
        history::list(&store, &f, 1000)
            .await
            .expect("history")
            .len(),
        entries + 1,
        "one action, one history entry"
    );
    let during = sessions(&store, &f).await;
    let ben = store
        .read()
        .await
        .expect("read")
        .find_student(&f.id, "Ben")
        .await
        .expect("Ben");
    assert!(
        !during
            .iter()
            .any(|s| s.date == tuesday && s.student_ids.contains(&ben.id)),
        "Ben has nothing on his sick day"
    );
    // Sessions that kept their lesson kept their ids.
    let old: HashSet<&str> = before.iter().map(|p| p.0.as_str()).collect();
    let kept = during
        .iter()
        .filter(|s| old.contains(s.id.as_str()))
        .count();
    assert!(kept * 2 > old.len(), "{kept} of {} ids kept", old.len());
    progress::undo(&store, &f, "mom", false, week)
        .await
        .expect("undo");
    assert_eq!(
        places(&sessions(&store, &f).await, week),
        before,
        "the plan as it was"
    );
    let err = progress::undo(&store, &f, "mom", false, week).await;
    assert!(
        err.as_ref()
            .is_ok_and(|u| u.message.contains("planned the week")),
        "the next undo is the plan itself, not half a day off: {:?}",
        err.map(|u| u.message)
    );
}

pub(crate) async fn a_replan_keeps_ids_and_never_writes_the_past(store: Store) {
    let (f, week) = planned(&store).await;
    let first = places(&sessions(&store, &f).await, week);
    let again = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    planning::plan_week(&store, &f, week, &again)
        .await
        .expect("re-plan");
    assert_eq!(
        places(&sessions(&store, &f).await, week),
        first,
        "same plan, same ids"
    );
    // Wednesday: a re-plan leaves Monday and Tuesday alone, and every
    // course's lessons stay in order.
    let wednesday = add_days(week, 2);
    let before_wed: Vec<_> = first
        .iter()
        .filter(|p| p.1 < wednesday.to_string())
        .cloned()
        .collect();
    let mid = planning::PlanOptions {
        seed: 9,
        today: Some(wednesday),
        ..again.clone()
    };
    planning::plan_week(&store, &f, week, &mid)
        .await
        .expect("re-plan mid-week");
    let now = sessions(&store, &f).await;
    let now_before: Vec<_> = places(&now, week)
        .into_iter()
        .filter(|p| p.1 < wednesday.to_string())
        .collect();
    assert_eq!(now_before, before_wed, "nothing before today changed");
    let lessons: BTreeMap<String, u32> = store
        .read()
        .await
        .expect("read")
        .lessons(&f.id)
        .await
        .expect("lessons")
        .into_iter()
        .map(|l| (l.id, l.seq))
        .collect();
    let mut by_group: BTreeMap<(String, Vec<String>), Vec<&Session>> = BTreeMap::new();
    for s in now.iter().filter(|s| s.date >= wednesday) {
        by_group
            .entry((s.course_id.clone(), s.student_ids.clone()))
            .or_default()
            .push(s);
    }
    for list in by_group.values_mut() {
        list.sort_by_key(|s| (s.date, s.start));
        let seqs: Vec<u32> = list
            .iter()
            .filter_map(|s| s.lesson_id.as_ref().and_then(|l| lessons.get(l)).copied())
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "lessons in order: {seqs:?}"
        );
    }
    // A week that is over is not re-planned.
    let late = planning::PlanOptions {
        today: Some(add_days(week, 7)),
        ..again
    };
    let err = planning::plan_week(&store, &f, week, &late)
        .await
        .expect_err("past week");
    assert_eq!(err.kind(), ErrorKind::Invalid);
}

pub(crate) async fn catch_up_finds_last_weeks_missed_work(store: Store) {
    let (f, week) = planned(&store).await;
    let next = add_days(week, 7);
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    planning::plan_week(&store, &f, next, &opts)
        .await
        .expect("plan next week");
    let last_week_open = sessions(&store, &f)
        .await
        .iter()
        .filter(|s| s.week_start == week && s.status == SessionStatus::Planned)
        .count();
    assert!(last_week_open > 0);
    let (c, _) = progress::catch_up(&store, &f, next, &opts)
        .await
        .expect("catch up on Monday");
    assert_eq!(c.sessions.len(), last_week_open, "{}", c.message);
    let after = sessions(&store, &f).await;
    assert!(
        after
            .iter()
            .filter(|s| s.week_start == week)
            .all(|s| s.status != SessionStatus::Planned)
    );
    let missed = after
        .iter()
        .filter(|s| s.status == SessionStatus::Missed)
        .count();
    assert_eq!(missed, last_week_open, "missed, not skipped");
    assert!(
        !after.iter().any(|s| s.status == SessionStatus::Skipped),
        "missed work is told apart from deliberate skips"
    );
}

pub(crate) async fn rules_added_after_planning_replan_what_clashes(store: Store) {
    let (f, week) = planned(&store).await;
    let thursday = add_days(week, 3);
    let all = sessions(&store, &f).await;
    let cora = store
        .read()
        .await
        .expect("read")
        .find_student(&f.id, "Cora")
        .await
        .expect("Cora");
    let hit = all
        .iter()
        .find(|s| s.date == thursday && s.student_ids.contains(&cora.id))
        .cloned()
        .expect("a Cora session on Thursday");
    let window = hit.window();
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    let event = |name: &str| EventInput {
        name: name.into(),
        recurrence: Recurrence::Once(thursday),
        window,
        away: true,
        school: SchoolTime::No,
        students: vec!["Cora".into()],
        guardians: Vec::new(),
    };
    // Without a re-plan, the clash is named and the plan is left alone.
    let told = progress::add_event(&store, &f, event("Dentist"), false, &opts, week)
        .await
        .expect("event, no re-plan");
    assert!(
        told.clashes.iter().any(|c| c.session == hit.id),
        "{:?}",
        told.clashes
    );
    assert_eq!(session(&store, &f, &hit.id).await.date, thursday);
    progress::undo(&store, &f, "mom", false, week)
        .await
        .expect("undo the event");
    // With a re-plan (the default), nothing clashes afterwards.
    let done = progress::add_event(&store, &f, event("Dentist"), true, &opts, week)
        .await
        .expect("event");
    assert!(done.clashes.is_empty(), "{:?}", done.clashes);
    assert!(!done.outcomes.is_empty(), "{}", done.message);
    let now = sessions(&store, &f).await;
    assert!(
        !now.iter().any(|s| s.date == thursday
            && s.student_ids.contains(&cora.id)
            && s.window().start < window.end
            && window.start < s.window().end),
        "no Cora session overlaps the dentist"
    );
    // A day off for Ada by exception empties her day.
    let ada = store
        .read()
        .await
        .expect("read")
        .find_student(&f.id, "Ada")
        .await
        .expect("Ada");
    let friday = add_days(week, 4);
    progress::add_exception(&store, &f, "Ada", friday, Vec::new(), "", true, &opts, week)
        .await
        .expect("exception");
    assert!(
        !sessions(&store, &f)
            .await
            .iter()
            .any(|s| s.date == friday && s.student_ids.contains(&ada.id) && s.status.is_open()),
        "Ada has nothing left on her day off"
    );
    let listed = list_exceptions(&store, &f.id, week, friday)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].person, "Ada");
    // Undo takes the exception away and puts her day back, as one change.
    progress::undo(&store, &f, "mom", false, week)
        .await
        .expect("undo the exception");
    assert!(
        list_exceptions(&store, &f.id, week, friday)
            .await
            .expect("list")
            .is_empty()
    );
}

pub(crate) async fn pacing_counts_a_late_start_and_courses_without_a_curriculum(store: Store) {
    let summary = demo::build(&store, date("2026-11-29")).await.expect("demo");
    let f = summary.family.clone();
    let week = summary.week;
    let mut latin = course("Latin", &["Ben"], None);
    latin.sessions_per_week = 3;
    add_course(&store, &f.id, latin).await.expect("latin");
    let csv: String = std::iter::once("title,minutes".to_string())
        .chain((1..=180).map(|i| format!("Latin {i},30")))
        .collect::<Vec<_>>()
        .join("\n");
    curriculum::import(
        &store,
        &f.id,
        Some("Latin"),
        "latin.csv",
        curriculum::Format::Csv,
        &csv,
    )
    .await
    .expect("curriculum");
    // Ben starts Latin at lesson 40: 39 done before.
    unenroll(&store, &f.id, "Latin", "Ben")
        .await
        .expect("unenroll");
    enroll(&store, &f.id, "Latin", "Ben", 40)
        .await
        .expect("enroll at 40");
    let mut art = course("Drawing", &["Ben"], None);
    art.sessions_per_week = 2;
    add_course(&store, &f.id, art).await.expect("drawing");
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        ..Default::default()
    };
    planning::plan_week(&store, &f, week, &opts)
        .await
        .expect("plan");
    let rows = pacing::pacing(&store, &f, week).await.expect("pacing");
    let latin = rows
        .iter()
        .find(|r| r.course == "Latin")
        .expect("Latin is paced");
    assert_eq!((latin.done, latin.total), (39, 180));
    assert_eq!(latin.expected, 39, "expected from where Ben started");
    assert_eq!(latin.behind, 0);
    let drawing = rows
        .iter()
        .find(|r| r.course == "Drawing")
        .expect("a course with no curriculum is paced by lessons a week");
    assert!(drawing.total > 40, "{} sessions in the year", drawing.total);
    assert_eq!(drawing.done, 0);
}

/// Learned models are versions of a family's data: the newest is current;
/// with `learning = apply` a re-plan takes
/// the learned minutes.
pub(crate) async fn learned_models_are_versioned_and_applied(store: Store) {
    use brightpath_core::config::Learning;
    use brightpath_core::model::{Learned, LearnedLength};
    use brightpath_core::services::learned;
    let (f, week) = planned(&store).await;
    assert_eq!(learned::current(&store, &f.id).await.expect("none"), None);
    let math = sessions(&store, &f)
        .await
        .into_iter()
        .find(|s| s.student_ids.len() == 1 && s.minutes == 45)
        .expect("a 45-minute lesson of one child");
    let mut model = Learned {
        trained_at: "2026-11-29T20:00:00Z".into(),
        data_from: Some(date("2026-08-17")),
        data_to: Some(date("2026-11-27")),
        rows: 900,
        metrics: serde_json::json!({"lengths": {"choice": "model"}}),
        lengths: vec![LearnedLength {
            student_id: math.student_ids[0].clone(),
            course_id: math.course_id.clone(),
            minutes: 50,
            lessons: 68,
        }],
        ..Default::default()
    };
    assert_eq!(learned::keep(&store, &f.id, &model).await.expect("v1"), 1);
    model.rows = 950;
    assert_eq!(learned::keep(&store, &f.id, &model).await.expect("v2"), 2);
    let current = learned::current(&store, &f.id)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!((current.version, current.rows), (2, 950));
    assert_eq!(current.lengths, model.lengths);
    assert_eq!(current.data_from, Some(date("2026-08-17")));

    let opts = planning::PlanOptions {
        seed: 1,
        actor: "mom".into(),
        learning: Learning::Apply,
        ..Default::default()
    };
    planning::plan_week(&store, &f, week, &opts)
        .await
        .expect("re-plan");
    let after = sessions(&store, &f).await;
    let mine = after
        .iter()
        .filter(|s| s.course_id == math.course_id && s.student_ids == math.student_ids);
    assert!(mine.clone().count() > 0);
    assert!(
        mine.clone().all(|s| s.minutes == 50),
        "{:?}",
        mine.collect::<Vec<_>>()
    );
}
