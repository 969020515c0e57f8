//! Property tests: no input makes the parser or the solver panic, and every plan
//! the solver returns is valid, pinned sessions included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use brightpath_planner::{
    Day, Effort, RawFixed, RawLesson, RawRequest, RawStudent, RawTeacher, RawWeights, Request,
    Session, SolveError, SolveOptions, check, parse_request, score, solve,
};
use proptest::prelude::*;

/// A small week of our own (two children, one parent).
const TINY: &str = r#"{
  "version": 1,
  "week_start": "2026-09-07",
  "slot_minutes": 5,
  "days": ["mon", "tue", "wed", "thu", "fri"],
  "teachers": [
    {"id": "mom", "availability": {
      "mon": [["08:00", "12:00"], ["13:00", "15:00"]], "tue": [["08:00", "12:00"]],
      "wed": [["08:00", "12:00"]], "thu": [["09:00", "12:00"]], "fri": [["08:00", "11:00"]]}}
  ],
  "students": [
    {"id": "ada", "max_daily_minutes": 240, "availability": {
      "mon": [["08:00", "12:00"], ["13:00", "15:00"]], "tue": [["08:00", "12:00"]],
      "wed": [["08:00", "12:00"]], "thu": [["08:00", "12:00"]], "fri": [["08:00", "12:00"]]}},
    {"id": "ben", "availability": {
      "mon": [["08:30", "12:00"]], "tue": [["08:30", "12:00"]], "thu": [["08:30", "12:00"]],
      "fri": [["08:30", "11:30"]]}}
  ],
  "lessons": [
    {"id": "ada-math", "students": ["ada"], "teacher": "mom", "duration": 45,
     "sessions": 3, "days": ["mon", "wed", "fri"],
     "preferred": ["08:00", "11:00"], "preferred_weight": 10, "priority": 2},
    {"id": "ada-reading", "students": ["ada"], "teacher": null, "duration": 30, "sessions": 5},
    {"id": "ben-phonics", "students": ["ben"], "teacher": "mom", "duration": 20, "sessions": 4, "max_per_day": 2},
    {"id": "science", "students": ["ada", "ben"], "teacher": "mom", "duration": 40, "sessions": 2}
  ],
  "fixed": [
    {"id": "coop", "day": "wed", "start": "09:00", "end": "11:00", "students": ["ada"], "teachers": ["mom"]}
  ],
  "weights": {"unscheduled": 1000, "preferred": 10, "spread": 8, "balance": 1, "idle": 1}
}"#;

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A random family week, built from a seed with a tiny LCG (shapes like plan-gen's,
/// but also odd ones: 1-minute or 60-minute grids, holidays, weekend days,
/// lessons longer than any window, several sessions a day).
fn family(seed: u64) -> RawRequest {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut r = move |n: u32| -> u32 {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 33) % u64::from(n.max(1))) as u32
    };
    let slot = [5, 5, 5, 10, 15, 1, 30, 60][r(8) as usize];
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut days: Vec<String> = names[..5].iter().map(|d| d.to_string()).collect();
    if r(4) == 0 {
        days.remove(r(5) as usize);
    }
    if r(8) == 0 {
        days.push("sat".into());
    }
    let grid = |m: u32| m / slot * slot;
    let window = |r: &mut dyn FnMut(u32) -> u32| -> Vec<[String; 2]> {
        let a = grid(7 * 60 + r(180));
        let b = grid(a + 60 + r(300)).min(1440);
        let mut v = vec![[hhmm(a), hhmm(b)]];
        if r(2) == 0 {
            let c = grid(b + r(90)).min(1380);
            let e = grid(c + 60 + r(200)).min(1440);
            if c < e {
                v.push([hhmm(c), hhmm(e)]);
            }
        }
        v
    };
    let avail = |r: &mut dyn FnMut(u32) -> u32| -> BTreeMap<String, Vec<[String; 2]>> {
        let mut m = BTreeMap::new();
        for d in names.iter().take(6) {
            if r(6) != 0 {
                m.insert(d.to_string(), window(r));
            }
        }
        m
    };
    let nt = 1 + r(2) as usize;
    let ns = 1 + r(5) as usize;
    let teachers: Vec<RawTeacher> = (0..nt)
        .map(|i| RawTeacher {
            id: format!("t{i}"),
            availability: avail(&mut r),
            meta: None,
        })
        .collect();
    let students: Vec<RawStudent> = (0..ns)
        .map(|i| RawStudent {
            id: format!("s{i}"),
            max_daily_minutes: (r(3) != 0).then(|| i64::from(60 + r(240))),
            availability: avail(&mut r),
            meta: None,
        })
        .collect();
    let mut lessons = Vec::new();
    for i in 0..(2 + r(6 * ns as u32)) {
        let mut members = vec![format!("s{}", r(ns as u32))];
        if r(5) == 0 {
            for j in 0..ns {
                let id = format!("s{j}");
                if !members.contains(&id) && r(2) == 0 {
                    members.push(id);
                }
            }
        }
        let dur = i64::from(slot * (1 + r(90 / slot + 1)));
        let dur = if r(30) == 0 { 600 } else { dur };
        lessons.push(RawLesson {
            id: format!("l{i}"),
            students: members,
            teacher: (r(2) == 0).then(|| format!("t{}", r(nt as u32))),
            duration: dur,
            sessions: i64::from(1 + r(6)),
            max_per_day: (r(5) == 0).then(|| i64::from(1 + r(3))),
            days: (r(4) == 0).then(|| {
                names
                    .iter()
                    .filter(|_| r(2) == 0)
                    .map(|d| d.to_string())
                    .collect()
            }),
            preferred: (r(3) == 0).then(|| {
                let a = grid(8 * 60 + r(240));
                [hhmm(a), hhmm(grid(a + 60 + r(120)))]
            }),
            preferred_weight: (r(4) == 0).then(|| i64::from(r(30))),
            priority: (r(3) == 0).then(|| i64::from(1 + r(3))),
            meta: None,
        });
    }
    let mut fixed = Vec::new();
    for i in 0..r(4) {
        let a = grid(8 * 60 + r(360));
        fixed.push(RawFixed {
            id: format!("f{i}"),
            day: names[r(7) as usize].into(),
            start: hhmm(a),
            end: hhmm(grid(a + 30 + r(120)) + slot),
            students: if r(2) == 0 {
                vec![format!("s{}", r(ns as u32))]
            } else {
                vec![]
            },
            teachers: vec![format!("t{}", r(nt as u32))],
            meta: None,
        });
    }
    let weights = (r(3) == 0).then(|| RawWeights {
        preferred: Some(i64::from(r(20))),
        spread: Some(i64::from(r(12))),
        balance: Some(i64::from(r(3))),
        idle: Some(i64::from(r(3))),
        ..RawWeights::default()
    });
    RawRequest {
        version: 1,
        week_start: "2026-09-07".into(),
        slot_minutes: Some(i64::from(slot)),
        days,
        teachers,
        students,
        lessons,
        fixed,
        weights,
        meta: None,
    }
}

