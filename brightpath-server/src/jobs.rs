//! The jobs BrightPath runs in the background, as handlers over core services,
//! and the recurring schedule of every family (next week's plan on Sunday
//! evening, the daily agenda at 07:00, in the family's own time zone).

use brightpath_bus::schedule::{Recurrence, Rule, ScheduleEntry, ScheduleSource};
use brightpath_bus::{Priority, Queue};
use brightpath_core::Store;
use brightpath_core::calendar::planning_week;
use brightpath_core::config::Settings;
use brightpath_core::model::Family;
use brightpath_core::services::{lists, pacing, planning};

use crate::notify::{self, NotifyConfig};
use crate::worker::{JobContext, JobError, Registry, builtin_registry};

/// Job kinds.
pub const PLAN_WEEK: &str = "plan.week";
pub const PACING: &str = "pacing.recompute";

/// Every kind a BrightPath worker ([`core_registry`]) runs, sorted: what
/// `jobs enqueue` accepts without `--any-kind`.
pub fn known_kinds() -> Vec<&'static str> {
    let mut k = vec![
        "system.echo",
        "system.fail",
        PLAN_WEEK,
        PACING,
        notify::DAILY_AGENDA,
        notify::WEEKLY_PLAN,
        crate::learning::ML_TRAIN,
        crate::backups::BACKUP_RUN,
        crate::roster_import::ROSTER_IMPORT,
    ];
    k.sort_unstable();
    k
}

/// When each family's next week is planned (family-local time).
pub const WEEKLY_PLAN_AT: &str = "weekly sunday 18:00";

pub(crate) async fn family_of(store: &Store, ctx: &JobContext) -> Result<Family, JobError> {
    let id = ctx.job.payload["family_id"]
        .as_str()
        .ok_or_else(|| JobError::permanent("payload has no family_id"))?;
    lists::family_by_id(store, id)
        .await
        .map_err(|e| match e.kind() {
            brightpath_core::ErrorKind::NotFound => JobError::permanent(e),
            _ => JobError::retry(e),
        })
}

/// The date a job is about: the scheduled occurrence in the family's zone, a
/// `date` in the payload, or today in the family's zone.
pub(crate) fn job_date(ctx: &JobContext, family: &Family) -> Result<jiff::civil::Date, JobError> {
    if let Some(d) = ctx.job.payload["date"].as_str() {
        return d
            .parse()
            .map_err(|_| JobError::permanent(format!("date {d:?} is not YYYY-MM-DD")));
    }
    if let Some(o) = ctx.job.payload["occurrence"].as_str() {
        let z: jiff::Zoned = o
            .parse()
            .map_err(|_| JobError::permanent(format!("occurrence {o:?} is unreadable")))?;
        return Ok(z.date());
    }
    let tz = jiff::tz::TimeZone::get(&family.time_zone).map_err(JobError::permanent)?;
    Ok(jiff::Timestamp::now().to_zoned(tz).date())
}

/// The built-in handlers plus BrightPath's own, over `store`. A job's work
/// commits before the handler returns, so acknowledging after it loses nothing.
/// Notifications are configured by the `[smtp]` and `[webhook]` settings.
pub fn core_registry(store: Store, settings: &Settings) -> Registry {
    let mut reg = core_registry_with(
        store.clone(),
        NotifyConfig::from(settings),
        crate::learning::TrainOptions::from_settings(settings),
    );
    crate::backups::register(&mut reg, store, settings);
    // A panic in a handler reaches Sentry (when on) with the job's id and kind.
    reg.wrap_all(|job, fut| {
        Box::pin(crate::telemetry::in_job(
            &job.id.to_string(),
            &job.kind,
            fut,
        ))
    });
    reg
}

