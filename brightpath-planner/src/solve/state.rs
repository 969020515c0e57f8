//! A partial plan under search, with every score part kept up to date on each
//! place/remove, so a move's effect on the total is known in O(people × days).

use super::model::Model;

/// Words of a day's slot bitset at the finest grid (1440 one-minute slots).
pub(crate) const MASK_WORDS: usize = 23;

/// Whether slots [s, s + k) are all clear in a bitset.
#[inline]
pub(crate) fn mask_free(mask: &[u64], s: usize, k: usize) -> bool {
    let b = s % 64;
    if b + k < 64 {
        // within one word, the usual case
        return mask[s / 64] & (((1u64 << k) - 1) << b) == 0;
    }
    let (mut s, e) = (s, s + k);
    while s < e {
        let b = s % 64;
        let n = (64 - b).min(e - s);
        let bits = if n == 64 {
            u64::MAX
        } else {
            ((1u64 << n) - 1) << b
        };
        if mask[s / 64] & bits != 0 {
            return false;
        }
        s += n;
    }
    true
}

/// Per instance: (school day, start slot) when placed.
pub(crate) type Snapshot = Vec<Option<(u8, u16)>>;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Inst {
    pub lesson: usize,
    /// Pinned by the caller: never moved.
    pub pinned: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct State<'m> {
    pub m: &'m Model,
    pub insts: Vec<Inst>,
    /// Per instance: (school day, start slot) when placed.
    pub pos: Vec<Option<(u8, u16)>>,
    /// Per lesson: its instances.
    pub of_lesson: Vec<Vec<usize>>,
    occ: Vec<u64>,
    cnt: Vec<u16>,
    /// Per (person, day): (start, end, instance) of the sessions there, in no order.
    iv: Vec<Vec<(u16, u16, u32)>>,
    load: Vec<u32>,
    /// Per (student, day): first start and last end (u16::MAX, 0 when empty).
    span: Vec<(u16, u16)>,
    idle: Vec<i64>,
    bal: Vec<i64>,
    /// Per student: (max load, min load, days at the min, the next load above the
    /// min or u32::MAX) over the balance days, so a day's change costs O(1).
    loads: Vec<(u32, u32, u32, u32)>,
    pub cost: i64,
    /// A reusable buffer for `day_delta`'s per-student figures.
    pub scratch: std::cell::RefCell<Vec<(i64, i64, i64, i64)>>,
}

