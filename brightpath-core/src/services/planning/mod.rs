//! Planning a week from the database: load the family's school, build a plan
//! request in the spec's format (pure), solve it, and save every session bound
//! to its curriculum lesson in one transaction. Sessions already done, partly
//! done, or pinned stay where they are; the rest of the week is re-planned
//! around them.

mod reconcile;
mod request;

pub use reconcile::*;
pub use request::*;

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::calendar::{Clock, Weekday, add_days, monday_of, week_dates};
use crate::error::{Error, Result};
use crate::model::*;
use crate::planner;
use crate::store::{Store, Tx};

#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    pub seed: u64,
    pub time_limit: Option<Duration>,
    pub dry_run: bool,
    /// Recorded in the history.
    pub actor: String,
    /// Plan only the days from this date on (catching up mid-week).
    pub from: Option<Date>,
    /// The family's today, when known: a re-plan never places work before
    /// it, and a week that is over is not re-planned.
    pub today: Option<Date>,
    /// How hard the solver searches: `Interactive` (the default, one family
    /// waiting at a terminal, two threads) or `Batch` (many families in a row,
    /// one thread each and a smaller budget; see `plan_all`).
    pub effort: planner::Effort,
    /// The `learning` setting: with `Apply` the family's learned lengths and
    /// best hours shape the request (see `build_request_with`).
    pub learning: crate::config::Learning,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct UnscheduledItem {
    pub course: String,
    pub students: Vec<String>,
    pub missing: i64,
    pub reason: String,
}

/// What planning a week did (or, with `dry_run`, would do).
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PlanOutcome {
    pub family: String,
    pub week_start: Date,
    pub score: planner::Score,
    pub planned: usize,
    pub kept: usize,
    pub replaced: usize,
    pub unscheduled: Vec<UnscheduledItem>,
    pub dry_run: bool,
    /// What changed, one line per session removed (`-`) or added (`+`).
    pub diff: Vec<String>,
    #[serde(skip)]
    pub sessions: Vec<Session>,
}

/// Solves a request core built. The planner refusing it is core's fault,
/// not the user's (see `Error::Planner`).
pub fn solve_request(
    request: planner::RawRequest,
    seed: u64,
    time_limit: Option<Duration>,
    effort: planner::Effort,
) -> Result<planner::Plan> {
    let req = planner::Request::from_raw(request).map_err(|e| Error::Planner(e.to_string()))?;
    let opts = planner::SolveOptions {
        seed,
        time_limit,
        effort,
        ..Default::default()
    };
    planner::solve(&req, &opts).map_err(|e| Error::Planner(e.to_string()))
}

/// Turns a solved plan into sessions bound to curriculum lessons. Pure.
pub fn bind_sessions(
    data: &SchoolData,
    week: Date,
    from: Option<Date>,
    groups: &[Group],
    plan: &planner::Plan,
) -> Result<Vec<Session>> {
    let week = monday_of(week);
    let dates = week_dates(week);
    let replaced = replaced_ids(data, week, from);
    let mut by_group: BTreeMap<&str, Vec<(Date, Clock)>> = BTreeMap::new();
    for s in &plan.sessions {
        let start = u16::try_from(s.start)
            .ok()
            .filter(|m| *m < 1440)
            .ok_or_else(|| Error::Internal(format!("planner start {}", s.start)))?;
        by_group
            .entry(s.lesson.as_str())
            .or_default()
            .push((dates[Weekday::from(s.day).index()], Clock(start)));
    }
    let mut out = Vec::new();
    for g in groups {
        let mut slots = by_group.remove(g.key.as_str()).unwrap_or_default();
        slots.sort();
        let due = due_lessons(data, g, &replaced);
        for (i, (date, start)) in slots.into_iter().enumerate() {
            out.push(Session {
                id: new_id(),
                week_start: week,
                course_id: g.course_id.clone(),
                lesson_id: due.get(i).map(|l| l.id.clone()),
                student_ids: g.student_ids.clone(),
                teacher_id: g.teacher_id.clone(),
                date,
                start,
                minutes: g.minutes,
                status: SessionStatus::Planned,
                pinned: false,
                actual_minutes: None,
                grade: None,
                note: None,
                engagement: None,
                difficulty: None,
                version: 1,
            });
        }
    }
    out.sort_by(|a, b| (a.date, a.start, &a.course_id).cmp(&(b.date, b.start, &b.course_id)));
    Ok(out)
}

