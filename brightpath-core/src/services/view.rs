//! Read models for surfaces: a week's plan per student and parent, and today's
//! agenda. Every surface draws from these, so they agree.

use jiff::civil::Date;
use serde::Serialize;

use super::planning::SchoolData;
use crate::calendar::{Clock, Weekday, add_days, monday_of, week_dates};
use crate::error::Result;
use crate::model::*;
use crate::store::Store;

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct DayInfo {
    pub date: Date,
    pub weekday: Weekday,
    pub school_day: bool,
    /// A family-wide break or holiday on this day.
    pub off: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: Id,
    pub date: Date,
    pub start: Clock,
    pub end: Clock,
    pub course: String,
    pub subject: String,
    pub lesson: Option<String>,
    pub lesson_seq: Option<u32>,
    pub students: Vec<String>,
    pub student_ids: Vec<Id>,
    pub teacher: Option<String>,
    pub status: SessionStatus,
    pub pinned: bool,
    pub version: i64,
    /// Planned length.
    pub minutes: u32,
    /// The feedback recorded when it was marked.
    pub actual_minutes: Option<u32>,
    pub engagement: Option<u8>,
    pub difficulty: Option<u8>,
    pub grade: Option<String>,
    pub note: Option<String>,
    /// Of a marked session, one per child (by name): the child's rating,
    /// its own for a group lesson rated child by child, else the session's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratings: Vec<RatingView>,
}

/// One child's rating of a marked session.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    pub student: String,
    pub student_id: Id,
    pub actual_minutes: Option<u32>,
    pub engagement: Option<u8>,
    pub difficulty: Option<u8>,
    pub note: Option<String>,
    /// The child was rated on their own (not the session's figures).
    pub own: bool,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub date: Date,
    pub start: Clock,
    pub end: Clock,
    pub name: String,
    pub away: bool,
    pub students: Vec<String>,
    pub student_ids: Vec<Id>,
    pub guardians: Vec<String>,
    pub guardian_ids: Vec<Id>,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: Id,
    pub name: String,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    pub family: String,
    pub week_start: Date,
    pub days: Vec<DayInfo>,
    pub students: Vec<Person>,
    pub guardians: Vec<Person>,
    pub sessions: Vec<SessionView>,
    pub events: Vec<EventView>,
    pub planned: bool,
    pub score: Option<crate::planner::Score>,
    pub unscheduled: serde_json::Value,
    /// The plan's row version: when it changes, someone else re-planned or edited the week.
    pub plan_version: i64,
}

impl WeekView {
    pub fn sessions_of_student<'a>(
        &'a self,
        id: &'a str,
    ) -> impl Iterator<Item = &'a SessionView> + 'a {
        self.sessions
            .iter()
            .filter(move |s| s.student_ids.iter().any(|x| x == id))
    }
}

