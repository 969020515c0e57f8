//! Why a lesson is short of sessions, in words a parent can act on.

use super::model::Model;
use super::state::State;
use crate::plan::{Cause, Unscheduled};
use crate::request::Request;

pub(crate) fn unscheduled(req: &Request, m: &Model, st: &State) -> Vec<Unscheduled> {
    let mut placed = vec![0i64; req.lessons.len()];
    for (i, p) in st.pos.iter().enumerate() {
        if p.is_some() {
            placed[st.insts[i].lesson] += 1;
        }
    }
    let mut out = Vec::new();
    for (l, lesson) in req.lessons.iter().enumerate() {
        let missing = lesson.sessions - placed[l];
        if missing > 0 {
            let cause = reason(req, m, st, l);
            out.push(Unscheduled {
                lesson: lesson.id.clone(),
                missing,
                reason: cause.to_string(),
                cause,
            });
        }
    }
    out
}

fn reason(req: &Request, m: &Model, st: &State, l: usize) -> Cause {
    let lesson = &req.lessons[l];
    let lm = &m.lessons[l];
    let allowed = req.allowed_days(lesson);
    if allowed.is_empty() {
        return Cause::NoAllowedDay;
    }
    if lm.k == 0 {
        return Cause::TooLong {
            minutes: lesson.duration,
        };
    }
    if lm.open_days.is_empty() {
        return Cause::NoCommonTime;
    }
    for &s in &lesson.students {
        if let Some(cap) = req.students[s].max_daily_minutes
            && cap < lesson.duration
        {
            return Cause::OverDailyCap {
                student: req.students[s].id.clone(),
                cap,
            };
        }
    }
    let days = lm.open_days.len() as i64;
    if days.saturating_mul(lesson.max_per_day) < lesson.sessions {
        return Cause::TooFewDays {
            days,
            max_per_day: lesson.max_per_day,
        };
    }
    // Look at every place the lesson could go, and count what stands in the way.
    // blockers: person index (students, then teachers) -> (busy, over cap)
    let mut busy = vec![0usize; m.npersons];
    let mut capped = vec![0usize; m.nstudents];
    let mut full_days = 0usize;
    let mut open = 0usize;
    for &d in &lm.open_days {
        if st.count(l, d) >= lm.max_per_day {
            full_days += lm.starts[d].len();
            continue;
        }
        for &s in &lm.starts[d] {
            let mut blocked = false;
            for &stu in &lm.students {
                if let Some(cap) = m.cap[stu]
                    && st.day_load(stu, d) + lm.k > cap
                {
                    capped[stu] += 1;
                    blocked = true;
                }
            }
            for &p in &lm.persons {
                if !st.free(p, d, s as usize, lm.k) {
                    busy[p] += 1;
                    blocked = true;
                }
            }
            if !blocked {
                open += 1;
            }
        }
    }
    if open > 0 {
        return Cause::LeftOutOnPurpose;
    }
    let (cap_who, cap_n) = capped
        .iter()
        .enumerate()
        .max_by_key(|x| (*x.1, usize::MAX - x.0))
        .unwrap_or((0, &0));
    let (busy_who, busy_n) = busy
        .iter()
        .enumerate()
        .max_by_key(|x| (*x.1, usize::MAX - x.0))
        .unwrap_or((0, &0));
    if *cap_n > 0 && cap_n >= busy_n {
        let p = &req.students[cap_who];
        return Cause::WeekFullFor {
            student: p.id.clone(),
            cap: p.max_daily_minutes.unwrap_or_default(),
        };
    }
    if *busy_n > 0 {
        return if busy_who >= m.nstudents {
            Cause::TeacherBooked {
                teacher: req.teachers[busy_who - m.nstudents].id.clone(),
            }
        } else {
            Cause::StudentBooked {
                student: req.students[busy_who].id.clone(),
            }
        };
    }
    if full_days > 0 {
        return Cause::DaysFull {
            max_per_day: lesson.max_per_day,
        };
    }
    Cause::NoRoom
}
