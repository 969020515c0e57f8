//! The models against the simulator with a known truth: core's demo plays a
//! school year up to 2026-11-29 (fifteen weeks) through the real services on
//! a temp SQLite store, with the hidden effects of
//! `brightpath-core/src/services/demo/history.rs`. Built once for all tests.

use std::sync::OnceLock;

use brightpath_core::Store;
use brightpath_core::model::{Course, Session, SessionStatus, Student};
use brightpath_core::services::demo;
use brightpath_learn::{Choice, Daypart, Insights, Target, insights};
use jiff::civil::Date;

pub struct Year {
    pub sessions: Vec<Session>,
    pub students: Vec<Student>,
    pub courses: Vec<Course>,
}

pub const TODAY: Date = Date::constant(2026, 11, 29);

fn year() -> &'static Year {
    static YEAR: OnceLock<Year> = OnceLock::new();
    YEAR.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("demo.db").display());
            let store = Store::open(&url).await.expect("open");
            let summary = demo::build_with(&store, TODAY, demo::DemoOptions { history: true })
                .await
                .expect("demo");
            let f = summary.family.id.clone();
            demo::play_history(&store, &summary.family, TODAY, 1)
                .await
                .expect("history");
            let mut tx = store.read().await.expect("read");
            Year {
                sessions: tx.all_sessions(&f).await.expect("sessions"),
                students: tx.students(&f).await.expect("students"),
                courses: tx.courses(&f).await.expect("courses"),
            }
        })
    })
}

fn learned() -> &'static Insights {
    static ALL: OnceLock<Insights> = OnceLock::new();
    ALL.get_or_init(|| {
        let y = year();
        insights(&y.sessions, &[], &y.students, &y.courses)
    })
}

fn figures(i: &Insights) -> String {
    let mut out = String::new();
    for ev in [&i.lengths, &i.engagement] {
        out += &format!(
            "{:?}: {} train weeks ({} rows), {} test weeks ({} rows), choice {:?}\n  model {:?}\n",
            ev.target,
            ev.train_weeks,
            ev.train_rows,
            ev.test_weeks,
            ev.test_rows,
            ev.choice,
            ev.model
        );
        for (n, m) in &ev.baselines {
            out += &format!("  {n} {m:?}\n");
        }
    }
    out
}

#[test]
fn math_5_overrun_is_learned_near_fifteen_percent() {
    let i = learned();
    assert_eq!(i.lengths.choice, Choice::Model, "{}", figures(i));
    let m = i
        .course_lengths
        .iter()
        .find(|c| c.child == "Ben" && c.course == "Math 5")
        .expect("Math 5");
    assert!((m.ratio - 1.15).abs() < 0.04, "Math 5 ratio {m:?}");
    assert_eq!(m.suggested_minutes, Some(50), "{m:?}");
    assert!(
        i.suggestions
            .iter()
            .any(|s| s.starts_with("Ben: Math 5 runs 5") && s.ends_with("planned 45: plan 50?")),
        "{:?}",
        i.suggestions
    );
    // Courses with no hidden effect stay near plan (Cora's work alone is never touched).
    let algebra = i
        .course_lengths
        .iter()
        .find(|c| c.child == "Cora" && c.course == "Algebra I")
        .expect("Algebra I");
    assert!((algebra.ratio - 1.0).abs() < 0.03, "{algebra:?}");
    assert_eq!(algebra.suggested_minutes, None);
}

#[test]
fn ada_is_slower_after_lunch() {
    let i = learned();
    let ratio = |p: Daypart| {
        i.daypart_lengths
            .iter()
            .find(|d| d.child == "Ada" && d.daypart == p)
            .and_then(|d| d.predicted_ratio)
            .expect("predicted")
    };
    let (am, pm) = (ratio(Daypart::Morning), ratio(Daypart::Afternoon));
    assert!(pm / am > 1.15, "Ada afternoon {pm:.3} vs morning {am:.3}");
    for other in ["Ben", "Cora"] {
        let r = |p: Daypart| {
            i.daypart_lengths
                .iter()
                .find(|d| d.child == other && d.daypart == p)
                .and_then(|d| d.predicted_ratio)
                .expect("predicted")
        };
        let change = r(Daypart::Afternoon) / r(Daypart::Morning);
        assert!((change - 1.0).abs() < 0.06, "{other}: {change:.3}");
    }
}

#[test]
fn cora_is_most_engaged_in_the_morning() {
    let i = learned();
    assert_eq!(i.engagement.choice, Choice::Model, "{}", figures(i));
    let cora: Vec<_> = i.best_hours.iter().filter(|b| b.child == "Cora").collect();
    assert!(!cora.is_empty());
    for b in cora {
        let at = |p: Daypart| {
            b.parts
                .iter()
                .find(|x| x.daypart == p)
                .and_then(|x| x.predicted)
                .expect("predicted")
        };
        assert!(
            at(Daypart::Morning) - at(Daypart::Afternoon) > 1.2,
            "Cora {}: {:?}",
            b.subject,
            b.parts
        );
        assert_eq!(b.best, Some(Daypart::Morning), "{b:?}");
        assert_eq!(b.worst, Some(Daypart::Afternoon), "{b:?}");
    }
}