/// Builds the view from loaded data (`ratings`: the children's own ratings
/// of the week's group lessons). Pure.
pub fn week_view(
    data: &SchoolData,
    week: Date,
    plan: Option<&PlanRecord>,
    ratings: &[ChildRating],
) -> WeekView {
    let week = monday_of(week);
    let school = data.school_days(week);
    let days = week_dates(week)
        .into_iter()
        .map(|d| DayInfo {
            date: d,
            weekday: Weekday::of(d),
            school_day: school.contains(&d),
            off: data
                .breaks
                .iter()
                .find(|b| b.covers(d, None) && b.student_ids.is_empty())
                .map(|b| b.name.clone()),
        })
        .collect();
    let course = |id: &str| data.courses.iter().find(|c| c.id == id);
    let lesson = |id: &Option<Id>| {
        id.as_ref()
            .and_then(|id| data.lessons.iter().find(|l| &l.id == id))
    };
    // Children by name, and sessions at the same time by course and
    // children: the same school shows the same way whatever its ids.
    let by_name = |ids: &[Id]| {
        let mut v = ids.to_vec();
        v.sort_by(|a, b| data.student_name(a).cmp(data.student_name(b)));
        v
    };
    let mut sessions: Vec<SessionView> = data
        .sessions
        .iter()
        .filter(|s| s.week_start == week || (s.date >= week && s.date <= add_days(week, 6)))
        .map(|s| SessionView {
            id: s.id.clone(),
            date: s.date,
            start: s.start,
            end: s.window().end,
            course: course(&s.course_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            subject: course(&s.course_id)
                .map(|c| c.subject.clone())
                .unwrap_or_default(),
            lesson: lesson(&s.lesson_id).map(|l| l.title.clone()),
            lesson_seq: lesson(&s.lesson_id).map(|l| l.seq),
            students: by_name(&s.student_ids)
                .iter()
                .map(|id| data.student_name(id).to_string())
                .collect(),
            student_ids: by_name(&s.student_ids),
            teacher: s
                .teacher_id
                .as_deref()
                .map(|t| data.guardian_name(t).to_string()),
            status: s.status,
            pinned: s.pinned,
            version: s.version,
            minutes: s.minutes,
            actual_minutes: s.actual_minutes,
            engagement: s.engagement,
            difficulty: s.difficulty,
            grade: s.grade.clone(),
            note: s.note.clone(),
            ratings: if s.status.is_open() {
                Vec::new()
            } else {
                by_name(&s.student_ids)
                    .iter()
                    .map(|child| {
                        let own = ratings
                            .iter()
                            .find(|r| r.session_id == s.id && r.student_id == *child);
                        let r = ChildRating::over(own, s);
                        RatingView {
                            student: data.student_name(child).to_string(),
                            student_id: child.clone(),
                            actual_minutes: r.actual_minutes,
                            engagement: r.engagement,
                            difficulty: r.difficulty,
                            note: r.note,
                            own: own.is_some(),
                        }
                    })
                    .collect()
            },
        })
        .collect();
    sessions.sort_by(|a, b| {
        (a.date, a.start, &a.course, &a.students).cmp(&(b.date, b.start, &b.course, &b.students))
    });
    let mut events = Vec::new();
    for d in week_dates(week) {
        for e in data.events.iter().filter(|e| e.recurrence.occurs_on(d)) {
            events.push(EventView {
                date: d,
                start: e.window.start,
                end: e.window.end,
                name: e.name.clone(),
                away: e.away,
                students: e
                    .student_ids
                    .iter()
                    .map(|id| data.student_name(id).to_string())
                    .collect(),
                student_ids: e.student_ids.clone(),
                guardians: e
                    .guardian_ids
                    .iter()
                    .map(|id| data.guardian_name(id).to_string())
                    .collect(),
                guardian_ids: e.guardian_ids.clone(),
            });
        }
    }
    events.sort_by_key(|e| (e.date, e.start));
    WeekView {
        family: data.family.name.clone(),
        week_start: week,
        days,
        students: data
            .students
            .iter()
            .map(|s| Person {
                id: s.id.clone(),
                name: s.name.clone(),
            })
            .collect(),
        guardians: data
            .guardians
            .iter()
            .map(|g| Person {
                id: g.id.clone(),
                name: g.name.clone(),
            })
            .collect(),
        sessions,
        events,
        planned: plan.is_some(),
        score: plan.map(|p| p.score),
        unscheduled: plan
            .map(|p| p.unscheduled.clone())
            .unwrap_or(serde_json::Value::Null),
        plan_version: plan.map(|p| p.version).unwrap_or(0),
    }
}

pub async fn load_week(store: &Store, family: &Family, week: Date) -> Result<WeekView> {
    let week = monday_of(week);
    let mut tx = store.read().await?;
    let data = SchoolData::load_week(&mut tx, family, week).await?;
    let plan = tx.plan(&family.id, week).await?;
    let ratings = tx
        .ratings_between(&family.id, Some((week, add_days(week, 6))))
        .await?;
    Ok(week_view(&data, week, plan.as_ref(), &ratings))
}

/// One child's lessons and events for a day, in order.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub student: Person,
    pub items: Vec<AgendaItem>,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub start: Clock,
    pub end: Clock,
    pub title: String,
    pub detail: String,
    pub session_id: Option<Id>,
    pub status: Option<SessionStatus>,
    pub teacher: Option<String>,
}

