//! Read models for the surfaces: what a family's lists hold, with people's
//! and courses' names joined in, each read in one read transaction. The CLI,
//! the TUI, the worker and the HTTP API list a school through these, never
//! through the store's transactions.

use serde::Serialize;

use crate::error::Result;
use crate::model::*;
use crate::store::Store;

use super::FamilyRef;

/// Every family in the database, by name.
pub async fn families(store: &Store) -> Result<Vec<Family>> {
    store.read().await?.all_families().await
}

/// The families where a guardian has this e-mail address.
pub async fn families_of_email(store: &Store, email: &str) -> Result<Vec<Family>> {
    store.read().await?.families_of_email(email).await
}

/// The family a command means: named (by name or id), or the only one.
pub async fn family(store: &Store, key: FamilyRef<'_>) -> Result<Family> {
    super::school::resolve_family(&mut store.read().await?, key).await
}

/// A family by its exact id (as a job payload names it).
pub async fn family_by_id(store: &Store, id: &str) -> Result<Family> {
    store.read().await?.family(id).await
}

pub async fn students(store: &Store, family: &str) -> Result<Vec<Student>> {
    store.read().await?.students(family).await
}

pub async fn guardians(store: &Store, family: &str) -> Result<Vec<Guardian>> {
    store.read().await?.guardians(family).await
}

pub async fn years(store: &Store, family: &str) -> Result<Vec<SchoolYear>> {
    store.read().await?.years(family).await
}

/// A student by name or id (or a unique id prefix).
pub async fn find_student(store: &Store, family: &str, key: &str) -> Result<Student> {
    store.read().await?.find_student(family, key).await
}

/// Every session of a family, all weeks, with its feedback (for learning
/// from it), read with the family's students and courses at one moment.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Feedback {
    pub sessions: Vec<Session>,
    /// Children's own ratings of group lessons (a field left out: the
    /// session's own holds for that child).
    pub ratings: Vec<ChildRating>,
    pub students: Vec<Student>,
    pub courses: Vec<Course>,
}

pub async fn feedback(store: &Store, family: &str) -> Result<Feedback> {
    let mut tx = store.read().await?;
    Ok(Feedback {
        sessions: tx.all_sessions(family).await?,
        ratings: tx.ratings_between(family, None).await?,
        students: tx.students(family).await?,
        courses: tx.courses(family).await?,
    })
}

/// One child's part in one marked session: the feedback as recorded, the
/// child's own rating of a group lesson over the session's figures.
#[derive(Debug, Clone, Serialize)]
pub struct FeedbackRow {
    pub session_id: Id,
    pub date: jiff::civil::Date,
    pub start: crate::calendar::Clock,
    pub student: String,
    pub course: String,
    pub subject: String,
    /// done, partial, skipped or missed.
    pub status: SessionStatus,
    pub planned_minutes: u32,
    /// None: not recorded (a mark without minutes).
    pub actual_minutes: Option<u32>,
    pub engagement: Option<u8>,
    pub difficulty: Option<u8>,
    pub grade: Option<String>,
    pub note: Option<String>,
    /// How many children the session had (over 1: a group lesson).
    pub children: usize,
    /// When it was marked (RFC 3339; on the `today` setting's date when set).
    pub marked_at: Option<String>,
}

/// The feedback of a family's marked sessions dated `from..=to`, one row per
/// session and child, in time order; `student` (a name or id) keeps one child's.
pub async fn feedback_rows(
    store: &Store,
    family: &str,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    student: Option<&str>,
) -> Result<Vec<FeedbackRow>> {
    let mut tx = store.read().await?;
    let only = match student {
        Some(k) => Some(tx.find_student(family, k).await?.id),
        None => None,
    };
    let p = people_in(&mut tx, family).await?;
    let marked = tx.marked_sessions(family, from, to).await?;
    let own = tx.ratings_between(family, Some((from, to))).await?;
    let mut rows = Vec::new();
    for (s, marked_at) in marked {
        let course = p.courses.iter().find(|c| c.id == s.course_id);
        for child in s
            .student_ids
            .iter()
            .filter(|id| only.as_ref().is_none_or(|o| o == *id))
        {
            let r = ChildRating::over(
                own.iter()
                    .find(|r| r.session_id == s.id && r.student_id == *child),
                &s,
            );
            rows.push(FeedbackRow {
                session_id: s.id.clone(),
                date: s.date,
                start: s.start,
                student: p.student_name(child),
                course: course
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| p.course_name(&s.course_id)),
                subject: course.map(|c| c.subject.clone()).unwrap_or_default(),
                status: s.status,
                planned_minutes: s.minutes,
                actual_minutes: r.actual_minutes,
                engagement: r.engagement,
                difficulty: r.difficulty,
                grade: s.grade.clone(),
                note: r.note,
                children: s.student_ids.len(),
                marked_at: marked_at.clone(),
            });
        }
    }
    Ok(rows)
}