/// Plans the week holding `week` for `family`. The school is read, the week
/// solved outside any transaction, and the result saved in one transaction
/// only if nothing it was based on changed meanwhile (else it starts again;
/// the last try solves under the family's write lock), so many families can
/// be planned at once and no edit is overwritten.
pub async fn plan_week(
    store: &Store,
    family: &Family,
    week: Date,
    opts: &PlanOptions,
) -> Result<PlanOutcome> {
    let week = monday_of(week);
    let opts = &effective(opts, week)?;
    // Optimistic first: solve outside any transaction, save only if nothing
    // changed meanwhile, so marks are never held up by a solve.
    for _attempt in 0..2 {
        let data = {
            let mut tx = store.read().await?;
            SchoolData::load(&mut tx, family, week).await?
        };
        let plan = solve_for(&data, week, opts).await?;
        // The family's write lock: nobody changes the school between this
        // comparison and the commit.
        let mut tx = store.write(&family.id).await?;
        let now = SchoolData::load(&mut tx, family, week).await?;
        if now != data {
            tracing::info!(family = %family.name, %week, "the school changed while planning; planning again");
            continue;
        }
        let planned = apply_plan(&mut tx, family, &now, week, opts, &plan).await?;
        return save(tx, family, opts, planned).await;
    }
    // The school keeps changing (a parent marking away): solve under the
    // family's write lock, so the re-plan is sure to land.
    let mut tx = store.write(&family.id).await?;
    let data = SchoolData::load(&mut tx, family, week).await?;
    let plan = solve_for(&data, week, opts).await?;
    let planned = apply_plan(&mut tx, family, &data, week, opts, &plan).await?;
    save(tx, family, opts, planned).await
}

