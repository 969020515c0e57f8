//! Setting up a school: the family, guardians, students, school years and
//! breaks, courses, enrollments and fixed events. Validation that needs more
//! than one field or the database lives here.

use serde::Serialize;

use crate::calendar::Clock;
use crate::error::{Error, Result, is_unique_violation};
use crate::model::*;
use crate::store::{Store, Tx};

mod courses;
mod events;
mod people;
mod years;

pub use courses::*;
pub use events::*;
pub use people::*;
pub use years::*;

/// Which family a command works on: a name or id, or `None` for "the only one".
pub type FamilyRef<'a> = Option<&'a str>;

/// Resolves the family a surface works in.
pub async fn resolve_family(tx: &mut Tx, key: FamilyRef<'_>) -> Result<Family> {
    let all = tx.all_families().await?;
    match key {
        Some(k) => crate::store::pick(&all, k, "family", |f| &f.id, |f| &f.name).cloned(),
        None => match all.as_slice() {
            [one] => Ok(one.clone()),
            [] => {
                Err(Error::not_found("family", "(none)").with_remedy(crate::Remedy::CreateFamily))
            }
            _ => Err(Error::invalid(
                "family",
                format!("this database holds {} families", all.len()),
            )
            .with_remedy(crate::Remedy::ChooseFamily)),
        },
    }
}

pub fn check_time_zone(tz: &str) -> Result<()> {
    jiff::tz::TimeZone::get(tz).map(|_| ()).map_err(|_| {
        Error::invalid("time_zone", format!("{tz:?} is not a known IANA time zone"))
            .with_hint("use a name like America/Chicago or Europe/Berlin")
    })
}

pub(super) fn check_name(field: &str, name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(Error::invalid(field, "is empty").with_hint("give it a name"));
    }
    if n.chars().count() > 100 {
        return Err(Error::invalid(field, "is longer than 100 characters"));
    }
    Ok(n.to_string())
}

/// A removal that names the version it read is refused when the record
/// changed since (checked inside the removal's transaction).
pub(super) fn unchanged_since(current: i64, expected: Option<i64>, what: &str) -> Result<()> {
    match expected {
        Some(v) if v != current => Err(Error::conflict(format!(
            "{what} was changed by someone else (now version {current})"
        ))
        .with_hint("read it again, then decide")),
        _ => Ok(()),
    }
}

/// Maps a UNIQUE violation on insert to a `Conflict` that names the duplicate.
pub(super) fn duplicate(kind: &str, name: &str, e: Error) -> Error {
    match &e {
        Error::Database(db) if is_unique_violation(db) => {
            Error::conflict(format!("a {kind} named {name:?} already exists"))
                .with_hint(format!("choose another name, or edit the existing {kind}"))
        }
        _ => e,
    }
}

#[derive(Debug, Clone)]
pub struct NewFamily {
    pub name: String,
    pub time_zone: String,
}

pub async fn create_family(store: &Store, input: NewFamily) -> Result<Family> {
    insert_family(store, input, true).await
}

/// A family created on a shared server: its name may be another tenant's
/// too (the web app names families by id, and a name check would tell one
/// family that another exists).
pub async fn create_tenant_family(store: &Store, input: NewFamily) -> Result<Family> {
    insert_family(store, input, false).await
}

async fn insert_family(store: &Store, input: NewFamily, unique_name: bool) -> Result<Family> {
    let name = check_name("family name", &input.name)?;
    check_time_zone(&input.time_zone)?;
    let mut tx = store.tx().await?;
    if unique_name
        && tx
            .all_families()
            .await?
            .iter()
            .any(|f| f.name.eq_ignore_ascii_case(&name))
    {
        return Err(
            Error::conflict(format!("a family named {name:?} already exists"))
                .with_remedy(crate::Remedy::FamilyExists),
        );
    }
    let f = Family {
        id: new_id(),
        coop_id: None,
        name,
        time_zone: input.time_zone,
        version: 1,
    };
    tx.insert_family(&f).await?;
    tx.commit().await?;
    Ok(f)
}

/// Renames a family or moves it to another time zone. `expected_version`:
/// the version the caller read (a stale one is a conflict, nothing written).
pub async fn edit_family(
    store: &Store,
    id: &str,
    name: Option<String>,
    time_zone: Option<String>,
    expected_version: Option<i64>,
) -> Result<Family> {
    let mut tx = store.write(id).await?;
    let mut f = tx.family(id).await?;
    if let Some(v) = expected_version {
        f.version = v;
    }
    if let Some(n) = name {
        f.name = check_name("family name", &n)?;
    }
    if let Some(tz) = time_zone {
        check_time_zone(&tz)?;
        f.time_zone = tz;
    }
    f.version = tx.update_family(&f).await?;
    crate::services::history::note(
        &mut tx,
        id,
        "edit_family",
        &format!("family is now {} ({})", f.name, f.time_zone),
        &crate::services::history::Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(f)
}

/// A summary of a family's school, for `brightpath status` and the demo.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub family: Family,
    pub guardians: Vec<Guardian>,
    pub students: Vec<Student>,
    pub years: Vec<SchoolYear>,
    pub breaks: Vec<Break>,
    pub courses: Vec<Course>,
    pub enrollments: Vec<Enrollment>,
    pub events: Vec<FixedEvent>,
    pub lesson_counts: Vec<(Id, usize)>,
}

pub async fn overview(store: &Store, family: &Family) -> Result<Overview> {
    let mut tx = store.read().await?;
    let f = &family.id;
    let lessons = tx.lessons(f).await?;
    let courses = tx.courses(f).await?;
    let lesson_counts = courses
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                lessons.iter().filter(|l| l.course_id == c.id).count(),
            )
        })
        .collect();
    Ok(Overview {
        family: family.clone(),
        guardians: tx.guardians(f).await?,
        students: tx.students(f).await?,
        years: tx.years(f).await?,
        breaks: tx.breaks(f).await?,
        courses,
        enrollments: tx.enrollments(f).await?,
        events: tx.events(f).await?,
        lesson_counts,
    })
}

/// Parses `HH:MM` for surfaces (kept here so all surfaces share the wording).
pub fn parse_clock(field: &str, text: &str) -> Result<Clock> {
    Clock::parse(field, text)
}

/// What `init` asks for: a family with its first guardian and school year.
#[derive(Debug, Clone)]
pub struct InitInput {
    pub family: NewFamily,
    pub guardian: GuardianInput,
    pub year: YearInput,
}

/// Creates a family with its first guardian and school year: all of it, or
/// (on any error) none of it.
pub async fn init_school(store: &Store, input: InitInput) -> Result<Family> {
    check_span("school year", input.year.start, input.year.end)?;
    let family = create_family(store, input.family).await?;
    let rest = async {
        add_guardian(store, &family.id, input.guardian).await?;
        add_year(store, &family.id, input.year).await
    }
    .await;
    if let Err(e) = rest {
        let mut tx = store.tx().await?;
        tx.delete_family(&family.id).await?;
        tx.commit().await?;
        return Err(e);
    }
    Ok(family)
}