#[test]
fn the_models_beat_the_baselines_on_the_later_weeks() {
    let i = learned();
    eprintln!("{}", figures(i));
    // Measured over runs: lengths MAE 1.84-1.86 against 2.02-2.09 (the running
    // mean), 9-11 % better; engagement 0.48-0.49 against 0.57-0.58 (the
    // child's mean), 15-17 % better. The demo's plans vary a little from run
    // to run, hence the margins of 5 % and 10 %; see docs/learning.md.
    for (ev, margin) in [(&i.lengths, 0.05), (&i.engagement, 0.10)] {
        let model = ev.model.expect("model");
        let (name, best) = ev.best_baseline().expect("baseline").clone();
        assert!(
            model.mae < best.mae * (1.0 - margin),
            "{:?}: model MAE {:.3} vs {name} {:.3}",
            ev.target,
            model.mae,
            best.mae
        );
        assert!(model.spearman > best.spearman, "{ev:?}");
    }
}

#[test]
fn with_two_weeks_of_feedback_the_baselines_stay() {
    let y = year();
    let first = y.sessions.iter().map(|s| s.date).min().expect("sessions");
    let early: Vec<Session> = y
        .sessions
        .iter()
        .filter(|s| (s.date - first).get_days() < 14)
        .cloned()
        .collect();
    let i = insights(&early, &[], &y.students, &y.courses);
    for ev in [&i.lengths, &i.engagement] {
        assert_eq!(ev.choice, Choice::Baseline, "{ev:?}");
        assert!(ev.reason.contains("too little feedback"), "{}", ev.reason);
    }
    // The insights are then the plain means.
    let m = i
        .course_lengths
        .iter()
        .find(|c| c.course == "Math 5")
        .expect("Math 5");
    assert_eq!(m.learned_minutes, m.mean_minutes);
    assert!(
        i.daypart_lengths
            .iter()
            .all(|d| d.predicted_ratio.is_none())
    );
}

#[test]
fn absurd_entries_do_not_poison_the_model() {
    let y = year();
    let clean = learned();
    let mut typo = y.sessions.clone();
    let math = y
        .courses
        .iter()
        .find(|c| c.name == "Math 5")
        .expect("Math 5")
        .id
        .clone();
    let mut injected = 0;
    for s in typo
        .iter_mut()
        .filter(|s| s.course_id == math && s.status == SessionStatus::Done)
        .step_by(4)
    {
        s.actual_minutes = Some(600);
        s.engagement = Some(4);
        injected += 1;
    }
    // A skipped lesson with feedback and an engagement of 9 besides.
    if let Some(s) = typo.iter_mut().find(|s| s.status == SessionStatus::Skipped) {
        s.actual_minutes = Some(30);
        s.engagement = Some(9);
    }
    assert!(injected >= 15, "{injected}");
    let i = insights(&typo, &[], &y.students, &y.courses);
    assert!(
        i.cleaning.absurd_minutes >= clean.cleaning.absurd_minutes + injected - 1,
        "{:?}",
        i.cleaning
    );
    assert_eq!(
        i.cleaning.void_with_feedback,
        clean.cleaning.void_with_feedback + 1
    );
    let math5 = |x: &Insights| {
        x.course_lengths
            .iter()
            .find(|c| c.course == "Math 5")
            .map(|c| c.learned_minutes)
            .expect("Math 5")
    };
    assert!(
        (math5(&i) - math5(clean)).abs() < 1.0,
        "{} vs {}",
        math5(&i),
        math5(clean)
    );
    assert_eq!(i.lengths.choice, Choice::Model);
    // Without the rules, the same rows would teach the model a 600-minute Math 5.
    let raw: Vec<f64> = typo
        .iter()
        .filter(|s| s.course_id == math && s.status == SessionStatus::Done)
        .filter_map(|s| s.actual_minutes.map(f64::from))
        .collect();
    let raw_mean = raw.iter().sum::<f64>() / raw.len() as f64;
    assert!(raw_mean > 150.0, "{raw_mean}");
}

#[test]
fn the_split_is_by_time() {
    let i = learned();
    for ev in [&i.lengths, &i.engagement] {
        assert_eq!(ev.train_weeks + ev.test_weeks, 15, "{ev:?}");
        assert_eq!(ev.test_weeks, 4);
        assert!(ev.test_from.is_some());
    }
    assert_eq!(i.lengths.target, Target::Lengths);
}
