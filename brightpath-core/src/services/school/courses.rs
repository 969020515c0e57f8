//! Courses and who is enrolled in them.

use crate::calendar::{Weekday, Window};
use crate::error::{Error, Result, is_unique_violation};
use crate::model::*;
use crate::services::history::{self, Undo};
use crate::store::{Store, Tx};

use super::{check_name, duplicate};

#[derive(Debug, Clone)]
pub struct CourseInput {
    pub name: String,
    pub subject: String,
    pub core: bool,
    pub lesson_minutes: u32,
    pub sessions_per_week: u32,
    pub max_per_day: u32,
    /// Guardian name or id; `None`: independent work.
    pub teacher: Option<String>,
    pub grouped: bool,
    pub preferred: Option<Window>,
    /// Weight of the preferred time against the planner's other wishes
    /// (`None`: the planner's default, 10).
    pub preferred_weight: Option<u32>,
    pub weekdays: Option<Vec<Weekday>>,
    pub priority: u32,
    /// Students to enroll right away.
    pub students: Vec<String>,
}

fn check_course(c: &Course) -> Result<()> {
    if c.lesson_minutes == 0 || c.lesson_minutes > 600 {
        return Err(Error::invalid(
            "lesson minutes",
            format!("{} is not between 1 and 600", c.lesson_minutes),
        ));
    }
    if !c.lesson_minutes.is_multiple_of(5) {
        return Err(Error::invalid(
            "lesson minutes",
            format!("{} is not a multiple of 5", c.lesson_minutes),
        )
        .with_hint("plans use a 5-minute grid; round to 5, e.g. 45"));
    }
    if c.sessions_per_week == 0 || c.sessions_per_week > 21 {
        return Err(Error::invalid(
            "sessions per week",
            format!("{} is not between 1 and 21", c.sessions_per_week),
        ));
    }
    if c.max_per_day == 0 {
        return Err(Error::invalid("max per day", "must be at least 1"));
    }
    if c.priority == 0 || c.priority > 10 {
        return Err(Error::invalid(
            "priority",
            format!("{} is not between 1 and 10", c.priority),
        ));
    }
    if let Some(w) = c.preferred
        && (w.start.0 % 5 != 0 || w.end.0 % 5 != 0)
    {
        return Err(Error::invalid(
            "preferred",
            format!("{w} is not on the 5-minute grid"),
        ));
    }
    if c.preferred_weight.is_some_and(|w| w > 1000) {
        return Err(Error::invalid(
            "preferred weight",
            format!(
                "{} is not between 0 and 1000",
                c.preferred_weight.unwrap_or(0)
            ),
        )
        .with_hint("10 is the planner's default; 100 makes the preferred time nearly a rule"));
    }
    if c.weekdays.as_ref().is_some_and(Vec::is_empty) {
        return Err(Error::invalid("weekdays", "no day allowed"));
    }
    Ok(())
}

