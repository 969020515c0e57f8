//! Construction (most constrained first, best insertion) and simulated annealing
//! over moves: relocate, shift, swap and reinsert here; ejection chains,
//! ruin-and-recreate and day repacking in `lns`.

use std::time::Instant;

use super::lns::{eject, repack, repair, ruin};
use super::model::{LessonModel, Rng};
use super::share::Share;
use super::state::{MASK_WORDS, Snapshot, State, mask_free};

/// Instances that moved during a compound move, with where they were before.
pub(super) struct Journal {
    pub items: Vec<(usize, Option<(u8, u16)>)>,
}

impl Journal {
    pub fn new() -> Journal {
        Journal {
            items: Vec::with_capacity(16),
        }
    }
    pub fn touch(&mut self, st: &State, i: usize) {
        if !self.items.iter().any(|x| x.0 == i) {
            self.items.push((i, st.pos[i]));
        }
    }
    pub fn revert(&mut self, st: &mut State) {
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

/// Calls `f` with every free "anchor" start of the lesson on day d, given the union
/// of its people's busy slots: starts touching the edge of the free time, a session
/// of one of its people, or its preferred window. Elsewhere a session can slide to
/// such a place without getting dearer, so the search only looks at these. (A start
/// may come twice.)
#[inline]
fn for_anchors(lm: &LessonModel, d: usize, mask: &[u64], mut f: impl FnMut(u16)) {
    let k = lm.k;
    for &s in &lm.edges[d] {
        if mask_free(mask, s as usize, k) {
            f(s);
        }
    }
    let bits = &lm.start_bits[d];
    let mut carry = 0u64;
    for (w, &m) in mask.iter().enumerate().take(bits.len()) {
        // bit t of prev: slot t - 1 is busy
        let prev = (m << 1) | carry;
        carry = m >> 63;
        // t free right after a busy slot: start there
        let mut after = prev & !m;
        while after != 0 {
            let t = w * 64 + after.trailing_zeros() as usize;
            after &= after - 1;
            if bits[t / 64] >> (t % 64) & 1 != 0 && mask_free(mask, t, k) {
                f(t as u16);
            }
        }
        // t busy right after a free slot: end there
        let mut before = m & !prev;
        while before != 0 {
            let t = w * 64 + before.trailing_zeros() as usize;
            before &= before - 1;
            if t >= k {
                let s = t - k;
                if bits[s / 64] >> (s % 64) & 1 != 0 && mask_free(mask, s, k) {
                    f(s as u16);
                }
            }
        }
    }
}

/// The cheapest feasible place for instance i among the anchors, with random
/// tie-breaking (and, with `noise` > 0, a random perturbation of each cost).
pub(super) fn best_insert(
    st: &State,
    i: usize,
    rng: &mut Rng,
    noise: i64,
) -> Option<(usize, u16, i64)> {
    let days = &st.m.lessons[st.insts[i].lesson].open_days;
    best_insert_on(st, i, rng, noise, days)
}

/// `best_insert` among the given days only.
pub(super) fn best_insert_on(
    st: &State,
    i: usize,
    rng: &mut Rng,
    noise: i64,
    days: &[usize],
) -> Option<(usize, u16, i64)> {
    let lm = &st.m.lessons[st.insts[i].lesson];
    let mut best: Option<(usize, u16, i64)> = None;
    let mut key_best = i64::MAX;
    let mut ties = 0usize;
    let mut mask = [0u64; MASK_WORDS];
    let mut studs = st.scratch.borrow_mut();
    for &d in days {
        if !st.day_allows(i, d) {
            continue;
        }
        let base = st.day_delta(i, d, &mut studs);
        // No start on this day can beat the best so far: a session costs at least
        // its day's part, less the gaps it could fill (at most k slots, and at
        // most the idle time, per student).
        let fill = st.m.w_idle * lm.k as i64;
        let bound = base - studs.iter().map(|x| x.3.min(fill)).sum::<i64>();
        if bound > key_best {
            continue;
        }
        st.union_mask(&lm.persons, d, &mut mask);
        for_anchors(lm, d, &mask, |s| {
            let delta = st.delta_at(i, s, base, &studs);
            debug_assert_eq!(delta, st.delta_place(i, d, s));
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
        });
    }
    best
}

/// Difficulty order: fewest places per wanted session, more people, dearer, longer;
/// then a few ejection chains for each session left out.
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
    repair(st, rng, 5);
}

/// Cumulative percentages of the moves: relocate, shift, swap, reinsert, eject,
/// repack, ruin.
const MIX: [usize; 7] = [20, 30, 40, 55, 65, 75, 100];

/// How long to anneal: a number of moves, or (when `until` is given) until then,
/// the temperature following the clock instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    pub iterations: u64,
    pub from: Option<Instant>,
    pub until: Option<Instant>,
}

