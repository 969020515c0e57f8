//! The domain records. Every record belongs to a family (its tenant); records two
//! people may edit at once carry a `version` that a write must name.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::{Clock, Weekday, WeeklyAvailability, Window};

pub type Id = String;

pub fn new_id() -> Id {
    uuid::Uuid::new_v4().simple().to_string()
}

/// An id that sorts by when it was made (UUIDv7): a bulk import's rows then
/// go to the end of the primary key's index instead of splitting its pages
/// all over it.
pub fn new_ordered_id() -> Id {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Whether an id is time-ordered ([`new_ordered_id`]): its first characters
/// are the time it was made, the same for everything one import made, so its
/// short form is its random end instead.
fn is_ordered(id: &str) -> bool {
    id.len() == 32 && id.as_bytes()[12] == b'7'
}

/// A short form of an id for tables and plan requests: its first eight
/// characters, or a time-ordered id's last eight. Commands accept either
/// ([`id_matches`]).
pub fn short(id: &str) -> &str {
    if is_ordered(id) {
        &id[24..]
    } else {
        id.get(..8).unwrap_or(id)
    }
}

/// Whether `key` names `id`: a prefix of it, or (a time-ordered id) the end
/// its short form shows.
pub fn id_matches(id: &str, key: &str) -> bool {
    id.starts_with(key) || (is_ordered(id) && id.ends_with(key))
}

/// `text` with its first letter in capitals (for a message that starts a line).
pub fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coop {
    pub id: Id,
    pub name: String,
    pub time_zone: String,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub id: Id,
    pub coop_id: Option<Id>,
    pub name: String,
    pub time_zone: String,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Guardian,
    CoopAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Guardian => "guardian",
            Role::CoopAdmin => "coop_admin",
        }
    }
}

/// A guardian of a family: the teachers of the plan.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guardian {
    pub id: Id,
    pub family_id: Id,
    pub name: String,
    pub email: Option<String>,
    pub availability: WeeklyAvailability,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student {
    pub id: Id,
    pub family_id: Id,
    pub name: String,
    pub birth_date: Option<Date>,
    pub grade: Option<String>,
    pub availability: WeeklyAvailability,
    pub max_daily_minutes: Option<u32>,
    pub version: i64,
}

/// On one date, a person (student or guardian) is free only in `windows`
/// (none: not available at all).
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityException {
    pub id: Id,
    pub person_id: Id,
    pub date: Date,
    pub windows: Vec<Window>,
    pub note: String,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolYear {
    pub id: Id,
    pub name: String,
    pub start: Date,
    pub end: Date,
    pub weekdays: Vec<Weekday>,
    pub target_days: Option<u32>,
    pub target_hours: Option<u32>,
    pub target_core_hours: Option<u32>,
    pub version: i64,
}

impl SchoolYear {
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    Break,
    Holiday,
    Sick,
}

impl BreakKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Break => "break",
            BreakKind::Holiday => "holiday",
            BreakKind::Sick => "sick",
        }
    }

    pub fn parse(text: &str) -> Option<BreakKind> {
        match text {
            "break" => Some(BreakKind::Break),
            "holiday" => Some(BreakKind::Holiday),
            "sick" => Some(BreakKind::Sick),
            _ => None,
        }
    }
}

/// Days off within a school year, for the whole family (`student_ids` empty) or some students.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Break {
    pub id: Id,
    pub school_year_id: Id,
    pub name: String,
    pub kind: BreakKind,
    pub start: Date,
    pub end: Date,
    pub student_ids: Vec<Id>,
}

