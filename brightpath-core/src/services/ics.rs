//! iCalendar export (RFC 5545): one VEVENT per session with a stable UID, so a
//! re-import updates rather than duplicates; times in UTC; SEQUENCE from the
//! row version; STATUS:CANCELLED for skipped sessions and for sessions removed
//! by a re-plan (found in the history) in the last [`CANCELLED_KEPT_DAYS`]
//! days; and one VEVENT per day a fixed event happens (co-op, lessons out).

use jiff::civil::Date;

use super::planning::SchoolData;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(ch);
        len += n;
    }
    out.push_str("\r\n");
    out
}

fn utc(tz: &jiff::tz::TimeZone, date: Date, minutes: u32) -> Result<String> {
    let dt = date
        .to_datetime(jiff::civil::Time::midnight())
        .checked_add(jiff::Span::new().minutes(i64::from(minutes)))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let ts = tz
        .to_zoned(dt)
        .map_err(|e| Error::Internal(e.to_string()))?
        .timestamp();
    Ok(ts.strftime("%Y%m%dT%H%M%SZ").to_string())
}

/// Builds the calendar. `removed` are sessions that no longer exist. Pure but
/// for `stamp`, the DTSTAMP the caller passes.
pub fn build(
    data: &SchoolData,
    sessions: &[Session],
    removed: &[Session],
    events: &[(&FixedEvent, Date)],
    stamp: jiff::Timestamp,
) -> Result<String> {
    let tz = jiff::tz::TimeZone::get(&data.family.time_zone)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//BrightPath//Homeschool planner//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.push_str(&fold(l));
    }
    out.push_str(&fold(&format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{} school", data.family.name))
    )));
    let mut write = |s: &Session, cancelled: bool| -> Result<()> {
        let course = data.courses.iter().find(|c| c.id == s.course_id);
        let who: Vec<&str> = s
            .student_ids
            .iter()
            .map(|id| data.student_name(id))
            .collect();
        let lesson = s
            .lesson_id
            .as_ref()
            .and_then(|id| data.lessons.iter().find(|l| &l.id == id));
        let summary = format!(
            "{} ({})",
            course.map(|c| c.name.as_str()).unwrap_or("Lesson"),
            who.join(", ")
        );
        let mut desc = String::new();
        if let Some(l) = lesson {
            desc.push_str(&format!("Lesson {}: {}", l.seq, l.title));
        }
        if let Some(t) = &s.teacher_id {
            desc.push_str(&format!("\nWith {}", data.guardian_name(t)));
        }
        let status = if cancelled || s.status.is_void() {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        let lines = [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@brightpath", s.id),
            format!("DTSTAMP:{dtstamp}"),
            format!("DTSTART:{}", utc(&tz, s.date, s.start.minutes())?),
            format!("DTEND:{}", utc(&tz, s.date, s.start.minutes() + s.minutes)?),
            format!("SUMMARY:{}", escape(&summary)),
            format!("DESCRIPTION:{}", escape(desc.trim())),
            format!("SEQUENCE:{}", s.version.max(0) + i64::from(cancelled)),
            format!("STATUS:{status}"),
            format!(
                "CATEGORIES:{}",
                escape(course.map(|c| c.subject.as_str()).unwrap_or("school"))
            ),
            "END:VEVENT".to_string(),
        ];
        for l in lines {
            out.push_str(&fold(&l));
        }
        Ok(())
    };
    for s in sessions {
        write(s, false)?;
    }
    for s in removed {
        write(s, true)?;
    }
    for (e, date) in events {
        let who: Vec<&str> = e
            .student_ids
            .iter()
            .map(|id| data.student_name(id))
            .chain(e.guardian_ids.iter().map(|id| data.guardian_name(id)))
            .collect();
        let lines = [
            "BEGIN:VEVENT".to_string(),
            // One event a day it happens, so a changed week moves one day.
            format!("UID:event-{}-{}@brightpath", e.id, date.strftime("%Y%m%d")),
            format!("DTSTAMP:{dtstamp}"),
            format!("DTSTART:{}", utc(&tz, *date, e.window.start.minutes())?),
            format!("DTEND:{}", utc(&tz, *date, e.window.end.minutes())?),
            format!(
                "SUMMARY:{}",
                escape(&format!("{} ({})", e.name, who.join(", ")))
            ),
            format!(
                "DESCRIPTION:{}",
                escape(if e.away { "Away from home" } else { "At home" })
            ),
            format!("SEQUENCE:{}", e.version.max(0)),
            "STATUS:CONFIRMED".to_string(),
            "CATEGORIES:event".to_string(),
            "END:VEVENT".to_string(),
        ];
        for l in lines {
            out.push_str(&fold(&l));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    Ok(out)
}

/// How long a session a re-plan removed stays in the calendar as cancelled:
/// long enough for every subscribed calendar to see it go, then it is left
/// out rather than kept for ever.
pub const CANCELLED_KEPT_DAYS: i64 = 30;

/// Each day from `from` to `to` that a fixed event happens on (for the named
/// students or all), except days the whole family is on a break.
pub fn event_days<'a>(
    data: &'a SchoolData,
    from: Date,
    to: Date,
    students: &[Id],
) -> Vec<(&'a FixedEvent, Date)> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let on_break = data.breaks.iter().any(|b| b.covers(d, None));
        for e in data.events.iter().filter(|e| {
            e.recurrence.occurs_on(d)
                && (students.is_empty() || e.student_ids.iter().any(|x| students.contains(x)))
        }) {
            if !on_break {
                out.push((e, d));
            }
        }
        d = crate::calendar::add_days(d, 1);
    }
    out
}

/// The family's calendar from `from` to `to`, for some students or all.
pub async fn export(
    store: &Store,
    family: &Family,
    from: Date,
    to: Date,
    students: &[String],
    stamp: jiff::Timestamp,
) -> Result<String> {
    let mut tx = store.read().await?;
    let mut ids = Vec::new();
    for s in students {
        ids.push(tx.find_student(&family.id, s).await?.id);
    }
    let data = SchoolData::load(&mut tx, family, from).await?;
    let wanted = |s: &Session| {
        s.date >= from
            && s.date <= to
            && (ids.is_empty() || s.student_ids.iter().any(|x| ids.contains(x)))
    };
    let sessions: Vec<Session> = data
        .sessions
        .iter()
        .filter(|s| wanted(s))
        .cloned()
        .collect();
    let mut removed: Vec<Session> = Vec::new();
    // Only recent changes: older cancellations are no longer published.
    let since = stamp
        .checked_sub(jiff::SignedDuration::from_hours(24 * CANCELLED_KEPT_DAYS))
        .unwrap_or(stamp)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    for c in tx.changes_since(&family.id, &since).await? {
        if let Ok(undo) = serde_json::from_value::<super::history::Undo>(c.undo) {
            for s in undo.restore {
                if wanted(&s)
                    && !data.sessions.iter().any(|x| x.id == s.id)
                    && !removed.iter().any(|x| x.id == s.id)
                {
                    removed.push(s);
                }
            }
        }
    }
    let events = event_days(&data, from, to, &ids);
    build(&data, &sessions, &removed, &events, stamp)
}

#[cfg(test)]
#[path = "ics_tests.rs"]
mod tests;
