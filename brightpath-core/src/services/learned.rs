//! Learned models as a family's data: kept by a training run (the
//! `brightpath-learn` crate, through the CLI or the `ml.train` job), read by
//! the planner. A failed run writes nothing, so the last model stays current.

use crate::error::Result;
use crate::model::Learned;
use crate::store::Store;

/// Keeps `learned` as the family's next version; returns the version.
pub async fn keep(store: &Store, family: &str, learned: &Learned) -> Result<i64> {
    let mut tx = store.write(family).await?;
    let version = tx.save_learned(family, learned).await?;
    tx.commit().await?;
    Ok(version)
}

/// The family's current model, if any.
pub async fn current(store: &Store, family: &str) -> Result<Option<Learned>> {
    store.read().await?.current_learned(family).await
}

/// Lessons with feedback marked since the current model was trained (all of
/// them when there is none): what a new training run would add.
pub async fn pending(store: &Store, family: &str) -> Result<usize> {
    let mut tx = store.read().await?;
    let since = tx.current_learned(family).await?.map(|m| m.trained_at);
    Ok(tx.feedback_count(family, since.as_deref()).await?.max(0) as usize)
}