/// Simulated annealing from the current state; leaves the best state found in `st`.
/// With `share`, run `run` meets the other runs at even steps of the schedule and
/// goes on from the best plan of all.
pub(crate) fn anneal(
    st: &mut State,
    rng: &mut Rng,
    budget: &Budget,
    (t0, t1): (f64, f64),
    share: Option<(&Share, usize)>,
) {
    let movable: Vec<usize> = (0..st.insts.len())
        .filter(|&i| !st.insts[i].pinned)
        .collect();
    let mut best = st.snapshot();
    let mut best_cost = st.cost;
    let mut met = 0u32;
    let meetings = share.map_or(0, |s| s.0.meetings);
    let meet = |st: &mut State, best: &mut Snapshot, best_cost: &mut i64| {
        if let Some((sh, r)) = share {
            let (c, snap) = sh.meet(r, *best_cost, best);
            st.restore(&snap);
            *best = snap;
            *best_cost = c;
        }
    };
    let mut journal = Journal::new();
    let n = budget.iterations.max(1);
    let mut temp = t0;
    let mut it = 0u64;
    while !movable.is_empty() {
        if it >= n {
            break;
        }
        if it.is_multiple_of(128) {
            let progress = match (budget.from, budget.until) {
                (Some(a), Some(b)) => {
                    let now = Instant::now();
                    if now >= b {
                        break;
                    }
                    (now - a).as_secs_f64() / (b - a).as_secs_f64().max(1e-9)
                }
                _ => it as f64 / n as f64,
            };
            temp = t0 * (t1 / t0).powf(progress);
            if met < meetings && progress * f64::from(meetings + 1) >= f64::from(met + 1) {
                met += 1;
                meet(st, &mut best, &mut best_cost);
            }
        }
        it += 1;
        let before = st.cost;
        let r = rng.below(100);
        let moved = if r < MIX[0] {
            relocate(st, rng, &movable, &mut journal, false)
        } else if r < MIX[1] {
            relocate(st, rng, &movable, &mut journal, true)
        } else if r < MIX[2] {
            swap(st, rng, &movable, &mut journal)
        } else if r < MIX[3] {
            reinsert(st, rng, &movable, &mut journal)
        } else if r < MIX[4] {
            eject(st, rng, &movable, &mut journal)
        } else if r < MIX[5] {
            repack(st, rng, &movable, &mut journal)
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
    // (a run cut short by the deadline still keeps its appointments)
    while met < meetings {
        met += 1;
        meet(st, &mut best, &mut best_cost);
    }
    st.restore(&best);
}

pub(super) fn random_start(st: &State, rng: &mut Rng, i: usize) -> Option<(usize, u16)> {
    let lm = &st.m.lessons[st.insts[i].lesson];
    if lm.open_days.is_empty() {
        return None;
    }
    let d = lm.open_days[rng.below(lm.open_days.len())];
    let starts = &lm.starts[d];
    Some((d, starts[rng.below(starts.len())]))
}

/// Moves one instance: to a random anchor of a random day (see `best_insert`), or,
/// `near`, a few slots from where it is.
fn relocate(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal, near: bool) -> bool {
    let i = movable[rng.below(movable.len())];
    let lm = &st.m.lessons[st.insts[i].lesson];
    if lm.open_days.is_empty() {
        return false;
    }
    j.touch(st, i);
    let target = match (near, st.pos[i]) {
        (true, Some((d, s))) => {
            let step = 1 + rng.below(6) as i32;
            let s2 = if rng.below(2) == 0 {
                s as i32 - step
            } else {
                s as i32 + step
            };
            let d = d as usize;
            if s2 < 0 || lm.starts[d].binary_search(&(s2 as u16)).is_err() {
                return false;
            }
            st.remove(i);
            (d, s2 as u16)
        }
        _ => {
            st.remove(i);
            let d = lm.open_days[rng.below(lm.open_days.len())];
            if !st.day_allows(i, d) {
                return false;
            }
            let mut mask = [0u64; MASK_WORDS];
            st.union_mask(&lm.persons, d, &mut mask);
            let mut cands = [0u16; 64];
            let mut n = 0;
            for_anchors(lm, d, &mask, |s| {
                if n < cands.len() {
                    cands[n] = s;
                    n += 1;
                }
            });
            if n == 0 {
                return false;
            }
            (d, cands[rng.below(n)])
        }
    };
    if !st.can_place(i, target.0, target.1) {
        return false;
    }
    st.place(i, target.0, target.1);
    true
}

/// Takes one instance out and puts it back where it fits best (noisily).
fn reinsert(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    let i = movable[rng.below(movable.len())];
    j.touch(st, i);
    st.remove(i);
    if let Some((d, s, delta)) = best_insert(st, i, rng, 3)
        && delta < 0
    {
        st.place(i, d, s);
    }
    true
}

/// Exchanges the places of two sessions that share a person: packed (same day:
/// swap their order from the pair's first start), start for start, or end for end.
fn swap(st: &mut State, rng: &mut Rng, movable: &[usize], j: &mut Journal) -> bool {
    let a = movable[rng.below(movable.len())];
    let Some((da, sa)) = st.pos[a] else {
        return false;
    };
    let la = st.insts[a].lesson;
    let m = st.m;
    let persons = &m.lessons[la].persons;
    let p = persons[rng.below(persons.len())];
    let d = if rng.below(2) == 0 {
        da as usize
    } else {
        rng.below(m.ndays)
    };
    let list = st.day_sessions(p, d);
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
    let (ka, kb) = (m.lessons[la].k as i32, m.lessons[lb].k as i32);
    let (sa, sb) = (sa as i32, sb as i32);
    let (na, nb) = match rng.below(3) {
        0 if da == db => {
            if sa < sb {
                (sa + kb, sa)
            } else {
                (sb, sb + ka)
            }
        }
        1 => (sb + kb - ka, sa + ka - kb),
        _ => (sb, sa),
    };
    if na < 0 || nb < 0 {
        return false;
    }
    let (na, nb) = (na as u16, nb as u16);
    let ok_a = m.lessons[la].starts[db as usize].binary_search(&na).is_ok();
    let ok_b = m.lessons[lb].starts[da as usize].binary_search(&nb).is_ok();
    if !ok_a || !ok_b {
        return false;
    }
    j.touch(st, a);
    j.touch(st, b);
    st.remove(a);
    st.remove(b);
    if !st.can_place(a, db as usize, na) {
        return false;
    }
    st.place(a, db as usize, na);
    if !st.can_place(b, da as usize, nb) {
        return false;
    }
    st.place(b, da as usize, nb);
    true
}
