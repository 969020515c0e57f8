//! What a notification says: subject, plain text and the webhook's JSON, built
//! from core's read models. Pure, so the wording is tested without servers and
//! e-mail and webhook always say the same thing.

use brightpath_core::services::view::{Agenda, AgendaItem, WeekView, agenda};
use jiff::civil::Date;
use serde_json::{Map, Value, json};

/// A notification ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The job kind that made it; the webhook's `event`.
    pub event: &'static str,
    pub subject: String,
    pub text: String,
    /// The webhook body (the sender adds `job_id`).
    pub data: Map<String, Value>,
}

/// A notice, or why there is nothing worth sending (a weekend, a holiday, an
/// unplanned week): a job that finds nothing to say succeeds quietly rather
/// than mailing families an empty agenda every Saturday.
#[derive(Debug, Clone, PartialEq)]
pub enum Composed {
    Notice(Notice),
    Nothing(String),
}

/// "Tue 1 Dec": short enough for a subject line.
pub fn short_date(d: Date) -> String {
    d.strftime("%a %-d %b").to_string()
}

/// "Tuesday 1 December 2026": for the body, where there is room.
pub fn long_date(d: Date) -> String {
    d.strftime("%A %-d %B %Y").to_string()
}

fn item_line(i: &AgendaItem) -> String {
    let mut line = format!("{}-{}  {}", i.start, i.end, i.title);
    if !i.detail.is_empty() {
        line.push_str(" - ");
        line.push_str(&i.detail);
    }
    if let Some(t) = &i.teacher {
        line.push_str(&format!(" (with {t})"));
    }
    line
}

/// Each child's block: name, then the items in order, indented by `indent`;
/// with `gap`, a blank line after each block (the daily mail has room for it).
fn agenda_text(out: &mut String, agendas: &[Agenda], indent: &str, gap: bool) {
    for a in agendas {
        if gap && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&format!("{indent}{}\n", a.student.name));
        if a.items.is_empty() {
            out.push_str(&format!("{indent}  Nothing scheduled.\n"));
        }
        for i in &a.items {
            out.push_str(&format!("{indent}  {}\n", item_line(i)));
        }
    }
}

fn day_off(view: &WeekView, date: Date) -> Option<String> {
    let day = view.days.iter().find(|d| d.date == date)?;
    match &day.off {
        Some(name) => Some(name.clone()),
        None if !day.school_day => Some("not a school day".into()),
        None => None,
    }
}

const FOOTER: &str = "\n-- \nSent by BrightPath, your homeschool planner.\n";

/// Today's lessons for every child, in the order core's `agenda` gives them.
pub fn daily_agenda(view: &WeekView, date: Date) -> Composed {
    let agendas = agenda(view, date);
    if agendas.iter().all(|a| a.items.is_empty()) {
        let why = day_off(view, date).unwrap_or_else(|| "nothing is scheduled".into());
        return Composed::Nothing(format!("{}: {why}", long_date(date)));
    }
    let subject = format!(
        "Today's lessons \u{2014} {} \u{2014} {}",
        view.family,
        short_date(date)
    );
    let mut text = format!(
        "Good morning! Here are today's lessons for the {}, {}.\n\n",
        view.family,
        long_date(date)
    );
    agenda_text(&mut text, &agendas, "", true);
    text.push_str(FOOTER);
    let mut data = Map::new();
    data.insert("event".into(), json!(super::DAILY_AGENDA));
    data.insert("family".into(), json!(view.family));
    data.insert("date".into(), json!(date.to_string()));
    data.insert("subject".into(), json!(subject));
    data.insert("text".into(), json!(text));
    data.insert("agenda".into(), json!(agendas));
    Composed::Notice(Notice {
        event: super::DAILY_AGENDA,
        subject,
        text,
        data,
    })
}

/// The week's plan, day by day and child by child.
pub fn weekly_plan(view: &WeekView) -> Composed {
    let week = view.week_start;
    if !view.planned {
        return Composed::Nothing(format!("the week of {} has no plan", long_date(week)));
    }
    let subject = format!(
        "Weekly plan \u{2014} {} \u{2014} week of {}",
        view.family,
        short_date(week)
    );
    let mut text = format!(
        "Here is the plan for the {}, week of {}.\n",
        view.family,
        long_date(week)
    );
    let mut days = Vec::new();
    for day in &view.days {
        let agendas = agenda(view, day.date);
        let busy = agendas.iter().any(|a| !a.items.is_empty());
        // Weekends and other days off without lessons would only add noise.
        if busy || day.off.is_some() || day.school_day {
            text.push('\n');
            text.push_str(&long_date(day.date));
            match (&day.off, busy) {
                (Some(off), false) => text.push_str(&format!(": {off}, no lessons\n")),
                (Some(off), true) => {
                    text.push_str(&format!(" ({off})\n"));
                    agenda_text(&mut text, &agendas, "  ", false);
                }
                (None, _) => {
                    text.push('\n');
                    agenda_text(&mut text, &agendas, "  ", false);
                }
            }
        }
        days.push(json!({
            "date": day.date.to_string(),
            "school_day": day.school_day,
            "off": day.off,
            "agenda": agendas,
        }));
    }
    text.push_str(FOOTER);
    let mut data = Map::new();
    data.insert("event".into(), json!(super::WEEKLY_PLAN));
    data.insert("family".into(), json!(view.family));
    data.insert("week_start".into(), json!(week.to_string()));
    data.insert("subject".into(), json!(subject));
    data.insert("text".into(), json!(text));
    data.insert("days".into(), json!(days));
    Composed::Notice(Notice {
        event: super::WEEKLY_PLAN,
        subject,
        text,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_the_issue_asks() {
        let d: Date = "2026-12-01".parse().expect("date");
        assert_eq!(short_date(d), "Tue 1 Dec");
        assert_eq!(long_date(d), "Tuesday 1 December 2026");
    }
}
