//! The request compiled for search: times in slots, school days by position,
//! people as one index space (students first, then teachers), and for every lesson
//! and day the starts where all its people are free (availability less fixed events).

use crate::request::Request;

/// A splitmix64 generator: tiny, seeded, and good enough for search decisions.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Caps on weights inside the search, so that sums of costs cannot overflow; only
/// absurd requests reach them (the final score is computed exactly, saturating).
const BIG: i64 = 1_000_000_000_000;
const BIG_W: i64 = 1_000_000_000;

#[derive(Debug, Clone)]
pub(crate) struct LessonModel {
    /// People the lesson occupies (students, then the teacher).
    pub persons: Vec<usize>,
    pub students: Vec<usize>,
    /// Duration in slots (0 when it cannot fit in a day at all).
    pub k: usize,
    pub max_per_day: usize,
    /// Cost of each missing session: priority × weights.unscheduled.
    pub miss_cost: i64,
    /// Per school day: feasible start slots, ascending.
    pub starts: Vec<Vec<u16>>,
    /// Per school day: `starts` as a bitset.
    pub start_bits: Vec<Vec<u64>>,
    /// Per school day: the starts at the edges of the runs of starts, and those that
    /// put the session at an edge of its preferred window.
    pub edges: Vec<Vec<u16>>,
    /// School days with at least one start.
    pub open_days: Vec<usize>,
    /// Start slots that keep the session inside `preferred`: [lo, hi]; None: no window.
    pub pref: Option<(i64, i64)>,
    pub pref_weight: i64,
    /// The lesson's allowed school days in order, when spread applies to it.
    pub spread_days: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub words: usize,
    pub ndays: usize,
    pub nstudents: usize,
    pub npersons: usize,
    pub lessons: Vec<LessonModel>,
    /// Per student: daily cap in slots.
    pub cap: Vec<Option<usize>>,
    /// Per student: school days that count for balance (the student has availability).
    pub bal_days: Vec<Vec<usize>>,
    pub w_spread: i64,
    pub w_balance: i64,
    pub w_idle: i64,
}

impl Model {
    #[allow(clippy::needless_range_loop)] // the start scan reads several people's rows at once
    pub fn new(req: &Request) -> Model {
        let slot = req.slot_minutes;
        let nslots = (1440 / slot) as usize;
        let words = nslots.div_ceil(64);
        let ndays = req.days.len();
        let ns = req.students.len();
        let np = ns + req.teachers.len();
        // free[person][day] as a bool per slot
        let mut free = vec![vec![vec![false; nslots]; ndays]; np];
        let people = req.students.iter().chain(req.teachers.iter());
        for (p, person) in people.enumerate() {
            for (di, d) in req.days.iter().enumerate() {
                for &(a, b) in &person.availability[d.index()] {
                    free[p][di][(a / slot) as usize..(b / slot) as usize].fill(true);
                }
            }
        }
        for f in &req.fixed {
            let Some(di) = req.days.iter().position(|d| *d == f.day) else {
                continue;
            };
            let who = f
                .students
                .iter()
                .copied()
                .chain(f.teachers.iter().map(|t| ns + t));
            for p in who {
                free[p][di][(f.start / slot) as usize..(f.end / slot) as usize].fill(false);
            }
        }
        let mut lessons = Vec::with_capacity(req.lessons.len());
        for l in &req.lessons {
            let mut persons = l.students.clone();
            if let Some(t) = l.teacher {
                persons.push(ns + t);
            }
            let k = if l.duration <= 1440 {
                (l.duration / slot) as usize
            } else {
                0
            };
            let mut starts = vec![Vec::new(); ndays];
            for (di, d) in req.days.iter().enumerate() {
                if k == 0 || !l.days.contains(d) {
                    continue;
                }
                let mut run = 0usize;
                for s in 0..nslots {
                    run = if persons.iter().all(|&p| free[p][di][s]) {
                        run + 1
                    } else {
                        0
                    };
                    if run >= k {
                        starts[di].push((s + 1 - k) as u16);
                    }
                }
            }
            let open_days = (0..ndays).filter(|&d| !starts[d].is_empty()).collect();
            // Inside the window iff lo <= start <= hi (hi may be below lo: never inside).
            let pref = l.preferred.map(|(a, b)| (a / slot, b / slot - k as i64));
            let allowed: Vec<usize> = (0..ndays)
                .filter(|&d| l.days.contains(&req.days[d]))
                .collect();
            let spread_days =
                (l.sessions.saturating_mul(2) - 1 <= allowed.len() as i64).then_some(allowed);
            let mut start_bits = vec![vec![0u64; words]; ndays];
            let mut edges = vec![Vec::new(); ndays];
            for d in 0..ndays {
                let v = &starts[d];
                for (idx, &s) in v.iter().enumerate() {
                    start_bits[d][s as usize / 64] |= 1 << (s % 64);
                    let edge = idx == 0
                        || v[idx - 1] + 1 != s
                        || idx + 1 == v.len()
                        || v[idx + 1] != s + 1
                        || pref.is_some_and(|(lo, hi)| i64::from(s) == lo || i64::from(s) == hi);
                    if edge {
                        edges[d].push(s);
                    }
                }
            }
            lessons.push(LessonModel {
                start_bits,
                edges,
                persons,
                students: l.students.clone(),
                k,
                max_per_day: l.max_per_day.clamp(1, nslots as i64) as usize,
                miss_cost: l.priority.saturating_mul(req.weights.unscheduled).min(BIG),
                starts,
                open_days,
                pref,
                pref_weight: l.preferred_weight.min(BIG),
                spread_days,
            });
        }
        let cap = req
            .students
            .iter()
            .map(|s| {
                s.max_daily_minutes
                    .map(|c| (c.min(100_000) / slot) as usize)
            })
            .collect();
        let bal_days = req
            .students
            .iter()
            .map(|s| {
                (0..ndays)
                    .filter(|&d| !s.availability[req.days[d].index()].is_empty())
                    .collect()
            })
            .collect();
        Model {
            words,
            ndays,
            nstudents: ns,
            npersons: np,
            lessons,
            cap,
            bal_days,
            w_spread: req.weights.spread.min(BIG_W),
            w_balance: req.weights.balance.min(BIG_W),
            w_idle: req.weights.idle.min(BIG_W),
        }
    }

    /// Whether a session of lesson `l` starting at slot `s` misses its preferred window.
    pub fn pref_penalty(&self, l: usize, s: u16) -> i64 {
        let lm = &self.lessons[l];
        match lm.pref {
            Some((lo, hi)) if i64::from(s) < lo || i64::from(s) > hi => lm.pref_weight,
            _ => 0,
        }
    }
}
