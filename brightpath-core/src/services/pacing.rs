//! Pacing: per course and student, lessons done against lessons expected by
//! today, the projected finish date, and what to do when it passes the year's
//! end. Also `explain`: why a session is where it is. Both are pure functions
//! of the loaded school; the services only load.

use jiff::civil::Date;
use serde::Serialize;

use super::planning::{self, SchoolData};
use crate::calendar::{Weekday, add_days, monday_of};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Pacing {
    pub student: String,
    pub course: String,
    pub total: u32,
    pub done: u32,
    pub expected: u32,
    /// Positive: behind by this many lessons; negative: ahead.
    pub behind: i64,
    pub remaining: u32,
    pub projected_finish: Option<Date>,
    pub year_end: Date,
    pub on_track: bool,
    pub suggestion: Option<String>,
}

/// Whether `student` has school on `date` in `year` (breaks excluded).
fn school_day(data: &SchoolData, year: &SchoolYear, date: Date, student: &str) -> bool {
    year.contains(date)
        && year.weekdays.contains(&Weekday::of(date))
        && !data.breaks.iter().any(|b| b.covers(date, Some(student)))
}

/// School days for `student` from `from` to the end of `year`.
fn school_days(data: &SchoolData, year: &SchoolYear, from: Date, student: &str) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d <= year.end {
        if school_day(data, year, d, student) {
            n += 1;
        }
        d = add_days(d, 1);
    }
    n
}

/// Pacing of every enrollment: by its curriculum, or by lessons a week
/// where none is imported. Pure.
pub fn pace(data: &SchoolData, today: Date) -> Vec<Pacing> {
    let Some(year) = data
        .years
        .iter()
        .find(|y| y.contains(today))
        .or_else(|| data.years.iter().rev().find(|y| y.start <= today))
    else {
        return Vec::new();
    };
    let per_week_days = year.weekdays.len().max(1) as f64;
    let mut out = Vec::new();
    for e in &data.enrollments {
        let Some(course) = data.courses.iter().find(|c| c.id == e.course_id) else {
            continue;
        };
        let lessons: Vec<&Lesson> = data
            .lessons
            .iter()
            .filter(|l| l.course_id == course.id && l.seq >= e.start_seq)
            .collect();
        let all = data
            .lessons
            .iter()
            .filter(|l| l.course_id == course.id)
            .count() as u32;
        let mine = |s: &&Session| s.course_id == course.id && s.student_ids.contains(&e.student_id);
        let done_sessions = data
            .sessions
            .iter()
            .filter(mine)
            .filter(|s| s.status == SessionStatus::Done);
        // With no curriculum imported, the course is paced by its sessions:
        // lessons a week times the year's school weeks.
        let (prior, total, done) = if all == 0 {
            let total = ((f64::from(school_days(data, year, year.start, &e.student_id))
                / per_week_days)
                * f64::from(course.sessions_per_week))
            .round() as u32;
            // More sessions than the year's estimate finish the course.
            (0, total, (done_sessions.count() as u32).min(total))
        } else {
            // Lessons before the enrollment's starting point were done before.
            let prior = e.start_seq.saturating_sub(1).min(all);
            // A lesson done twice (a repeat) is one lesson done.
            let done = done_sessions
                .filter_map(|s| s.lesson_id.as_deref())
                .filter(|id| lessons.iter().any(|l| l.id == *id))
                .collect::<std::collections::HashSet<&str>>()
                .len() as u32;
            (prior, all, done + prior)
        };
        if total == 0 {
            continue;
        }
        // A child who starts part-way is expected to be where they started,
        // plus the course's pace since BrightPath began keeping the course
        // (its first session), not since the start of the year.
        let since = if prior > 0 {
            data.sessions
                .iter()
                .filter(mine)
                .map(|s| s.date)
                .min()
                .unwrap_or(today)
                .max(year.start)
        } else {
            year.start
        };
        let mut elapsed = 0u32;
        let mut d = since;
        while d < today && d <= year.end {
            if school_day(data, year, d, &e.student_id) {
                elapsed += 1;
            }
            d = add_days(d, 1);
        }
        let expected = ((f64::from(elapsed) / per_week_days) * f64::from(course.sessions_per_week))
            .round() as u32;
        let expected = (expected + prior).min(total);
        let remaining = total.saturating_sub(done);
        let allowed = |d: Date| {
            course
                .weekdays
                .as_ref()
                .is_none_or(|w| w.contains(&Weekday::of(d)))
        };
        // Walk forward at the course's pace: sessions_per_week a week, max_per_day a day.
        let mut left = remaining;
        let mut finish = None;
        let mut d = today.max(year.start);
        let mut week = monday_of(d);
        let mut this_week = 0u32;
        let limit = add_days(year.end, 3 * 366);
        while left > 0 && d <= limit {
            if monday_of(d) != week {
                week = monday_of(d);
                this_week = 0;
            }
            let open = if d <= year.end {
                school_day(data, year, d, &e.student_id)
            } else {
                year.weekdays.contains(&Weekday::of(d))
            };
            if open && allowed(d) {
                let n = course
                    .max_per_day
                    .min(course.sessions_per_week - this_week.min(course.sessions_per_week))
                    .min(left);
                this_week += n;
                left -= n;
                if left == 0 {
                    finish = Some(d);
                }
            }
            d = add_days(d, 1);
        }
        let on_track = remaining == 0 || finish.is_some_and(|f| f <= year.end);
        let suggestion = if on_track {
            None
        } else {
            suggest(
                data,
                year,
                course,
                &e.student_id,
                today,
                remaining,
                &lessons,
                done - prior,
            )
        };
        out.push(Pacing {
            student: data.student_name(&e.student_id).to_string(),
            course: course.name.clone(),
            total,
            done,
            expected,
            behind: i64::from(expected) - i64::from(done),
            remaining,
            projected_finish: if remaining == 0 { None } else { finish },
            year_end: year.end,
            on_track,
            suggestion,
        });
    }
    out.sort_by(|a, b| (&a.student, &a.course).cmp(&(&b.student, &b.course)));
    out
}

