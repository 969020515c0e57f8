//! The history of changes to a family's plan: who changed what and when, and
//! how to undo it. An entry keeps the sessions as they were before the change,
//! the sessions and breaks it created; undo puts the first back and removes the
//! others, in one transaction.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Family, Id, Session, new_id};
use crate::store::{ChangeRecord, Store, Tx};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Undo {
    pub restore: Vec<Session>,
    pub delete_sessions: Vec<Id>,
    pub delete_breaks: Vec<Id>,
}

pub async fn record(
    tx: &mut Tx,
    family: &str,
    actor: &str,
    kind: &str,
    summary: &str,
    undo: &Undo,
) -> Result<()> {
    tx.insert_change(
        family,
        &ChangeRecord {
            id: new_id(),
            at: jiff::Timestamp::now().to_string(),
            actor: actor.to_string(),
            kind: kind.to_string(),
            summary: summary.to_string(),
            undo: serde_json::to_value(undo).map_err(|e| Error::Internal(e.to_string()))?,
            undone: false,
        },
    )
    .await
}

/// The family's history, newest first.
pub async fn list(store: &Store, family: &Family, limit: i64) -> Result<Vec<ChangeRecord>> {
    store.tx().await?.changes(&family.id, limit).await
}

/// Reverses the newest change not yet undone; returns its summary.
pub async fn undo_last(tx: &mut Tx, family: &str, actor: &str) -> Result<String> {
    let last = tx
        .changes(family, 200)
        .await?
        .into_iter()
        .find(|c| !c.undone && c.kind != "undo")
        .ok_or_else(|| Error::invalid("undo", "there is nothing to undo"))?;
    let undo: Undo = serde_json::from_value(last.undo.clone())
        .map_err(|e| Error::Internal(format!("history entry {} is unreadable: {e}", last.id)))?;
    for id in &undo.delete_sessions {
        match tx.delete_session(family, id).await {
            Ok(()) | Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    for id in &undo.delete_breaks {
        match tx.delete_break(family, id).await {
            Ok(()) | Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    for s in &undo.restore {
        match tx.session(family, &s.id).await {
            Ok(current) => {
                let mut back = s.clone();
                back.version = current.version;
                tx.update_session(family, &back).await?;
            }
            Err(Error::NotFound { .. }) => tx.insert_session(family, s).await?,
            Err(e) => return Err(e),
        }
    }
    tx.mark_change_undone(family, &last.id).await?;
    let summary = format!("undid: {}", last.summary);
    record(tx, family, actor, "undo", &summary, &Undo::default()).await?;
    Ok(summary)
}
