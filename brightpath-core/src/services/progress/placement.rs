//! Whether a session may go to a given day and time: the plan's hard
//! constraints, checked for one move. Pure.

use jiff::civil::Date;

use crate::calendar::{Clock, Weekday, Window, monday_of};
use crate::model::*;
use crate::services::planning::{self, SchoolData};

/// Why `session` may not start at `start` on `date`, if it may not. Pure.
pub fn check_placement(
    data: &SchoolData,
    session: &Session,
    date: Date,
    start: Clock,
) -> std::result::Result<(), String> {
    if !start.0.is_multiple_of(5) {
        return Err(format!("{start} is not on the 5-minute grid"));
    }
    let end = start.minutes() + session.minutes;
    if end > 1440 {
        return Err("it would end after midnight".into());
    }
    let w = Window {
        start,
        end: Clock(end as u16),
    };
    let course = data.courses.iter().find(|c| c.id == session.course_id);
    if !data.school_days(monday_of(date)).contains(&date) {
        return Err(format!("{date} is not a school day"));
    }
    if let Some(days) = course.and_then(|c| c.weekdays.as_ref())
        && !days.contains(&Weekday::of(date))
    {
        return Err(format!(
            "{} is only on {}",
            course.map(|c| c.name.as_str()).unwrap_or("this course"),
            Weekday::join(days)
        ));
    }
    let fits = |windows: &[Window]| windows.iter().any(|x| x.start <= w.start && w.end <= x.end);
    for id in &session.student_ids {
        let st = data.students.iter().find(|s| &s.id == id);
        let Some(st) = st else { continue };
        if !fits(&data.free_windows(id, &st.availability, date)) {
            return Err(format!(
                "{} is not available {} {w}",
                st.name,
                Weekday::of(date)
            ));
        }
    }
    if let Some(t) = &session.teacher_id
        && let Some(g) = data.guardians.iter().find(|g| &g.id == t)
        && !fits(&data.free_windows(t, &g.availability, date))
    {
        return Err(format!(
            "{} is not available to teach {} {w}",
            g.name,
            Weekday::of(date)
        ));
    }
    let people: Vec<&Id> = session
        .student_ids
        .iter()
        .chain(session.teacher_id.iter())
        .collect();
    for other in data
        .sessions
        .iter()
        .filter(|o| o.id != session.id && o.date == date && !o.status.is_void())
    {
        let shared = people
            .iter()
            .find(|p| other.student_ids.contains(p) || other.teacher_id.as_ref() == Some(**p));
        if let Some(p) = shared
            && other.window().overlaps(&w)
        {
            let name = data
                .students
                .iter()
                .find(|s| &&s.id == p)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| data.guardian_name(p).to_string());
            return Err(format!(
                "{name} already has {}",
                planning::describe(data, other)
            ));
        }
    }
    for e in data
        .events
        .iter()
        .filter(|e| e.recurrence.occurs_on(date) && e.window.overlaps(&w))
    {
        if let Some(p) = people
            .iter()
            .find(|p| e.student_ids.contains(p) || e.guardian_ids.contains(p))
        {
            let name = data
                .students
                .iter()
                .find(|s| &&s.id == p)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| data.guardian_name(p).to_string());
            return Err(format!("{name} has {} {}", e.name, e.window));
        }
    }
    if let Some(c) = course {
        let same_day = data
            .sessions
            .iter()
            .filter(|o| {
                o.id != session.id
                    && o.course_id == c.id
                    && o.student_ids == session.student_ids
                    && o.date == date
                    && !o.status.is_void()
            })
            .count();
        if same_day as u32 >= c.max_per_day {
            return Err(format!(
                "{} already has {same_day} session(s) that day (at most {})",
                c.name, c.max_per_day
            ));
        }
    }
    for id in &session.student_ids {
        let Some(st) = data.students.iter().find(|s| &s.id == id) else {
            continue;
        };
        if let Some(cap) = st.max_daily_minutes {
            let load: u32 = data
                .sessions
                .iter()
                .filter(|o| {
                    o.id != session.id
                        && o.date == date
                        && o.student_ids.contains(id)
                        && !o.status.is_void()
                })
                .map(|o| o.minutes)
                .sum();
            if load + session.minutes > cap {
                return Err(format!(
                    "{} would have {} minutes that day (at most {cap})",
                    st.name,
                    load + session.minutes
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "placement_tests.rs"]
mod tests;