/// [`core_registry`] with the notification and `learning` settings given
/// (tests, embedding).
pub fn core_registry_with(
    store: Store,
    notify: NotifyConfig,
    train: crate::learning::TrainOptions,
) -> Registry {
    let mut reg = builtin_registry();
    notify::register(&mut reg, store.clone(), notify.clone());
    let learning = train.learning;
    crate::learning::register(&mut reg, store.clone(), train);
    crate::roster_import::register(&mut reg, store.clone());
    let notify = std::sync::Arc::new(notify);
    let s = store.clone();
    reg.register(PLAN_WEEK, move |ctx| {
        let store = s.clone();
        let notify = notify.clone();
        async move {
            let family = family_of(&store, &ctx).await?;
            let week = planning_week(job_date(&ctx, &family)?);
            // Planned for someone (the API's background plan) or by the schedule.
            let asked_by = ctx.job.payload["actor"].as_str();
            let actor = asked_by.unwrap_or("worker").to_string();
            let opts = planning::PlanOptions { actor, learning, ..Default::default() };
            let started = std::time::Instant::now();
            let out = match planning::plan_week(&store, &family, week, &opts).await {
                Ok(out) => out,
                // The schedule plans every family every week; one with no
                // school year that week has nothing to plan, which is no
                // failure to retry or dead-letter. Someone who asked is told.
                Err(e) => match planning::outside_school_years(&e) {
                    Some(why) if asked_by.is_none() => {
                        return Ok(serde_json::json!({"family": family.name, "week_start": week.to_string(), "skipped": why}));
                    }
                    _ => return Err(plan_error(e)),
                },
            };
            crate::plan_metrics::observe(started.elapsed(), out.score.total, out.score.unscheduled);
            // The plan is committed: now queue its notification (once per plan job).
            let notify_job = notify::after_plan_week(&ctx, &notify, &family.id, week).await?;
            Ok(serde_json::json!({"family": out.family, "week_start": out.week_start, "planned": out.planned, "kept": out.kept, "score": out.score, "notify_job": notify_job}))
        }
    });
    reg.register(PACING, move |ctx| {
        let store = store.clone();
        async move {
            let family = family_of(&store, &ctx).await?;
            let today = job_date(&ctx, &family)?;
            let p = pacing::pacing(&store, &family, today)
                .await
                .map_err(JobError::retry)?;
            let behind: Vec<_> = p
                .iter()
                .filter(|x| !x.on_track)
                .map(|x| format!("{}: {}", x.student, x.course))
                .collect();
            Ok(serde_json::json!({"courses": p.len(), "off_track": behind}))
        }
    });
    reg
}

/// How a failed plan is retried: a conflict (another plan of the family
/// committed first) is worth another try; bad input or a missing family never is.
fn plan_error(e: brightpath_core::Error) -> JobError {
    match e.kind() {
        brightpath_core::ErrorKind::Conflict => JobError::retry(e),
        brightpath_core::ErrorKind::Invalid | brightpath_core::ErrorKind::NotFound => {
            JobError::permanent(e)
        }
        _ => JobError::retry(e),
    }
}

/// Every family's recurring jobs, read afresh from the store on each tick.
pub struct FamilySchedules {
    pub store: Store,
}

impl ScheduleSource for FamilySchedules {
    async fn entries(&self) -> brightpath_bus::Result<Vec<ScheduleEntry>> {
        let families = async { lists::families(&self.store).await }
            .await
            .map_err(|e| {
                brightpath_bus::BusError::Schedule(format!("cannot read families: {e}"))
            })?;
        let mut out = Vec::new();
        for f in families {
            out.push(ScheduleEntry {
                family_id: f.id.clone(),
                time_zone: f.time_zone.clone(),
                rule: Rule {
                    name: "weekly-plan".into(),
                    recurrence: Recurrence::parse(WEEKLY_PLAN_AT)?,
                    queue: Queue::new(Queue::SCHEDULES)?,
                    kind: PLAN_WEEK.into(),
                    payload: serde_json::json!({}),
                    priority: Priority::Normal,
                },
            });
            out.push(crate::learning::nightly(&f)?);
            out.push(ScheduleEntry {
                family_id: f.id.clone(),
                time_zone: f.time_zone.clone(),
                rule: Rule {
                    name: "daily-agenda".into(),
                    recurrence: Recurrence::parse(notify::DAILY_AGENDA_AT)?,
                    queue: Queue::new(Queue::NOTIFICATIONS)?,
                    kind: notify::DAILY_AGENDA.into(),
                    payload: serde_json::json!({}),
                    priority: Priority::Normal,
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_are_the_registry_kinds() {
        let store_free: Vec<String> = builtin_registry().kinds();
        for k in &store_free {
            assert!(known_kinds().contains(&k.as_str()), "{k}");
        }
        assert!(known_kinds().contains(&PLAN_WEEK));
    }

    #[test]
    fn a_conflicting_plan_is_retried() {
        let e = brightpath_core::Error::conflict("another plan committed first");
        assert!(matches!(plan_error(e), JobError::Retry(_)));
    }
}
