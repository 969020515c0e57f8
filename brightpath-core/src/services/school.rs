//! Setting up a school: the family, guardians, students, school years and
//! breaks, courses, enrollments and fixed events. Validation that needs more
//! than one field or the database lives here.

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::{Clock, Weekday, WeeklyAvailability, Window};
use crate::error::{Error, Result, is_unique_violation};
use crate::model::*;
use crate::store::{Store, Tx};

/// Which family a command works on: a name or id, or `None` for "the only one".
pub type FamilyRef<'a> = Option<&'a str>;

/// Resolves the family a surface works in.
pub async fn resolve_family(tx: &mut Tx, key: FamilyRef<'_>) -> Result<Family> {
    let all = tx.all_families().await?;
    match key {
        Some(k) => crate::store::pick(
            &all,
            k,
            "family",
            "brightpath family list",
            |f| &f.id,
            |f| &f.name,
        )
        .cloned(),
        None => match all.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::not_found("family", "(none)")
                .with_hint("create one with `brightpath init` or try `brightpath demo`")),
            _ => Err(Error::invalid(
                "family",
                format!("this database holds {} families", all.len()),
            )
            .with_hint("choose one with --family NAME (`brightpath family list` shows them)")),
        },
    }
}

pub fn check_time_zone(tz: &str) -> Result<()> {
    jiff::tz::TimeZone::get(tz).map(|_| ()).map_err(|_| {
        Error::invalid("time_zone", format!("{tz:?} is not a known IANA time zone"))
            .with_hint("use a name like America/Chicago or Europe/Berlin")
    })
}

fn check_name(field: &str, name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(Error::invalid(field, "is empty").with_hint("give it a name"));
    }
    if n.chars().count() > 100 {
        return Err(Error::invalid(field, "is longer than 100 characters"));
    }
    Ok(n.to_string())
}

