//! Records a state may ask for: attendance (school days with work done) and
//! hours per subject, core against elective, home against away, set against
//! the year's targets, as of any date. Pure builders over the loaded school;
//! `render` turns a report into CSV, Markdown or printable HTML.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::planning::SchoolData;
use crate::calendar::{Weekday, add_days};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;

mod report;
pub use report::*;

/// When a school day counts as attended.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AttendanceRule {
    /// Minutes of work done (sessions done or partly done, and events that are school time)
    /// that make a day count; 1 means any work.
    pub min_minutes: u32,
}

impl Default for AttendanceRule {
    fn default() -> Self {
        AttendanceRule { min_minutes: 1 }
    }
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct StudentRecord {
    pub student: String,
    pub from: Date,
    pub to: Date,
    pub school_days: u32,
    pub days_attended: u32,
    pub attended: Vec<Date>,
    /// Each day with work done and its minutes (the attendance log).
    pub days: Vec<DayWork>,
    pub target_days: Option<u32>,
    /// Minutes per subject.
    pub minutes_by_subject: BTreeMap<String, u32>,
    pub core_minutes: u32,
    pub elective_minutes: u32,
    pub home_minutes: u32,
    pub away_minutes: u32,
    pub total_minutes: u32,
    pub target_hours: Option<u32>,
    pub target_core_hours: Option<u32>,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct DayWork {
    pub date: Date,
    pub minutes: u32,
    /// Enough work for the day to count as attended.
    pub attended: bool,
}

impl StudentRecord {
    pub fn hours(minutes: u32) -> f64 {
        (f64::from(minutes) / 60.0 * 10.0).round() / 10.0
    }
}

/// Records for each student (or the named ones) from `from` to `to` inclusive. Pure.
pub fn build(
    data: &SchoolData,
    from: Date,
    to: Date,
    students: &[Id],
    rule: AttendanceRule,
) -> Vec<StudentRecord> {
    let year = data
        .years
        .iter()
        .find(|y| y.contains(to))
        .or_else(|| data.years.iter().find(|y| y.contains(from)));
    let mut out = Vec::new();
    for st in data
        .students
        .iter()
        .filter(|s| students.is_empty() || students.contains(&s.id))
    {
        let mut by_day: BTreeMap<Date, u32> = BTreeMap::new();
        let mut rec = StudentRecord {
            student: st.name.clone(),
            from,
            to,
            school_days: 0,
            days_attended: 0,
            attended: Vec::new(),
            days: Vec::new(),
            target_days: year.and_then(|y| y.target_days),
            minutes_by_subject: BTreeMap::new(),
            core_minutes: 0,
            elective_minutes: 0,
            home_minutes: 0,
            away_minutes: 0,
            total_minutes: 0,
            target_hours: year.and_then(|y| y.target_hours),
            target_core_hours: year.and_then(|y| y.target_core_hours),
        };
        for s in data
            .sessions
            .iter()
            .filter(|s| s.date >= from && s.date <= to && s.student_ids.contains(&st.id))
        {
            if !matches!(s.status, SessionStatus::Done | SessionStatus::Partial) {
                continue;
            }
            let minutes = s.actual_minutes.unwrap_or(s.minutes);
            let course = data.courses.iter().find(|c| c.id == s.course_id);
            let subject = course
                .map(|c| c.subject.clone())
                .unwrap_or_else(|| "other".into());
            *rec.minutes_by_subject.entry(subject).or_default() += minutes;
            if course.is_some_and(|c| c.core) {
                rec.core_minutes += minutes;
            } else {
                rec.elective_minutes += minutes;
            }
            rec.home_minutes += minutes;
            *by_day.entry(s.date).or_default() += minutes;
        }
        let mut d = from;
        while d <= to {
            let school = data
                .years
                .iter()
                .any(|y| y.contains(d) && y.weekdays.contains(&Weekday::of(d)))
                && !data.breaks.iter().any(|b| b.covers(d, Some(&st.id)));
            // Work done on a day counts it as a school day, even if a day off
            // was added afterwards: attended days are always school days.
            if school || by_day.contains_key(&d) {
                rec.school_days += 1;
            }
            if school {
                // Events that are school time (a co-op class, a lesson out)
                // count as core or elective hours, at home or away; others
                // (a dentist's appointment) do not count at all.
                for e in data.events.iter().filter(|e| {
                    e.school != SchoolTime::No
                        && e.recurrence.occurs_on(d)
                        && e.student_ids.contains(&st.id)
                }) {
                    let m = e.window.minutes();
                    if e.away {
                        rec.away_minutes += m;
                    } else {
                        rec.home_minutes += m;
                    }
                    let key = if e.away {
                        format!("{} (away)", e.name)
                    } else {
                        e.name.clone()
                    };
                    *rec.minutes_by_subject.entry(key).or_default() += m;
                    if e.school == SchoolTime::Core {
                        rec.core_minutes += m;
                    } else {
                        rec.elective_minutes += m;
                    }
                    *by_day.entry(d).or_default() += m;
                }
            }
            d = add_days(d, 1);
        }
        rec.days = by_day
            .iter()
            .map(|(d, m)| DayWork {
                date: *d,
                minutes: *m,
                attended: *m >= rule.min_minutes.max(1),
            })
            .collect();
        rec.attended = rec
            .days
            .iter()
            .filter(|d| d.attended)
            .map(|d| d.date)
            .collect();
        rec.days_attended = rec.attended.len() as u32;
        rec.total_minutes = rec.home_minutes + rec.away_minutes;
        out.push(rec);
    }
    out
}

pub async fn records(
    store: &Store,
    family: &Family,
    from: Date,
    to: Date,
    students: &[String],
    rule: AttendanceRule,
) -> Result<Vec<StudentRecord>> {
    if to < from {
        return Err(Error::invalid(
            "dates",
            format!("the end {to} is before the start {from}"),
        ));
    }
    let mut tx = store.read().await?;
    let mut ids = Vec::new();
    for s in students {
        ids.push(tx.find_student(&family.id, s).await?.id);
    }
    let data = SchoolData::load(&mut tx, family, from).await?;
    Ok(build(&data, from, to, &ids, rule))
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Attendance,
    Hours,
    Progress,
}

/// What a report covers: dates (default: from the school year's start, or
/// its report start, to today), children (empty: all) and the attendance rule.
#[derive(Debug, Clone, Default)]
pub struct ReportScope {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub students: Vec<String>,
    pub rule: AttendanceRule,
}

/// A report as rows (for CSV, Markdown, HTML and tables) and its data as
/// JSON, the way every surface shows it.
pub async fn report(
    store: &Store,
    family: &Family,
    kind: ReportKind,
    scope: &ReportScope,
    today: Date,
) -> Result<(Report, serde_json::Value)> {
    let years = super::lists::years(store, &family.id).await?;
    let from = scope
        .from
        .unwrap_or_else(|| super::school::report_start(&years, today));
    let to = scope.to.unwrap_or(today);
    match kind {
        ReportKind::Attendance | ReportKind::Hours => {
            let recs = records(store, family, from, to, &scope.students, scope.rule).await?;
            let r = if kind == ReportKind::Attendance {
                attendance_report(&family.name, &recs)
            } else {
                hours_report(&family.name, &recs)
            };
            Ok((r, to_json(&recs)?))
        }
        ReportKind::Progress => {
            let mut list = super::pacing::pacing(store, family, to).await?;
            if !scope.students.is_empty() {
                let mut names = Vec::new();
                for s in &scope.students {
                    names.push(super::lists::find_student(store, &family.id, s).await?.name);
                }
                list.retain(|p| names.contains(&p.student));
            }
            Ok((progress_report(&family.name, to, &list), to_json(&list)?))
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| Error::Internal(e.to_string()))
}

#[cfg(test)]
mod tests;
