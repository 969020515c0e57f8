//! The solver: `solve(request, options)` returns a valid plan, deterministic for a
//! seed unless a time limit cuts the search short.

mod lns;
mod model;
mod reasons;
mod search;
mod share;
mod state;

use std::time::{Duration, Instant};

use crate::plan::{Plan, Session};
use crate::request::Request;
use crate::score::{check, score};
use model::{Model, Rng};
use state::{Inst, Snapshot, State};

/// How much search a solve does when `iterations` is not given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Effort {
    /// One person waiting on one week: two runs in parallel (two threads), about
    /// 45 ms of CPU each for a 4-child week, 120 ms for an 8-child week.
    #[default]
    Interactive,
    /// Many weeks in a row (a co-op's `plan week --all`): one run on the calling
    /// thread with a small budget, about 12 ms CPU for a 4-child week and 30 ms
    /// for an 8-child one. The caller runs families in parallel itself.
    Batch,
}

/// How to solve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolveOptions {
    /// The same request, seed and options give the same plan (without a time limit).
    pub seed: u64,
    /// Without a limit the solver does a fixed amount of work (see `iterations`),
    /// the same on every machine. With one, its runs anneal until the deadline
    /// (counted from the call), so the plan depends on the machine's speed.
    pub time_limit: Option<Duration>,
    /// Sessions that stay exactly where they are; they count toward their lesson.
    pub pinned: Vec<Session>,
    /// Annealing moves per run; `None` picks a default that scales with the week.
    pub iterations: Option<u64>,
    /// The default amount of search (and of runs): see [`Effort`].
    pub effort: Effort,
    /// Independent annealing runs, each on its own thread (the best plan wins);
    /// `None`: 2 for `Effort::Interactive`, 1 for `Effort::Batch`. One run works on
    /// the calling thread. The plan depends on the number of runs, so keep it fixed
    /// for reproducible plans.
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The pinned sessions alone break hard constraints (referee-style messages).
    #[error("pinned sessions break hard constraints: {}", .0.join("; "))]
    Pinned(Vec<String>),
}

/// Moves per annealing run when the caller sets none, tuned on the 2-core
/// benchmark machine (about 2 µs a move for a 4-child week, 2.5 µs for an
/// 8-child one, more when another job shares the core). Interactive: each of the
/// two runs about 45 ms of CPU for a 4-child week (about 70 sessions) and 120 ms
/// for an 8-child week (about 160), so the whole job stays under 100 ms and
/// 300 ms even when the runs must share one core. Batch: one run, about 12 ms and
/// 30 ms.
fn default_iterations(n_inst: usize, effort: Effort) -> u64 {
    let n = n_inst as u64;
    match effort {
        Effort::Interactive => (300 * n).clamp(15_000, 100_000),
        Effort::Batch => (80 * n).clamp(5_000, 10_000),
    }
}

/// How many times parallel runs meet to go on from the best plan of all.
const MEETINGS: u32 = 3;

pub fn solve(req: &Request, opts: &SolveOptions) -> Result<Plan, SolveError> {
    let start = Instant::now();
    let errors = check(req, &opts.pinned);
    if !errors.is_empty() {
        return Err(SolveError::Pinned(errors));
    }
    let m = Model::new(req);
    let mut insts = Vec::new();
    let mut pinned_at = Vec::new();
    for p in &opts.pinned {
        // check() has vouched for the lesson, the day and the grid.
        let (Some(l), Some(d)) = (
            req.lesson_index(&p.lesson),
            req.days.iter().position(|d| *d == p.day),
        ) else {
            continue;
        };
        pinned_at.push((insts.len(), d, (p.start / req.slot_minutes) as u16));
        insts.push(Inst {
            lesson: l,
            pinned: true,
        });
    }
    for (l, lesson) in req.lessons.iter().enumerate() {
        let lm = &m.lessons[l];
        let pinned = opts.pinned.iter().filter(|p| p.lesson == lesson.id).count() as i64;
        // Never more instances than could ever be placed.
        let room: i64 = lm
            .open_days
            .iter()
            .map(|&d| (lm.max_per_day as i64).min(lm.starts[d].len() as i64))
            .sum();
        let want = (lesson.sessions - pinned).clamp(0, room);
        for _ in 0..want {
            insts.push(Inst {
                lesson: l,
                pinned: false,
            });
        }
    }
    let n_inst = insts.len();
    let mut st = State::new(&m, insts, 0);
    for &(i, d, s) in &pinned_at {
        st.place(i, d, s);
    }
    // Temperatures in units of a typical session length: moving a session shifts
    // idle and balance by about that much, whatever the grid.
    let ks: Vec<f64> = st
        .insts
        .iter()
        .map(|x| m.lessons[x.lesson].k as f64)
        .collect();
    // (At least 4 slots, so that on a coarse grid the fixed spread and preferred
    // penalties do not freeze the search early.)
    let scale = (ks.iter().sum::<f64>() / ks.len().max(1) as f64).max(4.0);
    let (t0, t1) = (scale, 0.03 * scale);
    // With a time limit the runs go on until the deadline (unless a number of moves
    // is given too), their temperature following the clock.
    let default = if opts.time_limit.is_some() {
        u64::MAX
    } else {
        default_iterations(n_inst, opts.effort)
    };
    let budget = search::Budget {
        iterations: opts.iterations.unwrap_or(default),
        from: Some(start),
        until: opts.time_limit.map(|t| start + t),
    };
    // Independent runs, one per thread, each with its own random stream; the best
    // wins (ties: the first), so the plan depends only on the seed and the runs.
    let runs = opts.threads.unwrap_or(match opts.effort {
        Effort::Interactive => 2,
        Effort::Batch => 1,
    });
    let share = share::Share::new(runs.max(1), MEETINGS);
    let run = |r: usize, mut st: State| {
        let mut rng = Rng::new(
            opts.seed
                .wrapping_add((r as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        );
        search::construct(&mut st, &mut rng);
        let share = (runs > 1).then_some((&share, r));
        search::anneal(&mut st, &mut rng, &budget, (t0, t1), share);
        (st.cost, st.snapshot())
    };
    let results: Vec<(i64, Snapshot)> = if runs <= 1 {
        vec![run(0, st.clone())]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..runs)
                .map(|r| {
                    let st = st.clone();
                    scope.spawn(move || run(r, st))
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        })
    };
    // The cheapest; of equals, the first run's (`min_by_key` keeps the first).
    if let Some((_, snap)) = results.iter().min_by_key(|r| r.0) {
        st.restore(snap);
    }
    Ok(build_plan(req, &m, &st))
}

fn build_plan(req: &Request, m: &Model, st: &State) -> Plan {
    let slot = req.slot_minutes;
    let mut sessions: Vec<Session> = Vec::new();
    for (i, p) in st.pos.iter().enumerate() {
        if let Some((d, s)) = *p {
            let l = &req.lessons[st.insts[i].lesson];
            let a = s as i64 * slot;
            sessions.push(Session::new(
                l.id.clone(),
                req.days[d as usize],
                a,
                a + l.duration,
            ));
        }
    }
    sessions.sort_by(|x, y| (x.day, x.start, &x.lesson).cmp(&(y.day, y.start, &y.lesson)));
    let sc = score(req, &sessions);
    let unscheduled = reasons::unscheduled(req, m, st);
    Plan {
        version: 1,
        sessions,
        score: sc,
        unscheduled,
    }
}
