//! Construction (most constrained first, best insertion) and simulated annealing
//! over moves: relocate, shift, swap, ejection chains and ruin-and-recreate.

use std::time::Instant;

use super::model::Rng;
use super::state::State;

/// Instances that moved during a compound move, with where they were before.
struct Journal {
    items: Vec<(usize, Option<(u8, u16)>)>,
}

impl Journal {
    fn new() -> Journal {
        Journal {
            items: Vec::with_capacity(16),
        }
    }
    fn touch(&mut self, st: &State, i: usize) {
        if !self.items.iter().any(|x| x.0 == i) {
            self.items.push((i, st.pos[i]));
        }
    }
    fn revert(&mut self, st: &mut State) {
        for &(i, _) in &self.items {
            st.remove(i);
        }
        for &(i, p) in &self.items {
            if let Some((d, s)) = p {
                st.place(i, d as usize, s);
            }
        }
        self.items.clear();
    }
}

/// The cheapest feasible place for instance i, with random tie-breaking
/// (and, with `noise` > 0, a random perturbation of each candidate's cost).
fn best_insert(st: &State, i: usize, rng: &mut Rng, noise: i64) -> Option<(usize, u16, i64)> {
    let lm = &st.m.lessons[st.insts[i].lesson];
    let mut best: Option<(usize, u16, i64)> = None;
    let mut key_best = i64::MAX;
    let mut ties = 0usize;
    for &d in &lm.open_days {
        for &s in &lm.starts[d] {
            if !st.can_place(i, d, s) {
                continue;
            }
            let delta = st.delta_place(i, d, s);
            let key = if noise > 0 {
                delta + rng.below(noise as usize + 1) as i64
            } else {
                delta
            };
            if key < key_best {
                key_best = key;
                best = Some((d, s, delta));
                ties = 1;
            } else if key == key_best {
                ties += 1;
                if rng.below(ties) == 0 {
                    best = Some((d, s, delta));
                }
            }
        }
    }
    best
}

/// Difficulty order: fewest places per wanted session, more people, dearer, longer.
pub(crate) fn construct(st: &mut State, rng: &mut Rng) {
    let mut order: Vec<usize> = (0..st.insts.len())
        .filter(|&i| st.pos[i].is_none())
        .collect();
    let key = |i: usize| {
        let l = st.insts[i].lesson;
        let lm = &st.m.lessons[l];
        let places: usize = lm.open_days.iter().map(|&d| lm.starts[d].len()).sum();
        let per = places / st.of_lesson[l].len().max(1);
        (
            per,
            usize::MAX - lm.persons.len(),
            i64::MAX - lm.miss_cost,
            usize::MAX - lm.k,
            l,
        )
    };
    order.sort_by_key(|&i| key(i));
    for i in order {
        if let Some((d, s, delta)) = best_insert(st, i, rng, 0)
            && delta < 0
        {
            st.place(i, d, s);
        }
    }
}

pub(crate) struct Budget {
    pub iterations: u64,
    pub deadline: Option<Instant>,
}

/// Simulated annealing from the current state; leaves the best state found in `st`.
pub(crate) fn anneal(st: &mut State, rng: &mut Rng, budget: &Budget, t0: f64, t1: f64) {
    let movable: Vec<usize> = (0..st.insts.len())
        .filter(|&i| !st.insts[i].pinned)
        .collect();
    if movable.is_empty() {
        return;
    }
    let mut best = st.snapshot();
    let mut best_cost = st.cost;
    let mut journal = Journal::new();
    let n = budget.iterations.max(1);
    let mut temp = t0;
    let mut it = 0u64;
    loop {
        if it >= n {
            break;
        }
        if it.is_multiple_of(256) {
            if let Some(dl) = budget.deadline
                && Instant::now() >= dl
            {
                break;
            }
            temp = t0 * (t1 / t0).powf(it as f64 / n as f64);
        }
        it += 1;
        let before = st.cost;
        let r = rng.below(100);
        let moved = if r < 45 {
            relocate(st, rng, &movable, &mut journal, false)
        } else if r < 70 {
            relocate(st, rng, &movable, &mut journal, true)
        } else if r < 85 {
            swap(st, rng, &movable, &mut journal)
        } else if r < 96 {
            eject(st, rng, &movable, &mut journal)
        } else {
            ruin(st, rng, &movable, &mut journal)
        };
        if !moved {
            journal.revert(st);
            continue;
        }
        let delta = st.cost - before;
        if delta <= 0 || rng.unit() < (-(delta as f64) / temp).exp() {
            journal.items.clear();
            if st.cost < best_cost {
                best_cost = st.cost;
                best = st.snapshot();
            }
        } else {
            journal.revert(st);
        }
    }
    st.restore(&best);
}

fn random_start(st: &State, rng: &mut Rng, i: usize) -> Option<(usize, u16)> {
    let lm = &st.m.lessons[st.insts[i].lesson];
    if lm.open_days.is_empty() {
        return None;
    }
    let d = lm.open_days[rng.below(lm.open_days.len())];
    let starts = &lm.starts[d];
    Some((d, starts[rng.below(starts.len())]))
}

