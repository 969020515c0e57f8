//! `ml.train` on the `ml` queue: learn from a family's feedback and keep the
//! model as its next version (issue 15). Nightly per family (a recurring
//! job), and after [`TRAIN_AFTER`] new lessons with feedback: marks from the
//! API, the CLI and the TUI follow [`decide`] (queue it on the bus, or train
//! at once where there is none). Nothing new since the current model: nothing
//! is trained.
//! A run that fails writes nothing, so the previous model stays current.

use brightpath_bus::schedule::{Recurrence, Rule, ScheduleEntry};
use brightpath_bus::{Bus, JobSpec, Priority, Queue};
use std::path::Path;

use brightpath_core::config::{Learning, Settings};
use brightpath_core::model::Family;
use brightpath_core::model::Learned;
use brightpath_core::services::{learned, lists};
use brightpath_core::{Result, Store};
use brightpath_learn::{Evaluation, Insights};

use crate::jobs::family_of;
use crate::tracking::{RunRecord, Tracking};
use crate::worker::{JobError, Registry};

pub const ML_TRAIN: &str = "ml.train";
/// When each family's model is retrained (family-local time).
pub const ML_TRAIN_AT: &str = "daily 02:00";
/// New lessons with feedback that start a training run before the night.
pub const TRAIN_AFTER: usize = 20;

/// How training runs: the `learning` setting and where runs are recorded.
#[derive(Debug, Clone, Default)]
pub struct TrainOptions {
    pub learning: Learning,
    /// Where runs are recorded for MLflow; `None`: not recorded.
    pub tracking: Option<Tracking>,
}

impl TrainOptions {
    pub fn from_settings(s: &Settings) -> TrainOptions {
        let tracking = match &s.ml.tracking_uri {
            Some(u) => Some(Tracking::parse(u)),
            None => s.database_url.strip_prefix("sqlite://").and_then(|p| {
                Path::new(p)
                    .parent()
                    .map(|d| Tracking::Local(d.join("mlruns")))
            }),
        };
        TrainOptions {
            learning: s.learning,
            tracking,
        }
    }
}

