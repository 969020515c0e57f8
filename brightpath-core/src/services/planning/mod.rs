//! Planning a week from the database: load the family's school, build a plan
//! request in the spec's format (pure), solve it, and save every session bound
//! to its curriculum lesson in one transaction. Sessions already done, partly
//! done, or pinned stay where they are; the rest of the week is re-planned
//! around them.

mod request;

pub use request::*;

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::calendar::{Clock, Weekday, monday_of, week_dates};
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
    /// How hard the solver searches: `Interactive` (the default, one family
    /// waiting at a terminal, two threads) or `Batch` (many families in a row,
    /// one thread each and a smaller budget; see `plan_all`).
    pub effort: planner::Effort,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnscheduledItem {
    pub course: String,
    pub students: Vec<String>,
    pub missing: i64,
    pub reason: String,
}

/// What planning a week did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Serialize)]
pub struct PlanOutcome {
    pub family: String,
    pub week_start: Date,
    pub score: Value,
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

/// Solves a request given as JSON; the result is the plan as JSON.
pub fn solve_request(
    request: &Value,
    seed: u64,
    time_limit: Option<Duration>,
    effort: planner::Effort,
) -> Result<Value> {
    let req =
        planner::parse_request(&request.to_string()).map_err(|e| Error::Planner(e.to_string()))?;
    let opts = planner::SolveOptions {
        seed,
        time_limit,
        effort,
        ..Default::default()
    };
    let plan = planner::solve(&req, &opts).map_err(|e| Error::Planner(e.to_string()))?;
    serde_json::from_str(&plan.to_json()).map_err(|e| Error::Internal(format!("plan output: {e}")))
}

/// Turns a solved plan into sessions bound to curriculum lessons. Pure.
pub fn bind_sessions(
    data: &SchoolData,
    week: Date,
    from: Option<Date>,
    groups: &[Group],
    plan: &Value,
) -> Result<Vec<Session>> {
    let week = monday_of(week);
    let dates = week_dates(week);
    let replaced = replaced_ids(data, week, from);
    let mut by_group: BTreeMap<&str, Vec<(Date, Clock)>> = BTreeMap::new();
    for s in plan["sessions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let (Some(lesson), Some(day), Some(start)) =
            (s["lesson"].as_str(), s["day"].as_str(), s["start"].as_str())
        else {
            return Err(Error::Internal(
                "planner returned a malformed session".into(),
            ));
        };
        let day =
            Weekday::parse(day).ok_or_else(|| Error::Internal(format!("planner day {day}")))?;
        by_group
            .entry(lesson)
            .or_default()
            .push((dates[day.index()], Clock::parse("start", start)?));
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
/// only if nothing it was based on changed meanwhile (else it starts again),
/// so many families can be planned at once and no edit is overwritten.
pub async fn plan_week(
    store: &Store,
    family: &Family,
    week: Date,
    opts: &PlanOptions,
) -> Result<PlanOutcome> {
    let week = monday_of(week);
    for _attempt in 0..3 {
        let data = {
            let mut tx = store.read().await?;
            SchoolData::load(&mut tx, family, week).await?
        };
        let plan = solve_for(&data, week, opts).await?;
        let mut tx = store.tx().await?;
        let now = SchoolData::load(&mut tx, family, week).await?;
        if now != data {
            tracing::info!(family = %family.name, %week, "the school changed while planning; planning again");
            continue;
        }
        let outcome = apply_plan(&mut tx, family, &now, week, opts, &plan).await?;
        if !opts.dry_run {
            tx.commit().await?;
        }
        return Ok(outcome);
    }
    Err(Error::conflict(format!(
        "the week of {week} kept changing while it was being planned"
    ))
    .with_hint("try again in a moment"))
}

/// Builds and solves the request for `week`: pure work, off the async threads.
async fn solve_for(
    data: &SchoolData,
    week: Date,
    opts: &PlanOptions,
) -> Result<(Value, Vec<Group>)> {
    let (request, groups) = build_request(data, week, opts.from)?;
    let (seed, limit, effort) = (opts.seed, opts.time_limit, opts.effort);
    let plan = tokio::task::spawn_blocking(move || solve_request(&request, seed, limit, effort))
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

/// Plans a week inside `tx` (which the caller commits), recording the change
/// in the history unless it is a dry run.
pub async fn plan_week_in(
    tx: &mut Tx,
    family: &Family,
    week: Date,
    opts: &PlanOptions,
) -> Result<PlanOutcome> {
    let week = monday_of(week);
    let data = SchoolData::load(tx, family, week).await?;
    let plan = solve_for(&data, week, opts).await?;
    apply_plan(tx, family, &data, week, opts, &plan).await
}

/// Binds a solved plan to lessons and saves it (unless a dry run).
async fn apply_plan(
    tx: &mut Tx,
    family: &Family,
    data: &SchoolData,
    week: Date,
    opts: &PlanOptions,
    solved: &(Value, Vec<Group>),
) -> Result<PlanOutcome> {
    let (plan, groups) = (&solved.0, &solved.1);
    let sessions = bind_sessions(data, week, opts.from, groups, plan)?;
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
    let course_name = |id: &str| {
        data.courses
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let unscheduled: Vec<UnscheduledItem> = plan["unscheduled"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(|u| {
            let g = groups
                .iter()
                .find(|g| Some(g.key.as_str()) == u["lesson"].as_str())?;
            Some(UnscheduledItem {
                course: course_name(&g.course_id),
                students: g
                    .student_ids
                    .iter()
                    .map(|s| data.student_name(s).to_string())
                    .collect(),
                missing: u["missing"].as_i64().unwrap_or(0),
                reason: humanize(data, u["reason"].as_str().unwrap_or("")),
            })
        })
        .collect();
    let same = |a: &Session, b: &Session| {
        a.course_id == b.course_id
            && a.student_ids == b.student_ids
            && a.date == b.date
            && a.start == b.start
    };
    let mut diff: Vec<(Date, Clock, String)> = Vec::new();
    for old in replaced
        .iter()
        .filter(|o| !sessions.iter().any(|n| same(o, n)))
    {
        diff.push((old.date, old.start, format!("- {}", describe(data, old))));
    }
    for new in sessions
        .iter()
        .filter(|n| !replaced.iter().any(|o| same(o, n)))
    {
        diff.push((new.date, new.start, format!("+ {}", describe(data, new))));
    }
    diff.sort();
    let outcome = PlanOutcome {
        family: family.name.clone(),
        week_start: week,
        score: plan["score"].clone(),
        planned: sessions.len(),
        kept,
        replaced: replaced.len(),
        unscheduled,
        dry_run: opts.dry_run,
        diff: diff.into_iter().map(|(_, _, l)| l).collect(),
        sessions,
    };
    if opts.dry_run {
        return Ok(outcome);
    }
    let gone: Vec<&str> = replaced.iter().map(|s| s.id.as_str()).collect();
    tx.delete_sessions(&family.id, &gone).await?;
    tx.insert_sessions(&family.id, &outcome.sessions).await?;
    tx.save_plan(
        &family.id,
        &PlanRecord {
            id: new_id(),
            week_start: week,
            score: outcome.score.clone(),
            unscheduled: serde_json::to_value(&outcome.unscheduled).unwrap_or(Value::Null),
            seed: opts.seed,
            version: 1,
        },
    )
    .await?;
    let undo = super::history::Undo {
        restore: replaced.into_iter().cloned().collect(),
        delete_sessions: outcome.sessions.iter().map(|s| s.id.clone()).collect(),
        delete_breaks: Vec::new(),
    };
    let summary = format!(
        "planned the week of {week}: {} sessions, {} kept",
        outcome.planned, kept
    );
    super::history::record(tx, &family.id, &opts.actor, "plan", &summary, &undo).await?;
    Ok(outcome)
}

/// Replaces the planner's ids in a reason with people's names.
fn humanize(data: &SchoolData, reason: &str) -> String {
    let mut r = reason.to_string();
    for s in &data.students {
        r = r.replace(&s.id, &s.name);
    }
    for g in &data.guardians {
        r = r.replace(&g.id, &g.name);
    }
    r
}

/// The outcome of one family in `plan week --all`.
#[derive(Debug, Serialize)]
pub struct FamilyResult {
    pub family: String,
    pub outcome: Option<PlanOutcome>,
    pub error: Option<String>,
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
    let families = store.tx().await?.all_families().await?;
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
            let (outcome, error) = match result {
                Ok(o) => (Some(o), None),
                Err(e) => (None, Some(e.to_string())),
            };
            (
                i,
                FamilyResult {
                    family: f.name,
                    outcome,
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