/// The people and courses of a family, read at one moment.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct People {
    pub students: Vec<Student>,
    pub guardians: Vec<Guardian>,
    pub courses: Vec<Course>,
    pub enrollments: Vec<Enrollment>,
}

impl People {
    pub fn student_name(&self, id: &str) -> String {
        name_of(self.students.iter().map(|s| (&s.id, &s.name)), id)
    }

    pub fn guardian_name(&self, id: &str) -> String {
        name_of(self.guardians.iter().map(|g| (&g.id, &g.name)), id)
    }

    pub fn course_name(&self, id: &str) -> String {
        name_of(self.courses.iter().map(|c| (&c.id, &c.name)), id)
    }
}

fn name_of<'a>(mut all: impl Iterator<Item = (&'a Id, &'a String)>, id: &str) -> String {
    all.find(|(x, _)| *x == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| short(id).to_string())
}

pub async fn people(store: &Store, family: &str) -> Result<People> {
    people_in(&mut store.read().await?, family).await
}

/// A course with its teacher's and students' names.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CourseRow {
    #[serde(flatten)]
    pub course: Course,
    /// `None`: independent work.
    pub teacher: Option<String>,
    pub students: Vec<String>,
}

pub async fn courses(store: &Store, family: &str) -> Result<Vec<CourseRow>> {
    let p = people(store, family).await?;
    Ok(p.courses
        .iter()
        .map(|c| CourseRow {
            teacher: c.teacher_id.as_deref().map(|t| p.guardian_name(t)),
            students: p
                .enrollments
                .iter()
                .filter(|e| e.course_id == c.id)
                .map(|e| p.student_name(&e.student_id))
                .collect(),
            course: c.clone(),
        })
        .collect())
}

/// Who takes what, from which lesson on.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct EnrollmentRow {
    pub id: Id,
    pub student: String,
    pub course: String,
    pub start_seq: u32,
}

/// Every enrollment, by student and course.
pub async fn enrollments(store: &Store, family: &str) -> Result<Vec<EnrollmentRow>> {
    let p = people(store, family).await?;
    let mut rows: Vec<EnrollmentRow> = p
        .enrollments
        .iter()
        .map(|e| EnrollmentRow {
            id: e.id.clone(),
            student: p.student_name(&e.student_id),
            course: p.course_name(&e.course_id),
            start_seq: e.start_seq,
        })
        .collect();
    rows.sort_by(|a, b| (&a.student, &a.course).cmp(&(&b.student, &b.course)));
    Ok(rows)
}

/// A fixed event with the names of who attends.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    #[serde(flatten)]
    pub event: FixedEvent,
    pub students: Vec<String>,
    pub guardians: Vec<String>,
}

pub async fn events(store: &Store, family: &str) -> Result<Vec<EventRow>> {
    let (list, p) = {
        let mut tx = store.read().await?;
        (tx.events(family).await?, people_in(&mut tx, family).await?)
    };
    Ok(list
        .into_iter()
        .map(|e| EventRow {
            students: e.student_ids.iter().map(|id| p.student_name(id)).collect(),
            guardians: e
                .guardian_ids
                .iter()
                .map(|id| p.guardian_name(id))
                .collect(),
            event: e,
        })
        .collect())
}

/// A break with the names of the children it is for (none: everyone).
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct BreakRow {
    #[serde(flatten)]
    pub brk: Break,
    pub students: Vec<String>,
}

pub async fn breaks(store: &Store, family: &str) -> Result<Vec<BreakRow>> {
    let (list, p) = {
        let mut tx = store.read().await?;
        (tx.breaks(family).await?, people_in(&mut tx, family).await?)
    };
    Ok(list
        .into_iter()
        .map(|b| BreakRow {
            students: b.student_ids.iter().map(|id| p.student_name(id)).collect(),
            brk: b,
        })
        .collect())
}

async fn people_in(tx: &mut crate::store::Tx, family: &str) -> Result<People> {
    Ok(People {
        students: tx.students(family).await?,
        guardians: tx.guardians(family).await?,
        courses: tx.courses(family).await?,
        enrollments: tx.enrollments(family).await?,
    })
}