impl Break {
    /// Whether this break keeps `student` (or, with `None`, everybody) off on `date`.
    pub fn covers(&self, date: Date, student: Option<&str>) -> bool {
        self.start <= date
            && date <= self.end
            && (self.student_ids.is_empty()
                || student.is_some_and(|s| self.student_ids.iter().any(|x| x == s)))
    }
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub id: Id,
    pub name: String,
    pub subject: String,
    pub core: bool,
    pub lesson_minutes: u32,
    pub sessions_per_week: u32,
    pub max_per_day: u32,
    /// The guardian who leads it; `None` for independent work.
    pub teacher_id: Option<Id>,
    /// Enrolled students do it together (one session for all) rather than each alone.
    pub grouped: bool,
    pub preferred: Option<Window>,
    /// How much missing the preferred time costs the planner; `None` is its
    /// default weight.
    pub preferred_weight: Option<u32>,
    pub weekdays: Option<Vec<Weekday>>,
    pub priority: u32,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrollment {
    pub id: Id,
    pub course_id: Id,
    pub student_id: Id,
    /// The curriculum lesson the student starts at (1 = the first).
    pub start_seq: u32,
}

/// One lesson of a course's curriculum, in order.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: Id,
    pub course_id: Id,
    pub seq: u32,
    pub title: String,
    pub notes: String,
    pub minutes: Option<u32>,
    pub resource: String,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "on")]
pub enum Recurrence {
    Weekly(Weekday),
    Once(Date),
}

impl Recurrence {
    pub fn occurs_on(&self, date: Date) -> bool {
        match self {
            Recurrence::Weekly(d) => Weekday::of(date) == *d,
            Recurrence::Once(d) => *d == date,
        }
    }
}

/// A co-op morning, music lesson or appointment that the plan works around.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixedEvent {
    pub id: Id,
    pub name: String,
    pub recurrence: Recurrence,
    pub window: Window,
    /// Away from home (its school time counts as away in the hours records).
    pub away: bool,
    /// Whether its time is school time, and of which kind.
    pub school: SchoolTime,
    pub student_ids: Vec<Id>,
    pub guardian_ids: Vec<Id>,
    pub version: i64,
}

/// Whether an event's time counts in the hours records: a co-op class does
/// (as core or elective hours), a dentist's appointment does not.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolTime {
    #[default]
    No,
    Core,
    Elective,
}

impl SchoolTime {
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolTime::No => "no",
            SchoolTime::Core => "core",
            SchoolTime::Elective => "elective",
        }
    }

    pub fn parse(field: &str, text: &str) -> crate::error::Result<SchoolTime> {
        match text.trim().to_ascii_lowercase().as_str() {
            "no" | "none" => Ok(SchoolTime::No),
            "core" => Ok(SchoolTime::Core),
            "elective" => Ok(SchoolTime::Elective),
            _ => Err(crate::error::Error::invalid(
                field,
                format!("{text:?} is not a kind of school time"),
            )
            .with_hint("use core, elective or no")),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Done,
    Partial,
    /// Deliberately not done (a reason in the note).
    Skipped,
    /// Its day passed with no mark: found by `catch-up`, told apart from a
    /// deliberate skip in reports. Its lesson stays due, like a skip's.
    Missed,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Done => "done",
            SessionStatus::Partial => "partial",
            SessionStatus::Skipped => "skipped",
            SessionStatus::Missed => "missed",
        }
    }

    pub fn parse(text: &str) -> Option<SessionStatus> {
        match text {
            "planned" => Some(SessionStatus::Planned),
            "done" => Some(SessionStatus::Done),
            "partial" => Some(SessionStatus::Partial),
            "skipped" => Some(SessionStatus::Skipped),
            "missed" => Some(SessionStatus::Missed),
            _ => None,
        }
    }

    /// Not done and not taking time: skipped or missed. Its lesson stays due.
    pub fn is_void(self) -> bool {
        matches!(self, SessionStatus::Skipped | SessionStatus::Missed)
    }

    /// Still to do: the only status a bulk mark touches.
    pub fn is_open(self) -> bool {
        self == SessionStatus::Planned
    }
}

/// A planned (or done) session of a course, bound to a curriculum lesson.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: Id,
    pub week_start: Date,
    pub course_id: Id,
    pub lesson_id: Option<Id>,
    pub student_ids: Vec<Id>,
    pub teacher_id: Option<Id>,
    pub date: Date,
    pub start: Clock,
    pub minutes: u32,
    pub status: SessionStatus,
    pub pinned: bool,
    pub actual_minutes: Option<u32>,
    pub grade: Option<String>,
    pub note: Option<String>,
    pub engagement: Option<u8>,
    pub difficulty: Option<u8>,
    pub version: i64,
}

impl Session {
    pub fn window(&self) -> Window {
        let end = (self.start.minutes() + self.minutes).min(1440) as u16;
        Window {
            start: self.start,
            end: Clock(end),
        }
    }

