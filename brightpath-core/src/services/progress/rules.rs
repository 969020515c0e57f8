//! Plans follow the parent's rules at once: a fixed event or an availability
//! exception added after planning leaves no session breaking a hard rule.
//! The affected weeks are re-planned from today on in the same transaction
//! (one history entry, undone as one), or, when the parent asks not to
//! re-plan, every clash is named.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::{Window, add_days, monday_of};
use crate::error::Result;
use crate::model::*;
use crate::services::history::{self, Undo};
use crate::services::planning::{self, PlanOptions, PlanOutcome, SchoolData};
use crate::services::school::{self, EventInput};
use crate::store::{Store, Tx};

use super::{check_placement, rebind, replan_weeks};

/// What adding a rule did to the plan.
#[derive(Debug, Clone, Serialize)]
pub struct RuleOutcome<T> {
    pub added: T,
    pub message: String,
    /// The weeks re-planned.
    pub outcomes: Vec<PlanOutcome>,
    /// Sessions that still break a rule (pinned ones, or all with `replan` off).
    pub clashes: Vec<Clash>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Clash {
    pub session: Id,
    pub what: String,
    pub why: String,
}

/// Adds a fixed event; re-plans what now clashes with it unless `replan` is off.
pub async fn add_event(
    store: &Store,
    family: &Family,
    input: EventInput,
    replan: bool,
    opts: &PlanOptions,
    today: Date,
) -> Result<RuleOutcome<FixedEvent>> {
    let mut tx = store.write(&family.id).await?;
    let e = school::add_event_in(&mut tx, &family.id, input).await?;
    let undo = Undo {
        delete_events: vec![e.id.clone()],
        ..Default::default()
    };
    let what = format!("added the event {}", e.name);
    finish(tx, family, e, "event", what, undo, replan, opts, today).await
}

/// Adds an availability exception; re-plans what now clashes with it unless
/// `replan` is off.
#[allow(clippy::too_many_arguments)]
pub async fn add_exception(
    store: &Store,
    family: &Family,
    person: &str,
    date: Date,
    windows: Vec<Window>,
    note: &str,
    replan: bool,
    opts: &PlanOptions,
    today: Date,
) -> Result<RuleOutcome<AvailabilityException>> {
    let mut tx = store.write(&family.id).await?;
    let e = school::add_exception_in(&mut tx, &family.id, person, date, windows, note).await?;
    let undo = Undo {
        delete_exceptions: vec![e.id.clone()],
        ..Default::default()
    };
    let what = format!("changed {person}'s hours on {date}");
    finish(tx, family, e, "exception", what, undo, replan, opts, today).await
}

#[allow(clippy::too_many_arguments)]
async fn finish<T>(
    mut tx: Tx,
    family: &Family,
    added: T,
    kind: &str,
    what: String,
    mut undo: Undo,
    replan: bool,
    opts: &PlanOptions,
    today: Date,
) -> Result<RuleOutcome<T>> {
    let before = clashes(&mut tx, family, today).await?;
    let outcomes = if replan {
        let weeks: BTreeSet<Date> = before.iter().map(|(w, _)| *w).collect();
        replan_weeks(&mut tx, family, weeks, opts, today, &mut undo).await?
    } else {
        Vec::new()
    };
    let left: Vec<Clash> = if replan {
        clashes(&mut tx, family, today).await?
    } else {
        before
    }
    .into_iter()
    .map(|(_, c)| c)
    .collect();
    let message = match (outcomes.len(), left.len()) {
        (0, 0) => format!("{what}; no planned session clashes with it"),
        (n, 0) => format!("{what}; re-planned {n} week(s) around it"),
        (_, k) => format!("{what}; {k} planned session(s) now clash with it"),
    };
    if opts.dry_run {
        return Ok(RuleOutcome {
            added,
            message,
            outcomes,
            clashes: left,
        });
    }
    history::record(&mut tx, &family.id, &opts.actor, kind, &message, &undo).await?;
    rebind(&mut tx, family, today).await?;
    tx.touch_plans(&family.id).await?;
    tx.commit().await?;
    Ok(RuleOutcome {
        added,
        message,
        outcomes,
        clashes: left,
    })
}

/// Planned sessions from `today` on that break a hard rule now, with their
/// week. The school is loaded once; only the exceptions are per week.
async fn clashes(tx: &mut Tx, family: &Family, today: Date) -> Result<Vec<(Date, Clash)>> {
    let mut data = SchoolData::load(tx, family, today).await?;
    let open: Vec<Session> = data
        .sessions
        .iter()
        .filter(|s| s.status.is_open() && s.date >= today)
        .cloned()
        .collect();
    let weeks: BTreeSet<Date> = open.iter().map(|s| monday_of(s.date)).collect();
    let mut out = Vec::new();
    for week in weeks {
        data.exceptions = tx.exceptions(&family.id, week, add_days(week, 6)).await?;
        for s in open.iter().filter(|s| monday_of(s.date) == week) {
            if let Err(why) = check_placement(&data, s, s.date, s.start) {
                out.push((
                    week,
                    Clash {
                        session: s.id.clone(),
                        what: planning::describe(&data, s),
                        why,
                    },
                ));
            }
        }
    }
    Ok(out)
}
