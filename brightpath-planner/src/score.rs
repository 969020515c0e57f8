//! The referee's rules in Rust: `check` lists hard-constraint violations with the
//! referee's messages, `score` computes the five parts exactly as it does.

use std::collections::HashMap;

use crate::plan::{Score, Session};
use crate::request::{Day, Request, hhmm};

fn lesson_map(req: &Request) -> HashMap<&str, usize> {
    req.lessons
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect()
}

/// The score of a plan's sessions. Meaningful for valid plans (see `check`);
/// sessions naming unknown lessons or days outside the lesson's are ignored.
pub fn score(req: &Request, sessions: &[Session]) -> Score {
    let map = lesson_map(req);
    let w = &req.weights;
    let slot = req.slot_minutes;
    let n = req.lessons.len();
    let mut count = vec![0i64; n];
    let mut per_lesson: Vec<Vec<Day>> = vec![Vec::new(); n];
    let mut preferred = 0i64;
    // (student, day) -> (load, first start, last end)
    let mut day_load: HashMap<(usize, Day), (i64, i64, i64)> = HashMap::new();
    for s in sessions {
        let Some(&li) = map.get(s.lesson.as_str()) else {
            continue;
        };
        let l = &req.lessons[li];
        let (a, b) = (s.start, s.start.saturating_add(l.duration));
        count[li] += 1;
        per_lesson[li].push(s.day);
        if let Some((pa, pb)) = l.preferred
            && !(pa <= a && b <= pb)
        {
            preferred = preferred.saturating_add(l.preferred_weight);
        }
        for &st in &l.students {
            let e = day_load.entry((st, s.day)).or_insert((0, a, b));
            e.0 = e.0.saturating_add(l.duration);
            e.1 = e.1.min(a);
            e.2 = e.2.max(b);
        }
    }
    let mut sc = Score {
        preferred,
        ..Score::default()
    };
    for (li, l) in req.lessons.iter().enumerate() {
        let missing = l.sessions - count[li];
        sc.unscheduled = sc.unscheduled.saturating_add(
            missing
                .saturating_mul(l.priority)
                .saturating_mul(w.unscheduled),
        );
        let allowed = req.allowed_days(l);
        if l.sessions.saturating_mul(2) - 1 <= allowed.len() as i64 {
            let mut idx: Vec<usize> = per_lesson[li]
                .iter()
                .filter_map(|d| allowed.iter().position(|x| x == d))
                .collect();
            idx.sort_unstable();
            let pairs = idx.windows(2).filter(|p| p[1] - p[0] <= 1).count() as i64;
            sc.spread = sc.spread.saturating_add(w.spread.saturating_mul(pairs));
        }
    }
    for (si, st) in req.students.iter().enumerate() {
        let loads: Vec<i64> = req
            .days
            .iter()
            .filter(|d| !st.availability[d.index()].is_empty())
            .map(|d| day_load.get(&(si, *d)).map_or(0, |x| x.0))
            .collect();
        if let (Some(mx), Some(mn)) = (loads.iter().max(), loads.iter().min()) {
            sc.balance = sc
                .balance
                .saturating_add(w.balance.saturating_mul(mx - mn) / slot);
        }
        for d in &req.days {
            if let Some(&(load, lo, hi)) = day_load.get(&(si, *d)) {
                sc.idle = sc
                    .idle
                    .saturating_add(w.idle.saturating_mul(hi - lo - load) / slot);
            }
        }
    }
    sc.total = [sc.unscheduled, sc.preferred, sc.spread, sc.balance, sc.idle]
        .iter()
        .fold(0i64, |a, b| a.saturating_add(*b));
    sc
}

