//! Guardians, students and their availability exceptions.

use jiff::civil::Date;

use crate::calendar::{WeeklyAvailability, Window};
use crate::error::{Error, Result};
use crate::model::*;
use crate::services::history::{self, Undo};
use crate::store::{Store, Tx};

use super::{check_name, duplicate};

#[derive(Debug, Clone)]
pub struct GuardianInput {
    pub name: String,
    pub email: Option<String>,
    pub availability: WeeklyAvailability,
}

pub async fn add_guardian(store: &Store, family: &str, input: GuardianInput) -> Result<Guardian> {
    let name = check_name("guardian name", &input.name)?;
    let g = Guardian {
        id: new_id(),
        family_id: family.to_string(),
        name: name.clone(),
        email: input.email,
        availability: input.availability,
        version: 1,
    };
    let mut tx = store.write(family).await?;
    tx.insert_guardian(family, &g)
        .await
        .map_err(|e| duplicate("guardian", &name, e))?;
    history::note(
        &mut tx,
        family,
        "add_guardian",
        &format!("added guardian {}", g.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(g)
}

#[derive(Debug, Clone)]
pub struct StudentInput {
    pub name: String,
    pub birth_date: Option<Date>,
    pub grade: Option<String>,
    pub availability: WeeklyAvailability,
    pub max_daily_minutes: Option<u32>,
}

pub(super) fn check_cap(cap: Option<u32>) -> Result<()> {
    if cap == Some(0) || cap.is_some_and(|c| c > 1440) {
        return Err(
            Error::invalid("max_daily_minutes", "must be between 1 and 1440")
                .with_hint("leave it out for no daily cap"),
        );
    }
    Ok(())
}

pub async fn add_student(store: &Store, family: &str, input: StudentInput) -> Result<Student> {
    let name = check_name("student name", &input.name)?;
    check_cap(input.max_daily_minutes)?;
    let s = Student {
        id: new_id(),
        family_id: family.to_string(),
        name: name.clone(),
        birth_date: input.birth_date,
        grade: input.grade,
        availability: input.availability,
        max_daily_minutes: input.max_daily_minutes,
        version: 1,
    };
    let mut tx = store.write(family).await?;
    tx.insert_student(family, &s)
        .await
        .map_err(|e| duplicate("student", &name, e))?;
    history::note(
        &mut tx,
        family,
        "add_student",
        &format!("added student {}", s.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// Changes to a student; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct StudentPatch {
    pub name: Option<String>,
    pub birth_date: Option<Date>,
    pub grade: Option<String>,
    pub availability: Option<WeeklyAvailability>,
    pub max_daily_minutes: Option<Option<u32>>,
    /// The version the edit is based on; `None` takes the current one.
    pub expected_version: Option<i64>,
}

pub async fn edit_student(
    store: &Store,
    family: &str,
    key: &str,
    p: StudentPatch,
) -> Result<Student> {
    let mut tx = store.write(family).await?;
    let mut s = tx.find_student(family, key).await?;
    if let Some(v) = p.expected_version {
        s.version = v;
    }
    if let Some(n) = p.name {
        s.name = check_name("student name", &n)?;
    }
    if p.birth_date.is_some() {
        s.birth_date = p.birth_date;
    }
    if p.grade.is_some() {
        s.grade = p.grade;
    }
    if let Some(a) = p.availability {
        s.availability = a;
    }
    if let Some(c) = p.max_daily_minutes {
        check_cap(c)?;
        s.max_daily_minutes = c;
    }
    let name = s.name.clone();
    s.version = tx
        .update_student(family, &s)
        .await
        .map_err(|e| duplicate("student", &name, e))?;
    history::note(
        &mut tx,
        family,
        "edit_student",
        &format!("edited student {}", s.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// `expected`: the version the caller read; a record changed since is a
/// conflict and stays (`None`: remove whatever is there now).
pub async fn remove_student(
    store: &Store,
    family: &str,
    key: &str,
    expected: Option<i64>,
) -> Result<Student> {
    let mut tx = store.write(family).await?;
    let s = tx.find_student(family, key).await?;
    super::unchanged_since(s.version, expected, "the student")?;
    tx.delete_student(family, &s.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_student",
        &format!("removed student {}", s.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

#[derive(Debug, Clone, Default)]
pub struct GuardianPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub availability: Option<WeeklyAvailability>,
    pub expected_version: Option<i64>,
}

pub async fn edit_guardian(
    store: &Store,
    family: &str,
    key: &str,
    p: GuardianPatch,
) -> Result<Guardian> {
    let mut tx = store.write(family).await?;
    let mut g = tx.find_guardian(family, key).await?;
    if let Some(v) = p.expected_version {
        g.version = v;
    }
    if let Some(n) = p.name {
        g.name = check_name("guardian name", &n)?;
    }
    if p.email.is_some() {
        g.email = p.email;
    }
    if let Some(a) = p.availability {
        g.availability = a;
    }
    let name = g.name.clone();
    g.version = tx
        .update_guardian(family, &g)
        .await
        .map_err(|e| duplicate("guardian", &name, e))?;
    history::note(
        &mut tx,
        family,
        "edit_guardian",
        &format!("edited guardian {}", g.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(g)
}

/// `expected`: the version the caller read; a record changed since is a
/// conflict and stays (`None`: remove whatever is there now).
pub async fn remove_guardian(
    store: &Store,
    family: &str,
    key: &str,
    expected: Option<i64>,
) -> Result<Guardian> {
    let mut tx = store.write(family).await?;
    let g = tx.find_guardian(family, key).await?;
    super::unchanged_since(g.version, expected, "the guardian")?;
    tx.delete_guardian(family, &g.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_guardian",
        &format!("removed guardian {}", g.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(g)
}

/// A person's availability on one date differs from the weekly pattern.
pub async fn add_exception(
    store: &Store,
    family: &str,
    person: &str,
    date: Date,
    windows: Vec<Window>,
    note: &str,
) -> Result<AvailabilityException> {
    let mut tx = store.write(family).await?;
    let e = add_exception_in(&mut tx, family, person, date, windows, note).await?;
    history::note(
        &mut tx,
        family,
        "add_exception",
        &format!("added an exception on {date} for {person}"),
        &Undo {
            delete_exceptions: vec![e.id.clone()],
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

/// Adds an availability exception inside `tx` (which the caller commits).
pub(crate) async fn add_exception_in(
    tx: &mut Tx,
    family: &str,
    person: &str,
    date: Date,
    windows: Vec<Window>,
    note: &str,
) -> Result<AvailabilityException> {
    let person_id = match tx.find_student(family, person).await {
        Ok(s) => s.id,
        Err(Error::NotFound { .. }) => {
            tx.find_guardian(family, person)
                .await
                .map_err(|_| {
                    Error::not_found("student or guardian", person).with_hint(
                        "`brightpath student list` and `brightpath guardian list` show the names",
                    )
                })?
                .id
        }
        Err(e) => return Err(e),
    };
    let e = AvailabilityException {
        id: new_id(),
        person_id,
        date,
        windows,
        note: note.to_string(),
    };
    tx.insert_exception(family, &e).await?;
    Ok(e)
}

/// An availability exception with the person's name, for lists.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExceptionView {
    pub id: Id,
    pub person: String,
    pub date: Date,
    pub windows: Vec<Window>,
    pub note: String,
}

/// The family's availability exceptions on dates `from..=to`, by date.
pub async fn list_exceptions(
    store: &Store,
    family: &str,
    from: Date,
    to: Date,
) -> Result<Vec<ExceptionView>> {
    let mut tx = store.read().await?;
    let students = tx.students(family).await?;
    let guardians = tx.guardians(family).await?;
    let name = |id: &str| {
        students
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .or_else(|| {
                guardians
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| g.name.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    Ok(tx
        .exceptions(family, from, to)
        .await?
        .into_iter()
        .map(|e| ExceptionView {
            person: name(&e.person_id),
            id: e.id,
            date: e.date,
            windows: e.windows,
            note: e.note,
        })
        .collect())
}

/// Removes an availability exception by id (or unique id prefix).
pub async fn remove_exception(store: &Store, family: &str, key: &str) -> Result<()> {
    let mut tx = store.write(family).await?;
    let all = tx.exceptions(family, Date::MIN, Date::MAX).await?;
    let e = crate::store::pick(
        &all,
        key,
        "availability exception",
        |e| e.id.as_str(),
        |e| e.id.as_str(),
    )?;
    let e = e.clone();
    tx.delete_exception(family, &e.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_exception",
        &format!("removed the exception on {}", e.date),
        &Undo {
            restore_exceptions: vec![e.clone()],
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