fn quick(seed: u64) -> SolveOptions {
    SolveOptions {
        seed,
        iterations: Some(3_000),
        ..SolveOptions::default()
    }
}

fn assert_valid(req: &Request, sessions: &[Session], what: &str) {
    let errors = check(req, sessions);
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_request(&text);
    }

    #[test]
    fn mutated_requests_never_panic(pos in 0usize..4000, cut in 0usize..40, junk in "[-0-9a-z\\[\\]{}\":,. e+]{0,12}", seed in any::<u64>()) {
        let mut text = TINY.to_owned();
        let mut at = pos % text.len();
        while !text.is_char_boundary(at) { at -= 1; }
        let mut end = (at + cut).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        text.replace_range(at..end, &junk);
        if let Ok(req) = parse_request(&text) {
            let plan = solve(&req, &quick(seed)).unwrap();
            assert_valid(&req, &plan.sessions, "mutated");
        }
    }

    #[test]
    fn huge_and_odd_numbers_are_refused_or_handled(v in prop_oneof![
        Just("99999999999999999999999".to_owned()), Just("-9223372036854775808".to_owned()),
        Just("9223372036854775807".to_owned()), Just("1e400".to_owned()), Just("NaN".to_owned()),
        Just("-Infinity".to_owned()), Just("1.0".to_owned()), Just("true".to_owned()), Just("null".to_owned()),
        (0i64..3000).prop_map(|x| x.to_string()),
    ], field in 0usize..6) {
        let key = ["\"duration\": 45", "\"sessions\": 3", "\"priority\": 2", "\"max_daily_minutes\": 240",
                   "\"slot_minutes\": 5", "\"preferred_weight\": 10"][field];
        let name = key.split(':').next().unwrap();
        let text = TINY.replacen(key, &format!("{name}: {v}"), 1);
        if let Ok(req) = parse_request(&text) {
            let plan = solve(&req, &quick(1)).unwrap();
            assert_valid(&req, &plan.sessions, "odd numbers");
            assert_eq!(plan.score, score(&req, &plan.sessions));
        }
    }

    #[test]
    fn solver_plans_are_valid(seed in any::<u64>()) {
        let raw = family(seed);
        let req = Request::from_raw(raw.clone()).expect("generated requests are valid");
        let plan = solve(&req, &quick(seed)).unwrap();
        assert_valid(&req, &plan.sessions, "plan");
        assert_eq!(plan.score, score(&req, &plan.sessions));
        let placed = plan.sessions.len() as i64;
        let missing: i64 = plan.unscheduled.iter().map(|u| u.missing).sum();
        let wanted: i64 = req.lessons.iter().map(|l| l.sessions).sum();
        assert_eq!(placed + missing, wanted);
        assert!(plan.unscheduled.iter().all(|u| !u.reason.is_empty()));
        // the spec's JSON round-trips through RawRequest
        let back: RawRequest = serde_json::from_str(&serde_json::to_string(&raw).unwrap()).unwrap();
        assert_eq!(back, raw);
    }

    #[test]
    fn pinned_sessions_stay_and_plans_stay_valid(seed in any::<u64>(), pick in any::<u64>()) {
        let req = Request::from_raw(family(seed)).unwrap();
        let first = solve(&req, &quick(seed)).unwrap();
        let pinned: Vec<Session> = first.sessions.iter().enumerate()
            .filter(|(i, _)| pick >> (i % 64) & 1 == 1).map(|(_, s)| s.clone()).collect();
        let plan = solve(&req, &SolveOptions { pinned: pinned.clone(), ..quick(seed ^ 1) }).unwrap();
        assert_valid(&req, &plan.sessions, "pinned plan");
        for p in &pinned {
            assert!(plan.sessions.contains(p), "pinned {p:?} moved");
        }
    }

    #[test]
    fn broken_pins_are_an_error(seed in any::<u64>()) {
        let req = Request::from_raw(family(seed)).unwrap();
        let first = solve(&req, &quick(seed)).unwrap();
        if let Some(s) = first.sessions.first() {
            // the same session twice: a double booking (or too many sessions)
            let twice = vec![s.clone(), s.clone()];
            let got = solve(&req, &SolveOptions { pinned: twice, ..quick(seed) });
            assert!(matches!(got, Err(SolveError::Pinned(_))));
        }
        let nowhere = Session { lesson: "no-such-lesson".into(), day: Day::Mon, start: 600, end: None };
        let got = solve(&req, &SolveOptions { pinned: vec![nowhere], ..quick(seed) });
        assert!(matches!(got, Err(SolveError::Pinned(_))));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Batch effort and any number of runs: valid, scored like the referee, and the
    /// same plan for the same seed and options.
    #[test]
    fn batch_and_thread_counts_give_valid_repeatable_plans(seed in any::<u64>(), threads in 1usize..4) {
        let req = Request::from_raw(family(seed)).unwrap();
        for opts in [
            SolveOptions { seed, effort: Effort::Batch, ..SolveOptions::default() },
            SolveOptions { threads: Some(threads), ..quick(seed) },
        ] {
            let a = solve(&req, &opts).unwrap();
            assert_valid(&req, &a.sessions, "batch/threads");
            assert_eq!(a.score, score(&req, &a.sessions));
            let b = solve(&req, &opts).unwrap();
            assert_eq!(a.to_json(), b.to_json());
        }
    }
}