/// Records a plan in the history and commits (unless a dry run).
async fn save(
    mut tx: Tx,
    family: &Family,
    opts: &PlanOptions,
    (outcome, undo): (PlanOutcome, super::history::Undo),
) -> Result<PlanOutcome> {
    if !opts.dry_run {
        super::history::record(
            &mut tx,
            &family.id,
            &opts.actor,
            "plan",
            &plan_summary(&outcome),
            &undo,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(outcome)
}

/// The options as they apply to `week`: with `today` known, days before it
/// are left as they are, and a week that is over is refused.
fn effective(opts: &PlanOptions, week: Date) -> Result<PlanOptions> {
    let mut o = opts.clone();
    if let Some(today) = opts.today {
        if add_days(week, 6) < today {
            return Err(Error::invalid(
                "week",
                format!("the week of {week} is over; past weeks are not re-planned"),
            ));
        }
        if today > week {
            o.from = Some(opts.from.map_or(today, |f| f.max(today)));
        }
    }
    Ok(o)
}

fn plan_summary(o: &PlanOutcome) -> String {
    format!(
        "planned the week of {}: {} sessions, {} kept",
        o.week_start, o.planned, o.kept
    )
}

/// Builds and solves the request for `week`: pure work, off the async threads.
async fn solve_for(
    data: &SchoolData,
    week: Date,
    opts: &PlanOptions,
) -> Result<(planner::Plan, Vec<Group>)> {
    let learned = data
        .learned
        .as_ref()
        .filter(|_| opts.learning == crate::config::Learning::Apply);
    let (request, groups) = build_request_with(data, week, opts.from, learned)?;
    let (seed, limit, effort) = (opts.seed, opts.time_limit, opts.effort);
    let plan = tokio::task::spawn_blocking(move || solve_request(request, seed, limit, effort))
        .await
        .map_err(|e| Error::Internal(format!("planner task failed: {e}")))??;
    Ok((plan, groups))
}

/// One line of a plan diff.
pub fn describe(data: &SchoolData, s: &Session) -> String {
    let course = data
        .courses
        .iter()
        .find(|c| c.id == s.course_id)
        .map(|c| c.name.as_str())
        .unwrap_or("?");
    let who: Vec<&str> = s
        .student_ids
        .iter()
        .map(|id| data.student_name(id))
        .collect();
    format!(
        "{} {} {}–{} {} ({})",
        Weekday::of(s.date),
        s.date,
        s.start,
        s.window().end,
        course,
        who.join(", ")
    )
}

/// Plans a week inside `tx` (which the caller commits and records in the
/// history, as part of its own change): returns what it did and how to undo it.
pub async fn plan_week_in(
    tx: &mut Tx,
    family: &Family,
    week: Date,
    opts: &PlanOptions,
) -> Result<(PlanOutcome, super::history::Undo)> {
    let week = monday_of(week);
    let opts = &effective(opts, week)?;
    let data = SchoolData::load(tx, family, week).await?;
    let plan = solve_for(&data, week, opts).await?;
    apply_plan(tx, family, &data, week, opts, &plan).await
}

/// Binds a solved plan to lessons and saves it (unless a dry run). Sessions
/// carried on keep their ids (see `reconcile`).
async fn apply_plan(
    tx: &mut Tx,
    family: &Family,
    data: &SchoolData,
    week: Date,
    opts: &PlanOptions,
    solved: &(planner::Plan, Vec<Group>),
) -> Result<(PlanOutcome, super::history::Undo)> {
    let (plan, groups) = (&solved.0, &solved.1);
    let fresh = bind_sessions(data, week, opts.from, groups, plan)?;
    let replaced_set = replaced_ids(data, week, opts.from);
    let replaced: Vec<&Session> = data
        .sessions
        .iter()
        .filter(|s| replaced_set.contains(s.id.as_str()))
        .collect();
    let kept = data
        .sessions
        .iter()
        .filter(|s| s.week_start == week && s.is_fixed())
        .count();
    let unscheduled = unscheduled(data, groups, plan);
    let same = |a: &Session, b: &Session| {
        a.course_id == b.course_id
            && a.student_ids == b.student_ids
            && a.date == b.date
            && a.start == b.start
    };
    let mut diff: Vec<(Date, Clock, String)> = Vec::new();
    for old in replaced
        .iter()
        .filter(|o| !fresh.iter().any(|n| same(o, n)))
    {
        diff.push((old.date, old.start, format!("- {}", describe(data, old))));
    }
    for new in fresh
        .iter()
        .filter(|n| !replaced.iter().any(|o| same(o, n)))
    {
        diff.push((new.date, new.start, format!("+ {}", describe(data, new))));
    }
    diff.sort();
    let r = reconcile(&replaced, fresh);
    // The week as saved: carried-on sessions under their old ids.
    let mut sessions: Vec<Session> = r
        .unchanged
        .iter()
        .cloned()
        .chain(r.updates.iter().map(|u| Session {
            version: u.version + 1,
            ..u.clone()
        }))
        .chain(r.inserts.iter().cloned())
        .collect();
    sessions.sort_by(|a, b| (a.date, a.start, &a.course_id).cmp(&(b.date, b.start, &b.course_id)));
    let outcome = PlanOutcome {
        family: family.name.clone(),
        week_start: week,
        score: plan.score,
        planned: sessions.len(),
        kept,
        replaced: replaced.len(),
        unscheduled,
        dry_run: opts.dry_run,
        diff: diff.into_iter().map(|(_, _, l)| l).collect(),
        sessions,
    };
    let undo = super::history::Undo {
        // Everything not carried on unchanged was moved or removed.
        restore: replaced
            .iter()
            .filter(|o| !r.unchanged.iter().any(|u| u.id == o.id))
            .map(|o| (*o).clone())
            .collect(),
        delete_sessions: r.inserts.iter().map(|s| s.id.clone()).collect(),
        ..Default::default()
    };
    if opts.dry_run {
        return Ok((outcome, undo));
    }
    let gone: Vec<&str> = r.deletes.iter().map(String::as_str).collect();
    tx.delete_open_sessions(&family.id, &gone).await?;
    for u in &r.updates {
        tx.update_session(&family.id, u).await?;
    }
    tx.insert_sessions(&family.id, &r.inserts).await?;
    tx.save_plan(
        &family.id,
        &PlanRecord {
            id: new_id(),
            week_start: week,
            score: outcome.score,
            unscheduled: serde_json::to_value(&outcome.unscheduled).unwrap_or(Value::Null),
            seed: opts.seed,
            version: 1,
        },
    )
    .await?;
    Ok((outcome, undo))
}

/// The planner's unscheduled lessons, with people's names.
fn unscheduled(data: &SchoolData, groups: &[Group], plan: &planner::Plan) -> Vec<UnscheduledItem> {
    let course_name = |id: &str| {
        data.courses
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let name = |id: &str| {
        data.students
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .or_else(|| {
                data.guardians
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| g.name.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    plan.unscheduled
        .iter()
        .filter_map(|u| {
            let g = groups.iter().find(|g| g.key == u.lesson)?;
            Some(UnscheduledItem {
                course: course_name(&g.course_id),
                students: g
                    .student_ids
                    .iter()
                    .map(|s| data.student_name(s).to_string())
                    .collect(),
                missing: u.missing,
                reason: u.cause.describe(name),
            })
        })
        .collect()
}

/// The outcome of one family in `plan week --all`: planned, skipped (no
/// school that week) or failed.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Serialize)]
pub struct FamilyResult {
    pub family: String,
    pub outcome: Option<PlanOutcome>,
    /// Why there was nothing to plan: no school year of the family holds the
    /// week (a family a co-op import has just made, or a summer break).
    /// Not a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    pub error: Option<String>,
}

/// The reason, when planning failed only because no school year of the
/// family holds the week ("no school year covers the week of …"): a batch of
/// families (`plan week --all`, the worker's weekly run) skips such a family
/// rather than failing it.
pub fn outside_school_years(e: &Error) -> Option<String> {
    match e {
        Error::Invalid {
            message,
            remedy: Some(crate::Remedy::AddSchoolYear),
            ..
        } => Some(message.clone()),
        _ => None,
    }
}

/// How hard to search when nobody said: a family waiting at a screen gets
/// the interactive effort; many families at once (`plan week --all`, the
/// worker's weekly run) each get one thread and a smaller budget, families
/// in parallel.
pub fn default_effort(many_families: bool) -> planner::Effort {
    if many_families {
        planner::Effort::Batch
    } else {
        planner::Effort::Interactive
    }
}

/// How many families `plan_all` should plan at once: one more than the
/// cores, so that while one family waits on the database the others solve
/// (measured: 1,000 families in 17 s instead of 19-20 s on 2 cores).
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        + 1
}

/// Plans the week for every family, `concurrency` at a time; one family's
/// failure does not stop the others. `progress` is called after each family.
pub async fn plan_all(
    store: &Store,
    week: Date,
    opts: &PlanOptions,
    concurrency: usize,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> Result<Vec<FamilyResult>> {
    let families = store.read().await?.all_families().await?;
    let total = families.len();
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let progress = std::sync::Arc::new(progress);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, f) in families.into_iter().enumerate() {
        let (store, opts, sem, progress, done) = (
            store.clone(),
            opts.clone(),
            sem.clone(),
            progress.clone(),
            done.clone(),
        );
        tasks.spawn(async move {
            let _permit = sem.acquire_owned().await;
            let result = plan_week(&store, &f, week, &opts).await;
            let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            progress(n, total);
            let (outcome, skipped, error) = match result {
                Ok(o) => (Some(o), None, None),
                Err(e) => match outside_school_years(&e) {
                    Some(why) => (None, Some(why), None),
                    None => (None, None, Some(e.to_string())),
                },
            };
            (
                i,
                FamilyResult {
                    family: f.name,
                    outcome,
                    skipped,
                    error,
                },
            )
        });
    }
    let mut results = Vec::new();
    while let Some(r) = tasks.join_next().await {
        results.push(r.map_err(|e| Error::Internal(format!("planning task failed: {e}")))?);
    }
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests;
