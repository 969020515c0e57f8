//! From marked sessions to rows: one per (session, child), with the cleaning
//! rules of the crate docs applied, and the one-hot encoder the models keep.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use brightpath_core::calendar::{Weekday, monday_of};
use brightpath_core::model::{ChildRating, Course, Session, SessionStatus, Student};
use jiff::civil::Date;
use ndarray::{Array1, Array2};
use serde::Serialize;

/// Minutes above which a length is taken for a typo, whatever was planned.
pub const MAX_MINUTES: u32 = 600;
/// A length above this many times the planned one is taken for a typo.
pub const MAX_RATIO: f64 = 3.0;
/// How many of the child's last difficulty marks in a course make "recent difficulty".
pub const RECENT: usize = 5;

/// Part of the school day, for features and for "best hours".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Daypart {
    /// Before 10:00.
    Morning,
    /// 10:00 to 11:59.
    Midday,
    /// From 12:00 (after lunch).
    Afternoon,
}

impl Daypart {
    pub const ALL: [Daypart; 3] = [Daypart::Morning, Daypart::Midday, Daypart::Afternoon];

    pub fn of(start_minutes: u32) -> Daypart {
        match start_minutes {
            m if m < 10 * 60 => Daypart::Morning,
            m if m < 12 * 60 => Daypart::Midday,
            _ => Daypart::Afternoon,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Daypart::Morning => "morning",
            Daypart::Midday => "midday",
            Daypart::Afternoon => "afternoon",
        }
    }

    /// A typical start in this part of the day, for "what if it were then".
    pub fn typical_start(self) -> u32 {
        match self {
            Daypart::Morning => 9 * 60,
            Daypart::Midday => 11 * 60,
            Daypart::Afternoon => 13 * 60 + 30,
        }
    }
}

/// One child's part in one marked session: the features and the cleaned labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub session_id: String,
    pub date: Date,
    /// The Monday of its week (the time-based split is by week).
    pub week: Date,
    pub child: String,
    pub course: String,
    pub subject: String,
    pub planned: f64,
    /// Minutes since midnight.
    pub start: u32,
    pub weekday: Weekday,
    /// 0 for the child's first lesson of the day, 1 for the second, ...
    pub position: u32,
    /// Done with other children.
    pub shared: bool,
    /// Mean of the child's last few difficulty marks (1-5) in this course
    /// before this date; 3 (the middle) when there are none.
    pub recent_difficulty: f64,
    pub status: SessionStatus,
    /// The cleaned actual length (the lengths model's label), if usable.
    pub minutes: Option<f64>,
    /// The cleaned engagement 1-5 (the best-hours model's label), if usable.
    pub engagement: Option<f64>,
}

impl Row {
    pub fn hour(&self) -> u32 {
        self.start / 60
    }

    pub fn daypart(&self) -> Daypart {
        Daypart::of(self.start)
    }

    /// The same lesson started at another time (for "what if").
    pub fn at(&self, start: u32) -> Row {
        Row {
            start,
            ..self.clone()
        }
    }
}

/// What the cleaning rules set aside (see the crate docs).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cleaning {
    /// Rows kept (one per session and child, done or partly done).
    pub rows: usize,
    /// Lengths dropped as absurd: 0, over 600 minutes or over 3x planned.
    pub absurd_minutes: usize,
    /// Engagement marks outside 1-5, dropped.
    pub bad_engagement: usize,
    /// Skipped or missed sessions carrying minutes or engagement, ignored.
    pub void_with_feedback: usize,
    /// Done with no feedback (actual = planned and no engagement): the
    /// length is unknown, not "as planned" (marking done fills in the plan).
    pub without_feedback: usize,
    /// Partly done: the length says nothing about a whole lesson.
    pub partial: usize,
}

/// What the cleaning rules make of one child's figures of one lesson.
#[derive(Default)]
struct Judged {
    minutes: Option<f64>,
    engagement: Option<f64>,
    silent: bool,
    partial: bool,
    absurd: bool,
    bad_engagement: bool,
}

fn judge(s: &Session, r: &ChildRating) -> Judged {
    let mut j = Judged {
        silent: s.status == SessionStatus::Done
            && r.actual_minutes.is_none_or(|m| m == s.minutes)
            && r.engagement.is_none(),
        ..Default::default()
    };
    j.minutes = match (s.status, r.actual_minutes) {
        _ if j.silent => None,
        (SessionStatus::Partial, _) => {
            j.partial = true;
            None
        }
        (_, Some(m)) if absurd(m, s.minutes) => {
            j.absurd = true;
            None
        }
        (_, m) => m.map(f64::from),
    };
    j.engagement = match r.engagement {
        Some(e) if (1..=5).contains(&e) => Some(f64::from(e)),
        Some(_) => {
            j.bad_engagement = true;
            None
        }
        None => None,
    };
    j
}

