//! The planner's writes, each one call into `brightpath_core::services`. This
//! is the only module that names the progress, pacing and history services,
//! so when their signatures move only this file follows.

use brightpath_core::Store;
use brightpath_core::calendar::Clock;
use brightpath_core::model::{BreakKind, Family};
use brightpath_core::services::planning::{PlanOptions, PlanOutcome};
use brightpath_core::services::{pacing, progress};
use jiff::civil::Date;

use crate::model::PacingRow;
use crate::msg::{CoreResult, DoneForm};

/// What runs after marks made here, given by whoever starts the planner:
/// the CLI hands in its training rule (queue `ml.train`, or train at once
/// without a bus), so the planner itself does not build the learning code.
/// It answers a note for the status line, if any.
pub type AfterMarks = std::sync::Arc<
    dyn Fn(Family) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<String>> + Send>>
        + Send
        + Sync,
>;

/// Who the history names for changes made here.
pub struct Ctx {
    pub store: Store,
    pub family: Family,
    pub today: Date,
    pub actor: String,
    pub after_marks: Option<AfterMarks>,
}

impl Ctx {
    /// Planning options of the planner's writes: a fixed seed and no time limit,
    /// so the same week re-planned twice comes out the same (and tests can snapshot it).
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            seed: 1,
            time_limit: None,
            dry_run: false,
            actor: self.actor.clone(),
            ..Default::default()
        }
    }
}

/// The sessions the planner showed, each as read: a change made meanwhile by
/// someone else is refused as a conflict, never overwritten.
fn ids(ids: &[(String, i64)]) -> progress::Selector {
    progress::Selector::read(ids)
}

pub async fn mark_done(
    ctx: &Ctx,
    sessions: &[(String, i64)],
    form: &DoneForm,
) -> CoreResult<String> {
    let input = progress::DoneInput {
        actual_minutes: form.actual_minutes,
        note: form.note.clone(),
        partial: form.partial,
        ..Default::default()
    };
    let message = progress::mark_done(
        &ctx.store,
        &ctx.family,
        &ids(sessions),
        input,
        &ctx.actor,
        ctx.today,
    )
    .await?
    .message;
    let note = match &ctx.after_marks {
        Some(after) => after(ctx.family.clone()).await,
        None => None,
    };
    Ok(match note {
        Some(n) => format!("{message}. {n}"),
        None => message,
    })
}

pub async fn skip(ctx: &Ctx, sessions: &[(String, i64)], reason: &str) -> CoreResult<String> {
    progress::skip(
        &ctx.store,
        &ctx.family,
        &ids(sessions),
        reason,
        &ctx.actor,
        ctx.today,
    )
    .await
    .map(|s| s.message)
}

pub async fn move_session(
    ctx: &Ctx,
    id: &str,
    date: Date,
    start: Clock,
    expected_version: i64,
) -> CoreResult<String> {
    progress::move_session(
        &ctx.store,
        &ctx.family,
        id,
        date,
        start,
        Some(expected_version),
        &ctx.actor,
        ctx.today,
    )
    .await
    .map(|s| s.message)
}

pub async fn set_pinned(
    ctx: &Ctx,
    id: &str,
    pinned: bool,
    expected_version: i64,
) -> CoreResult<String> {
    progress::set_pinned(
        &ctx.store,
        &ctx.family,
        id,
        Some(expected_version),
        pinned,
        &ctx.actor,
        ctx.today,
    )
    .await
    .map(|s| s.message)
}

/// Undoes this parent's own last change (never another's).
pub async fn undo(ctx: &Ctx) -> CoreResult<String> {
    progress::undo(&ctx.store, &ctx.family, &ctx.actor, false, ctx.today)
        .await
        .map(|s| s.message)
}

pub async fn day_off(
    ctx: &Ctx,
    date: Date,
    students: &[String],
    kind: BreakKind,
    name: &str,
) -> CoreResult<String> {
    progress::day_off(
        &ctx.store,
        &ctx.family,
        date,
        date,
        students,
        kind,
        name,
        &ctx.plan_options(),
        ctx.today,
    )
    .await
    .map(|(s, _)| s.message)
}

pub async fn catch_up(ctx: &Ctx) -> CoreResult<(String, PlanOutcome)> {
    progress::catch_up(&ctx.store, &ctx.family, ctx.today, &ctx.plan_options())
        .await
        .map(|(s, o)| (s.message, o))
}

pub async fn explain(ctx: &Ctx, id: &str) -> CoreResult<Vec<String>> {
    pacing::explain(&ctx.store, &ctx.family, id)
        .await
        .map(|e| e.lines)
}

pub async fn pacing(ctx: &Ctx) -> CoreResult<Vec<PacingRow>> {
    let rows = pacing::pacing(&ctx.store, &ctx.family, ctx.today).await?;
    Ok(rows
        .into_iter()
        .map(|p| PacingRow {
            student: p.student,
            course: p.course,
            done: p.done,
            expected: p.expected,
            behind: p.behind,
            projected_finish: p.projected_finish,
            year_end: p.year_end,
            suggestion: p.suggestion,
        })
        .collect())
}
