//! Large moves: ejection chains, ruin-and-recreate, and repacking a day in place.

use super::model::Rng;
use super::search::{Journal, best_insert, best_insert_on, random_start};
use super::state::State;

/// Puts an instance at a random place, evicting whatever is in its way, then
/// reinserts the evicted ones where they fit best.
pub(super) fn eject(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    // Prefer an unplaced instance: that is what ejection chains are for.
    let mut i = movable[rng.below(movable.len())];
    for _ in 0..16 {
        if st.pos[i].is_none() {
            break;
        }
        i = movable[rng.below(movable.len())];
    }
    chain(st, rng, i, j)
}

/// After the build: a few ejection chains for each session left out, the dearest
/// first, each kept only when the plan gets cheaper.
pub(super) fn repair(st: &mut State, rng: &mut Rng, tries: usize) {
    let mut out: Vec<usize> = (0..st.insts.len())
        .filter(|&i| st.pos[i].is_none() && !st.insts[i].pinned)
        .collect();
    out.sort_by_key(|&i| -st.m.lessons[st.insts[i].lesson].miss_cost);
    let mut j = Journal::new();
    for i in out {
        for _ in 0..tries {
            if st.pos[i].is_some() {
                break;
            }
            let before = st.cost;
            if chain(st, rng, i, &mut j) && st.cost < before {
                j.items.clear();
            } else {
                j.revert(st);
            }
        }
    }
}

/// Forces instance i in and re-places what it pushed out, two links deep.
fn chain(st: &mut State, rng: &mut Rng, i: usize, j: &mut Journal) -> bool {
    let Some(out) = force(st, rng, i, j) else {
        return false;
    };
    for x in out {
        if let Some((d2, s2, delta)) = best_insert(st, x, rng, 0)
            && delta < 0
        {
            st.place(x, d2, s2);
        } else if let Some(more) = force(st, rng, x, j) {
            // one more link of the chain
            for y in more {
                if let Some((d3, s3, delta)) = best_insert(st, y, rng, 0)
                    && delta < 0
                {
                    st.place(y, d3, s3);
                }
            }
        }
    }
    true
}

/// Places instance i at the least crowded of a few random places, evicting what is
/// in its way; returns the evicted (now unplaced) instances.
fn force(st: &mut State, rng: &mut Rng, i: usize, j: &mut Journal) -> Option<Vec<usize>> {
    // Of a few random places, the one whose evictions free the least time.
    let mut target: Option<(usize, u16)> = None;
    let mut least = usize::MAX;
    let k = st.m.lessons[st.insts[i].lesson].k;
    for _ in 0..6 {
        let (d, s) = random_start(st, rng, i)?;
        let mut taken = 0usize;
        for &p in &st.m.lessons[st.insts[i].lesson].persons {
            taken += (s as usize..s as usize + k)
                .filter(|&t| !st.free(p, d, t, 1))
                .count();
        }
        if taken < least {
            least = taken;
            target = Some((d, s));
        }
    }
    let (d, s) = target?;
    let l = st.insts[i].lesson;
    let m = st.m;
    let lm = &m.lessons[l];
    j.touch(st, i);
    st.remove(i);
    let (a, b) = (s, s + lm.k as u16);
    let mut out: Vec<usize> = Vec::new();
    for &p in &lm.persons {
        for &(sx, ex, x) in st.day_sessions(p, d) {
            let x = x as usize;
            if sx < b && a < ex && !out.contains(&x) {
                if st.insts[x].pinned {
                    return None;
                }
                out.push(x);
            }
        }
    }
    for &x in &out {
        j.touch(st, x);
        st.remove(x);
    }
    // Room under max_per_day and the daily caps, by evicting more of that day.
    let mut guard = 0;
    while !st.can_place(i, d, s) {
        guard += 1;
        if guard > 8 {
            return None;
        }
        let cands: Vec<usize> = if st.count(l, d) >= lm.max_per_day {
            st.of_lesson[l]
                .iter()
                .copied()
                .filter(|&x| st.pos[x].is_some_and(|p| p.0 as usize == d))
                .collect()
        } else {
            lm.students
                .iter()
                .flat_map(|&stu| st.day_sessions(stu, d).iter().map(|x| x.2 as usize))
                .collect()
        };
        let cands: Vec<usize> = cands.into_iter().filter(|&x| !st.insts[x].pinned).collect();
        if cands.is_empty() {
            return None;
        }
        let x = cands[rng.below(cands.len())];
        j.touch(st, x);
        st.remove(x);
        out.push(x);
    }
    st.place(i, d, s);
    Some(out)
}