/// Moves one instance to a random place (or, `near`, a few slots from where it is).
fn relocate(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal, near: bool) -> bool {
    let i = movable[rng.below(movable.len())];
    let target = match (near, st.pos[i]) {
        (true, Some((d, s))) => {
            let step = 1 + rng.below(6) as i32;
            let s2 = if rng.below(2) == 0 {
                s as i32 - step
            } else {
                s as i32 + step
            };
            let d = d as usize;
            let starts = &st.m.lessons[st.insts[i].lesson].starts[d];
            if s2 < 0 || starts.binary_search(&(s2 as u16)).is_err() {
                return false;
            }
            (d, s2 as u16)
        }
        _ => match random_start(st, rng, i) {
            Some(t) => t,
            None => return false,
        },
    };
    j.touch(st, i);
    st.remove(i);
    if !st.can_place(i, target.0, target.1) {
        return false;
    }
    st.place(i, target.0, target.1);
    true
}

/// Exchanges the places of two sessions that share a student (or are of one
/// lesson), keeping same-day sessions back to back in swapped order.
fn swap(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    let a = movable[rng.below(movable.len())];
    let Some((da, sa)) = st.pos[a] else {
        return false;
    };
    let la = st.insts[a].lesson;
    let students = &st.m.lessons[la].students;
    let stu = students[rng.below(students.len())];
    let d = rng.below(st.m.ndays);
    let list = st.day_sessions(stu, d);
    if list.is_empty() {
        return false;
    }
    let b = list[rng.below(list.len())].2 as usize;
    if b == a || st.insts[b].pinned {
        return false;
    }
    let Some((db, sb)) = st.pos[b] else {
        return false;
    };
    let lb = st.insts[b].lesson;
    let (ka, kb) = (st.m.lessons[la].k as u16, st.m.lessons[lb].k as u16);
    let (na, nb) = if da == db {
        // same day: swap order, keep the pair's first start
        if sa < sb {
            (sa + kb, sa)
        } else {
            (sb, sb + ka)
        }
    } else {
        (sb, sa)
    };
    j.touch(st, a);
    j.touch(st, b);
    st.remove(a);
    st.remove(b);
    let ok_a = st.m.lessons[la].starts[db as usize]
        .binary_search(&na)
        .is_ok();
    let ok_b = st.m.lessons[lb].starts[da as usize]
        .binary_search(&nb)
        .is_ok();
    if !ok_a || !ok_b || !st.can_place(a, db as usize, na) {
        return false;
    }
    st.place(a, db as usize, na);
    if !st.can_place(b, da as usize, nb) {
        return false;
    }
    st.place(b, da as usize, nb);
    true
}

/// Puts an instance at a random place, evicting whatever is in its way, then
/// reinserts the evicted ones where they fit best.
fn eject(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    // Prefer an unplaced instance: that is what ejection chains are for.
    let mut i = movable[rng.below(movable.len())];
    for _ in 0..4 {
        if st.pos[i].is_none() {
            break;
        }
        i = movable[rng.below(movable.len())];
    }
    let Some((d, s)) = random_start(st, rng, i) else {
        return false;
    };
    let l = st.insts[i].lesson;
    let m = st.m;
    let lm = &m.lessons[l];
    j.touch(st, i);
    st.remove(i);
    let (a, b) = (s, s + lm.k as u16);
    let mut out: Vec<usize> = Vec::new();
    for x in 0..st.insts.len() {
        let Some((dx, sx)) = st.pos[x] else { continue };
        if dx as usize != d {
            continue;
        }
        let lx = &m.lessons[st.insts[x].lesson];
        let overlap = sx < b && a < sx + lx.k as u16;
        if overlap && lx.persons.iter().any(|p| lm.persons.contains(p)) {
            if st.insts[x].pinned {
                return false;
            }
            out.push(x);
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
            return false;
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
            return false;
        }
        let x = cands[rng.below(cands.len())];
        j.touch(st, x);
        st.remove(x);
        out.push(x);
    }
    st.place(i, d, s);
    for x in out {
        if let Some((d2, s2, delta)) = best_insert(st, x, rng, 0)
            && delta < 0
        {
            st.place(x, d2, s2);
        }
    }
    true
}

/// Clears a student's day (or a few random sessions) and rebuilds by best insertion,
/// unplaced instances included.
fn ruin(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    let m = st.m;
    let mut out: Vec<usize> = Vec::new();
    if m.nstudents > 0 && rng.below(2) == 0 {
        let stu = rng.below(m.nstudents);
        let d = rng.below(m.ndays);
        out.extend(st.day_sessions(stu, d).iter().map(|x| x.2 as usize));
    } else {
        for _ in 0..3 + rng.below(4) {
            out.push(movable[rng.below(movable.len())]);
        }
    }
    out.retain(|&x| !st.insts[x].pinned && st.pos[x].is_some());
    out.sort_unstable();
    out.dedup();
    for &x in &out {
        j.touch(st, x);
        st.remove(x);
    }
    let mut todo: Vec<usize> = movable
        .iter()
        .copied()
        .filter(|&x| st.pos[x].is_none())
        .collect();
    // random order
    for k in (1..todo.len()).rev() {
        todo.swap(k, rng.below(k + 1));
    }
    for x in todo {
        if let Some((d, s, delta)) = best_insert(st, x, rng, 2)
            && delta < 0
        {
            j.touch(st, x);
            st.place(x, d, s);
        }
    }
    true
}