/// Builds the rows of every done or partly done session, oldest first: one
/// per child, with the child's own rating of a group lesson (`ratings`)
/// over the session's figures. A cleaning rule counts a lesson once.
pub fn rows(
    sessions: &[Session],
    ratings: &[ChildRating],
    students: &[Student],
    courses: &[Course],
) -> (Vec<Row>, Cleaning) {
    let child: HashMap<&str, &str> = students
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let course: HashMap<&str, &Course> = courses.iter().map(|c| (c.id.as_str(), c)).collect();
    let own: HashMap<(&str, &str), &ChildRating> = ratings
        .iter()
        .map(|r| ((r.session_id.as_str(), r.student_id.as_str()), r))
        .collect();
    let mut clean = Cleaning::default();
    let mut list: Vec<&Session> = Vec::new();
    for s in sessions {
        match s.status {
            SessionStatus::Done | SessionStatus::Partial => list.push(s),
            SessionStatus::Skipped | SessionStatus::Missed => {
                if s.engagement.is_some() || s.difficulty.is_some() || s.actual_minutes.is_some() {
                    clean.void_with_feedback += 1;
                }
            }
            SessionStatus::Planned => {}
        }
    }
    list.sort_by(|a, b| (a.date, a.start, &a.id).cmp(&(b.date, b.start, &b.id)));
    // Position in each child's day, and difficulty marks so far.
    let mut day_count: HashMap<(&str, Date), u32> = HashMap::new();
    let mut marks: HashMap<(&str, &str), Vec<(Date, u8)>> = HashMap::new();
    let mut out = Vec::new();
    for s in list {
        let Some(c) = course.get(s.course_id.as_str()) else {
            continue;
        };
        let mut seen = Judged::default();
        for sid in &s.student_ids {
            let r = ChildRating::over(own.get(&(s.id.as_str(), sid.as_str())).copied(), s);
            let j = judge(s, &r);
            seen.silent |= j.silent;
            seen.partial |= j.partial;
            seen.absurd |= j.absurd;
            seen.bad_engagement |= j.bad_engagement;
            let Some(name) = child.get(sid.as_str()) else {
                continue;
            };
            let pos = day_count.entry((sid.as_str(), s.date)).or_insert(0);
            let position = *pos;
            *pos += 1;
            let past = marks
                .entry((sid.as_str(), s.course_id.as_str()))
                .or_default();
            let recent: Vec<f64> = past
                .iter()
                .rev()
                .filter(|(d, _)| *d < s.date)
                .take(RECENT)
                .map(|(_, x)| f64::from(*x))
                .collect();
            let recent_difficulty = if recent.is_empty() {
                3.0
            } else {
                recent.iter().sum::<f64>() / recent.len() as f64
            };
            if let Some(d) = r.difficulty.filter(|d| (1..=5).contains(d)) {
                past.push((s.date, d));
            }
            out.push(Row {
                session_id: s.id.clone(),
                date: s.date,
                week: monday_of(s.date),
                child: name.to_string(),
                course: c.name.clone(),
                subject: c.subject.clone(),
                planned: f64::from(s.minutes),
                start: s.start.minutes(),
                weekday: Weekday::of(s.date),
                position,
                shared: s.student_ids.len() > 1,
                recent_difficulty,
                status: s.status,
                minutes: j.minutes,
                engagement: j.engagement,
            });
        }
        clean.without_feedback += usize::from(seen.silent);
        clean.partial += usize::from(seen.partial);
        clean.absurd_minutes += usize::from(seen.absurd);
        clean.bad_engagement += usize::from(seen.bad_engagement);
    }
    clean.rows = out.len();
    (out, clean)
}

/// The rule for a length that is a typo rather than a lesson.
pub fn absurd(actual: u32, planned: u32) -> bool {
    actual == 0 || actual > MAX_MINUTES || f64::from(actual) > MAX_RATIO * f64::from(planned)
}

