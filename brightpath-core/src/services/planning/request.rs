//! From the database's view of a family to the planner's request (pure): the
//! week's school days, who is free when, the lessons due next and the fixed
//! events, in the spec's format.

use std::collections::{BTreeMap, HashSet};

use jiff::civil::Date;

use crate::calendar::{Clock, Weekday, Window, monday_of, week_dates};
use crate::error::{Error, Result};
use crate::model::*;
use crate::planner::{RawFixed, RawLesson, RawRequest, RawStudent, RawTeacher};
use crate::store::Tx;

/// Everything about a family that planning a week reads.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolData {
    pub family: Family,
    pub years: Vec<SchoolYear>,
    pub breaks: Vec<Break>,
    pub guardians: Vec<Guardian>,
    pub students: Vec<Student>,
    pub courses: Vec<Course>,
    pub enrollments: Vec<Enrollment>,
    pub lessons: Vec<Lesson>,
    pub events: Vec<FixedEvent>,
    pub exceptions: Vec<AvailabilityException>,
    pub sessions: Vec<Session>,
    /// The family's current learned model, if it has one (used by the
    /// request only when the `learning` setting is `apply`).
    pub learned: Option<Learned>,
}

impl SchoolData {
    pub async fn load(tx: &mut Tx, family: &Family, week: Date) -> Result<SchoolData> {
        Self::read(tx, family, week, true).await
    }

    /// [`SchoolData::load`] with only the sessions dated in the week of
    /// `week` and only their lessons: what a view of the week needs, at the
    /// same cost with a year of history (and a year of curricula) as with a
    /// week.
    pub async fn load_week(tx: &mut Tx, family: &Family, week: Date) -> Result<SchoolData> {
        Self::read(tx, family, week, false).await
    }

    async fn read(tx: &mut Tx, family: &Family, week: Date, history: bool) -> Result<SchoolData> {
        let f = &family.id;
        let week = monday_of(week);
        let end = crate::calendar::add_days(week, 6);
        Ok(SchoolData {
            family: family.clone(),
            years: tx.years(f).await?,
            breaks: tx.breaks(f).await?,
            guardians: tx.guardians(f).await?,
            students: tx.students(f).await?,
            courses: tx.courses(f).await?,
            enrollments: tx.enrollments(f).await?,
            lessons: if history {
                tx.lessons(f).await?
            } else {
                tx.lessons_of_sessions_between(f, week, end).await?
            },
            events: tx.events(f).await?,
            exceptions: tx.exceptions(f, week, end).await?,
            sessions: if history {
                tx.all_sessions(f).await?
            } else {
                tx.sessions_between(f, week, end).await?
            },
            learned: tx.current_learned(f).await?,
        })
    }

    pub fn student_name(&self, id: &str) -> &str {
        self.students
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
            .unwrap_or("?")
    }

    pub fn guardian_name(&self, id: &str) -> &str {
        self.guardians
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
            .unwrap_or("?")
    }

    /// The school days of the week (in the school year, on its weekdays, not in a
    /// family-wide break).
    pub fn school_days(&self, week: Date) -> Vec<Date> {
        week_dates(week)
            .into_iter()
            .filter(|d| {
                self.years
                    .iter()
                    .any(|y| y.contains(*d) && y.weekdays.contains(&Weekday::of(*d)))
                    && !self
                        .breaks
                        .iter()
                        .any(|b| b.covers(*d, None) && b.student_ids.is_empty())
            })
            .collect()
    }

    /// When `person` is free on `date`: an exception for that date wins over the
    /// weekly pattern; a student's own break leaves no time.
    pub fn free_windows(
        &self,
        person: &str,
        pattern: &crate::calendar::WeeklyAvailability,
        date: Date,
    ) -> Vec<Window> {
        if self
            .breaks
            .iter()
            .any(|b| !b.student_ids.is_empty() && b.covers(date, Some(person)))
        {
            return Vec::new();
        }
        if let Some(e) = self
            .exceptions
            .iter()
            .find(|e| e.person_id == person && e.date == date)
        {
            return e.windows.clone();
        }
        pattern.on(Weekday::of(date)).to_vec()
    }
}

/// A lesson of the request: a course taught to a group of students (all its
/// students for a grouped course, else one).
#[derive(Debug, Clone)]
pub struct Group {
    pub key: String,
    pub course_id: Id,
    pub student_ids: Vec<Id>,
    pub teacher_id: Option<Id>,
    pub minutes: u32,
}

fn grid_in(w: Window) -> Option<[String; 2]> {
    let a = w.start.0.div_ceil(5) * 5;
    let b = w.end.0 / 5 * 5;
    (a < b).then(|| [Clock(a).to_string(), Clock(b).to_string()])
}

fn grid_out(w: Window) -> [String; 2] {
    let a = w.start.0 / 5 * 5;
    let b = (w.end.0.div_ceil(5) * 5).min(1440);
    [Clock(a).to_string(), Clock(b).to_string()]
}

