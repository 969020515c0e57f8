//! The history of changes to a family's plan: who changed what and when, and
//! how to undo it. An entry keeps the sessions as they were before the change,
//! the sessions and breaks it created; undo puts the first back and removes the
//! others, in one transaction.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Family, Id, Session, new_id};
use crate::store::{ChangeRecord, Store, Tx};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Undo {
    pub restore: Vec<Session>,
    pub delete_sessions: Vec<Id>,
    pub delete_breaks: Vec<Id>,
    pub delete_events: Vec<Id>,
    pub delete_exceptions: Vec<Id>,
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
    store.read().await?.changes(&family.id, limit).await
}

/// What a change touched: the sessions it changed, created or removed, and
/// its breaks.
fn touched(u: &Undo) -> HashSet<&str> {
    u.restore
        .iter()
        .map(|s| s.id.as_str())
        .chain(u.delete_sessions.iter().map(String::as_str))
        .chain(u.delete_breaks.iter().map(String::as_str))
        .chain(u.delete_events.iter().map(String::as_str))
        .chain(u.delete_exceptions.iter().map(String::as_str))
        .collect()
}

fn read_undo(c: &ChangeRecord) -> Result<Undo> {
    serde_json::from_value(c.undo.clone())
        .map_err(|e| Error::Internal(format!("history entry {} is unreadable: {e}", c.id)))
}

/// Picks the change an undo by `actor` reverses, from the history newest
/// first: the actor's own newest change, unless someone else has since
/// changed what it touched (a conflict); with `force`, the newest change of
/// anyone's. Pure.
pub fn pick_undo<'a>(
    changes: &'a [ChangeRecord],
    actor: &str,
    force: bool,
) -> Result<&'a ChangeRecord> {
    let open: Vec<&ChangeRecord> = changes
        .iter()
        .filter(|c| !c.undone && c.kind != "undo")
        .collect();
    let Some(newest) = open.first() else {
        return Err(Error::invalid("undo", "there is nothing to undo"));
    };
    if force {
        return Ok(newest);
    }
    let Some(pos) = open.iter().position(|c| c.actor == actor) else {
        return Err(Error::invalid(
            "undo",
            format!(
                "{actor} has no change to undo; the newest change is {}'s: {}",
                newest.actor, newest.summary
            ),
        )
        .with_hint("undo --force undoes the newest change, whoever made it"));
    };
    let mine = open[pos];
    let mine_undo = read_undo(mine)?;
    let mine_touched = touched(&mine_undo);
    for later in &open[..pos] {
        let u = read_undo(later)?;
        if touched(&u).iter().any(|id| mine_touched.contains(id)) {
            return Err(Error::conflict(format!(
                "your last change ({}) was changed since by {}: {}",
                mine.summary, later.actor, later.summary
            ))
            .with_hint("undo --force undoes the newest change, whoever made it"));
        }
    }
    Ok(mine)
}

/// Reverses the change [`pick_undo`] picks; returns its summary.
pub async fn undo_last(tx: &mut Tx, family: &str, actor: &str, force: bool) -> Result<String> {
    let changes = tx.changes(family, 200).await?;
    let last = pick_undo(&changes, actor, force)?.clone();
    let undo = read_undo(&last)?;
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
    for id in &undo.delete_events {
        match tx.delete_event(family, id).await {
            Ok(()) | Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    for id in &undo.delete_exceptions {
        match tx.delete_exception(family, id).await {
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
    let whose = if last.actor == actor {
        String::new()
    } else {
        format!(" ({}'s change)", last.actor)
    };
    let summary = format!("undid: {}{whose}", last.summary);
    record(tx, family, actor, "undo", &summary, &Undo::default()).await?;
    Ok(summary)
}
