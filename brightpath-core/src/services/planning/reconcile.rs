//! Stable ids across re-plans: a re-planned week is matched against the
//! sessions it replaces, so that a session keeps its id (and its calendar
//! UID) while it keeps its lesson, even when it moves. Pure.

use std::collections::HashSet;

use crate::model::Session;

/// What saving a re-plan writes.
#[derive(Debug, Default, PartialEq)]
pub struct Reconciled {
    /// Old sessions carried on under their id, with their new place (their
    /// `version` is the one read, for the versioned update).
    pub updates: Vec<Session>,
    /// Old sessions the new plan has no place for.
    pub deletes: Vec<String>,
    /// New sessions, with new ids.
    pub inserts: Vec<Session>,
    /// Old sessions that are carried on unchanged (nothing to write).
    pub unchanged: Vec<Session>,
}

fn same_group(a: &Session, b: &Session) -> bool {
    a.course_id == b.course_id && a.student_ids == b.student_ids
}

fn same_place(a: &Session, b: &Session) -> bool {
    a.date == b.date && a.start == b.start && a.minutes == b.minutes
}

/// Matches the new plan's sessions to the old ones of the same course and
/// students: first by lesson (a session keeps its id while it keeps its
/// lesson), then sessions with no lesson (past the curriculum's end) by
/// place, then in time order. Every returned session is in exactly one list.
pub fn reconcile(old: &[&Session], new: Vec<Session>) -> Reconciled {
    let mut out = Reconciled::default();
    let mut taken: HashSet<&str> = HashSet::new();
    let mut pending: Vec<Session> = Vec::new();
    // Pass 1: the same lesson.
    for n in new {
        let hit = n.lesson_id.as_ref().and_then(|lesson| {
            old.iter().find(|o| {
                !taken.contains(o.id.as_str())
                    && same_group(o, &n)
                    && o.lesson_id.as_ref() == Some(lesson)
            })
        });
        match hit {
            Some(o) => {
                taken.insert(o.id.as_str());
                carry(&mut out, o, n);
            }
            None => pending.push(n),
        }
    }
    // Pass 2: sessions with no lesson, matched to old ones with none, the
    // same place first, then in time order.
    let mut rest = Vec::new();
    for n in pending {
        let free = |o: &&&Session| {
            !taken.contains(o.id.as_str()) && same_group(o, &n) && o.lesson_id.is_none()
        };
        let hit = if n.lesson_id.is_none() {
            old.iter()
                .filter(free)
                .find(|o| same_place(o, &n))
                .or_else(|| old.iter().filter(free).min_by_key(|o| (o.date, o.start)))
        } else {
            None
        };
        match hit {
            Some(o) => {
                taken.insert(o.id.as_str());
                carry(&mut out, o, n);
            }
            None => rest.push(n),
        }
    }
    out.inserts = rest;
    out.deletes = old
        .iter()
        .filter(|o| !taken.contains(o.id.as_str()))
        .map(|o| o.id.clone())
        .collect();
    out
}

/// Carries `old` on with the new plan's place and lesson.
fn carry(out: &mut Reconciled, old: &Session, new: Session) {
    if same_place(old, &new) && old.lesson_id == new.lesson_id && old.teacher_id == new.teacher_id {
        out.unchanged.push(old.clone());
        return;
    }
    let mut s = old.clone();
    s.date = new.date;
    s.start = new.start;
    s.minutes = new.minutes;
    s.week_start = new.week_start;
    s.lesson_id = new.lesson_id;
    s.teacher_id = new.teacher_id;
    out.updates.push(s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Clock;

    fn s(id: &str, course: &str, lesson: Option<&str>, day: &str, start: u16) -> Session {
        Session {
            course_id: course.into(),
            lesson_id: lesson.map(str::to_string),
            teacher_id: None,
            start: Clock(start),
            minutes: 30,
            version: 3,
            ..crate::services::fixture::session(id, day, "00:00", 30)
        }
    }

    #[test]
    fn an_unmoved_session_keeps_its_id_and_writes_nothing() {
        let a = s("A", "math", Some("L1"), "2026-11-30", 480);
        let r = reconcile(&[&a], vec![s("new", "math", Some("L1"), "2026-11-30", 480)]);
        assert_eq!(r.unchanged.len(), 1);
        assert!(r.updates.is_empty() && r.inserts.is_empty() && r.deletes.is_empty());
    }

    #[test]
    fn a_moved_session_keeps_its_id_and_version_read() {
        let a = s("A", "math", Some("L1"), "2026-11-30", 480);
        let b = s("B", "math", Some("L2"), "2026-12-01", 480);
        let r = reconcile(
            &[&a, &b],
            vec![
                s("n1", "math", Some("L1"), "2026-12-01", 540),
                s("n2", "math", Some("L2"), "2026-12-02", 480),
            ],
        );
        let ids: Vec<&str> = r.updates.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["A", "B"]);
        assert_eq!(r.updates[0].start, Clock(540));
        assert_eq!(r.updates[0].version, 3);
        assert!(r.inserts.is_empty() && r.deletes.is_empty());
    }

    #[test]
    fn a_session_that_changes_lesson_is_new_and_the_old_one_goes() {
        let a = s("A", "math", Some("L1"), "2026-11-30", 480);
        let r = reconcile(&[&a], vec![s("n1", "math", Some("L2"), "2026-11-30", 480)]);
        assert_eq!(r.deletes, ["A"]);
        assert_eq!(r.inserts.len(), 1);
        assert_eq!(r.inserts[0].id, "n1");
    }

    #[test]
    fn other_courses_are_never_matched() {
        let a = s("A", "art", Some("L1"), "2026-11-30", 480);
        let r = reconcile(&[&a], vec![s("n1", "math", Some("L1"), "2026-11-30", 480)]);
        assert_eq!(r.deletes, ["A"]);
        assert_eq!(r.inserts.len(), 1);
    }

    #[test]
    fn sessions_without_a_lesson_match_by_place_then_time() {
        let a = s("A", "math", None, "2026-11-30", 480);
        let b = s("B", "math", None, "2026-12-01", 480);
        let r = reconcile(
            &[&a, &b],
            vec![
                s("n1", "math", None, "2026-12-01", 480),
                s("n2", "math", None, "2026-12-03", 480),
            ],
        );
        assert_eq!(r.unchanged.len(), 1, "B stays where it is");
        assert_eq!(r.updates.len(), 1);
        assert_eq!(r.updates[0].id, "A");
        assert!(r.inserts.is_empty() && r.deletes.is_empty());
    }
}
