//! After marks from the CLI (`done`) and the TUI (`brightpath tui`): the
//! server's one rule (`learning::after_marks_step`) says whether training is
//! due; with a job bus (`valkey_url`) `ml.train` is queued as the API does,
//! without one the family's model is trained here at once. `learning = off`
//! does nothing. A mark never fails because of it: the nightly run catches up.

use brightpath_bus::Bus;
use brightpath_core::Store;
use brightpath_core::config::Settings;
use brightpath_core::model::Family;
use brightpath_server::learning::{self, AfterMarks, TRAIN_AFTER, TrainOptions};

/// Runs the rule for `family`; answers a one-line note for the user when
/// something was queued or trained (or could not be).
pub async fn after_marks(settings: &Settings, store: &Store, family: &Family) -> Option<String> {
    let bus = settings.valkey_url().is_some();
    let step = match learning::after_marks_step(store, &family.id, settings.learning, bus).await {
        Ok(step) => step,
        Err(e) => {
            tracing::warn!(family = %family.id, "could not count new feedback: {e}");
            return None;
        }
    };
    match step {
        AfterMarks::Nothing => None,
        AfterMarks::Queue { version } => {
            let queued = match Bus::connect(super::jobs::bus_config_of(settings)).await {
                Ok(bus) => learning::queue_training(&bus, &family.id, version).await,
                Err(e) => Err(e),
            };
            Some(match queued {
                Ok(()) => format!(
                    "{TRAIN_AFTER} or more lessons with feedback since the last model: a training run (ml.train) is queued."
                ),
                Err(e) => format!(
                    "Could not queue a training run ({e}); the nightly run will learn from these marks."
                ),
            })
        }
        AfterMarks::TrainHere => {
            let opts = TrainOptions::from_settings(settings);
            let now = jiff::Timestamp::now().to_string();
            match learning::train_family(store, family, &opts, &now).await {
                Ok(r) => r["version"].as_i64().map(|v| {
                    format!(
                        "{TRAIN_AFTER} or more lessons with feedback since the last model: learned from them (model version {v})."
                    )
                }),
                Err(e) => Some(format!(
                    "Training after these marks failed ({e}); the previous model stays."
                )),
            }
        }
    }
}

/// The same for the TUI's marks, as its hook.
pub fn hook(settings: &Settings, store: &Store) -> brightpath_tui::actions::AfterMarks {
    let (settings, store) = (settings.clone(), store.clone());
    std::sync::Arc::new(move |family: Family| {
        let (settings, store) = (settings.clone(), store.clone());
        Box::pin(async move { after_marks(&settings, &store, &family).await })
    })
}
