//! The kinds of records a roster holds, their columns, and the check of each
//! field. Records are kept in a canonical form (trimmed, booleans in lower
//! case, an empty status read as active) so that the same data always
//! compares equal, whatever quirks the exporting system has.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::calendar::{Clock, Weekday};

/// A record's fields by column name, canonical, kept sorted by name (so its
/// JSON is a map's, keys in order). The names are the specs' own strings:
/// a co-op of 100,000 users holds millions of fields. A sorted vector, not a
/// tree: a user's dozen fields take a third of the memory a `BTreeMap`'s
/// nodes do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(&'static str, Text)>);

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    pub fn with_capacity(n: usize) -> Fields {
        Fields(Vec::with_capacity(n))
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&Text> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    /// Sets a field; gives its value before, if it had one.
    pub fn insert(&mut self, name: &'static str, value: Text) -> Option<Text> {
        match self.find(name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    /// Keeps only the fields named in `names` that have a value (an empty
    /// one reads the same as none: `get(…)` is `None`).
    pub fn keep_values_of(&mut self, names: &[&str]) {
        self.0.retain(|(n, v)| !v.is_empty() && names.contains(n));
        self.0.shrink_to_fit();
    }

    pub fn remove(&mut self, name: &str) -> Option<Text> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Text)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(&'static str, Text)> for Fields {
    fn from_iter<I: IntoIterator<Item = (&'static str, Text)>>(iter: I) -> Fields {
        let mut f = Fields::new();
        for (name, value) in iter {
            f.insert(name, value);
        }
        f
    }
}

impl serde::Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value.as_str())?;
        }
        map.end()
    }
}

/// A field's value: short values (most of a roster's: statuses, dates, ids,
/// roles) are kept inline, without an allocation each.
pub type Text = compact_str::CompactString;

/// What BrightPath keeps of a class meeting it made into a family's event.
const EVENT_FIELDS: &[&str] = &[
    "name",
    "day",
    "start",
    "end",
    "place",
    "school",
    "students",
    "guardians",
];

/// The spec's own string for a column name, if it is one BrightPath keeps.
pub fn column(name: &str) -> Option<&'static str> {
    ["status", "dateLastModified"]
        .iter()
        .chain(ONEROSTER.iter().flat_map(|s| s.fields.iter()))
        .chain(MEETINGS.fields)
        .chain(TIME_ZONES.fields)
        .chain(EVENT_FIELDS)
        .find(|c| **c == name)
        .copied()
}

/// A stored record's fields (canonical JSON); keys BrightPath does not know
/// are dropped.
pub fn parse_fields(text: &str) -> Option<Fields> {
    let raw: BTreeMap<String, Text> = serde_json::from_str(text).ok()?;
    Some(
        raw.into_iter()
            .filter_map(|(k, v)| column(&k).map(|c| (c, v)))
            .collect(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Org,
    Session,
    Course,
    Class,
    User,
    Enrollment,
    /// BrightPath's template: when and where a class meets.
    Meeting,
    /// BrightPath's template: a family's time zone, by any member.
    TimeZone,
    /// What BrightPath made of a class meeting for one family.
    Event,
}

pub struct Spec {
    pub kind: Kind,
    pub file: &'static str,
    /// The name used in the manifest (`file.users`) and in reports.
    pub name: &'static str,
    /// Canonical fields in export order (after sourcedId, status, dateLastModified).
    pub fields: &'static [&'static str],
    pub required: &'static [&'static str],
}

