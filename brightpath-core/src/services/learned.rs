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