/// Trains `family`'s model from its feedback and keeps it, unless the
/// `learning` setting is off or no feedback came since the current model,
/// and records the run for MLflow. `now` (RFC 3339) stamps the model.
/// Returns what was done, for the job's result.
pub async fn train_family(
    store: &Store,
    family: &Family,
    opts: &TrainOptions,
    now: &str,
) -> Result<serde_json::Value> {
    let learning = opts.learning;
    let started = jiff::Timestamp::now().as_millisecond();
    if learning == Learning::Off {
        return Ok(serde_json::json!({"trained": false, "reason": "learning is off"}));
    }
    let new = learned::pending(store, &family.id).await?;
    if new == 0 {
        return Ok(serde_json::json!({"trained": false, "reason": "no new feedback"}));
    }
    let data = lists::feedback(store, &family.id).await?;
    let (insights, model) = brightpath_learn::train(
        &data.sessions,
        &data.ratings,
        &data.students,
        &data.courses,
        now,
    );
    let version = learned::keep(store, &family.id, &model).await?;
    // The model is kept whatever happens to its record: tracking is a copy.
    let mut run_id = None;
    if let Some(t) = &opts.tracking {
        let run = run_record(family, &insights, &model, version, started);
        match t.record(&run).await {
            Ok(id) => run_id = Some(id),
            Err(e) => tracing::warn!(family = %family.id, "could not record the run: {e}"),
        }
    }
    Ok(serde_json::json!({
        "mlflow_run": run_id,
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

pub(crate) fn register(reg: &mut Registry, store: Store, opts: TrainOptions) {
    let opts = std::sync::Arc::new(opts);
    reg.register(ML_TRAIN, move |ctx| {
        let store = store.clone();
        let opts = opts.clone();
        async move {
            let family = family_of(&store, &ctx).await?;
            let now = jiff::Timestamp::now().to_string();
            train_family(&store, &family, &opts, &now)
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

/// What a mark leads to: the one rule every surface follows (the API, the
/// CLI, the TUI through the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterMarks {
    /// `learning = off`, or fewer than [`TRAIN_AFTER`] new lessons with
    /// feedback since the current model.
    Nothing,
    /// Queue `ml.train` on the bus (once per current model `version`: the
    /// marks after the 20th do not queue another run while it is pending).
    Queue { version: i64 },
    /// No bus: train here and now (fast at a family's scale).
    TrainHere,
}

/// Pure: the setting, the new lessons with feedback, whether a job bus is
/// configured, and the current model's version (0: none).
pub fn decide(learning: Learning, pending: usize, bus: bool, version: i64) -> AfterMarks {
    match (learning, pending >= TRAIN_AFTER, bus) {
        (Learning::Off, _, _) | (_, false, _) => AfterMarks::Nothing,
        (_, true, true) => AfterMarks::Queue { version },
        (_, true, false) => AfterMarks::TrainHere,
    }
}

/// Reads what [`decide`] needs about `family` and decides.
pub async fn after_marks_step(
    store: &Store,
    family: &str,
    learning: Learning,
    bus: bool,
) -> Result<AfterMarks> {
    if learning == Learning::Off {
        return Ok(AfterMarks::Nothing);
    }
    let pending = learned::pending(store, family).await?;
    if pending < TRAIN_AFTER {
        return Ok(AfterMarks::Nothing);
    }
    let version = learned::current(store, family)
        .await?
        .map_or(0, |m| m.version);
    Ok(decide(learning, pending, bus, version))
}

/// Queues `ml.train` for `family`, once per model `version`.
pub async fn queue_training(bus: &Bus, family: &str, version: i64) -> brightpath_bus::Result<()> {
    let job = JobSpec::new(
        Queue::new(Queue::ML).unwrap_or_else(|_| Queue::default_queue()),
        ML_TRAIN,
        serde_json::json!({"family_id": family}),
    )
    .idempotency_key(format!("ml-train:{family}:{version}"))
    .group(format!("family:{family}"));
    bus.enqueue(job).await.map(|_| ())
}

/// After the API's marks (with a bus): queue a training run when
/// [`after_marks_step`] says so. Best effort: a mark never fails because of
/// it (the nightly run catches up).
pub async fn after_marks(store: &Store, bus: &Bus, family: &str, learning: Learning) {
    match after_marks_step(store, family, learning, true).await {
        Ok(AfterMarks::Queue { version }) => {
            if let Err(e) = queue_training(bus, family, version).await {
                tracing::warn!(family, "could not queue ml.train: {e}");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(family, "could not count new feedback: {e}"),
    }
}

/// The MLflow run of one training: the fit's parameters, each evaluation's
/// held-out metrics (model and baselines, at step = the model version, so a
/// family's runs line up), and tags to find it by.
fn run_record(
    family: &Family,
    insights: &Insights,
    model: &Learned,
    version: i64,
    started: i64,
) -> RunRecord {
    let mut params = vec![
        ("lambda".to_string(), brightpath_learn::LAMBDA.to_string()),
        (
            "test_share".into(),
            brightpath_learn::TEST_SHARE.to_string(),
        ),
        (
            "min_train_weeks".into(),
            brightpath_learn::MIN_TRAIN_WEEKS.to_string(),
        ),
        ("rows".into(), model.rows.to_string()),
    ];
    let mut metrics = Vec::new();
    for ev in [&insights.lengths, &insights.engagement] {
        let t = target(ev);
        params.push((
            format!("{t}.choice"),
            format!("{:?}", ev.choice).to_lowercase(),
        ));
        metrics.push((format!("{t}.train_rows"), ev.train_rows as f64, version));
        metrics.push((format!("{t}.test_rows"), ev.test_rows as f64, version));
        let all = ev
            .model
            .iter()
            .map(|m| ("ridge".to_string(), m))
            .chain(ev.baselines.iter().map(|(n, m)| (n.clone(), m)));
        for (who, m) in all {
            let who: String = who
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            metrics.push((format!("{t}.{who}.mae"), m.mae, version));
            metrics.push((format!("{t}.{who}.rmse"), m.rmse, version));
            metrics.push((format!("{t}.{who}.spearman"), m.spearman, version));
        }
    }
    metrics.push((
        "learned_lengths".into(),
        model.lengths.len() as f64,
        version,
    ));
    metrics.push(("learned_hours".into(), model.hours.len() as f64, version));
    let window = match (model.data_from, model.data_to) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        _ => String::new(),
    };
    RunRecord {
        experiment: "brightpath".into(),
        run_name: format!("{} v{version}", family.name),
        params,
        metrics,
        tags: vec![
            ("family".into(), family.id.clone()),
            ("family_name".into(), family.name.clone()),
            ("model_kind".into(), "ridge (lengths, engagement)".into()),
            ("data_window".into(), window),
            ("model_version".into(), version.to_string()),
            ("code_version".into(), env!("CARGO_PKG_VERSION").into()),
        ],
        start_ms: started,
        end_ms: jiff::Timestamp::now().as_millisecond(),
    }
}

fn target(ev: &Evaluation) -> &'static str {
    match ev.target {
        brightpath_learn::Target::Lengths => "lengths",
        brightpath_learn::Target::Engagement => "engagement",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_queue_or_train_only_past_the_threshold_and_never_when_off() {
        let below = TRAIN_AFTER - 1;
        for learning in [Learning::Suggest, Learning::Apply] {
            assert_eq!(decide(learning, below, true, 3), AfterMarks::Nothing);
            assert_eq!(
                decide(learning, TRAIN_AFTER, true, 3),
                AfterMarks::Queue { version: 3 }
            );
            assert_eq!(
                decide(learning, TRAIN_AFTER, false, 3),
                AfterMarks::TrainHere
            );
        }
        assert_eq!(decide(Learning::Off, 500, true, 0), AfterMarks::Nothing);
        assert_eq!(decide(Learning::Off, 500, false, 0), AfterMarks::Nothing);
    }
}
