//! The history of changes to a family's school: who changed what and when,
//! and how to undo it. An entry keeps the sessions (and events, breaks and
//! day exceptions) as they were before the change and the ones it created;
//! undo puts the first back and removes the others, in one transaction.
//! Changes to people, courses, years and curricula are recorded too, but
//! marked irreversible: undoing them could take a child's marks with them,
//! so they are edited back instead, and `undo` passes over them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{
    AvailabilityException, Break, ChildRating, Family, FixedEvent, Id, Session, new_id,
};
use crate::store::{ChangeRecord, Store, Tx};

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Undo {
    pub restore: Vec<Session>,
    pub delete_sessions: Vec<Id>,
    pub delete_breaks: Vec<Id>,
    pub delete_events: Vec<Id>,
    pub delete_exceptions: Vec<Id>,
    /// Events, breaks and day exceptions as they were before the change
    /// (removed or edited): put back as they were.
    pub restore_events: Vec<FixedEvent>,
    pub restore_breaks: Vec<Break>,
    pub restore_exceptions: Vec<AvailabilityException>,
    /// Children's own ratings of group lessons as they were before the
    /// change, one entry per child whose rating it set (`None`: the child
    /// had none): put back child by child, so undoing one parent's rating
    /// of a child leaves the other's of another child as it is.
    pub restore_ratings: Vec<RatingBefore>,
    /// Recorded for the history only; `undo` passes over it.
    pub irreversible: bool,
}

impl Undo {
    /// A change that is recorded but not undone by `undo`.
    pub fn irreversible() -> Undo {
        Undo {
            irreversible: true,
            ..Default::default()
        }
    }

    /// Adds what another step of the same change did, to be undone with it.
    pub fn absorb(&mut self, other: Undo) {
        self.restore.extend(other.restore);
        self.delete_sessions.extend(other.delete_sessions);
        self.delete_breaks.extend(other.delete_breaks);
        self.delete_events.extend(other.delete_events);
        self.delete_exceptions.extend(other.delete_exceptions);
        self.restore_events.extend(other.restore_events);
        self.restore_breaks.extend(other.restore_breaks);
        self.restore_exceptions.extend(other.restore_exceptions);
        self.restore_ratings.extend(other.restore_ratings);
        self.irreversible |= other.irreversible;
    }
}

/// One child's rating of a session before a change.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingBefore {
    pub session_id: Id,
    pub student_id: Id,
    pub rating: Option<ChildRating>,
}

/// Records a change made in `tx` by the transaction's actor.
pub async fn note(tx: &mut Tx, family: &str, kind: &str, summary: &str, undo: &Undo) -> Result<()> {
    let actor = tx.actor().to_string();
    record(tx, family, &actor, kind, summary, undo).await
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

/// What a change touched: the sessions it changed, created or removed, its
/// breaks, and the children's ratings it set (as `session/student`).
fn touched(u: &Undo) -> HashSet<String> {
    u.restore
        .iter()
        .map(|s| s.id.as_str())
        .chain(u.delete_sessions.iter().map(String::as_str))
        .chain(u.delete_breaks.iter().map(String::as_str))
        .chain(u.delete_events.iter().map(String::as_str))
        .chain(u.delete_exceptions.iter().map(String::as_str))
        .chain(u.restore_events.iter().map(|e| e.id.as_str()))
        .chain(u.restore_breaks.iter().map(|b| b.id.as_str()))
        .chain(u.restore_exceptions.iter().map(|x| x.id.as_str()))
        .map(str::to_string)
        .chain(
            u.restore_ratings
                .iter()
                .map(|r| format!("{}/{}", r.session_id, r.student_id)),
        )
        .collect()
}

/// What a change relied on: what it touched, and the sessions whose
/// children it rated (a child's rating rests on the session's mark, so
/// undoing that mark under it is a conflict; rating another child is not).
fn relied_on(u: &Undo) -> HashSet<String> {
    let mut all = touched(u);
    all.extend(u.restore_ratings.iter().map(|r| r.session_id.clone()));
    all
}

/// A delete of something already gone is done.
fn gone(r: Result<()>) -> Result<()> {
    match r {
        Err(Error::NotFound { .. }) => Ok(()),
        other => other,
    }
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
        .filter(|c| !c.undone && c.kind != "undo" && c.undo["irreversible"] != true)
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
        .with_remedy(crate::Remedy::ForceUndo));
    };
    let mine = open[pos];
    let mine_undo = read_undo(mine)?;
    let mine_touched = touched(&mine_undo);
    for later in &open[..pos] {
        let u = read_undo(later)?;
        if relied_on(&u).iter().any(|id| mine_touched.contains(id)) {
            return Err(Error::conflict(format!(
                "your last change ({}) was changed since by {}: {}",
                mine.summary, later.actor, later.summary
            ))
            .with_remedy(crate::Remedy::ForceUndo));
        }
    }
    Ok(mine)
}

/// Reverses the change [`pick_undo`] picks; returns its summary.
pub async fn undo_last(tx: &mut Tx, family: &str, actor: &str, force: bool) -> Result<String> {
    let changes = tx.changes(family, 200).await?;
    let last = pick_undo(&changes, actor, force)?.clone();
    let undo = read_undo(&last)?;
    // What the change created goes; what is already gone stays gone.
    for id in &undo.delete_sessions {
        gone(tx.delete_session(family, id).await)?;
    }
    for id in &undo.delete_breaks {
        gone(tx.delete_break(family, id).await)?;
    }
    for id in &undo.delete_events {
        gone(tx.delete_event(family, id).await)?;
    }
    for id in &undo.delete_exceptions {
        gone(tx.delete_exception(family, id).await)?;
    }
    for b in &undo.restore_breaks {
        // A break is never edited in place: put back what was removed.
        gone(tx.delete_break(family, &b.id).await)?;
        tx.insert_break(family, b).await?;
    }
    for x in &undo.restore_exceptions {
        gone(tx.delete_exception(family, &x.id).await)?;
        tx.insert_exception(family, x).await?;
    }
    for e in &undo.restore_events {
        match tx.find_event(family, &e.id).await {
            Ok(current) => {
                let mut back = e.clone();
                back.version = current.version;
                tx.update_event(family, &back).await?;
            }
            Err(Error::NotFound { .. }) => tx.insert_event(family, e).await?,
            Err(err) => return Err(err),
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
    for r in &undo.restore_ratings {
        tx.set_rating(family, &r.session_id, &r.student_id, r.rating.as_ref())
            .await?;
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