impl<'m> State<'m> {
    /// An empty plan; `base` is the cost of everything unplaced (missing sessions).
    pub fn new(m: &'m Model, insts: Vec<Inst>, base: i64) -> State<'m> {
        let n = insts.len();
        let mut of_lesson = vec![Vec::new(); m.lessons.len()];
        for (i, x) in insts.iter().enumerate() {
            of_lesson[x.lesson].push(i);
        }
        State {
            m,
            insts,
            pos: vec![None; n],
            of_lesson,
            occ: vec![0; m.npersons * m.ndays * m.words],
            cnt: vec![0; m.lessons.len() * m.ndays],
            iv: vec![Vec::new(); m.npersons * m.ndays],
            load: vec![0; m.nstudents * m.ndays],
            span: vec![(u16::MAX, 0); m.nstudents * m.ndays],
            idle: vec![0; m.nstudents * m.ndays],
            bal: vec![0; m.nstudents],
            loads: (0..m.nstudents)
                .map(|st| (0, 0, m.bal_days[st].len() as u32, u32::MAX))
                .collect(),
            cost: base,
            scratch: std::cell::RefCell::new(Vec::with_capacity(8)),
        }
    }

    #[inline]
    fn occ_at(&self, p: usize, d: usize) -> usize {
        (p * self.m.ndays + d) * self.m.words
    }

    #[inline]
    pub fn count(&self, l: usize, d: usize) -> usize {
        self.cnt[l * self.m.ndays + d] as usize
    }

    pub fn day_load(&self, st: usize, d: usize) -> usize {
        self.load[st * self.m.ndays + d] as usize
    }

    /// The idle part of student st's day d.
    pub fn day_idle(&self, st: usize, d: usize) -> i64 {
        self.idle[st * self.m.ndays + d]
    }

    /// The sessions of person p (a student or a teacher) on day d, in no order.
    pub fn day_sessions(&self, p: usize, d: usize) -> &[(u16, u16, u32)] {
        &self.iv[p * self.m.ndays + d]
    }

    /// Whether person p is free on day d for slots [s, s + k).
    #[inline]
    pub fn free(&self, p: usize, d: usize, s: usize, k: usize) -> bool {
        let base = self.occ_at(p, d);
        mask_free(&self.occ[base..base + self.m.words], s, k)
    }

    /// The union of the given people's busy slots on day d.
    pub fn union_mask(&self, persons: &[usize], d: usize, out: &mut [u64; MASK_WORDS]) {
        let w = self.m.words;
        out[..w].fill(0);
        for &p in persons {
            let base = self.occ_at(p, d);
            for (o, x) in out[..w].iter_mut().zip(&self.occ[base..base + w]) {
                *o |= x;
            }
        }
    }

    /// Whether the lesson's day-level limits (max_per_day, daily caps) allow one
    /// more session of instance i on day d.
    pub fn day_allows(&self, i: usize, d: usize) -> bool {
        let l = self.insts[i].lesson;
        let lm = &self.m.lessons[l];
        self.count(l, d) < lm.max_per_day
            && lm
                .students
                .iter()
                .all(|&st| self.m.cap[st].is_none_or(|cap| self.day_load(st, d) + lm.k <= cap))
    }

    fn mark(&mut self, p: usize, d: usize, s: usize, k: usize, on: bool) {
        let base = self.occ_at(p, d);
        let (mut s, e) = (s, s + k);
        while s < e {
            let w = s / 64;
            let b = s % 64;
            let n = (64 - b).min(e - s);
            let mask = if n == 64 {
                u64::MAX
            } else {
                ((1u64 << n) - 1) << b
            };
            if on {
                self.occ[base + w] |= mask;
            } else {
                self.occ[base + w] &= !mask;
            }
            s += n;
        }
    }

    /// Whether instance i may start at slot s on day d (s must be one of the
    /// lesson's starts for d; the instance must be unplaced).
    pub fn can_place(&self, i: usize, d: usize, s: u16) -> bool {
        let l = self.insts[i].lesson;
        let lm = &self.m.lessons[l];
        if self.count(l, d) >= lm.max_per_day {
            return false;
        }
        for &st in &lm.students {
            if let Some(cap) = self.m.cap[st]
                && self.day_load(st, d) + lm.k > cap
            {
                return false;
            }
        }
        lm.persons
            .iter()
            .all(|&p| self.free(p, d, s as usize, lm.k))
    }

    /// Brings `span` up to date after a session (a, b) came or went, and returns
    /// the idle part of the student's day.
    fn respan(&mut self, at: usize, a: u16, b: u16, added: bool) -> i64 {
        let (lo, hi) = self.span[at];
        self.span[at] = if added {
            (lo.min(a), hi.max(b))
        } else if a == lo || b == hi {
            let mut span = (u16::MAX, 0u16);
            for x in &self.iv[at] {
                span = (span.0.min(x.0), span.1.max(x.1));
            }
            span
        } else {
            (lo, hi)
        };
        let (lo, hi) = self.span[at];
        if lo > hi {
            return 0;
        }
        self.m.w_idle * (hi as i64 - lo as i64 - self.load[at] as i64)
    }

    /// The balance part of student st with k more slots on day d, from `loads`.
    #[inline]
    fn bal_with(&self, st: usize, d: usize, k: usize) -> i64 {
        let m = self.m;
        if !m.bal_days[st].contains(&d) {
            return self.bal[st];
        }
        let (mx, mn, nmin, next) = self.loads[st];
        let x = self.load[st * m.ndays + d] + k as u32;
        let mx = mx.max(x);
        let mn = if x - k as u32 == mn && nmin == 1 {
            next.min(x)
        } else {
            mn
        };
        m.w_balance * (mx - mn) as i64
    }

    /// Recomputes `loads` and the balance part of student st.
    fn rebalance(&mut self, st: usize) {
        let m = self.m;
        let (mut mx, mut mn, mut nmin, mut next) = (0u32, u32::MAX, 0u32, u32::MAX);
        for &d in &m.bal_days[st] {
            let x = self.load[st * m.ndays + d];
            mx = mx.max(x);
            if x < mn {
                next = mn;
                mn = x;
                nmin = 1;
            } else if x == mn {
                nmin += 1;
            } else {
                next = next.min(x);
            }
        }
        self.loads[st] = (mx, mn, nmin, next);
        let bal = if mn == u32::MAX {
            0
        } else {
            m.w_balance * (mx - mn) as i64
        };
        self.cost += bal - self.bal[st];
        self.bal[st] = bal;
    }

    /// The change in spread pairs of lesson l from one session more (or less) on
    /// day d, `cnt` already counting the change.
    fn spread_step(&self, l: usize, d: usize, added: bool) -> i64 {
        let Some(days) = &self.m.lessons[l].spread_days else {
            return 0;
        };
        let c = self.count(l, d);
        let pairs = if (added && c > 1) || (!added && c > 0) {
            1
        } else if let Some(p) = days.iter().position(|&x| x == d) {
            let used = |q: usize| days.get(q).is_some_and(|&x| self.count(l, x) > 0);
            i64::from(p > 0 && used(p - 1)) + i64::from(used(p + 1))
        } else {
            0
        };
        let pairs = if added { pairs } else { -pairs };
        self.m.w_spread * pairs
    }

    /// What placing instance i on day d costs apart from its start: the missing
    /// session saved, spread and balance; and per student the (first start, last
    /// end, load after, idle now) of that day, for `delta_at`.
    pub fn day_delta(&self, i: usize, d: usize, studs: &mut Vec<(i64, i64, i64, i64)>) -> i64 {
        let l = self.insts[i].lesson;
        let lm = &self.m.lessons[l];
        let mut delta = -lm.miss_cost;
        if let Some(days) = &lm.spread_days {
            if self.count(l, d) > 0 {
                delta += self.m.w_spread;
            } else if let Some(p) = days.iter().position(|&x| x == d) {
                let used = |q: usize| days.get(q).is_some_and(|&x| self.count(l, x) > 0);
                let left = p > 0 && used(p - 1);
                delta += self.m.w_spread * (i64::from(left) + i64::from(used(p + 1)));
            }
        }
        studs.clear();
        for &st in &lm.students {
            let at = st * self.m.ndays + d;
            let v = &self.iv[at];
            if self.m.w_balance != 0 {
                delta += self.bal_with(st, d, lm.k) - self.bal[st];
            }
            if !v.is_empty() {
                let (lo, hi) = self.span[at];
                studs.push((
                    lo as i64,
                    hi as i64,
                    self.load[at] as i64 + lm.k as i64,
                    self.idle[at],
                ));
            }
        }
        delta
    }

    /// `delta_place` from a `day_delta` of the same instance and day.
    #[inline]
    pub fn delta_at(&self, i: usize, s: u16, base: i64, studs: &[(i64, i64, i64, i64)]) -> i64 {
        let l = self.insts[i].lesson;
        let k = self.m.lessons[l].k as i64;
        let (a, b) = (s as i64, s as i64 + k);
        let mut delta = base + self.m.pref_penalty(l, s);
        for &(lo, hi, load, idle) in studs {
            delta += self.m.w_idle * (hi.max(b) - lo.min(a) - load) - idle;
        }
        delta
    }

    /// The change in cost if instance i were placed at (d, s); it must be placeable.
    pub fn delta_place(&self, i: usize, d: usize, s: u16) -> i64 {
        let l = self.insts[i].lesson;
        let lm = &self.m.lessons[l];
        let mut delta = -lm.miss_cost + self.m.pref_penalty(l, s);
        if let Some(days) = &lm.spread_days {
            if self.count(l, d) > 0 {
                delta += self.m.w_spread;
            } else if let Some(p) = days.iter().position(|&x| x == d) {
                let used = |q: usize| days.get(q).is_some_and(|&x| self.count(l, x) > 0);
                let left = p > 0 && used(p - 1);
                delta += self.m.w_spread * (i64::from(left) + i64::from(used(p + 1)));
            }
        }
        let (a, b) = (s, s + lm.k as u16);
        for &st in &lm.students {
            let at = st * self.m.ndays + d;
            let v = &self.iv[at];
            let new_idle = if v.is_empty() {
                0
            } else {
                let lo = v.iter().map(|x| x.0).min().unwrap_or(a).min(a) as i64;
                let hi = v.iter().map(|x| x.1).max().unwrap_or(b).max(b) as i64;
                self.m.w_idle * (hi - lo - (self.load[at] as i64 + lm.k as i64))
            };
            delta += new_idle - self.idle[at];
            if self.m.w_balance != 0 {
                delta += self.bal_with(st, d, lm.k) - self.bal[st];
            }
        }
        delta
    }

    pub fn place(&mut self, i: usize, d: usize, s: u16) {
        let l = self.insts[i].lesson;
        let m = self.m;
        let lm = &m.lessons[l];
        self.pos[i] = Some((d as u8, s));
        for &p in &lm.persons {
            self.mark(p, d, s as usize, lm.k, true);
        }
        self.cnt[l * m.ndays + d] += 1;
        self.cost += -lm.miss_cost + m.pref_penalty(l, s);
        self.refresh(i, l, d, true, s);
    }

    pub fn remove(&mut self, i: usize) {
        let Some((d, s)) = self.pos[i] else { return };
        let d = d as usize;
        let l = self.insts[i].lesson;
        let m = self.m;
        let lm = &m.lessons[l];
        self.pos[i] = None;
        for &p in &lm.persons {
            self.mark(p, d, s as usize, lm.k, false);
        }
        self.cnt[l * m.ndays + d] -= 1;
        self.cost -= -lm.miss_cost + m.pref_penalty(l, s);
        self.refresh(i, l, d, false, s);
    }

    /// Updates intervals, loads, and the spread/idle/balance parts after a change.
    fn refresh(&mut self, i: usize, l: usize, d: usize, added: bool, s: u16) {
        let m = self.m;
        let lm = &m.lessons[l];
        if lm.spread_days.is_some() {
            self.cost += self.spread_step(l, d, added);
        }
        for &p in &lm.persons {
            let v = &mut self.iv[p * m.ndays + d];
            if added {
                v.push((s, s + lm.k as u16, i as u32));
            } else if let Some(at) = v.iter().position(|x| x.2 == i as u32) {
                v.swap_remove(at);
            }
        }
        for &st in &lm.students {
            let at = st * m.ndays + d;
            if added {
                self.load[at] += lm.k as u32;
            } else {
                self.load[at] -= lm.k as u32;
            }
            let idle = self.respan(at, s, s + lm.k as u16, added);
            self.cost += idle - self.idle[at];
            self.idle[at] = idle;
            if m.w_balance != 0 {
                self.rebalance(st);
            }
        }
    }

    /// The placements, for snapshots of the best plan.
    pub fn snapshot(&self) -> Snapshot {
        self.pos.clone()
    }

    /// Replaces the placements by a snapshot's.
    pub fn restore(&mut self, snap: &[Option<(u8, u16)>]) {
        for (i, p) in snap.iter().enumerate() {
            if self.pos[i] != *p && !self.insts[i].pinned {
                self.remove(i);
            }
        }
        for (i, p) in snap.iter().enumerate() {
            if let Some((d, s)) = *p
                && self.pos[i].is_none()
            {
                self.place(i, d as usize, s);
            }
        }
    }
}
