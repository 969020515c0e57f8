//! The plan and its JSON form (spec: "Plan").

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::request::{Day, hhmm};

/// One session of a lesson. Times are minutes since midnight.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Session {
    pub lesson: String,
    pub day: Day,
    pub start: i64,
    /// `start + duration`; `None` when read from JSON that had no `end`.
    pub end: Option<i64>,
}

impl Session {
    pub fn new(lesson: impl Into<String>, day: Day, start: i64, end: i64) -> Session {
        Session {
            lesson: lesson.into(),
            day,
            start,
            end: Some(end),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionJson {
    lesson: String,
    day: String,
    start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(default, skip_serializing)]
    #[allow(dead_code)] // read and ignored, as the spec allows
    meta: Option<serde_json::Value>,
}

/// Minutes of "HH:MM" (00:00..24:00).
pub fn parse_hhmm(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        return None;
    }
    let h = i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0');
    let m = i64::from(b[3] - b'0') * 10 + i64::from(b[4] - b'0');
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

impl Serialize for Session {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SessionJson {
            lesson: self.lesson.clone(),
            day: self.day.name().into(),
            start: hhmm(self.start),
            end: self.end.map(hhmm),
            meta: None,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = SessionJson::deserialize(d)?;
        let day = Day::from_name(&j.day)
            .ok_or_else(|| D::Error::custom(format!("{:?} is not a day name", j.day)))?;
        let time =
            |t: &str| parse_hhmm(t).ok_or_else(|| D::Error::custom(format!("{t:?} is not HH:MM")));
        let start = time(&j.start)?;
        let end = match &j.end {
            Some(e) => Some(time(e)?),
            None => None,
        };
        Ok(Session {
            lesson: j.lesson,
            day,
            start,
            end,
        })
    }
}

/// The score, lower is better; `total` is the sum of the five parts.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub total: i64,
    pub unscheduled: i64,
    pub preferred: i64,
    pub spread: i64,
    pub balance: i64,
    pub idle: i64,
}

/// A lesson that did not get all its sessions, and why.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unscheduled {
    pub lesson: String,
    pub missing: i64,
    /// The cause in the spec's words, with the request's ids.
    pub reason: String,
    /// The same cause, structured, for callers that name people their own
    /// way (not part of the JSON form; `Unknown` when read from JSON).
    #[serde(skip)]
    pub cause: Cause,
}

/// Why a lesson is short of sessions. Ids are the request's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Cause {
    /// No school day of the week is allowed for the lesson.
    NoAllowedDay,
    /// A session is longer than any day's room.
    TooLong { minutes: i64 },
    /// Its students and teacher have no free time in common.
    NoCommonTime,
    /// A session is longer than a student's daily cap.
    OverDailyCap { student: String, cap: i64 },
    /// Too few allowed days for the sessions at `max_per_day`.
    TooFewDays { days: i64, max_per_day: i64 },
    /// Every free place would cost more than the missing session.
    LeftOutOnPurpose,
    /// A student's days are full up to their cap.
    WeekFullFor { student: String, cap: i64 },
    /// The teacher has no free time left on the allowed days.
    TeacherBooked { teacher: String },
    /// A student has no free time left on the allowed days.
    StudentBooked { student: String },
    /// Every day with room already holds `max_per_day` sessions.
    DaysFull { max_per_day: i64 },
    /// No room left for its people.
    NoRoom,
    /// Read from JSON, where only the words travel.
    #[default]
    Unknown,
}

impl Cause {
    /// The cause in words, naming people by `name(id)`.
    pub fn describe(&self, name: impl Fn(&str) -> String) -> String {
        match self {
            Cause::NoAllowedDay => "no school day this week is allowed for this lesson".into(),
            Cause::TooLong { minutes } => {
                format!("a session of {minutes} minutes does not fit in a day")
            }
            Cause::NoCommonTime => {
                "no common free time for its students and teacher on its allowed days".into()
            }
            Cause::OverDailyCap { student, cap } => format!(
                "a session is longer than {}'s max_daily_minutes {cap}",
                name(student)
            ),
            Cause::TooFewDays { days, max_per_day } => {
                format!("only {days} allowed day(s) with max_per_day {max_per_day}")
            }
            Cause::LeftOutOnPurpose => {
                "left out on purpose: every free place would cost more than the missing session"
                    .into()
            }
            Cause::WeekFullFor { student, cap } => format!(
                "the week is full for {} (max_daily_minutes {cap})",
                name(student)
            ),
            Cause::TeacherBooked { teacher } => {
                format!(
                    "teacher {} is fully booked on its allowed days",
                    name(teacher)
                )
            }
            Cause::StudentBooked { student } => {
                format!(
                    "{} has no free time left on its allowed days",
                    name(student)
                )
            }
            Cause::DaysFull { max_per_day } => {
                format!("every day with room already has max_per_day {max_per_day} session(s)")
            }
            Cause::NoRoom => "no room left: the week is full for its students or teacher".into(),
            Cause::Unknown => "unknown".into(),
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(str::to_string))
    }
}

/// A plan in the spec's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub sessions: Vec<Session>,
    /// Optional in JSON read from elsewhere (then all zero: recompute with `score`).
    #[serde(default)]
    pub score: Score,
    #[serde(default)]
    pub unscheduled: Vec<Unscheduled>,
}

impl Plan {
    /// The plan as pretty JSON (one session per line).
    pub fn to_json(&self) -> String {
        let line = |v: &dyn erased::Ser| v.json();
        let mut out = String::from("{\n  \"version\": 1,\n  \"sessions\": [");
        for (i, s) in self.sessions.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&line(s));
        }
        out.push_str(if self.sessions.is_empty() {
            "],\n"
        } else {
            "\n  ],\n"
        });
        out.push_str(&format!(
            "  \"score\": {},\n  \"unscheduled\": [",
            line(&self.score)
        ));
        for (i, u) in self.unscheduled.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&line(u));
        }
        out.push_str(if self.unscheduled.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }
}

mod erased {
    /// One-line JSON of anything serializable (these types cannot fail to serialize).
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
