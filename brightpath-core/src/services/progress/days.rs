//! Lost days and catching up: the work planned on a day off or left undone
//! is planned again on the days that remain.

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::{add_days, monday_of};
use crate::error::{Error, Result};
use crate::model::*;
use crate::services::history::{self, Undo};
use crate::services::planning::{self, PlanOptions, PlanOutcome};
use crate::store::Store;

use super::{ChangeSummary, rebind};

/// The name a day off gets when the parent gives none: "Ada sick" for one
/// child's sick day, else the kind ("Sick day", "Holiday", "Break").
pub fn default_break_name(kind: BreakKind, students: &[String]) -> String {
    match (kind, students) {
        (BreakKind::Sick, [one]) => format!("{one} sick"),
        (BreakKind::Sick, _) => "Sick day".into(),
        (BreakKind::Holiday, _) => "Holiday".into(),
        (BreakKind::Break, _) => "Break".into(),
    }
}

/// What adding days off did.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct DaysOff {
    /// The break added (in a dry run, the one that would be).
    #[serde(rename = "break")]
    pub brk: Break,
    pub summary: ChangeSummary,
    /// The re-plans of the weeks it touched.
    pub outcomes: Vec<PlanOutcome>,
}

/// Adds a break the way a parent means it: in a named school year it is
/// just recorded (a calendar being set up); otherwise it is days off from
/// now on, and the work planned on them moves (see [`day_off`]).
pub async fn add_days_off(
    store: &Store,
    family: &Family,
    input: crate::services::school::BreakInput,
    opts: &PlanOptions,
    today: Date,
) -> Result<DaysOff> {
    if input.year.is_some() {
        let brk = crate::services::school::add_break(store, &family.id, input).await?;
        return Ok(DaysOff {
            summary: ChangeSummary {
                message: format!("added {} ({} to {})", brk.name, brk.start, brk.end),
                sessions: Vec::new(),
            },
            brk,
            outcomes: Vec::new(),
        });
    }
    days_off(
        store,
        family,
        input.start,
        input.end,
        &input.students,
        input.kind,
        &input.name,
        opts,
        today,
    )
    .await
}

/// Adds a sick day, holiday or break (for everyone, or some students) and
/// re-plans the work that was planned on it.
#[allow(clippy::too_many_arguments)]
pub async fn day_off(
    store: &Store,
    family: &Family,
    start: Date,
    end: Date,
    students: &[String],
    kind: BreakKind,
    name: &str,
    opts: &PlanOptions,
    today: Date,
) -> Result<(ChangeSummary, Vec<PlanOutcome>)> {
    let d = days_off(store, family, start, end, students, kind, name, opts, today).await?;
    Ok((d.summary, d.outcomes))
}