/// A group of features: a categorical one (one-hot) or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    Child,
    Course,
    Subject,
    Hour,
    Weekday,
    ChildDaypart,
    ChildSubject,
    /// Planned minutes / 60.
    Planned,
    Position,
    /// Recent difficulty - 3.
    RecentDifficulty,
    Shared,
}

impl Feature {
    pub fn name(self) -> &'static str {
        match self {
            Feature::Child => "child",
            Feature::Course => "course",
            Feature::Subject => "subject",
            Feature::Hour => "hour",
            Feature::Weekday => "weekday",
            Feature::ChildDaypart => "child_daypart",
            Feature::ChildSubject => "child_subject",
            Feature::Planned => "planned_hours",
            Feature::Position => "position",
            Feature::RecentDifficulty => "recent_difficulty",
            Feature::Shared => "shared",
        }
    }

    pub fn is_categorical(self) -> bool {
        !matches!(
            self,
            Feature::Planned | Feature::Position | Feature::RecentDifficulty | Feature::Shared
        )
    }

    /// The category of a row, or `None` for a number.
    pub fn category(self, r: &Row) -> Option<String> {
        Some(match self {
            Feature::Child => r.child.clone(),
            Feature::Course => r.course.clone(),
            Feature::Subject => r.subject.clone(),
            Feature::Hour => format!("{:02}", r.hour()),
            Feature::Weekday => r.weekday.name()[..3].to_lowercase(),
            Feature::ChildDaypart => format!("{}|{}", r.child, r.daypart().as_str()),
            Feature::ChildSubject => format!("{}|{}", r.child, r.subject),
            _ => return None,
        })
    }

    pub fn number(self, r: &Row) -> f64 {
        match self {
            Feature::Planned => r.planned / 60.0,
            Feature::Position => f64::from(r.position),
            Feature::RecentDifficulty => r.recent_difficulty - 3.0,
            Feature::Shared => f64::from(u8::from(r.shared)),
            _ => 0.0,
        }
    }
}

/// The lengths model's features.
pub const LENGTH_FEATURES: &[Feature] = &[
    Feature::Child,
    Feature::Course,
    Feature::Subject,
    Feature::Hour,
    Feature::Weekday,
    Feature::ChildDaypart,
    Feature::Planned,
    Feature::Position,
    Feature::RecentDifficulty,
    Feature::Shared,
];

/// The best-hours (engagement) model's features.
pub const ENGAGEMENT_FEATURES: &[Feature] = &[
    Feature::Child,
    Feature::Subject,
    Feature::ChildSubject,
    Feature::Hour,
    Feature::Weekday,
    Feature::ChildDaypart,
    Feature::Planned,
    Feature::Position,
    Feature::RecentDifficulty,
];

/// One-hot encoding learnt from training rows and kept with the model: a
/// category not seen in training encodes as all zeros. Column 0 is the
/// constant (the intercept).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Encoder {
    pub features: Vec<Feature>,
    /// The levels of each categorical feature, sorted.
    pub levels: BTreeMap<&'static str, Vec<String>>,
    pub columns: Vec<String>,
}

impl Encoder {
    pub fn fit(features: &[Feature], rows: &[&Row]) -> Encoder {
        let mut levels = BTreeMap::new();
        let mut columns = vec!["const".to_string()];
        for f in features {
            if f.is_categorical() {
                let set: BTreeSet<String> = rows.iter().filter_map(|r| f.category(r)).collect();
                let list: Vec<String> = set.into_iter().collect();
                columns.extend(list.iter().map(|l| format!("{}={l}", f.name())));
                levels.insert(f.name(), list);
            } else {
                columns.push(f.name().to_string());
            }
        }
        Encoder {
            features: features.to_vec(),
            levels,
            columns,
        }
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    pub fn encode_one(&self, r: &Row) -> Array1<f64> {
        let mut x = Array1::zeros(self.width());
        x[0] = 1.0;
        let mut at = 1;
        for f in &self.features {
            match (f.category(r), self.levels.get(f.name())) {
                (Some(cat), Some(levels)) => {
                    if let Ok(i) = levels.binary_search(&cat) {
                        x[at + i] = 1.0;
                    }
                    at += levels.len();
                }
                _ => {
                    x[at] = f.number(r);
                    at += 1;
                }
            }
        }
        x
    }

    pub fn encode(&self, rows: &[&Row]) -> Array2<f64> {
        let mut m = Array2::zeros((rows.len(), self.width()));
        for (i, r) in rows.iter().enumerate() {
            m.row_mut(i).assign(&self.encode_one(r));
        }
        m
    }
}