pub const ONEROSTER: &[Spec] = &[
    Spec {
        kind: Kind::Org,
        file: "orgs.csv",
        name: "orgs",
        fields: &["name", "type", "identifier", "parentSourcedId"],
        required: &["sourcedId", "name", "type"],
    },
    Spec {
        kind: Kind::Session,
        file: "academicSessions.csv",
        name: "academicSessions",
        fields: &[
            "title",
            "type",
            "startDate",
            "endDate",
            "parentSourcedId",
            "schoolYear",
        ],
        required: &["sourcedId", "title", "type", "startDate", "endDate"],
    },
    Spec {
        kind: Kind::Course,
        file: "courses.csv",
        name: "courses",
        fields: &[
            "schoolYearSourcedId",
            "title",
            "courseCode",
            "grades",
            "orgSourcedId",
            "subjects",
            "subjectCodes",
        ],
        required: &["sourcedId", "title", "orgSourcedId"],
    },
    Spec {
        kind: Kind::Class,
        file: "classes.csv",
        name: "classes",
        fields: &[
            "title",
            "grades",
            "courseSourcedId",
            "classCode",
            "classType",
            "location",
            "schoolSourcedId",
            "termSourcedIds",
            "subjects",
            "subjectCodes",
            "periods",
        ],
        required: &[
            "sourcedId",
            "title",
            "courseSourcedId",
            "classType",
            "schoolSourcedId",
        ],
    },
    Spec {
        kind: Kind::User,
        file: "users.csv",
        name: "users",
        // role and orgSourcedIds: a 1.1 users file has them; in 1.2 they come
        // from roles.csv. Passwords and phone numbers are never kept.
        fields: &[
            "enabledUser",
            "username",
            "givenName",
            "familyName",
            "middleName",
            "identifier",
            "email",
            "agentSourcedIds",
            "grades",
            "role",
            "orgSourcedIds",
        ],
        required: &["sourcedId", "givenName", "familyName"],
    },
    Spec {
        kind: Kind::Enrollment,
        file: "enrollments.csv",
        name: "enrollments",
        fields: &[
            "classSourcedId",
            "schoolSourcedId",
            "userSourcedId",
            "role",
            "primary",
            "beginDate",
            "endDate",
        ],
        required: &["sourcedId", "classSourcedId", "userSourcedId", "role"],
    },
];

pub const MEETINGS: Spec = Spec {
    kind: Kind::Meeting,
    file: "class_meetings.csv",
    name: "class_meetings",
    fields: &["classSourcedId", "day", "start", "end", "place", "school"],
    required: &["classSourcedId", "day", "start", "end"],
};

pub const TIME_ZONES: Spec = Spec {
    kind: Kind::TimeZone,
    file: "family_time_zones.csv",
    name: "family_time_zones",
    fields: &["userSourcedId", "timeZone"],
    required: &["userSourcedId", "timeZone"],
};

impl Kind {
    /// The kind's name in the store and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Org => "orgs",
            Kind::Session => "academicSessions",
            Kind::Course => "courses",
            Kind::Class => "classes",
            Kind::User => "users",
            Kind::Enrollment => "enrollments",
            Kind::Meeting => "class_meetings",
            Kind::TimeZone => "family_time_zones",
            Kind::Event => "events",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        [
            Kind::Org,
            Kind::Session,
            Kind::Course,
            Kind::Class,
            Kind::User,
            Kind::Enrollment,
            Kind::Meeting,
            Kind::TimeZone,
            Kind::Event,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

pub const ROLES: &[&str] = &[
    "administrator",
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
];
const ORG_TYPES: &[&str] = &[
    "department",
    "school",
    "district",
    "local",
    "state",
    "national",
];
const SESSION_TYPES: &[&str] = &["gradingPeriod", "semester", "schoolYear", "term"];
const CLASS_TYPES: &[&str] = &["homeroom", "scheduled"];
const SCHOOL_TIME: &[&str] = &["core", "elective", "no"];

fn one_of(value: &str, allowed: &[&str], what: &str) -> Result<String, (String, String)> {
    match allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        // Kept as the list spells it, so `Scheduled` and `scheduled` are one value.
        Some(a) => Ok((*a).to_string()),
        None => Err((
            format!("{value:?} is not a known {what}"),
            format!("use one of: {}", allowed.join(", ")),
        )),
    }
}

fn date(value: &str) -> Result<String, (String, String)> {
    value
        .parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| {
            (
                format!("{value:?} is not a date"),
                "write dates as YYYY-MM-DD, for example 2026-09-07".to_string(),
            )
        })
}

