//! The school itself: the family, its people, years and breaks, courses and
//! enrollments, fixed events and availability exceptions. Changes need a
//! guardian's (or the local parent's) access; edits and removals of things
//! that carry a version take `If-Match` and refuse a stale one with 412.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use brightpath_core::calendar::{Clock, Weekday, WeeklyAvailability, Window, parse_windows};
use brightpath_core::model::{
    AvailabilityException, BreakKind, Course, FixedEvent, Guardian, Recurrence, SchoolTime,
    SchoolYear, Student,
};
use brightpath_core::services::school::{self as svc, ExceptionView};
use brightpath_core::services::{lists, web};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ApiResult, Page, PageQuery, body, if_match, page, school};
use crate::http::AppState;
use crate::http::auth::Caller;
use crate::http::problem::from_core;

type Ids = Path<(String, String)>;

fn created<T: Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

/// An optional `If-Match`: edits without one apply to the current version.
fn version(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    if headers.contains_key(axum::http::header::IF_MATCH) {
        if_match(headers).map(Some)
    } else {
        Ok(None)
    }
}

fn hours(field: &str, text: Option<&str>) -> ApiResult<WeeklyAvailability> {
    match text {
        Some(t) if !t.trim().is_empty() => Ok(WeeklyAvailability::parse(field, t)?),
        _ => Ok(WeeklyAvailability::default()),
    }
}

fn window(field: &str, text: &str) -> ApiResult<Window> {
    Ok(Window::parse(field, text)?)
}

