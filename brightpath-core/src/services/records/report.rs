//! Reports as rows for any format, and their CSV, Markdown and printable
//! HTML renderings. Pure.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::StudentRecord;
use crate::calendar::Weekday;

/// A report as rows, for any format.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub family: String,
    /// The dates it covers, in words ("2026-08-17 to 2026-12-18").
    pub period: String,
    pub headers: Vec<String>,
    /// Rows per student, in order.
    pub sections: Vec<(String, Vec<Vec<String>>)>,
    /// Lines per student printed after their table (the attendance log).
    pub log: Vec<(String, Vec<String>)>,
}

fn period(recs: &[StudentRecord]) -> String {
    recs.first()
        .map(|r| format!("{} to {}", r.from, r.to))
        .unwrap_or_default()
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
        period: period(recs),
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
        log: recs
            .iter()
            .map(|r| {
                let lines = r
                    .days
                    .iter()
                    .map(|d| {
                        format!(
                            "{} {} — {:.1} h{}",
                            d.date,
                            Weekday::of(d.date),
                            StudentRecord::hours(d.minutes),
                            if d.attended {
                                ""
                            } else {
                                " (not enough to count)"
                            }
                        )
                    })
                    .collect();
                (r.student.clone(), lines)
            })
            .collect(),
    }
}

pub fn hours_report(family: &str, recs: &[StudentRecord]) -> Report {
    let h = |m: u32| format!("{:.1}", StudentRecord::hours(m));
    Report {
        title: "Hours".into(),
        family: family.into(),
        period: period(recs),
        log: Vec::new(),
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

pub fn progress_report(
    family: &str,
    as_of: Date,
    pacing: &[super::super::pacing::Pacing],
) -> Report {
    let mut sections: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for p in pacing {
        sections.entry(p.student.clone()).or_default().push(vec![
            p.student.clone(),
            p.course.clone(),
            p.done.to_string(),
            p.total.to_string(),
            p.expected.to_string(),
            match p.behind {
                0 => "on pace",
                n if n > 0 => "behind",
                _ => "ahead",
            }
            .into(),
            p.behind.unsigned_abs().to_string(),
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
        period: format!("as of {as_of}"),
        log: Vec::new(),
        headers: [
            "student",
            "course",
            "done",
            "total",
            "expected by now",
            "pace",
            "lessons off pace",
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
    if !r.period.is_empty() {
        s.push_str(&format!("{}\n\n", r.period));
    }
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
        if let Some(lines) = log_of(r, student) {
            s.push_str("### Attendance log\n\n");
            for l in lines {
                s.push_str(&format!("- {l}\n"));
            }
            s.push('\n');
        }
    }
    s
}

/// A student's log lines, when the report has any.
fn log_of<'a>(r: &'a Report, student: &str) -> Option<&'a [String]> {
    r.log
        .iter()
        .find(|(s, lines)| s == student && !lines.is_empty())
        .map(|(_, lines)| lines.as_slice())
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
            "<section><h1>{} — {}</h1><h2>{}</h2><p class=\"period\">{}</p>\n<table><thead><tr>",
            esc(&r.title),
            esc(student),
            esc(&r.family),
            esc(&r.period)
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
        s.push_str("</tbody></table>\n");
        if let Some(lines) = log_of(r, student) {
            s.push_str("<h3>Attendance log</h3><ol class=\"log\">");
            for l in lines {
                s.push_str(&format!("<li>{}</li>", esc(l)));
            }
            s.push_str("</ol>\n");
        }
        s.push_str(&format!("<footer>Generated by BrightPath on {}. Signature: ____________________</footer></section>\n", esc(generated)));
    }
    s.push_str("</body></html>\n");
    s
}