pub async fn add_course(store: &Store, family: &str, input: CourseInput) -> Result<Course> {
    let name = check_name("course name", &input.name)?;
    let mut tx = store.write(family).await?;
    let teacher_id = match &input.teacher {
        Some(t) => Some(tx.find_guardian(family, t).await?.id),
        None => None,
    };
    let c = Course {
        id: new_id(),
        name: name.clone(),
        subject: check_name("subject", &input.subject)?.to_lowercase(),
        core: input.core,
        lesson_minutes: input.lesson_minutes,
        sessions_per_week: input.sessions_per_week,
        max_per_day: input.max_per_day,
        teacher_id,
        grouped: input.grouped,
        preferred: input.preferred,
        preferred_weight: input.preferred_weight,
        weekdays: input.weekdays,
        priority: input.priority,
        version: 1,
    };
    check_course(&c)?;
    tx.insert_course(family, &c)
        .await
        .map_err(|e| duplicate("course", &name, e))?;
    for s in &input.students {
        enroll_in(&mut tx, family, &c, s, 1).await?;
    }
    history::note(
        &mut tx,
        family,
        "add_course",
        &format!("added course {}", c.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

#[derive(Debug, Clone, Default)]
pub struct CoursePatch {
    pub name: Option<String>,
    pub subject: Option<String>,
    pub core: Option<bool>,
    pub lesson_minutes: Option<u32>,
    pub sessions_per_week: Option<u32>,
    pub max_per_day: Option<u32>,
    /// `Some(None)`: make it independent work.
    pub teacher: Option<Option<String>>,
    pub grouped: Option<bool>,
    pub preferred: Option<Option<Window>>,
    /// `Some(None)`: back to the planner's default weight.
    pub preferred_weight: Option<Option<u32>>,
    pub weekdays: Option<Option<Vec<Weekday>>>,
    pub priority: Option<u32>,
    pub expected_version: Option<i64>,
}

pub async fn edit_course(store: &Store, family: &str, key: &str, p: CoursePatch) -> Result<Course> {
    let mut tx = store.write(family).await?;
    let mut c = tx.find_course(family, key).await?;
    if let Some(v) = p.expected_version {
        c.version = v;
    }
    if let Some(n) = p.name {
        c.name = check_name("course name", &n)?;
    }
    if let Some(s) = p.subject {
        c.subject = check_name("subject", &s)?.to_lowercase();
    }
    c.core = p.core.unwrap_or(c.core);
    c.lesson_minutes = p.lesson_minutes.unwrap_or(c.lesson_minutes);
    c.sessions_per_week = p.sessions_per_week.unwrap_or(c.sessions_per_week);
    c.max_per_day = p.max_per_day.unwrap_or(c.max_per_day);
    c.grouped = p.grouped.unwrap_or(c.grouped);
    c.priority = p.priority.unwrap_or(c.priority);
    if let Some(t) = p.teacher {
        c.teacher_id = match t {
            Some(t) => Some(tx.find_guardian(family, &t).await?.id),
            None => None,
        };
    }
    if let Some(w) = p.preferred {
        c.preferred = w;
    }
    if let Some(w) = p.preferred_weight {
        c.preferred_weight = w;
    }
    if let Some(d) = p.weekdays {
        c.weekdays = d;
    }
    check_course(&c)?;
    let name = c.name.clone();
    c.version = tx
        .update_course(family, &c)
        .await
        .map_err(|e| duplicate("course", &name, e))?;
    history::note(
        &mut tx,
        family,
        "edit_course",
        &format!("edited course {}", c.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// `expected`: the version the caller read; a record changed since is a
/// conflict and stays (`None`: remove whatever is there now).
pub async fn remove_course(
    store: &Store,
    family: &str,
    key: &str,
    expected: Option<i64>,
) -> Result<Course> {
    let mut tx = store.write(family).await?;
    let c = tx.find_course(family, key).await?;
    super::unchanged_since(c.version, expected, "the course")?;
    tx.delete_course(family, &c.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_course",
        &format!("removed course {}", c.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

async fn enroll_in(
    tx: &mut Tx,
    family: &str,
    course: &Course,
    student: &str,
    start_seq: u32,
) -> Result<Enrollment> {
    let s = tx.find_student(family, student).await?;
    let e = Enrollment {
        id: new_id(),
        course_id: course.id.clone(),
        student_id: s.id.clone(),
        start_seq: start_seq.max(1),
    };
    tx.insert_enrollment(family, &e)
        .await
        .map_err(|err| match &err {
            Error::Database(db) if is_unique_violation(db) => {
                Error::conflict(format!("{} is already enrolled in {}", s.name, course.name))
            }
            _ => err,
        })?;
    Ok(e)
}

/// Enrolls a student in a course, starting at curriculum lesson `start_seq`.
pub async fn enroll(
    store: &Store,
    family: &str,
    course: &str,
    student: &str,
    start_seq: u32,
) -> Result<Enrollment> {
    let mut tx = store.write(family).await?;
    let c = tx.find_course(family, course).await?;
    let e = enroll_in(&mut tx, family, &c, student, start_seq).await?;
    let summary = format!("enrolled {student} in {}", c.name);
    history::note(&mut tx, family, "enroll", &summary, &Undo::irreversible()).await?;
    tx.commit().await?;
    Ok(e)
}

pub async fn unenroll(store: &Store, family: &str, course: &str, student: &str) -> Result<()> {
    let mut tx = store.write(family).await?;
    let c = tx.find_course(family, course).await?;
    let s = tx.find_student(family, student).await?;
    let e = tx
        .enrollments(family)
        .await?
        .into_iter()
        .find(|e| e.course_id == c.id && e.student_id == s.id)
        .ok_or_else(|| Error::not_found("enrollment", format!("{} in {}", s.name, c.name)))?;
    tx.delete_enrollment(family, &e.id).await?;
    let summary = format!("took {} out of {}", s.name, c.name);
    history::note(&mut tx, family, "unenroll", &summary, &Undo::irreversible()).await?;
    tx.commit().await
}
