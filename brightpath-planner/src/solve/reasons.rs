//! Why a lesson is short of sessions, in words a parent can act on.

use super::model::Model;
use super::state::State;
use crate::plan::Unscheduled;
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
            out.push(Unscheduled {
                lesson: lesson.id.clone(),
                missing,
                reason: reason(req, m, st, l),
            });
        }
    }
    out
}

fn reason(req: &Request, m: &Model, st: &State, l: usize) -> String {
    let lesson = &req.lessons[l];
    let lm = &m.lessons[l];
    let allowed = req.allowed_days(lesson);
    if allowed.is_empty() {
        return "no school day this week is allowed for this lesson".into();
    }
    if lm.k == 0 {
        return format!(
            "a session of {} minutes does not fit in a day",
            lesson.duration
        );
    }
    if lm.open_days.is_empty() {
        return "no common free time for its students and teacher on its allowed days".into();
    }
    for &s in &lesson.students {
        if let Some(cap) = req.students[s].max_daily_minutes
            && cap < lesson.duration
        {
            let id = &req.students[s].id;
            return format!("a session is longer than {id}'s max_daily_minutes {cap}");
        }
    }
    let days = lm.open_days.len() as i64;
    if days.saturating_mul(lesson.max_per_day) < lesson.sessions {
        return format!(
            "only {days} allowed day(s) with max_per_day {}",
            lesson.max_per_day
        );
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
        return "left out on purpose: every free place would cost more than the missing session"
            .into();
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
        return format!(
            "the week is full for {} (max_daily_minutes {})",
            p.id,
            p.max_daily_minutes.unwrap_or_default()
        );
    }
    if *busy_n > 0 {
        return if busy_who >= m.nstudents {
            let id = &req.teachers[busy_who - m.nstudents].id;
            format!("teacher {id} is fully booked on its allowed days")
        } else {
            let id = &req.students[busy_who].id;
            format!("{id} has no free time left on its allowed days")
        };
    }
    if full_days > 0 {
        return format!(
            "every day with room already has max_per_day {} session(s)",
            lesson.max_per_day
        );
    }
    "no room left: the week is full for its students or teacher".into()
}
