//! Fixed events: co-op mornings, lessons away, appointments.

use crate::calendar::Window;
use crate::error::{Error, Result};
use crate::model::*;
use crate::services::history::{self, Undo};
use crate::store::{Store, Tx};

use super::{check_name, duplicate};

#[derive(Debug, Clone)]
pub struct EventInput {
    pub name: String,
    pub recurrence: Recurrence,
    pub window: Window,
    pub away: bool,
    /// Whether its time counts in the hours records.
    pub school: SchoolTime,
    pub students: Vec<String>,
    pub guardians: Vec<String>,
}

pub async fn add_event(store: &Store, family: &str, input: EventInput) -> Result<FixedEvent> {
    let mut tx = store.write(family).await?;
    let e = add_event_in(&mut tx, family, input).await?;
    history::note(
        &mut tx,
        family,
        "add_event",
        &format!("added event {}", e.name),
        &Undo {
            delete_events: vec![e.id.clone()],
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

/// Adds an event inside `tx` (which the caller commits).
pub(crate) async fn add_event_in(
    tx: &mut Tx,
    family: &str,
    input: EventInput,
) -> Result<FixedEvent> {
    let name = check_name("event name", &input.name)?;
    if input.students.is_empty() && input.guardians.is_empty() {
        return Err(Error::invalid("event", "names no student and no guardian")
            .with_remedy(crate::Remedy::NameAttendees));
    }
    let mut student_ids = Vec::new();
    for s in &input.students {
        student_ids.push(tx.find_student(family, s).await?.id);
    }
    let mut guardian_ids = Vec::new();
    for g in &input.guardians {
        guardian_ids.push(tx.find_guardian(family, g).await?.id);
    }
    student_ids.dedup();
    guardian_ids.dedup();
    let e = FixedEvent {
        id: new_id(),
        name: name.clone(),
        recurrence: input.recurrence,
        window: input.window,
        away: input.away,
        school: input.school,
        student_ids,
        guardian_ids,
        version: 1,
    };
    tx.insert_event(family, &e)
        .await
        .map_err(|err| duplicate("event", &name, err))?;
    Ok(e)
}

/// `expected`: the version the caller read; a record changed since is a
/// conflict and stays (`None`: remove whatever is there now).
pub async fn remove_event(
    store: &Store,
    family: &str,
    key: &str,
    expected: Option<i64>,
) -> Result<FixedEvent> {
    let mut tx = store.write(family).await?;
    let e = tx.find_event(family, key).await?;
    super::unchanged_since(e.version, expected, "the event")?;
    tx.delete_event(family, &e.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_event",
        &format!("removed event {}", e.name),
        &Undo {
            restore_events: vec![e.clone()],
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

#[derive(Debug, Clone, Default)]
pub struct EventPatch {
    pub name: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub window: Option<Window>,
    pub away: Option<bool>,
    pub school: Option<SchoolTime>,
    pub students: Option<Vec<String>>,
    pub guardians: Option<Vec<String>>,
    pub expected_version: Option<i64>,
}

pub async fn edit_event(
    store: &Store,
    family: &str,
    key: &str,
    p: EventPatch,
) -> Result<FixedEvent> {
    let mut tx = store.write(family).await?;
    let mut e = tx.find_event(family, key).await?;
    let before = e.clone();
    if let Some(v) = p.expected_version {
        e.version = v;
    }
    if let Some(n) = p.name {
        e.name = check_name("event name", &n)?;
    }
    e.recurrence = p.recurrence.unwrap_or(e.recurrence);
    e.window = p.window.unwrap_or(e.window);
    e.away = p.away.unwrap_or(e.away);
    e.school = p.school.unwrap_or(e.school);
    if let Some(list) = p.students {
        let mut ids = Vec::new();
        for s in &list {
            ids.push(tx.find_student(family, s).await?.id);
        }
        e.student_ids = ids;
    }
    if let Some(list) = p.guardians {
        let mut ids = Vec::new();
        for g in &list {
            ids.push(tx.find_guardian(family, g).await?.id);
        }
        e.guardian_ids = ids;
    }
    if e.student_ids.is_empty() && e.guardian_ids.is_empty() {
        return Err(Error::invalid("event", "names no student and no guardian"));
    }
    let name = e.name.clone();
    e.version = tx
        .update_event(family, &e)
        .await
        .map_err(|err| duplicate("event", &name, err))?;
    let undo = Undo {
        restore_events: vec![before],
        ..Default::default()
    };
    history::note(
        &mut tx,
        family,
        "edit_event",
        &format!("edited event {}", e.name),
        &undo,
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}
