//! `ml.train` on the `ml` queue: learn from a family's feedback and keep the
//! model as its next version (issue 15). Nightly per family (a recurring
//! job), and after [`TRAIN_AFTER`] new lessons with feedback (the API's marks
//! enqueue it). Nothing new since the current model: nothing is trained.
//! A run that fails writes nothing, so the previous model stays current.

use brightpath_bus::schedule::{Recurrence, Rule, ScheduleEntry};
use brightpath_bus::{Bus, JobSpec, Priority, Queue};
use brightpath_core::config::Learning;
use brightpath_core::model::Family;
use brightpath_core::services::{learned, lists};
use brightpath_core::{Result, Store};

use crate::jobs::family_of;
use crate::worker::{JobError, Registry};

pub const ML_TRAIN: &str = "ml.train";
/// When each family's model is retrained (family-local time).
pub const ML_TRAIN_AT: &str = "daily 02:00";
/// New lessons with feedback that start a training run before the night.
pub const TRAIN_AFTER: usize = 20;

/// Trains `family`'s model from its feedback and keeps it, unless the
/// `learning` setting is off or no feedback came since the current model.
/// `now` (RFC 3339) stamps the model. Returns what was done, for the job's result.
pub async fn train_family(
    store: &Store,
    family: &Family,
    learning: Learning,
    now: &str,
) -> Result<serde_json::Value> {
    if learning == Learning::Off {
        return Ok(serde_json::json!({"trained": false, "reason": "learning is off"}));
    }
    let new = learned::pending(store, &family.id).await?;
    if new == 0 {
        return Ok(serde_json::json!({"trained": false, "reason": "no new feedback"}));
    }
    let data = lists::feedback(store, &family.id).await?;
    let (insights, model) =
        brightpath_learn::train(&data.sessions, &data.students, &data.courses, now);
    let version = learned::keep(store, &family.id, &model).await?;
    Ok(serde_json::json!({
        "trained": true,
        "version": version,
        "new_feedback": new,
        "rows": model.rows,
        "data_from": model.data_from,
        "data_to": model.data_to,
        "lengths": model.lengths.len(),
        "hours": model.hours.len(),
        "lengths_choice": insights.lengths.choice,
        "engagement_choice": insights.engagement.choice,
    }))
}

pub(crate) fn register(reg: &mut Registry, store: Store, learning: Learning) {
    reg.register(ML_TRAIN, move |ctx| {
        let store = store.clone();
        async move {
            let family = family_of(&store, &ctx).await?;
            let now = jiff::Timestamp::now().to_string();
            train_family(&store, &family, learning, &now)
                .await
                .map_err(JobError::retry)
        }
    });
}

/// The nightly training of `f`.
pub(crate) fn nightly(f: &Family) -> brightpath_bus::Result<ScheduleEntry> {
    Ok(ScheduleEntry {
        family_id: f.id.clone(),
        time_zone: f.time_zone.clone(),
        rule: Rule {
            name: "ml-train".into(),
            recurrence: Recurrence::parse(ML_TRAIN_AT)?,
            queue: Queue::new(Queue::ML)?,
            kind: ML_TRAIN.into(),
            payload: serde_json::json!({}),
            priority: Priority::Normal,
        },
    })
}

/// After a mark: queue a training run once [`TRAIN_AFTER`] lessons with
/// feedback came since the current model. Best effort: a mark never fails
/// because of it (the nightly run catches up).
pub async fn after_marks(store: &Store, bus: &Bus, family: &str) {
    match learned::pending(store, family).await {
        Ok(n) if n >= TRAIN_AFTER => {
            let version = learned::current(store, family)
                .await
                .ok()
                .flatten()
                .map_or(0, |m| m.version);
            // Once per model version: the marks after the 20th do not queue
            // another run while this one is pending.
            let job = JobSpec::new(
                Queue::new(Queue::ML).unwrap_or_else(|_| Queue::default_queue()),
                ML_TRAIN,
                serde_json::json!({"family_id": family}),
            )
            .idempotency_key(format!("ml-train:{family}:{version}"))
            .group(format!("family:{family}"));
            if let Err(e) = bus.enqueue(job).await {
                tracing::warn!(family, "could not queue ml.train: {e}");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(family, "could not count new feedback: {e}"),
    }
}