#[test]
fn runs_cut_short_by_the_deadline_still_finish() {
    // Parallel runs meet during the search; a run stopped by the clock must not
    // leave the others waiting.
    for seed in 0..8 {
        let req = Request::from_raw(family(seed)).unwrap();
        for ms in [0, 1, 5] {
            let opts = SolveOptions {
                seed,
                threads: Some(3),
                time_limit: Some(std::time::Duration::from_millis(ms)),
                ..SolveOptions::default()
            };
            let plan = solve(&req, &opts).unwrap();
            assert_valid(&req, &plan.sessions, "deadline");
        }
    }
}

#[test]
fn solving_is_deterministic_for_a_seed() {
    let req = parse_request(TINY).unwrap();
    let a = solve(&req, &quick(7)).unwrap();
    let b = solve(&req, &quick(7)).unwrap();
    assert_eq!(a.to_json(), b.to_json());
}

#[test]
fn duplicate_keys_are_refused_with_their_path() {
    let text = TINY.replacen("\"duration\": 45", "\"duration\": 45, \"duration\": 45", 1);
    let err = parse_request(&text).unwrap_err().to_string();
    assert!(
        err.starts_with("lessons[0]: duplicate key 'duration'"),
        "{err}"
    );
    let text = TINY.replacen("\"version\": 1", "\"version\": 1, \"version\": 1", 1);
    assert!(
        parse_request(&text)
            .unwrap_err()
            .to_string()
            .contains("duplicate key 'version'")
    );
}

