//! Runs that share their best plan: at a few points of the search every run
//! publishes its best, waits for the others, and goes on from the best of all
//! (ties: the lowest run). The points are counted in moves, so without a time
//! limit the plan still depends only on the seed and the number of runs.

use std::sync::{Barrier, Mutex, PoisonError};

use super::state::Snapshot;

#[derive(Debug)]
pub(crate) struct Share {
    barrier: Barrier,
    slots: Mutex<Vec<Option<(i64, Snapshot)>>>,
    /// How many times the runs meet.
    pub meetings: u32,
}

impl Share {
    pub fn new(runs: usize, meetings: u32) -> Share {
        Share {
            barrier: Barrier::new(runs),
            slots: Mutex::new(vec![None; runs]),
            meetings,
        }
    }

    /// Publishes run r's best and returns the best of all runs. Every run must
    /// call it the same number of times (`meetings`).
    pub fn meet(&self, r: usize, cost: i64, best: &Snapshot) -> (i64, Snapshot) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)[r] = Some((cost, best.clone()));
        self.barrier.wait();
        let winner = {
            let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            // Of equal costs the lowest run's: `min_by_key` keeps the first.
            let win = slots.iter().flatten().min_by_key(|s| s.0);
            win.cloned().unwrap_or((cost, best.clone()))
        };
        // nobody publishes the next meeting's plan before all have read this one
        self.barrier.wait();
        winner
    }
}