#[allow(clippy::too_many_arguments)]
fn suggest(
    data: &SchoolData,
    year: &SchoolYear,
    course: &Course,
    student: &str,
    today: Date,
    remaining: u32,
    lessons: &[&Lesson],
    done: u32,
) -> Option<String> {
    let from = add_days(monday_of(today), 7);
    let mut days_left = 0u32;
    let mut d = from;
    while d <= year.end {
        if school_day(data, year, d, student)
            && course
                .weekdays
                .as_ref()
                .is_none_or(|w| w.contains(&Weekday::of(d)))
        {
            days_left += 1;
        }
        d = add_days(d, 1);
    }
    if days_left == 0 {
        return Some(format!(
            "the year ends on {}: finish the last {remaining} lesson(s) by doubling up or extend the year",
            year.end
        ));
    }
    let weeks_left = (f64::from(days_left) / year.weekdays.len().max(1) as f64).max(1.0);
    let needed = (f64::from(remaining) / weeks_left).ceil() as u32;
    let allowed_days = course
        .weekdays
        .as_ref()
        .map(Vec::len)
        .unwrap_or(year.weekdays.len()) as u32;
    if needed <= allowed_days * course.max_per_day {
        return Some(format!(
            "add {} more session(s) a week from {from} ({needed} instead of {}) to finish by {}",
            needed - course.sessions_per_week.min(needed),
            course.sessions_per_week,
            year.end
        ));
    }
    let capacity = (weeks_left as u32) * course.sessions_per_week;
    let excess = remaining.saturating_sub(capacity);
    let next: Vec<u32> = lessons
        .iter()
        .skip(done as usize)
        .map(|l| l.seq)
        .take((excess * 2).min(6) as usize)
        .collect();
    let pairs: Vec<String> = next
        .chunks(2)
        .map(|p| {
            p.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    if pairs.is_empty() {
        return Some(format!("double up {excess} session(s) before {}", year.end));
    }
    Some(format!(
        "double up {excess} lesson(s) before {}: e.g. lessons {}",
        year.end,
        pairs.join(", ")
    ))
}

pub async fn pacing(store: &Store, family: &Family, today: Date) -> Result<Vec<Pacing>> {
    let mut tx = store.read().await?;
    let data = SchoolData::load(&mut tx, family, today).await?;
    Ok(pace(&data, today))
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub session: Id,
    pub lines: Vec<String>,
}

/// Why a session is where it is: the constraints it meets and the preferences
/// that placed it. Pure.
pub fn explain_session(data: &SchoolData, s: &Session) -> Vec<String> {
    let mut lines = vec![planning::describe(data, s)];
    let course = data.courses.iter().find(|c| c.id == s.course_id);
    let day = Weekday::of(s.date);
    let w = s.window();
    lines.push(match (s.status, s.pinned) {
        (SessionStatus::Done, _) => "Done: it stays where it happened.".into(),
        (SessionStatus::Partial, _) => "Partly done: it stays; its lesson is still due.".into(),
        (SessionStatus::Skipped, _) => {
            "Skipped: its lesson rolled forward to the next session.".into()
        }
        (SessionStatus::Missed, _) => {
            "Missed (its day passed unmarked): its lesson rolled forward to the next session."
                .into()
        }
        (_, true) => "Pinned: re-planning leaves it here.".into(),
        _ => "Placed by the planner; re-planning may move it.".into(),
    });
    lines.extend(learned_lines(data, s));
    for id in &s.student_ids {
        if let Some(st) = data.students.iter().find(|x| &x.id == id) {
            let free = data.free_windows(id, &st.availability, s.date);
            if let Some(win) = free.iter().find(|x| x.start <= w.start && w.end <= x.end) {
                lines.push(format!("Fits {}'s hours on {day} ({win}).", st.name));
            }
            let load: u32 = data
                .sessions
                .iter()
                .filter(|o| o.date == s.date && o.student_ids.contains(id) && !o.status.is_void())
                .map(|o| o.minutes)
                .sum();
            let cap = st
                .max_daily_minutes
                .map(|c| format!(" of at most {c}"))
                .unwrap_or_default();
            lines.push(format!(
                "{} has {load} minutes of lessons that day{cap}.",
                st.name
            ));
        }
    }
    match s
        .teacher_id
        .as_ref()
        .and_then(|t| data.guardians.iter().find(|g| &g.id == t))
    {
        Some(g) => lines.push(format!(
            "Led by {}, who is free to teach then and teaches nothing else at that time.",
            g.name
        )),
        None => lines.push("Independent work: no parent needs to be free.".into()),
    }
    for e in data
        .events
        .iter()
        .filter(|e| e.recurrence.occurs_on(s.date))
    {
        if s.student_ids.iter().any(|id| e.student_ids.contains(id))
            || s.teacher_id
                .as_ref()
                .is_some_and(|t| e.guardian_ids.contains(t))
        {
            lines.push(format!("Works around {} ({}) that day.", e.name, e.window));
        }
    }
    if let Some(c) = course {
        if let Some(p) = c.preferred {
            let met = p.start <= w.start && w.end <= p.end;
            lines.push(if met {
                format!("Inside the preferred time {p}.")
            } else {
                match room_in_preferred(data, s, p) {
                    Some(at) => format!(
                        "Outside the preferred time {p}, though it would fit there ({day} {at}): \
                         the planner weighed the preference (weight {}) against spreading \
                         lessons apart, balanced days and fewer gaps. Give the course's \
                         preferred time more weight to keep it there.",
                        c.preferred_weight.unwrap_or(PREFERRED_WEIGHT)
                    ),
                    None => format!(
                        "Outside the preferred time {p}: no free place inside it that week."
                    ),
                }
            });
        }
        let mut days: Vec<Weekday> = data
            .sessions
            .iter()
            .filter(|o| {
                o.course_id == s.course_id
                    && o.student_ids == s.student_ids
                    && o.week_start == s.week_start
                    && !o.status.is_void()
            })
            .map(|o| Weekday::of(o.date))
            .collect();
        days.sort();
        lines.push(format!(
            "{} this week: {} ({} of {} a week; the planner spreads them apart).",
            c.name,
            Weekday::join(&days),
            days.len(),
            c.sessions_per_week
        ));
    }
    if let Some(l) = s
        .lesson_id
        .as_ref()
        .and_then(|id| data.lessons.iter().find(|l| &l.id == id))
    {
        let total = data
            .lessons
            .iter()
            .filter(|x| x.course_id == l.course_id)
            .count();
        lines.push(format!(
            "Lesson {} of {total}: {} — the next lesson due in order.",
            l.seq, l.title
        ));
    }
    lines
}

/// The planner's default weight of a preferred time (the spec's
/// `weights.preferred`).
const PREFERRED_WEIGHT: u32 = 10;

/// The first start inside the preferred window `p`, on the session's own
/// day, where the session could be moved now.
fn room_in_preferred(
    data: &SchoolData,
    s: &Session,
    p: crate::calendar::Window,
) -> Option<crate::calendar::Clock> {
    (p.start.minutes()..=p.end.minutes().saturating_sub(s.minutes))
        .step_by(5)
        .map(|at| crate::calendar::Clock(at as u16))
        .find(|start| super::progress::check_placement(data, s, s.date, *start).is_ok())
}

/// What the learned model says about a lesson of one child: its length (when
/// the session has the learned minutes, not the course's) and the child's
/// best hours for the subject. Only facts: with `learning = apply` they are
/// why the session is so long and when it is.
fn learned_lines(data: &SchoolData, s: &Session) -> Vec<String> {
    let (Some(l), Some(c), [child]) = (
        &data.learned,
        data.courses.iter().find(|c| c.id == s.course_id),
        s.student_ids.as_slice(),
    ) else {
        return Vec::new();
    };
    let name = data.student_name(child);
    let mut out = Vec::new();
    if let Some(len) = l
        .length(child, &c.id)
        .filter(|len| len.minutes == s.minutes && len.minutes != c.lesson_minutes)
    {
        out.push(format!(
            "Planned {} min: learned from {} of {name}'s lessons (the course says {}).",
            len.minutes, len.lessons, c.lesson_minutes
        ));
    }
    if let Some(h) = l.hours(child, &c.subject).filter(|_| c.preferred.is_none()) {
        let w = s.window();
        let inside = h.window.start <= w.start && w.end <= h.window.end;
        out.push(format!(
            "{name} is most engaged in {} {} (learned from {} lessons); this session is {}.",
            c.subject,
            h.label,
            h.lessons,
            if inside {
                "then"
            } else {
                "not (other rules won)"
            }
        ));
    }
    out
}

pub async fn explain(store: &Store, family: &Family, session: &str) -> Result<Explanation> {
    let mut tx = store.read().await?;
    let found = super::progress::select(
        &mut tx,
        family,
        &super::progress::Selector {
            ids: vec![session.into()],
            ..Default::default()
        },
    )
    .await?;
    let s = found
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found("session", session))?;
    let data = SchoolData::load(&mut tx, family, s.date).await?;
    Ok(Explanation {
        session: s.id.clone(),
        lines: explain_session(&data, &s),
    })
}

#[cfg(test)]
#[path = "pacing_tests.rs"]
mod tests;