/// Clears part of the week and rebuilds it by best insertion: a student's day, a
/// teacher's day, a whole day, or a few random sessions. Idle and preferred time
/// depend only on how each day is laid out, so rebuilding a day can fix what no
/// single move can.
pub(super) fn ruin(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    let m = st.m;
    let mut out: Vec<usize> = Vec::new();
    let d = rng.below(m.ndays);
    let on_day = |st: &State, x: usize| st.pos[x].is_some_and(|p| p.0 as usize == d);
    match rng.below(6) {
        0 if m.nstudents > 0 => {
            // a student's day; half the time the idlest of three
            let (mut stu, mut d) = (rng.below(m.nstudents), d);
            if rng.below(2) == 0 {
                for _ in 0..2 {
                    let (s2, d2) = (rng.below(m.nstudents), rng.below(m.ndays));
                    if st.day_idle(s2, d2) > st.day_idle(stu, d) {
                        (stu, d) = (s2, d2);
                    }
                }
            }
            out.extend(st.day_sessions(stu, d).iter().map(|x| x.2 as usize));
        }
        4 if m.nstudents > 0 => {
            // a student's two days: what balance needs; half the time the busiest
            // and the lightest day
            let stu = rng.below(m.nstudents);
            let mut d2 = rng.below(m.ndays);
            let mut d = d;
            if rng.below(2) == 0 && !m.bal_days[stu].is_empty() {
                let days = &m.bal_days[stu];
                d = days
                    .iter()
                    .copied()
                    .max_by_key(|&x| (st.day_load(stu, x), rng.below(8)))
                    .unwrap_or(d);
                d2 = days
                    .iter()
                    .copied()
                    .min_by_key(|&x| (st.day_load(stu, x), rng.below(8)))
                    .unwrap_or(d2);
            }
            out.extend(st.day_sessions(stu, d).iter().map(|x| x.2 as usize));
            out.extend(st.day_sessions(stu, d2).iter().map(|x| x.2 as usize));
        }
        5 => {
            // a whole lesson, and one of its students' day: what spread needs
            let x = movable[rng.below(movable.len())];
            let l = st.insts[x].lesson;
            out.extend(st.of_lesson[l].iter().copied());
            let lm = &m.lessons[l];
            if !lm.open_days.is_empty() {
                // ...and everything its people do on one of its days, to make room there
                let d = lm.open_days[rng.below(lm.open_days.len())];
                for &p in &lm.persons {
                    out.extend(st.day_sessions(p, d).iter().map(|x| x.2 as usize));
                }
            }
        }
        1 if m.npersons > m.nstudents => {
            let t = m.nstudents + rng.below(m.npersons - m.nstudents);
            out.extend(st.day_sessions(t, d).iter().map(|x| x.2 as usize));
        }
        2 => out.extend(movable.iter().copied().filter(|&x| on_day(st, x))),
        _ => {
            for _ in 0..3 + rng.below(4) {
                out.push(movable[rng.below(movable.len())]);
            }
        }
    }
    out.retain(|&x| !st.insts[x].pinned && st.pos[x].is_some());
    out.sort_unstable();
    out.dedup();
    for &x in &out {
        j.touch(st, x);
        st.remove(x);
    }
    // The ruined ones, and a few of those that were out already.
    let mut todo = out;
    let mut outside: Vec<usize> = movable
        .iter()
        .copied()
        .filter(|&x| st.pos[x].is_none() && todo.binary_search(&x).is_err())
        .collect();
    for _ in 0..4 {
        if outside.is_empty() {
            break;
        }
        let x = outside.swap_remove(rng.below(outside.len()));
        j.touch(st, x);
        todo.push(x);
    }
    for k in (1..todo.len()).rev() {
        todo.swap(k, rng.below(k + 1));
    }
    if rng.below(2) == 0 {
        // hardest first: more people, then longer
        todo.sort_by_key(|&x| {
            let lm = &m.lessons[st.insts[x].lesson];
            (usize::MAX - lm.persons.len(), usize::MAX - lm.k)
        });
    }
    for x in todo {
        if let Some((d, s, delta)) = best_insert(st, x, rng, 1)
            && delta < 0
        {
            st.place(x, d, s);
        }
    }
    true
}

/// Insertion orders `repack` tries.
const REPACK_TRIES: usize = 3;

/// Lays out again, on the same day, the sessions of one person's day (or of the
/// whole day): the best of a few random insertion orders. The days stay as they
/// were, so balance and spread do not move; idle and preferred time do.
pub(super) fn repack(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    let m = st.m;
    let d = rng.below(m.ndays);
    let mut items: Vec<usize> = Vec::new();
    if rng.below(4) == 0 {
        items.extend(
            movable
                .iter()
                .copied()
                .filter(|&x| st.pos[x].is_some_and(|p| p.0 as usize == d)),
        );
    } else {
        let p = rng.below(m.npersons);
        items.extend(st.day_sessions(p, d).iter().map(|x| x.2 as usize));
        // and the sessions of the people those share, to make room
        if rng.below(2) == 0 {
            let mut more = Vec::new();
            for &x in &items {
                for &q in &m.lessons[st.insts[x].lesson].persons {
                    more.extend(st.day_sessions(q, d).iter().map(|y| y.2 as usize));
                }
            }
            items.extend(more);
        }
    }
    items.retain(|&x| !st.insts[x].pinned);
    items.sort_unstable();
    items.dedup();
    if items.len() < 2 {
        return false;
    }
    for &x in &items {
        j.touch(st, x);
    }
    let mut best: Option<(i64, Vec<(usize, u16)>)> = None;
    let mut at = Vec::with_capacity(items.len());
    for t in 0..REPACK_TRIES {
        for &x in &items {
            st.remove(x);
        }
        for k in (1..items.len()).rev() {
            items.swap(k, rng.below(k + 1));
        }
        at.clear();
        for &x in &items {
            match best_insert_on(st, x, rng, 0, &[d]) {
                Some((_, s, _)) => {
                    st.place(x, d, s);
                    at.push((x, s));
                }
                None => break,
            }
        }
        if at.len() == items.len() && best.as_ref().is_none_or(|b| st.cost < b.0) {
            if t + 1 == REPACK_TRIES {
                // the last try is the best: it is in place already
                return true;
            }
            best = Some((st.cost, at.clone()));
        }
    }
    let Some((_, at)) = best else {
        return false;
    };
    for &x in &items {
        st.remove(x);
    }
    for &(x, s) in &at {
        st.place(x, d, s);
    }
    true
}