fn boolean(value: &str) -> Result<String, (String, String)> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok("true".into()),
        "false" => Ok("false".into()),
        _ => Err((
            format!("{value:?} is not true or false"),
            "write true or false (any letter case)".to_string(),
        )),
    }
}

/// Multi-value fields: items trimmed, joined with a comma.
fn list(value: &str) -> String {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

/// Checks one field and gives its canonical form; an empty value stays empty
/// (whether it may be empty is the `required` list's business).
pub fn check(kind: Kind, column: &str, value: &str) -> Result<String, (String, String)> {
    check_cow(kind, column, value).map(Cow::into_owned)
}

/// [`check`], borrowing the value where it is canonical already (most
/// fields): a big import checks millions of fields.
pub fn check_cow<'a>(
    kind: Kind,
    column: &str,
    value: &'a str,
) -> Result<Cow<'a, str>, (String, String)> {
    if value.is_empty() {
        return Ok(Cow::Borrowed(""));
    }
    let owned = |r: Result<String, (String, String)>| r.map(Cow::Owned);
    match (kind, column) {
        (_, "status") => match value.to_ascii_lowercase().as_str() {
            "active" => Ok(Cow::Borrowed("active")),
            "inactive" => Ok(Cow::Borrowed("inactive")),
            "tobedeleted" => Ok(Cow::Borrowed("tobedeleted")),
            _ => Err((
                format!("{value:?} is not a known status"),
                "use active, inactive or tobedeleted".to_string(),
            )),
        },
        (_, "dateLastModified") => {
            if value.parse::<jiff::Timestamp>().is_ok()
                || value.parse::<jiff::civil::Date>().is_ok()
            {
                Ok(Cow::Borrowed(value))
            } else {
                Err((
                    format!("{value:?} is neither a date nor a date-time"),
                    "write 2023-05-01 or 2023-05-01T18:25:43.511Z".to_string(),
                ))
            }
        }
        (_, "startDate" | "endDate" | "beginDate") => owned(date(value)),
        (_, "enabledUser" | "primary") => owned(boolean(value)),
        (Kind::Org, "type") => owned(one_of(value, ORG_TYPES, "org type")),
        (Kind::Session, "type") => owned(one_of(value, SESSION_TYPES, "session type")),
        (Kind::Session, "schoolYear") => {
            if value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()) {
                Ok(Cow::Borrowed(value))
            } else {
                Err((
                    format!("{value:?} is not a year"),
                    "write the year the school year ends in, e.g. 2024".into(),
                ))
            }
        }
        (Kind::Class, "classType") => owned(one_of(value, CLASS_TYPES, "class type")),
        (Kind::User | Kind::Enrollment, "role") => owned(one_of(value, ROLES, "role")),
        (_, "agentSourcedIds" | "orgSourcedIds" | "termSourcedIds") => Ok(Cow::Owned(list(value))),
        (Kind::Meeting, "day") => Weekday::parse(value)
            .map(|d| Cow::Borrowed(d.name()))
            .ok_or_else(|| {
                (
                    format!("{value:?} is not a day of the week"),
                    "write mon, tue, … or monday, tuesday, …".into(),
                )
            }),
        (Kind::Meeting, "start" | "end") => Clock::parse(column, value)
            .map(|c| Cow::Owned(c.to_string()))
            .map_err(|_| {
                (
                    format!("{value:?} is not a time"),
                    "write times as HH:MM, for example 13:30".into(),
                )
            }),
        (Kind::Meeting, "school") => owned(one_of(value, SCHOOL_TIME, "kind of school time")),
        (Kind::TimeZone, "timeZone") => crate::services::school::check_time_zone(value)
            .map(|()| Cow::Borrowed(value))
            .map_err(|_| {
                (
                    format!("{value:?} is not a time zone"),
                    "use an IANA name such as America/Chicago or Europe/Berlin".into(),
                )
            }),
        _ => Ok(Cow::Borrowed(value)),
    }
}
