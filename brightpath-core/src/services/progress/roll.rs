//! Lessons roll forward: after every change, each course's planned sessions
//! from today on, in time order, carry its next due lessons. `rebinding`
//! decides (pure); `rebind` writes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jiff::civil::Date;

use crate::error::Result;
use crate::model::*;
use crate::store::Tx;

/// Rolls lessons forward (see [`rebinding`]) and saves the sessions whose
/// lesson changed; returns how many.
pub async fn rebind(tx: &mut Tx, family: &Family, today: Date) -> Result<usize> {
    let sessions = tx.all_sessions(&family.id).await?;
    let lessons = tx.lessons(&family.id).await?;
    let enrollments = tx.enrollments(&family.id).await?;
    save(tx, family, &sessions, &lessons, &enrollments, today).await
}

/// [`rebind`] for the courses a change touched: reads only their sessions
/// and lessons (rebinding is per course), so a mark does not read the
/// family's whole history.
pub async fn rebind_courses(
    tx: &mut Tx,
    family: &Family,
    today: Date,
    courses: &BTreeSet<Id>,
) -> Result<usize> {
    let enrollments = tx.enrollments(&family.id).await?;
    let mut n = 0;
    for course in courses {
        let sessions = tx.course_sessions(&family.id, course).await?;
        let lessons = tx.course_lessons(&family.id, course).await?;
        n += save(tx, family, &sessions, &lessons, &enrollments, today).await?;
    }
    Ok(n)
}

async fn save(
    tx: &mut Tx,
    family: &Family,
    sessions: &[Session],
    lessons: &[Lesson],
    enrollments: &[Enrollment],
    today: Date,
) -> Result<usize> {
    let changes = rebinding(sessions, lessons, enrollments, today);
    let by_id: HashMap<&str, &Session> = sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut weeks = BTreeSet::new();
    for (id, lesson) in &changes {
        tx.roll_session_lesson(&family.id, id, lesson.as_deref())
            .await?;
        if let Some(s) = by_id.get(id.as_str()) {
            weeks.insert(s.week_start);
        }
    }
    for w in weeks {
        tx.touch_plan(&family.id, w).await?;
    }
    Ok(changes.len())
}

/// Which sessions get which lesson (`(session id, new lesson)`, in the order
/// to write them): for every course and group of students, the planned
/// sessions from `today` on, in time order, get the lessons still due (not
/// done), in curriculum order. Planned sessions before today that were never
/// marked give their lesson up to the next session. Done, partly done and
/// skipped sessions keep theirs as a record; a session marked done after its
/// lesson had rolled forward takes the earliest lesson still due. Pure.
pub fn rebinding(
    sessions: &[Session],
    lessons: &[Lesson],
    enrollments: &[Enrollment],
    today: Date,
) -> Vec<(Id, Option<Id>)> {
    let mut groups: BTreeMap<(Id, Vec<Id>), Vec<&Session>> = BTreeMap::new();
    for s in sessions {
        groups
            .entry((s.course_id.clone(), s.student_ids.clone()))
            .or_default()
            .push(s);
    }
    let mut changes = Vec::new();
    for ((course, students), list) in groups {
        let done: HashSet<&str> = sessions
            .iter()
            .filter(|s| {
                s.course_id == course
                    && students.iter().any(|id| s.student_ids.contains(id))
                    && s.status == SessionStatus::Done
            })
            .filter_map(|s| s.lesson_id.as_deref())
            .collect();
        let start = enrollments
            .iter()
            .filter(|e| e.course_id == course && students.contains(&e.student_id))
            .map(|e| e.start_seq)
            .min()
            .unwrap_or(1);
        let mut due = lessons
            .iter()
            .filter(|l| l.course_id == course && l.seq >= start && !done.contains(l.id.as_str()));
        let mut unbound: Vec<&&Session> = list
            .iter()
            .filter(|s| s.status == SessionStatus::Done && s.lesson_id.is_none())
            .collect();
        unbound.sort_by_key(|s| (s.date, s.start));
        for s in unbound {
            if let Some(l) = due.next() {
                changes.push((s.id.clone(), Some(l.id.clone())));
            }
        }
        let mut planned: Vec<&Session> = list
            .into_iter()
            .filter(|s| s.status == SessionStatus::Planned)
            .collect();
        planned.sort_by_key(|s| (s.date, s.start));
        for s in planned {
            let want = if s.date >= today {
                due.next().map(|l| l.id.clone())
            } else {
                None
            };
            if s.lesson_id != want {
                changes.push((s.id.clone(), want));
            }
        }
    }
    changes
}

#[cfg(test)]
#[path = "roll_tests.rs"]
mod tests;