#[allow(clippy::too_many_arguments)]
async fn days_off(
    store: &Store,
    family: &Family,
    start: Date,
    end: Date,
    students: &[String],
    kind: BreakKind,
    name: &str,
    opts: &PlanOptions,
    today: Date,
) -> Result<DaysOff> {
    if end < start {
        return Err(Error::invalid(
            "day off",
            format!("ends on {end}, before it starts on {start}"),
        ));
    }
    let mut tx = store.write(&family.id).await?;
    let year = crate::services::school::year_of(&mut tx, &family.id, start)
        .await?
        .ok_or_else(|| {
            Error::invalid("day off", format!("no school year holds {start}"))
                .with_hint("add the school year first")
        })?;
    if end > year.end {
        return Err(Error::invalid(
            "day off",
            format!(
                "{start} to {end} runs past the end of the school year {:?} ({})",
                year.name, year.end
            ),
        )
        .with_hint("end the days off within the school year"));
    }
    let mut ids = Vec::new();
    for s in students {
        ids.push(tx.find_student(&family.id, s).await?.id);
    }
    let b = Break {
        id: new_id(),
        school_year_id: year.id,
        name: name.to_string(),
        kind,
        start,
        end,
        student_ids: ids.clone(),
    };
    crate::services::school::ensure_new_break(&mut tx, &family.id, &b).await?;
    tx.insert_break(&family.id, &b).await?;
    // Re-plan each already-planned week the days off touch, from today on:
    // one change in the history, undone as one.
    let mut undo = Undo {
        delete_breaks: vec![b.id.clone()],
        ..Default::default()
    };
    // The weeks already planned that the days off touch, and not yet over.
    let mut weeks = Vec::new();
    let mut week = monday_of(start);
    while week <= end {
        if tx.plan(&family.id, week).await?.is_some() && add_days(week, 6) >= today {
            weeks.push(week);
        }
        week = add_days(week, 7);
    }
    let outcomes = replan_weeks(&mut tx, family, weeks, opts, today, &mut undo).await?;
    let moved: usize = outcomes
        .iter()
        .map(|o| o.diff.iter().filter(|l| l.starts_with('-')).count())
        .sum();
    let kind = match b.kind {
        BreakKind::Sick => "sick day",
        BreakKind::Holiday => "holiday",
        BreakKind::Break => "break",
    };
    let when = if start == end {
        start.to_string()
    } else {
        format!("{start} to {end}")
    };
    let message = format!(
        "added {} ({kind}, {when}); {moved} planned session(s) moved",
        b.name
    );
    let summary = ChangeSummary {
        message,
        sessions: Vec::new(),
    };
    if opts.dry_run {
        return Ok(DaysOff {
            brk: b,
            summary,
            outcomes,
        });
    }
    history::record(
        &mut tx,
        &family.id,
        &opts.actor,
        "day_off",
        &summary.message,
        &undo,
    )
    .await?;
    rebind(&mut tx, family, today).await?;
    tx.touch_plans(&family.id).await?;
    tx.commit().await?;
    Ok(DaysOff {
        brk: b,
        summary,
        outcomes,
    })
}

/// Re-plans `weeks` from `today` on, inside `tx`; what each re-plan did is
/// added to `undo`, so the caller's change is undone as one.
pub(crate) async fn replan_weeks(
    tx: &mut crate::store::Tx,
    family: &Family,
    weeks: impl IntoIterator<Item = Date>,
    opts: &PlanOptions,
    today: Date,
    undo: &mut Undo,
) -> Result<Vec<PlanOutcome>> {
    let o = PlanOptions {
        today: Some(today),
        ..opts.clone()
    };
    let mut outcomes = Vec::new();
    for week in weeks {
        let (outcome, u) = planning::plan_week_in(tx, family, week, &o).await?;
        undo.absorb(u);
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Catches up on what was missed: every planned session before today that
/// was never marked (this week or earlier) becomes `missed`, and the rest of
/// this week is planned again with their lessons still due. One change in
/// the history, undone as one.
pub async fn catch_up(
    store: &Store,
    family: &Family,
    today: Date,
    opts: &PlanOptions,
) -> Result<(ChangeSummary, PlanOutcome)> {
    let week = monday_of(today);
    let mut tx = store.write(&family.id).await?;
    let missed: Vec<Session> = tx
        .all_sessions(&family.id)
        .await?
        .into_iter()
        .filter(|s| s.status == SessionStatus::Planned && s.date < today)
        .collect();
    let at = crate::calendar::marked_at(&family.time_zone, today);
    for s in &missed {
        let mut n = s.clone();
        n.status = SessionStatus::Missed;
        tx.mark_session(&family.id, &n, &at).await?;
    }
    let ids: Vec<Id> = missed.iter().map(|s| s.id.clone()).collect();
    let mut undo = Undo {
        restore: missed,
        ..Default::default()
    };
    let outcome = replan_weeks(&mut tx, family, [week], opts, today, &mut undo)
        .await?
        .pop()
        .ok_or_else(|| Error::Internal("catch-up planned no week".into()))?;
    let message = format!(
        "caught up: {} missed session(s) rolled into the rest of the week",
        ids.len()
    );
    if opts.dry_run {
        return Ok((
            ChangeSummary {
                message,
                sessions: Vec::new(),
            },
            outcome,
        ));
    }
    history::record(
        &mut tx,
        &family.id,
        &opts.actor,
        "catch_up",
        &message,
        &undo,
    )
    .await?;
    rebind(&mut tx, family, today).await?;
    tx.touch_plans(&family.id).await?;
    tx.commit().await?;
    Ok((
        ChangeSummary {
            message,
            sessions: ids,
        },
        outcome,
    ))
}
