//! The solver: `solve(request, options)` returns a valid plan, deterministic for a
//! seed unless a time limit cuts the search short.

mod model;
mod reasons;
mod search;
mod state;

use std::time::{Duration, Instant};

use crate::plan::{Plan, Session};
use crate::request::Request;
use crate::score::{check, score};
use model::{Model, Rng};
use state::{Inst, State};

/// How to solve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolveOptions {
    /// The same request, seed and options give the same plan (without a time limit).
    pub seed: u64,
    /// With a limit the solver keeps improving (restarting from its best plan)
    /// until the deadline; without one it does a fixed amount of work.
    pub time_limit: Option<Duration>,
    /// Sessions that stay exactly where they are; they count toward their lesson.
    pub pinned: Vec<Session>,
    /// Annealing moves per run; `None` picks a default that scales with the week.
    pub iterations: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The pinned sessions alone break hard constraints (referee-style messages).
    #[error("pinned sessions break hard constraints: {}", .0.join("; "))]
    Pinned(Vec<String>),
}

/// Moves per annealing run when the caller sets none: enough for small weeks to
/// reach their optimum, capped so an 8-child week stays well under 300 ms.
fn default_iterations(n_inst: usize) -> u64 {
    (40_000 + 2_500 * n_inst as u64).min(400_000)
}

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
    let mut rng = Rng::new(opts.seed);
    search::construct(&mut st, &mut rng);
    let iterations = opts
        .iterations
        .unwrap_or_else(|| default_iterations(n_inst));
    let deadline = opts.time_limit.map(|t| start + t);
    let budget = search::Budget {
        iterations,
        deadline,
    };
    search::anneal(&mut st, &mut rng, &budget, 6.0, 0.15);
    if let Some(dl) = deadline {
        // Keep improving until the deadline, each run starting from the best plan.
        let mut best = st.snapshot();
        let mut best_cost = st.cost;
        while Instant::now() < dl {
            search::anneal(&mut st, &mut rng, &budget, 4.0, 0.15);
            if st.cost < best_cost {
                best_cost = st.cost;
                best = st.snapshot();
            } else {
                st.restore(&best);
            }
        }
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