/// Hard-constraint violations of a plan's sessions (empty: valid), worded like the
/// referee's.
pub fn check(req: &Request, sessions: &[Session]) -> Vec<String> {
    let map = lesson_map(req);
    let slot = req.slot_minutes;
    let mut errors = Vec::new();
    // (lesson, day, start, end, index) of the sessions that pass the per-session checks
    let mut ok: Vec<(usize, Day, i64, i64, usize)> = Vec::new();
    for (i, s) in sessions.iter().enumerate() {
        let at = format!("sessions[{i}]");
        let Some(&li) = map.get(s.lesson.as_str()) else {
            errors.push(format!(
                "{at}: unknown lesson {}",
                crate::json::py_str(&s.lesson)
            ));
            continue;
        };
        let l = &req.lessons[li];
        if !req.days.contains(&s.day) {
            errors.push(format!("{at}: '{}' is not a school day this week", s.day));
            continue;
        }
        if !l.days.contains(&s.day) {
            errors.push(format!("{at}: lesson {} is not allowed on {}", l.id, s.day));
        }
        if !(0..=1440).contains(&s.start) {
            errors.push(format!("{at}.start: {} is out of 00:00..24:00", s.start));
            continue;
        }
        if s.start % slot != 0 {
            errors.push(format!(
                "{at}.start: {} is not on the {slot}-minute grid",
                hhmm(s.start)
            ));
            continue;
        }
        let (a, b) = (s.start, s.start.saturating_add(l.duration));
        if b > 1440 {
            errors.push(format!("{at}: ends after 24:00"));
            continue;
        }
        if let Some(e) = s.end
            && e != b
        {
            errors.push(format!(
                "{at}: end {} does not match start + duration",
                hhmm(e)
            ));
        }
        for &st in &l.students {
            let p = &req.students[st];
            if !p.available(s.day, a, b) {
                let (id, start, dur) = (&p.id, hhmm(a), l.duration);
                errors.push(format!(
                    "{at}: student {id} is not available {} {start}+{dur}",
                    s.day
                ));
            }
        }
        if let Some(t) = l.teacher {
            let p = &req.teachers[t];
            if !p.available(s.day, a, b) {
                let (id, start, dur) = (&p.id, hhmm(a), l.duration);
                errors.push(format!(
                    "{at}: teacher {id} is not available {} {start}+{dur}",
                    s.day
                ));
            }
        }
        ok.push((li, s.day, a, b, i));
    }

    // Who is busy when: (is teacher, person, day) -> [(start, end, what)]
    type Busy = Vec<((bool, usize, Day), Vec<(i64, i64, String)>)>;
    let mut busy: Busy = Vec::new();
    let mut add = |key: (bool, usize, Day), item: (i64, i64, String)| match busy
        .iter_mut()
        .find(|(k, _)| *k == key)
    {
        Some((_, v)) => v.push(item),
        None => busy.push((key, vec![item])),
    };
    for &(li, d, a, b, i) in &ok {
        let l = &req.lessons[li];
        for &st in &l.students {
            add((false, st, d), (a, b, format!("sessions[{i}]")));
        }
        if let Some(t) = l.teacher {
            add((true, t, d), (a, b, format!("sessions[{i}]")));
        }
    }
    for (j, f) in req.fixed.iter().enumerate() {
        for &st in &f.students {
            add((false, st, f.day), (f.start, f.end, format!("fixed[{j}]")));
        }
        for &t in &f.teachers {
            add((true, t, f.day), (f.start, f.end, format!("fixed[{j}]")));
        }
    }
    for ((teacher, who, d), mut items) in busy {
        items.sort();
        let (kind, id) = if teacher {
            ("teacher", &req.teachers[who].id)
        } else {
            ("student", &req.students[who].id)
        };
        for x in 0..items.len() {
            for y in x + 1..items.len() {
                let ((_, b1, w1), (a2, _, w2)) = (&items[x], &items[y]);
                if a2 >= b1 {
                    break;
                }
                if !(w1.starts_with("fixed") && w2.starts_with("fixed")) {
                    errors.push(format!(
                        "{kind} {id} is double-booked on {d}: {w1} and {w2}"
                    ));
                }
            }
        }
    }

    let mut per_day: Vec<((usize, Day), i64)> = Vec::new();
    let mut total = vec![0i64; req.lessons.len()];
    let mut load: HashMap<(usize, Day), i64> = HashMap::new();
    for &(li, d, a, b, _) in &ok {
        match per_day.iter_mut().find(|(k, _)| *k == (li, d)) {
            Some((_, n)) => *n += 1,
            None => per_day.push(((li, d), 1)),
        }
        total[li] += 1;
        for &st in &req.lessons[li].students {
            *load.entry((st, d)).or_insert(0) += b - a;
        }
    }
    for ((li, d), n) in per_day {
        let l = &req.lessons[li];
        if n > l.max_per_day {
            errors.push(format!(
                "lesson {}: {n} sessions on {d}, max_per_day is {}",
                l.id, l.max_per_day
            ));
        }
    }
    for (li, n) in total.iter().enumerate() {
        let l = &req.lessons[li];
        if *n > l.sessions {
            errors.push(format!(
                "lesson {}: {n} sessions, only {} wanted",
                l.id, l.sessions
            ));
        }
    }
    let mut loads: Vec<_> = load.into_iter().collect();
    loads.sort();
    for ((st, d), minutes) in loads {
        let p = &req.students[st];
        if let Some(cap) = p.max_daily_minutes
            && minutes > cap
        {
            errors.push(format!(
                "student {}: {minutes} minutes on {d}, max_daily_minutes is {cap}",
                p.id
            ));
        }
    }
    errors
}