/// Maps a UNIQUE violation on insert to a `Conflict` that names the duplicate.
fn duplicate(kind: &str, name: &str, e: Error) -> Error {
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
    let name = check_name("family name", &input.name)?;
    check_time_zone(&input.time_zone)?;
    let mut tx = store.tx().await?;
    if tx
        .all_families()
        .await?
        .iter()
        .any(|f| f.name.eq_ignore_ascii_case(&name))
    {
        return Err(
            Error::conflict(format!("a family named {name:?} already exists"))
                .with_hint("choose another name, or use --family to work in it"),
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
    let mut tx = store.tx().await?;
    tx.insert_guardian(family, &g)
        .await
        .map_err(|e| duplicate("guardian", &name, e))?;
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

fn check_cap(cap: Option<u32>) -> Result<()> {
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
    let mut tx = store.tx().await?;
    tx.insert_student(family, &s)
        .await
        .map_err(|e| duplicate("student", &name, e))?;
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
    let mut tx = store.tx().await?;
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
    tx.commit().await?;
    Ok(s)
}

pub async fn remove_student(store: &Store, family: &str, key: &str) -> Result<Student> {
    let mut tx = store.tx().await?;
    let s = tx.find_student(family, key).await?;
    tx.delete_student(family, &s.id).await?;
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
    let mut tx = store.tx().await?;
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
    tx.commit().await?;
    Ok(g)
}

pub async fn remove_guardian(store: &Store, family: &str, key: &str) -> Result<Guardian> {
    let mut tx = store.tx().await?;
    let g = tx.find_guardian(family, key).await?;
    tx.delete_guardian(family, &g.id).await?;
    tx.commit().await?;
    Ok(g)
}

#[derive(Debug, Clone)]
pub struct YearInput {
    pub name: String,
    pub start: Date,
    pub end: Date,
    pub weekdays: Vec<Weekday>,
    pub target_days: Option<u32>,
    pub target_hours: Option<u32>,
    pub target_core_hours: Option<u32>,
}

fn check_span(field: &str, start: Date, end: Date) -> Result<()> {
    if end < start {
        return Err(
            Error::invalid(field, format!("ends on {end}, before it starts on {start}"))
                .with_hint("swap the dates or fix the end date"),
        );
    }
    Ok(())
}

pub async fn add_year(store: &Store, family: &str, input: YearInput) -> Result<SchoolYear> {
    let name = check_name("school year name", &input.name)?;
    check_span("school year", input.start, input.end)?;
    if input.weekdays.is_empty() {
        return Err(Error::invalid("weekdays", "no school day in the week")
            .with_hint("for example mon-fri"));
    }
    let y = SchoolYear {
        id: new_id(),
        name: name.clone(),
        start: input.start,
        end: input.end,
        weekdays: input.weekdays,
        target_days: input.target_days,
        target_hours: input.target_hours,
        target_core_hours: input.target_core_hours,
        version: 1,
    };
    let mut tx = store.tx().await?;
    if let Some(other) = tx
        .years(family)
        .await?
        .iter()
        .find(|o| o.start <= y.end && y.start <= o.end)
    {
        return Err(Error::invalid(
            "school year",
            format!(
                "{} to {} overlaps the school year {:?} ({} to {})",
                y.start, y.end, other.name, other.start, other.end
            ),
        )
        .with_hint("school years of a family may not overlap; adjust the dates"));
    }
    tx.insert_year(family, &y)
        .await
        .map_err(|e| duplicate("school year", &name, e))?;
    tx.commit().await?;
    Ok(y)
}

pub async fn remove_year(store: &Store, family: &str, key: &str) -> Result<SchoolYear> {
    let mut tx = store.tx().await?;
    let y = tx.find_year(family, key).await?;
    tx.delete_year(family, &y.id).await?;
    tx.commit().await?;
    Ok(y)
}

/// The school year that holds `date`, if any.
pub async fn year_of(tx: &mut Tx, family: &str, date: Date) -> Result<Option<SchoolYear>> {
    Ok(tx
        .years(family)
        .await?
        .into_iter()
        .find(|y| y.contains(date)))
}

#[derive(Debug, Clone)]
pub struct BreakInput {
    /// The year by name or id; `None`: the year that holds `start`.
    pub year: Option<String>,
    pub name: String,
    pub kind: BreakKind,
    pub start: Date,
    pub end: Date,
    /// Student names or ids; empty: the whole family.
    pub students: Vec<String>,
}

pub async fn add_break(store: &Store, family: &str, input: BreakInput) -> Result<Break> {
    let name = check_name("break name", &input.name)?;
    check_span("break", input.start, input.end)?;
    let mut tx = store.tx().await?;
    let year = match &input.year {
        Some(k) => tx.find_year(family, k).await?,
        None => year_of(&mut tx, family, input.start)
            .await?
            .ok_or_else(|| {
                Error::invalid("break", format!("no school year holds {}", input.start))
                    .with_hint("add the school year first (brightpath year add) or pass --year")
            })?,
    };
    if input.start < year.start || input.end > year.end {
        return Err(Error::invalid(
            "break",
            format!(
                "{} to {} is not inside the school year {:?} ({} to {})",
                input.start, input.end, year.name, year.start, year.end
            ),
        ));
    }
    let mut student_ids = Vec::new();
    for k in &input.students {
        student_ids.push(tx.find_student(family, k).await?.id);
    }
    let b = Break {
        id: new_id(),
        school_year_id: year.id,
        name,
        kind: input.kind,
        start: input.start,
        end: input.end,
        student_ids,
    };
    tx.insert_break(family, &b).await?;
    tx.commit().await?;
    Ok(b)
}

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
    if c.weekdays.as_ref().is_some_and(Vec::is_empty) {
        return Err(Error::invalid("weekdays", "no day allowed"));
    }
    Ok(())
}

pub async fn add_course(store: &Store, family: &str, input: CourseInput) -> Result<Course> {
    let name = check_name("course name", &input.name)?;
    let mut tx = store.tx().await?;
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
    pub weekdays: Option<Option<Vec<Weekday>>>,
    pub priority: Option<u32>,
    pub expected_version: Option<i64>,
}

pub async fn edit_course(store: &Store, family: &str, key: &str, p: CoursePatch) -> Result<Course> {
    let mut tx = store.tx().await?;
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
    if let Some(d) = p.weekdays {
        c.weekdays = d;
    }
    check_course(&c)?;
    let name = c.name.clone();
    c.version = tx
        .update_course(family, &c)
        .await
        .map_err(|e| duplicate("course", &name, e))?;
    tx.commit().await?;
    Ok(c)
}

pub async fn remove_course(store: &Store, family: &str, key: &str) -> Result<Course> {
    let mut tx = store.tx().await?;
    let c = tx.find_course(family, key).await?;
    tx.delete_course(family, &c.id).await?;
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
    let mut tx = store.tx().await?;
    let c = tx.find_course(family, course).await?;
    let e = enroll_in(&mut tx, family, &c, student, start_seq).await?;
    tx.commit().await?;
    Ok(e)
}

pub async fn unenroll(store: &Store, family: &str, course: &str, student: &str) -> Result<()> {
    let mut tx = store.tx().await?;
    let c = tx.find_course(family, course).await?;
    let s = tx.find_student(family, student).await?;
    let e = tx
        .enrollments(family)
        .await?
        .into_iter()
        .find(|e| e.course_id == c.id && e.student_id == s.id)
        .ok_or_else(|| Error::not_found("enrollment", format!("{} in {}", s.name, c.name)))?;
    tx.delete_enrollment(family, &e.id).await?;
    tx.commit().await
}

#[derive(Debug, Clone)]
pub struct EventInput {
    pub name: String,
    pub recurrence: Recurrence,
    pub window: Window,
    pub away: bool,
    pub students: Vec<String>,
    pub guardians: Vec<String>,
}

pub async fn add_event(store: &Store, family: &str, input: EventInput) -> Result<FixedEvent> {
    let name = check_name("event name", &input.name)?;
    if input.students.is_empty() && input.guardians.is_empty() {
        return Err(Error::invalid("event", "names no student and no guardian")
            .with_hint("say who attends with --students and/or --guardians"));
    }
    let mut tx = store.tx().await?;
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
        student_ids,
        guardian_ids,
        version: 1,
    };
    tx.insert_event(family, &e)
        .await
        .map_err(|err| duplicate("event", &name, err))?;
    tx.commit().await?;
    Ok(e)
}

pub async fn remove_event(store: &Store, family: &str, key: &str) -> Result<FixedEvent> {
    let mut tx = store.tx().await?;
    let e = tx.find_event(family, key).await?;
    tx.delete_event(family, &e.id).await?;
    tx.commit().await?;
    Ok(e)
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
    let mut tx = store.tx().await?;
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
    tx.commit().await?;
    Ok(e)
}

/// A summary of a family's school, for `brightpath status` and the demo.
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
    let mut tx = store.tx().await?;
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

#[derive(Debug, Clone, Default)]
pub struct YearPatch {
    pub name: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub weekdays: Option<Vec<Weekday>>,
    pub target_days: Option<u32>,
    pub target_hours: Option<u32>,
    pub target_core_hours: Option<u32>,
    pub expected_version: Option<i64>,
}

pub async fn edit_year(store: &Store, family: &str, key: &str, p: YearPatch) -> Result<SchoolYear> {
    let mut tx = store.tx().await?;
    let mut y = tx.find_year(family, key).await?;
    if let Some(v) = p.expected_version {
        y.version = v;
    }
    if let Some(n) = p.name {
        y.name = check_name("school year name", &n)?;
    }
    y.start = p.start.unwrap_or(y.start);
    y.end = p.end.unwrap_or(y.end);
    check_span("school year", y.start, y.end)?;
    if let Some(d) = p.weekdays {
        y.weekdays = d;
    }
    y.target_days = p.target_days.or(y.target_days);
    y.target_hours = p.target_hours.or(y.target_hours);
    y.target_core_hours = p.target_core_hours.or(y.target_core_hours);
    if let Some(other) = tx
        .years(family)
        .await?
        .iter()
        .find(|o| o.id != y.id && o.start <= y.end && y.start <= o.end)
    {
        return Err(Error::invalid(
            "school year",
            format!(
                "{} to {} overlaps the school year {:?}",
                y.start, y.end, other.name
            ),
        ));
    }
    let name = y.name.clone();
    y.version = tx
        .update_year(family, &y)
        .await
        .map_err(|e| duplicate("school year", &name, e))?;
    tx.commit().await?;
    Ok(y)
}

#[derive(Debug, Clone, Default)]
pub struct EventPatch {
    pub name: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub window: Option<Window>,
    pub away: Option<bool>,
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
    let mut tx = store.tx().await?;
    let mut e = tx.find_event(family, key).await?;
    if let Some(v) = p.expected_version {
        e.version = v;
    }
    if let Some(n) = p.name {
        e.name = check_name("event name", &n)?;
    }
    e.recurrence = p.recurrence.unwrap_or(e.recurrence);
    e.window = p.window.unwrap_or(e.window);
    e.away = p.away.unwrap_or(e.away);
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
    tx.commit().await?;
    Ok(e)
}

pub async fn remove_break(store: &Store, family: &str, key: &str) -> Result<Break> {
    let mut tx = store.tx().await?;
    let all = tx.breaks(family).await?;
    let b = crate::store::pick(
        &all,
        key,
        "break",
        "brightpath break list",
        |b| &b.id,
        |b| &b.name,
    )?
    .clone();
    tx.delete_break(family, &b.id).await?;
    tx.commit().await?;
    Ok(b)
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