#[test]
fn meta_is_allowed_everywhere_and_unknown_fields_nowhere() {
    let text = TINY.replacen(
        "\"mon\": [[\"08:00\", \"12:00\"], [\"13:00\", \"15:00\"]], \"tue\"",
        "\"meta\": 1, \"mon\": [[\"08:00\", \"12:00\"], [\"13:00\", \"15:00\"]], \"tue\"",
        1,
    );
    assert_ne!(text, TINY);
    parse_request(&text).unwrap();
    let text = TINY.replacen(
        "\"duration\": 45",
        "\"duration\": 45, \"meta\": {\"x\": [1.5]}",
        1,
    );
    parse_request(&text).unwrap();
    let text = TINY.replacen("\"duration\": 45", "\"duration\": 45, \"colour\": 1", 1);
    assert_eq!(
        parse_request(&text).unwrap_err().to_string(),
        "lessons[0].colour: unknown field"
    );
}

#[test]
fn unscheduled_reasons_say_why() {
    let mut raw: RawRequest = serde_json::from_str(TINY).unwrap();
    // ben is never free when mom is on Wednesday afternoon only
    raw.lessons.push(RawLesson {
        id: "ben-never".into(),
        students: vec!["ben".into()],
        teacher: Some("mom".into()),
        duration: 30,
        sessions: 1,
        max_per_day: None,
        days: Some(vec!["wed".into()]),
        preferred: None,
        preferred_weight: None,
        priority: None,
        meta: None,
    });
    // five sessions wanted on two days, one a day
    raw.lessons.push(RawLesson {
        id: "ada-art".into(),
        students: vec!["ada".into()],
        teacher: None,
        duration: 15,
        sessions: 5,
        max_per_day: None,
        days: Some(vec!["tue".into(), "thu".into()]),
        preferred: None,
        preferred_weight: None,
        priority: None,
        meta: None,
    });
    let req = Request::from_raw(raw).unwrap();
    let plan = solve(&req, &quick(3)).unwrap();
    assert_valid(&req, &plan.sessions, "reasons");
    let why = |id: &str| {
        plan.unscheduled
            .iter()
            .find(|u| u.lesson == id)
            .map(|u| (u.missing, u.reason.clone()))
    };
    assert_eq!(
        why("ben-never"),
        Some((
            1,
            "no common free time for its students and teacher on its allowed days".into()
        ))
    );
    assert_eq!(
        why("ada-art"),
        Some((3, "only 2 allowed day(s) with max_per_day 1".into()))
    );
}