/// Sessions of `course` for `students` that use up a curriculum lesson: done,
/// partly done, or planned outside the sessions being replaced.
fn consumed<'a>(data: &'a SchoolData, g: &Group, replaced: &HashSet<&str>) -> HashSet<&'a str> {
    data.sessions
        .iter()
        .filter(|s| {
            s.course_id == g.course_id && g.student_ids.iter().any(|id| s.student_ids.contains(id))
        })
        // Skipped and partly done lessons stay due.
        .filter(|s| {
            !matches!(
                s.status,
                SessionStatus::Skipped | SessionStatus::Missed | SessionStatus::Partial
            )
        })
        .filter(|s| !replaced.contains(s.id.as_str()))
        .filter_map(|s| s.lesson_id.as_deref())
        .collect()
}

/// The curriculum lessons a group still has to do, in order.
pub fn due_lessons<'a>(
    data: &'a SchoolData,
    g: &Group,
    replaced: &HashSet<&str>,
) -> Vec<&'a Lesson> {
    let used = consumed(data, g, replaced);
    let start = data
        .enrollments
        .iter()
        .filter(|e| e.course_id == g.course_id && g.student_ids.contains(&e.student_id))
        .map(|e| e.start_seq)
        .min()
        .unwrap_or(1);
    data.lessons
        .iter()
        .filter(|l| l.course_id == g.course_id && l.seq >= start && !used.contains(l.id.as_str()))
        .collect()
}

/// The sessions a (re-)plan of `week` replaces: planned, not pinned, and on or
/// after `from` when given.
pub fn replaced_ids(data: &SchoolData, week: Date, from: Option<Date>) -> HashSet<&str> {
    data.sessions
        .iter()
        .filter(|s| s.week_start == week && !s.is_fixed() && from.is_none_or(|f| s.date >= f))
        .map(|s| s.id.as_str())
        .collect()
}

/// The request for `week` (only days from `from` on, when given), and what
/// each of its lessons stands for. Pure.
pub fn build_request(
    data: &SchoolData,
    week: Date,
    from: Option<Date>,
) -> Result<(RawRequest, Vec<Group>)> {
    build_request_with(data, week, from, None)
}

