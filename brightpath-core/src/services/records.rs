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

/// When a school day counts as attended.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AttendanceRule {
    /// Minutes of work done (sessions done or partly done, and away events)
    /// that make a day count; 1 means any work.
    pub min_minutes: u32,
}

impl Default for AttendanceRule {
    fn default() -> Self {
        AttendanceRule { min_minutes: 1 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StudentRecord {
    pub student: String,
    pub from: Date,
    pub to: Date,
    pub school_days: u32,
    pub days_attended: u32,
    pub attended: Vec<Date>,
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
            if school {
                rec.school_days += 1;
                // Away events (co-op classes, lessons out) count as away hours.
                for e in data.events.iter().filter(|e| {
                    e.away && e.recurrence.occurs_on(d) && e.student_ids.contains(&st.id)
                }) {
                    let m = e.window.minutes();
                    rec.away_minutes += m;
                    *rec.minutes_by_subject
                        .entry(format!("{} (away)", e.name))
                        .or_default() += m;
                    rec.elective_minutes += m;
                    *by_day.entry(d).or_default() += m;
                }
            }
            d = add_days(d, 1);
        }
        rec.attended = by_day
            .iter()
            .filter(|(_, m)| **m >= rule.min_minutes.max(1))
            .map(|(d, _)| *d)
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
            "--to",
            format!("{to} is before --from {from}"),
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

/// A report as rows, for any format.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub family: String,
    pub headers: Vec<String>,
    /// Rows per student, in order.
    pub sections: Vec<(String, Vec<Vec<String>>)>,
}

fn pct(part: u32, whole: Option<u32>) -> String {
    match whole {
        Some(w) if w > 0 => format!("{:.0}%", f64::from(part) * 100.0 / f64::from(w)),
        _ => String::new(),
    }
}

pub fn attendance_report(family: &str, recs: &[StudentRecord]) -> Report {
    Report {
        title: "Attendance".into(),
        family: family.into(),
        headers: [
            "student",
            "from",
            "to",
            "school days",
            "days attended",
            "target days",
            "of target",
        ]
        .map(String::from)
        .to_vec(),
        sections: recs
            .iter()
            .map(|r| {
                (
                    r.student.clone(),
                    vec![vec![
                        r.student.clone(),
                        r.from.to_string(),
                        r.to.to_string(),
                        r.school_days.to_string(),
                        r.days_attended.to_string(),
                        r.target_days.map(|t| t.to_string()).unwrap_or_default(),
                        pct(r.days_attended, r.target_days),
                    ]],
                )
            })
            .collect(),
    }
}

pub fn hours_report(family: &str, recs: &[StudentRecord]) -> Report {
    let h = |m: u32| format!("{:.1}", StudentRecord::hours(m));
    Report {
        title: "Hours".into(),
        family: family.into(),
        headers: ["student", "subject", "hours", "target hours", "of target"]
            .map(String::from)
            .to_vec(),
        sections: recs
            .iter()
            .map(|r| {
                let mut rows: Vec<Vec<String>> = r
                    .minutes_by_subject
                    .iter()
                    .map(|(s, m)| {
                        vec![
                            r.student.clone(),
                            s.clone(),
                            h(*m),
                            String::new(),
                            String::new(),
                        ]
                    })
                    .collect();
                rows.push(vec![
                    r.student.clone(),
                    "core subjects".into(),
                    h(r.core_minutes),
                    r.target_core_hours
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    pct(r.core_minutes / 60, r.target_core_hours),
                ]);
                rows.push(vec![
                    r.student.clone(),
                    "electives".into(),
                    h(r.elective_minutes),
                    String::new(),
                    String::new(),
                ]);
                rows.push(vec![
                    r.student.clone(),
                    "at home".into(),
                    h(r.home_minutes),
                    String::new(),
                    String::new(),
                ]);
                rows.push(vec![
                    r.student.clone(),
                    "away".into(),
                    h(r.away_minutes),
                    String::new(),
                    String::new(),
                ]);
                rows.push(vec![
                    r.student.clone(),
                    "total".into(),
                    h(r.total_minutes),
                    r.target_hours.map(|t| t.to_string()).unwrap_or_default(),
                    pct(r.total_minutes / 60, r.target_hours),
                ]);
                (r.student.clone(), rows)
            })
            .collect(),
    }
}

pub fn progress_report(family: &str, pacing: &[super::pacing::Pacing]) -> Report {
    let mut sections: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for p in pacing {
        sections.entry(p.student.clone()).or_default().push(vec![
            p.student.clone(),
            p.course.clone(),
            format!("{}/{}", p.done, p.total),
            p.expected.to_string(),
            match p.behind {
                0 => "on pace".into(),
                n if n > 0 => format!("behind {n}"),
                n => format!("ahead {}", -n),
            },
            p.projected_finish
                .map(|d| d.to_string())
                .unwrap_or_else(|| {
                    if p.remaining == 0 {
                        "finished".into()
                    } else {
                        "-".into()
                    }
                }),
            p.suggestion.clone().unwrap_or_default(),
        ]);
    }
    Report {
        title: "Progress".into(),
        family: family.into(),
        headers: [
            "student",
            "course",
            "done",
            "expected by now",
            "pace",
            "projected finish",
            "suggestion",
        ]
        .map(String::from)
        .to_vec(),
        sections: sections.into_iter().collect(),
    }
}

pub fn to_csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&r.headers);
    for (_, rows) in &r.sections {
        for row in rows {
            let _ = w.write_record(row);
        }
    }
    String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
}

pub fn to_markdown(r: &Report) -> String {
    let mut s = format!("# {} — {}\n\n", r.title, r.family);
    for (student, rows) in &r.sections {
        s.push_str(&format!(
            "## {student}\n\n| {} |\n|{}\n",
            r.headers.join(" | "),
            " --- |".repeat(r.headers.len())
        ));
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s.push('\n');
    }
    s
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Printable HTML: one page per student.
pub fn to_html(r: &Report, generated: &str) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} — {f}</title>\n<style>\
body{{font-family:Georgia,serif;margin:2cm;color:#111}}table{{border-collapse:collapse;width:100%}}\
th,td{{border:1px solid #999;padding:4px 8px;text-align:left}}th{{background:#eee}}\
section{{page-break-after:always;break-after:page}}section:last-child{{page-break-after:auto}}\
@media print{{body{{margin:1.5cm}}}}footer{{margin-top:2em;font-size:small;color:#555}}</style></head><body>\n",
        t = esc(&r.title),
        f = esc(&r.family)
    );
    for (student, rows) in &r.sections {
        s.push_str(&format!(
            "<section><h1>{} — {}</h1><h2>{}</h2>\n<table><thead><tr>",
            esc(&r.title),
            esc(student),
            esc(&r.family)
        ));
        for h in &r.headers {
            s.push_str(&format!("<th>{}</th>", esc(h)));
        }
        s.push_str("</tr></thead><tbody>\n");
        for row in rows {
            s.push_str("<tr>");
            for c in row {
                s.push_str(&format!("<td>{}</td>", esc(c)));
            }
            s.push_str("</tr>\n");
        }
        s.push_str(&format!("</tbody></table><footer>Generated by BrightPath on {}. Signature: ____________________</footer></section>\n", esc(generated)));
    }
    s.push_str("</body></html>\n");
    s
}