/// Each child's agenda for `date`, from the week view. Pure.
pub fn agenda(view: &WeekView, date: Date) -> Vec<Agenda> {
    view.students
        .iter()
        .map(|st| {
            let mut items: Vec<AgendaItem> = view
                .sessions_of_student(&st.id)
                .filter(|s| s.date == date)
                .map(|s| AgendaItem {
                    start: s.start,
                    end: s.end,
                    title: s.course.clone(),
                    detail: match (&s.lesson_seq, &s.lesson) {
                        (Some(n), Some(t)) => format!("Lesson {n}: {t}"),
                        _ => String::new(),
                    },
                    session_id: Some(s.id.clone()),
                    status: Some(s.status),
                    teacher: s.teacher.clone(),
                })
                .chain(
                    view.events
                        .iter()
                        .filter(|e| e.date == date && e.student_ids.contains(&st.id))
                        .map(|e| AgendaItem {
                            start: e.start,
                            end: e.end,
                            title: e.name.clone(),
                            detail: if e.away { "away".into() } else { String::new() },
                            session_id: None,
                            status: None,
                            teacher: None,
                        }),
                )
                .collect();
            items.sort_by_key(|i| (i.start, i.end));
            Agenda {
                student: st.clone(),
                items,
            }
        })
        .collect()
}

/// A digest of what is stored for a week: the plan's row version and every
/// session's id and version. Two equal fingerprints mean nobody changed the
/// week (what a screen polls to know when to reload).
pub fn fingerprint<'a>(
    plan_version: i64,
    sessions: impl Iterator<Item = (&'a str, i64, Date)>,
    week: Date,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let end = add_days(week, 6);
    let mut rows: Vec<(&str, i64)> = sessions
        .filter(|(_, _, d)| *d >= week && *d <= end)
        .map(|(id, v, _)| (id, v))
        .collect();
    rows.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    plan_version.hash(&mut h);
    rows.hash(&mut h);
    h.finish()
}

impl WeekView {
    /// The fingerprint of the week as this view read it.
    pub fn fingerprint(&self) -> u64 {
        fingerprint(
            self.plan_version,
            self.sessions
                .iter()
                .map(|s| (s.id.as_str(), s.version, s.date)),
            self.week_start,
        )
    }
}

/// The fingerprint of the week as stored now: reads only the plan's version
/// and the week's session versions, cheap enough to poll every few seconds.
pub async fn week_fingerprint(store: &Store, family: &Family, week: Date) -> Result<u64> {
    let week = monday_of(week);
    let mut tx = store.read().await?;
    let plan_version = tx.plan(&family.id, week).await?.map_or(0, |p| p.version);
    let sessions = tx
        .session_versions_between(&family.id, week, add_days(week, 6))
        .await?;
    Ok(fingerprint(
        plan_version,
        sessions.iter().map(|(id, v)| (id.as_str(), *v, week)),
        week,
    ))
}

impl WeekView {
    /// The week as one child sees it (a student's own login): their
    /// sessions and events, and only them among the children.
    pub fn for_student(mut self, student: &str) -> WeekView {
        self.sessions
            .retain(|s| s.student_ids.iter().any(|i| i == student));
        // A child sees their own rating, not a sibling's.
        for s in &mut self.sessions {
            s.ratings.retain(|r| r.student_id == student);
        }
        self.events
            .retain(|e| e.student_ids.iter().any(|i| i == student));
        self.students.retain(|p| p.id == student);
        self
    }
}

/// Whether `session` is one of `student`'s (a student's login may mark
/// only their own lessons). Another family's session is "not found".
pub async fn session_is_students(
    store: &Store,
    family: &Family,
    session: &str,
    student: &str,
) -> Result<bool> {
    let s = store.read().await?.session(&family.id, session).await?;
    Ok(s.student_ids.iter().any(|i| i == student))
}