/// [`build_request`] that plans with `learned` (the `learning` setting's
/// `apply`): a child's learned length of a course becomes its lessons'
/// minutes, and the child's best part of the day for the subject the
/// lessons' preferred time (soft), where the course sets none. Only lessons
/// of one child: a group lesson keeps the course's figures.
pub fn build_request_with(
    data: &SchoolData,
    week: Date,
    from: Option<Date>,
    learned: Option<&Learned>,
) -> Result<(RawRequest, Vec<Group>)> {
    let week = monday_of(week);
    let days: Vec<Date> = data
        .school_days(week)
        .into_iter()
        .filter(|d| from.is_none_or(|f| *d >= f))
        .collect();
    if !data
        .years
        .iter()
        .any(|y| week_dates(week).iter().any(|d| y.contains(*d)))
    {
        return Err(
            Error::invalid("week", format!("no school year covers the week of {week}"))
                .with_remedy(crate::Remedy::AddSchoolYear),
        );
    }
    let day_name = |d: Date| Weekday::of(d).name().to_string();
    let availability = |id: &str, pattern: &crate::calendar::WeeklyAvailability| {
        let mut map = BTreeMap::new();
        for d in &days {
            let ws: Vec<[String; 2]> = data
                .free_windows(id, pattern, *d)
                .into_iter()
                .filter_map(grid_in)
                .collect();
            if !ws.is_empty() {
                map.insert(day_name(*d), ws);
            }
        }
        map
    };
    let teachers: Vec<RawTeacher> = data
        .guardians
        .iter()
        .map(|g| RawTeacher {
            id: g.id.clone(),
            availability: availability(&g.id, &g.availability),
            meta: None,
        })
        .collect();
    let students: Vec<RawStudent> = data
        .students
        .iter()
        .map(|s| RawStudent {
            id: s.id.clone(),
            max_daily_minutes: s.max_daily_minutes.map(i64::from),
            availability: availability(&s.id, &s.availability),
            meta: None,
        })
        .collect();

    let in_week = |s: &Session| s.week_start == week;
    let replaced = replaced_ids(data, week, from);
    let mut kept: Vec<&Session> = data
        .sessions
        .iter()
        .filter(|s| in_week(s) && s.is_fixed() && !s.status.is_void())
        .collect();
    // Everything in the request in an order of names, dates and times, never
    // of random ids: the planner works by position, so the same school built
    // twice gets the same plan from the same seed.
    let names = |ids: &[Id]| -> Vec<&str> { ids.iter().map(|id| data.student_name(id)).collect() };
    let course_name = |id: &str| {
        data.courses
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.as_str())
            .unwrap_or("")
    };
    kept.sort_by_key(|s| {
        (
            s.date,
            s.start,
            course_name(&s.course_id),
            names(&s.student_ids),
        )
    });
    // People listed by name (a group lesson's children, an event's people).
    let by_name = |ids: &[Id]| -> Vec<Id> {
        let mut v = ids.to_vec();
        v.sort_by_key(|id| {
            data.guardians
                .iter()
                .find(|g| &g.id == id)
                .map_or_else(|| data.student_name(id), |g| g.name.as_str())
        });
        v
    };
    let mut number = 0;

    let mut groups = Vec::new();
    let mut lessons = Vec::new();
    for c in &data.courses {
        let enrolled: Vec<Id> = data
            .enrollments
            .iter()
            .filter(|e| e.course_id == c.id && data.students.iter().any(|s| s.id == e.student_id))
            .map(|e| e.student_id.clone())
            .collect();
        if enrolled.is_empty() {
            continue;
        }
        let mut sets: Vec<Vec<Id>> = if c.grouped {
            vec![enrolled]
        } else {
            enrolled.into_iter().map(|s| vec![s]).collect()
        };
        sets.sort_by_key(|set| names(set));
        for set in sets {
            number += 1;
            let g = Group {
                // Unique and stable (see above); the planner's ids are at
                // most 128 characters.
                key: format!("{number}:{}", c.name.chars().take(60).collect::<String>()),
                course_id: c.id.clone(),
                student_ids: set,
                teacher_id: c
                    .teacher_id
                    .clone()
                    .filter(|t| data.guardians.iter().any(|g| &g.id == t)),
                minutes: c.lesson_minutes.div_ceil(5) * 5,
            };
            let alone = g.student_ids.first().cloned();
            let alone = alone.as_ref().filter(|_| g.student_ids.len() == 1);
            let minutes = learned
                .zip(alone)
                .and_then(|(l, st)| l.length(st, &c.id))
                .map_or(g.minutes, |l| l.minutes);
            let g = Group { minutes, ..g };
            let learned_window = learned
                .zip(alone)
                .and_then(|(l, st)| l.hours(st, &c.subject))
                .map(|h| h.window);
            let kept_here: Vec<&&Session> = kept
                .iter()
                .filter(|s| s.course_id == c.id && s.student_ids == g.student_ids)
                .collect();
            let mut needed = c.sessions_per_week.saturating_sub(kept_here.len() as u32);
            let has_curriculum = data.lessons.iter().any(|l| l.course_id == c.id);
            if has_curriculum {
                needed = needed.min(due_lessons(data, &g, &replaced).len() as u32);
            }
            if needed > 0 {
                let mut allowed: Vec<Weekday> =
                    c.weekdays.clone().unwrap_or_else(|| Weekday::ALL.to_vec());
                // A day that already holds max_per_day kept sessions takes no more.
                allowed.retain(|d| {
                    kept_here
                        .iter()
                        .filter(|s| Weekday::of(s.date) == *d)
                        .count()
                        < c.max_per_day as usize
                });
                let preferred = c.preferred.or(learned_window).and_then(grid_in);
                lessons.push(RawLesson {
                    id: g.key.clone(),
                    students: by_name(&g.student_ids),
                    teacher: g.teacher_id.clone(),
                    duration: i64::from(g.minutes),
                    sessions: i64::from(needed),
                    max_per_day: Some(i64::from(c.max_per_day)),
                    days: Some(allowed.iter().map(|d| d.name().to_string()).collect()),
                    preferred_weight: preferred.as_ref().and(c.preferred_weight).map(i64::from),
                    preferred,
                    priority: Some(i64::from(c.priority)),
                    meta: None,
                });
                groups.push(g);
            }
        }
    }

    let mut fixed = Vec::new();
    for d in &days {
        for e in data.events.iter().filter(|e| e.recurrence.occurs_on(*d)) {
            let [start, end] = grid_out(e.window);
            fixed.push(RawFixed {
                id: format!("{}@{}", short(&e.id), d),
                day: day_name(*d),
                start,
                end,
                students: by_name(&e.student_ids),
                teachers: by_name(&e.guardian_ids),
                meta: None,
            });
        }
    }
    // Kept sessions (done, partly done, pinned) block their people's time.
    for s in kept
        .iter()
        .filter(|s| !s.student_ids.is_empty() || s.teacher_id.is_some())
    {
        // The spec's way to hold time that is taken: a fixed event, here
        // naming the session it stands for.
        let [start, end] = grid_out(s.window());
        fixed.push(RawFixed {
            id: format!("kept:{}", s.id),
            day: day_name(s.date),
            start,
            end,
            students: by_name(&s.student_ids),
            teachers: s.teacher_id.iter().cloned().collect(),
            meta: Some(serde_json::json!({"session": s.id})),
        });
    }

    let request = RawRequest {
        version: 1,
        week_start: week.to_string(),
        slot_minutes: Some(5),
        days: days.iter().map(|d| day_name(*d)).collect(),
        teachers,
        students,
        lessons,
        fixed,
        weights: None,
        meta: None,
    };
    Ok((request, groups))
}
