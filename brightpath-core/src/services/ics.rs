//! iCalendar export (RFC 5545): one VEVENT per session with a stable UID, so a
//! re-import updates rather than duplicates; times in UTC; SEQUENCE from the
//! row version; STATUS:CANCELLED for skipped sessions and for sessions removed
//! by a re-plan (found in the history).

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
    out.push_str(&fold("END:VCALENDAR"));
    Ok(out)
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
    for c in tx.changes(&family.id, 10_000).await? {
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
    build(&data, &sessions, &removed, stamp)
}