    /// Kept when the week is re-planned.
    pub fn is_fixed(&self) -> bool {
        self.pinned || self.status != SessionStatus::Planned
    }
}

/// One child's own rating of a group lesson (a session of several
/// children). A field left `None` is the session's own: the session's
/// feedback is the rating of a single-child lesson and the default for
/// every child of a group lesson.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChildRating {
    pub session_id: Id,
    pub student_id: Id,
    pub actual_minutes: Option<u32>,
    /// 1 (checked out) to 5 (absorbed).
    pub engagement: Option<u8>,
    /// 1 (too easy) to 5 (too hard).
    pub difficulty: Option<u8>,
    pub note: Option<String>,
}

impl ChildRating {
    /// Nothing of the child's own: the session's feedback holds.
    pub fn is_empty(&self) -> bool {
        self.actual_minutes.is_none()
            && self.engagement.is_none()
            && self.difficulty.is_none()
            && self.note.is_none()
    }

    /// This child's rating of `s`: the child's own fields over the session's.
    pub fn over(own: Option<&ChildRating>, s: &Session) -> ChildRating {
        let own = own.cloned().unwrap_or_default();
        ChildRating {
            session_id: s.id.clone(),
            student_id: own.student_id,
            actual_minutes: own.actual_minutes.or(s.actual_minutes),
            engagement: own.engagement.or(s.engagement),
            difficulty: own.difficulty.or(s.difficulty),
            note: own.note.or_else(|| s.note.clone()),
        }
    }
}

/// The saved outcome of planning one week.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRecord {
    pub id: Id,
    pub week_start: Date,
    pub score: crate::planner::Score,
    pub unscheduled: serde_json::Value,
    pub seed: u64,
    pub version: i64,
}

/// What a family's feedback taught, as data: written by a training run
/// (`brightpath-learn`), read by the planner when the `learning` setting is
/// `apply`. Core never learns; it only reads these figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Learned {
    /// 1 for the family's first model, then one more per training run kept.
    pub version: i64,
    /// RFC 3339.
    pub trained_at: String,
    /// The first and last day of the feedback it learned from.
    pub data_from: Option<Date>,
    pub data_to: Option<Date>,
    /// Lessons with feedback it learned from.
    pub rows: usize,
    /// The evaluations (held-out metrics of model and baselines, choice).
    pub metrics: serde_json::Value,
    pub lengths: Vec<LearnedLength>,
    pub hours: Vec<LearnedHours>,
}

/// A child's real length of a course's lessons, where it differs from the
/// planned one enough to change the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedLength {
    pub student_id: Id,
    pub course_id: Id,
    /// Multiple of 5.
    pub minutes: u32,
    /// Lessons it was learned from.
    pub lessons: usize,
}

/// The part of the day a child is most engaged in a subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedHours {
    pub student_id: Id,
    pub subject: String,
    pub window: Window,
    /// For people: "before 10:00".
    pub label: String,
    pub lessons: usize,
}

impl Learned {
    pub fn length(&self, student: &str, course: &str) -> Option<&LearnedLength> {
        self.lengths
            .iter()
            .find(|l| l.student_id == student && l.course_id == course)
    }

    pub fn hours(&self, student: &str, subject: &str) -> Option<&LearnedHours> {
        self.hours
            .iter()
            .find(|h| h.student_id == student && h.subject == subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_ids_made_together_have_different_short_forms() {
        let ids: Vec<Id> = (0..1000).map(|_| new_ordered_id()).collect();
        let shorts: std::collections::BTreeSet<&str> = ids.iter().map(|i| short(i)).collect();
        assert_eq!(
            shorts.len(),
            ids.len(),
            "one import's ids share their first characters"
        );
        assert!(ids.iter().all(|i| id_matches(i, short(i))));
        assert!(ids.iter().all(|i| id_matches(i, &i[..8])));
        let plain = new_id();
        assert_eq!(short(&plain), &plain[..8]);
        assert!(id_matches(&plain, short(&plain)));
        assert!(
            !id_matches(&plain, &plain[24..]),
            "a random id is named by its start"
        );
    }
}