/// The family and what it holds, as `brightpath status` shows it.
pub async fn get_family(caller: Caller, Path(fid): Path<String>) -> ApiResult<Json<svc::Overview>> {
    let f = school(&caller, &fid).await?;
    Ok(Json(svc::overview(&caller.store, &f).await?))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyPatchBody {
    name: Option<String>,
    /// An IANA time zone, e.g. `America/Chicago`.
    time_zone: Option<String>,
}

/// `PATCH …/families/{family}`: its name or time zone (`If-Match`: the
/// version read).
pub async fn edit_family(
    caller: Caller,
    Path(fid): Path<String>,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<brightpath_core::model::Family>> {
    let expected = version(&headers)?;
    let f = school(&caller, &fid).await?;
    let b: FamilyPatchBody = body(&b)?;
    svc::edit_family(&caller.store, &f.id, b.name, b.time_zone, expected)
        .await
        .map(Json)
        .map_err(|e| from_core(&e, expected.is_some()))
}

// ---- guardians ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardianBody {
    name: String,
    /// Their sign-in e-mail (the family shows for it when they sign in).
    email: Option<String>,
    /// Teaching hours, e.g. `mon-fri 08:00-12:00; sat 09:00-11:00`.
    hours: Option<String>,
}

pub async fn list_guardians(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Guardian>>> {
    let f = school(&caller, &fid).await?;
    let all = lists::guardians(&caller.store, &f.id).await?;
    Ok(Json(page(all, &q, |g| format!("{}\u{0}{}", g.name, g.id))?))
}

pub async fn add_guardian(
    caller: Caller,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: GuardianBody = body(&b)?;
    let input = svc::GuardianInput {
        name: b.name,
        email: b.email,
        availability: hours("hours", b.hours.as_deref())?,
    };
    Ok(created(
        svc::add_guardian(&caller.store, &f.id, input).await?,
    ))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardianPatchBody {
    name: Option<String>,
    email: Option<String>,
    hours: Option<String>,
}

pub async fn edit_guardian(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<Guardian>> {
    let expected = version(&headers)?;
    let f = school(&caller, &fid).await?;
    let b: GuardianPatchBody = body(&b)?;
    let p = svc::GuardianPatch {
        name: b.name,
        email: b.email,
        availability: match b.hours.as_deref() {
            Some(h) => Some(hours("hours", Some(h))?),
            None => None,
        },
        expected_version: expected,
    };
    svc::edit_guardian(&caller.store, &f.id, &id, p)
        .await
        .map(Json)
        .map_err(|e| from_core(&e, expected.is_some()))
}

pub async fn remove_guardian(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    let expected = version(&headers)?;
    svc::remove_guardian(&caller.store, &f.id, &id, expected)
        .await
        .map_err(|e| from_core(&e, expected.is_some()))?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- students ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StudentBody {
    name: String,
    birth_date: Option<Date>,
    grade: Option<String>,
    /// School hours, e.g. `mon-fri 08:30-14:30`.
    hours: Option<String>,
    /// At most this many minutes of lessons a day (1 to 1440).
    daily_cap: Option<u32>,
}

/// A student, with their own login's e-mail when they have one.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StudentRow {
    #[serde(flatten)]
    student: Student,
    login_email: Option<String>,
}

pub async fn list_students(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<StudentRow>>> {
    let f = school(&caller, &fid).await?;
    let logins = web::student_logins(&caller.store, &f.id).await?;
    let all = lists::students(&caller.store, &f.id)
        .await?
        .into_iter()
        .map(|s| StudentRow {
            login_email: logins
                .iter()
                .find(|(id, _)| *id == s.id)
                .map(|(_, e)| e.clone()),
            student: s,
        })
        .collect();
    Ok(Json(page(all, &q, |s| {
        format!("{}\u{0}{}", s.student.name, s.student.id)
    })?))
}

pub async fn add_student(caller: Caller, Path(fid): Path<String>, b: Bytes) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: StudentBody = body(&b)?;
    let input = svc::StudentInput {
        name: b.name,
        birth_date: b.birth_date,
        grade: b.grade,
        availability: hours("hours", b.hours.as_deref())?,
        max_daily_minutes: b.daily_cap,
    };
    Ok(created(
        svc::add_student(&caller.store, &f.id, input).await?,
    ))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StudentPatchBody {
    name: Option<String>,
    birth_date: Option<Date>,
    grade: Option<String>,
    hours: Option<String>,
    /// `null` removes the cap.
    #[serde(default, deserialize_with = "some")]
    #[schemars(with = "Option<u32>")]
    daily_cap: Option<Option<u32>>,
}

/// Tells "absent" (`None`) from "null" (`Some(None)`).
fn some<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub async fn edit_student(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<Student>> {
    let expected = version(&headers)?;
    let f = school(&caller, &fid).await?;
    let b: StudentPatchBody = body(&b)?;
    let p = svc::StudentPatch {
        name: b.name,
        birth_date: b.birth_date,
        grade: b.grade,
        availability: match b.hours.as_deref() {
            Some(h) => Some(hours("hours", Some(h))?),
            None => None,
        },
        max_daily_minutes: b.daily_cap,
        expected_version: expected,
    };
    svc::edit_student(&caller.store, &f.id, &id, p)
        .await
        .map(Json)
        .map_err(|e| from_core(&e, expected.is_some()))
}

pub async fn remove_student(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    let expected = version(&headers)?;
    svc::remove_student(&caller.store, &f.id, &id, expected)
        .await
        .map_err(|e| from_core(&e, expected.is_some()))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// The e-mail the child signs in with (their own plan and marks).
    email: String,
}

/// `PUT …/students/{id}/login`: an older child's own login.
pub async fn set_login(caller: Caller, Path((fid, id)): Ids, b: Bytes) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    let b: LoginBody = body(&b)?;
    web::set_student_login(&caller.store, &f, &id, Some(&b.email)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn remove_login(caller: Caller, Path((fid, id)): Ids) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    web::set_student_login(&caller.store, &f, &id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- years and breaks ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearBody {
    name: String,
    start: Option<Date>,
    end: Option<Date>,
    /// School days of the week (default Monday to Friday).
    weekdays: Option<Vec<Weekday>>,
    target_days: Option<u32>,
    target_hours: Option<u32>,
    target_core_hours: Option<u32>,
}

pub async fn list_years(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<SchoolYear>>> {
    let f = school(&caller, &fid).await?;
    let all = lists::years(&caller.store, &f.id).await?;
    Ok(Json(page(all, &q, |y| {
        format!("{}\u{0}{}", y.start, y.id)
    })?))
}

pub async fn add_year(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: YearBody = body(&b)?;
    let today = brightpath_core::calendar::family_today(&f.time_zone, state.today);
    let d = svc::default_year(today);
    let input = svc::YearInput {
        name: b.name,
        start: b.start.unwrap_or(d.start),
        end: b.end.unwrap_or(d.end),
        weekdays: b.weekdays.unwrap_or(d.weekdays),
        target_days: b.target_days.or(d.target_days),
        target_hours: b.target_hours,
        target_core_hours: b.target_core_hours,
    };
    Ok(created(svc::add_year(&caller.store, &f.id, input).await?))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearPatchBody {
    name: Option<String>,
    start: Option<Date>,
    end: Option<Date>,
    weekdays: Option<Vec<Weekday>>,
    target_days: Option<u32>,
    target_hours: Option<u32>,
    target_core_hours: Option<u32>,
}

pub async fn edit_year(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<SchoolYear>> {
    let expected = version(&headers)?;
    let f = school(&caller, &fid).await?;
    let b: YearPatchBody = body(&b)?;
    let p = svc::YearPatch {
        name: b.name,
        start: b.start,
        end: b.end,
        weekdays: b.weekdays,
        target_days: b.target_days,
        target_hours: b.target_hours,
        target_core_hours: b.target_core_hours,
        expected_version: expected,
    };
    svc::edit_year(&caller.store, &f.id, &id, p)
        .await
        .map(Json)
        .map_err(|e| from_core(&e, expected.is_some()))
}

pub async fn remove_year(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    let expected = version(&headers)?;
    svc::remove_year(&caller.store, &f.id, &id, expected)
        .await
        .map_err(|e| from_core(&e, expected.is_some()))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakBody {
    name: String,
    start: Date,
    end: Date,
    /// `break` (default), `holiday` or `sick`.
    kind: Option<BreakKind>,
    /// The school year (name or id); default: the one holding `start`.
    year: Option<String>,
    /// The children it is for (names or ids); empty: the whole family.
    #[serde(default)]
    students: Vec<String>,
}

pub async fn list_breaks(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<lists::BreakRow>>> {
    let f = school(&caller, &fid).await?;
    let all = lists::breaks(&caller.store, &f.id).await?;
    Ok(Json(page(all, &q, |b| {
        format!("{}\u{0}{}", b.brk.start, b.brk.id)
    })?))
}

pub async fn add_break(caller: Caller, Path(fid): Path<String>, b: Bytes) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: BreakBody = body(&b)?;
    let input = svc::BreakInput {
        year: b.year,
        name: b.name,
        kind: b.kind.unwrap_or(BreakKind::Break),
        start: b.start,
        end: b.end,
        students: b.students,
    };
    Ok(created(svc::add_break(&caller.store, &f.id, input).await?))
}

pub async fn remove_break(caller: Caller, Path((fid, id)): Ids) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    svc::remove_break(&caller.store, &f.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- courses and enrollments ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    name: String,
    subject: String,
    /// A core subject (its hours count as core hours).
    #[serde(default)]
    core: bool,
    /// Minutes of one lesson (5 to 600, a multiple of 5).
    lesson_minutes: u32,
    sessions_per_week: u32,
    /// At most this many lessons a day (default 1).
    max_per_day: Option<u32>,
    /// The guardian who teaches it (name or id); absent: independent work.
    teacher: Option<String>,
    /// Enrolled children do it together.
    #[serde(default)]
    grouped: bool,
    /// Preferred time, e.g. `09:00-11:00`.
    preferred: Option<String>,
    preferred_weight: Option<u32>,
    weekdays: Option<Vec<Weekday>>,
    priority: Option<u32>,
    /// Children to enroll now (names or ids).
    #[serde(default)]
    students: Vec<String>,
}

pub async fn list_courses(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<lists::CourseRow>>> {
    let f = school(&caller, &fid).await?;
    let all = lists::courses(&caller.store, &f.id).await?;
    Ok(Json(page(all, &q, |c| {
        format!("{}\u{0}{}", c.course.name, c.course.id)
    })?))
}

pub async fn add_course(caller: Caller, Path(fid): Path<String>, b: Bytes) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: CourseBody = body(&b)?;
    let input = svc::CourseInput {
        name: b.name,
        subject: b.subject,
        core: b.core,
        lesson_minutes: b.lesson_minutes,
        sessions_per_week: b.sessions_per_week,
        max_per_day: b.max_per_day.unwrap_or(1),
        teacher: b.teacher,
        grouped: b.grouped,
        preferred: match b.preferred.as_deref() {
            Some(p) => Some(window("preferred", p)?),
            None => None,
        },
        preferred_weight: b.preferred_weight,
        weekdays: b.weekdays,
        priority: b.priority.unwrap_or(1),
        students: b.students,
    };
    Ok(created(svc::add_course(&caller.store, &f.id, input).await?))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoursePatchBody {
    name: Option<String>,
    subject: Option<String>,
    core: Option<bool>,
    lesson_minutes: Option<u32>,
    sessions_per_week: Option<u32>,
    max_per_day: Option<u32>,
    /// `null`: independent work.
    #[serde(default, deserialize_with = "some")]
    #[schemars(with = "Option<String>")]
    teacher: Option<Option<String>>,
    grouped: Option<bool>,
    /// `null`: no preferred time.
    #[serde(default, deserialize_with = "some")]
    #[schemars(with = "Option<String>")]
    preferred: Option<Option<String>>,
    priority: Option<u32>,
}

pub async fn edit_course(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
    b: Bytes,
) -> ApiResult<Json<Course>> {
    let expected = version(&headers)?;
    let f = school(&caller, &fid).await?;
    let b: CoursePatchBody = body(&b)?;
    let preferred = match b.preferred {
        Some(Some(p)) => Some(Some(window("preferred", &p)?)),
        Some(None) => Some(None),
        None => None,
    };
    let p = svc::CoursePatch {
        name: b.name,
        subject: b.subject,
        core: b.core,
        lesson_minutes: b.lesson_minutes,
        sessions_per_week: b.sessions_per_week,
        max_per_day: b.max_per_day,
        teacher: b.teacher,
        grouped: b.grouped,
        preferred,
        priority: b.priority,
        expected_version: expected,
        ..Default::default()
    };
    svc::edit_course(&caller.store, &f.id, &id, p)
        .await
        .map(Json)
        .map_err(|e| from_core(&e, expected.is_some()))
}

pub async fn remove_course(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    let expected = version(&headers)?;
    svc::remove_course(&caller.store, &f.id, &id, expected)
        .await
        .map_err(|e| from_core(&e, expected.is_some()))?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn list_enrollments(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<lists::EnrollmentRow>>> {
    let f = school(&caller, &fid).await?;
    let all = lists::enrollments(&caller.store, &f.id).await?;
    Ok(Json(page(all, &q, |e| e.id.clone())?))
}

/// `PUT …/courses/{course}/students/{student}`: enroll (from lesson 1).
pub async fn enroll(
    caller: Caller,
    Path((fid, course, student)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    svc::enroll(&caller.store, &f.id, &course, &student, 1).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn unenroll(
    caller: Caller,
    Path((fid, course, student)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    svc::unenroll(&caller.store, &f.id, &course, &student).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- fixed events ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    name: String,
    /// Every week on this day …
    day: Option<Weekday>,
    /// … or once, on this date.
    date: Option<Date>,
    start: String,
    end: String,
    /// Away from home (a co-op morning, a lesson elsewhere).
    #[serde(default)]
    away: bool,
    /// Whether its time is school time: `no` (default), `core` or `elective`.
    school: Option<SchoolTime>,
    #[serde(default)]
    students: Vec<String>,
    #[serde(default)]
    guardians: Vec<String>,
}

pub async fn list_events(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<lists::EventRow>>> {
    let f = school(&caller, &fid).await?;
    let all = lists::events(&caller.store, &f.id).await?;
    Ok(Json(page(all, &q, |e| {
        format!("{}\u{0}{}", e.event.name, e.event.id)
    })?))
}

pub async fn add_event(caller: Caller, Path(fid): Path<String>, b: Bytes) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: EventBody = body(&b)?;
    let recurrence = match (b.day, b.date) {
        (Some(d), None) => Recurrence::Weekly(d),
        (None, Some(d)) => Recurrence::Once(d),
        _ => {
            return Err(brightpath_core::Error::invalid(
                "day",
                "give either a weekday (every week) or a date (once)",
            )
            .into());
        }
    };
    let w = Window::new(
        "start",
        Clock::parse("start", &b.start)?,
        Clock::parse("end", &b.end)?,
    )?;
    let input = svc::EventInput {
        name: b.name,
        recurrence,
        window: w,
        away: b.away,
        school: b.school.unwrap_or_default(),
        students: b.students,
        guardians: b.guardians,
    };
    let e: FixedEvent = svc::add_event(&caller.store, &f.id, input).await?;
    Ok(created(e))
}

pub async fn remove_event(
    caller: Caller,
    Path((fid, id)): Ids,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    let expected = version(&headers)?;
    svc::remove_event(&caller.store, &f.id, &id, expected)
        .await
        .map_err(|e| from_core(&e, expected.is_some()))?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- availability exceptions ----

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionQuery {
    /// From this date (default: a month ago).
    from: Option<Date>,
    /// To this date (default: a year ahead).
    to: Option<Date>,
    limit: Option<u32>,
    cursor: Option<String>,
}

pub async fn list_exceptions(
    caller: Caller,
    State(state): State<AppState>,
    Path(fid): Path<String>,
    Query(q): Query<ExceptionQuery>,
) -> ApiResult<Json<Page<ExceptionView>>> {
    let f = school(&caller, &fid).await?;
    let today = brightpath_core::calendar::family_today(&f.time_zone, state.today);
    let from = q
        .from
        .unwrap_or(brightpath_core::calendar::add_days(today, -31));
    let to =
        q.to.unwrap_or(brightpath_core::calendar::add_days(today, 366));
    let all = svc::list_exceptions(&caller.store, &f.id, from, to).await?;
    let pq = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    Ok(Json(page(all, &pq, |e| {
        format!("{}\u{0}{}", e.date, e.id)
    })?))
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionBody {
    /// A child or a guardian (name or id).
    person: String,
    date: Option<Date>,
    /// Free only in these windows that day, e.g. `13:00-15:00`; empty: not at all.
    #[serde(default)]
    windows: String,
    #[serde(default)]
    note: String,
}

pub async fn add_exception(
    caller: Caller,
    Path(fid): Path<String>,
    b: Bytes,
) -> ApiResult<Response> {
    let f = school(&caller, &fid).await?;
    let b: ExceptionBody = body(&b)?;
    let Some(date) = b.date else {
        return Err(brightpath_core::Error::invalid("date", "is missing").into());
    };
    let windows = if b.windows.trim().is_empty() {
        Vec::new()
    } else {
        parse_windows("windows", &b.windows)?
    };
    let e: AvailabilityException =
        svc::add_exception(&caller.store, &f.id, &b.person, date, windows, &b.note).await?;
    Ok(created(e))
}

pub async fn remove_exception(caller: Caller, Path((fid, id)): Ids) -> ApiResult<StatusCode> {
    let f = school(&caller, &fid).await?;
    svc::remove_exception(&caller.store, &f.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
