//! A co-op's class lists, as its admin sees them: each class with its
//! course, when and where it meets, who teaches it and which children take
//! it (with their family). Read from the imported roster; never a family's
//! plan.

use std::collections::BTreeMap;

use serde::Serialize;

use super::spec::{self, Fields, Kind};
use crate::error::{Error, Result};
use crate::store::Store;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CoopClass {
    pub sourced_id: String,
    pub title: String,
    /// The course's title (or its code, or its sourcedId when the courses
    /// file did not come).
    pub course: Option<String>,
    pub meetings: Vec<ClassMeeting>,
    /// Who teaches it (enrollments as teacher or aide).
    pub teachers: Vec<String>,
    pub students: Vec<ClassMember>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ClassMeeting {
    pub day: String,
    pub start: String,
    pub end: String,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ClassMember {
    pub name: String,
    /// The BrightPath family the child belongs to (none for a child the
    /// import could not place in one).
    pub family: Option<String>,
}

fn get(f: &Fields, k: &str) -> String {
    f.get(k).map(|v| v.to_string()).unwrap_or_default()
}

fn nonempty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// The classes of the co-op named `coop` (name or id), by title.
pub async fn classes(store: &Store, coop: &str) -> Result<Vec<CoopClass>> {
    let (records, families) = {
        let mut tx = store.read().await?;
        let coop = tx.find_coop(coop).await?.id;
        let records = tx.roster_records(&coop).await?;
        let families: BTreeMap<String, String> = tx
            .coop_families(&coop)
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect();
        (records, families)
    };
    let mut by_kind: BTreeMap<Kind, Vec<(String, Fields, Option<String>)>> = BTreeMap::new();
    for r in records {
        let Some(kind) = Kind::parse(&r.kind) else {
            continue;
        };
        if !matches!(
            kind,
            Kind::Class | Kind::Course | Kind::User | Kind::Enrollment | Kind::Meeting
        ) {
            continue;
        }
        let f = spec::parse_fields(&r.fields).ok_or_else(|| {
            Error::Internal(format!(
                "stored roster record {} is unreadable",
                r.sourced_id
            ))
        })?;
        by_kind
            .entry(kind)
            .or_default()
            .push((r.sourced_id, f, r.family_id));
    }
    let mut take = |k: Kind| by_kind.remove(&k).unwrap_or_default();
    let courses: BTreeMap<String, String> = take(Kind::Course)
        .into_iter()
        .map(|(sid, f, _)| {
            let name = nonempty(get(&f, "title"))
                .or_else(|| nonempty(get(&f, "courseCode")))
                .unwrap_or_else(|| sid.clone());
            (sid, name)
        })
        .collect();
    let users: BTreeMap<String, (String, Option<String>)> = take(Kind::User)
        .into_iter()
        .map(|(sid, f, family)| {
            let name = format!("{} {}", get(&f, "givenName"), get(&f, "familyName"))
                .trim()
                .to_string();
            let family = family.and_then(|id| families.get(&id).cloned());
            (sid, (name, family))
        })
        .collect();
    let mut out: BTreeMap<String, CoopClass> = take(Kind::Class)
        .into_iter()
        .map(|(sid, f, _)| {
            let course =
                nonempty(get(&f, "courseSourcedId")).map(|c| courses.get(&c).cloned().unwrap_or(c));
            let class = CoopClass {
                sourced_id: sid.clone(),
                title: nonempty(get(&f, "title")).unwrap_or_else(|| sid.clone()),
                course,
                meetings: Vec::new(),
                teachers: Vec::new(),
                students: Vec::new(),
            };
            (sid, class)
        })
        .collect();
    for (_, f, _) in take(Kind::Meeting) {
        if let Some(c) = out.get_mut(&get(&f, "classSourcedId")) {
            c.meetings.push(ClassMeeting {
                day: get(&f, "day"),
                start: get(&f, "start"),
                end: get(&f, "end"),
                place: nonempty(get(&f, "place")),
            });
        }
    }
    for (_, f, _) in take(Kind::Enrollment) {
        let Some(c) = out.get_mut(&get(&f, "classSourcedId")) else {
            continue;
        };
        let Some((name, family)) = users.get(&get(&f, "userSourcedId")) else {
            continue;
        };
        match get(&f, "role").as_str() {
            "teacher" | "aide" => c.teachers.push(name.clone()),
            _ => c.students.push(ClassMember {
                name: name.clone(),
                family: family.clone(),
            }),
        }
    }
    let mut list: Vec<CoopClass> = out.into_values().collect();
    let day = |d: &str| {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .position(|x| d.eq_ignore_ascii_case(x))
            .unwrap_or(7)
    };
    for c in &mut list {
        // In the week's order, not the file's.
        c.meetings
            .sort_by(|a, b| (day(&a.day), &a.start).cmp(&(day(&b.day), &b.start)));
        c.teachers.sort();
        c.students.sort_by(|a, b| a.name.cmp(&b.name));
    }
    list.sort_by(|a, b| {
        a.title
            .cmp(&b.title)
            .then_with(|| a.sourced_id.cmp(&b.sourced_id))
    });
    Ok(list)
}
