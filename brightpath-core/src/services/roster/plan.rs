//! What an import changes: the diff between the roster as stored and as it
//! will be, and what BrightPath makes of it (families, guardians, children,
//! and a fixed event for each family at each co-op class meeting).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::HashMap;
type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
use super::report::{Diff, Problem};
use super::spec::{Fields, Kind};
use super::validate::{Checked, full_name, person_name};
use crate::calendar::WeeklyAvailability;
use crate::model::{Coop, Family, new_ordered_id};
use crate::store::{NewPerson, RosterRecord};

/// When imported people are free until their family says otherwise.
const SCHOOL_HOURS: &str = "mon-fri 08:00-15:00";

/// [`SCHOOL_HOURS`], as the people an import makes get them.
pub fn school_hours() -> WeeklyAvailability {
    WeeklyAvailability::parse("hours", SCHOOL_HOURS).unwrap_or_default()
}

/// user sourcedId -> (family id, person id, a child?)
pub type Placed = HashMap<String, (String, String, bool)>;

#[derive(Debug, Default)]
pub struct Changes {
    pub families: Vec<Family>,
    pub guardians: Vec<NewPerson>,
    pub students: Vec<NewPerson>,
    /// (id, name, e-mail) of guardians whose details changed.
    pub guardian_edits: Vec<(String, String, Option<String>)>,
    /// (id, name, grade) of children whose details changed.
    pub student_edits: Vec<(String, String, Option<String>)>,
    /// (family, id) of people no longer in the roster.
    pub remove_guardians: Vec<(String, String)>,
    pub remove_students: Vec<(String, String)>,
    pub time_zones: Vec<(String, String)>,
    /// Where each user of the roster is in BrightPath: sourcedId ->
    /// (family id, person id, a child?). The streamed kinds need it.
    pub placed: Placed,
    /// The families in the store before the import.
    pub existing: HashSet<String>,
    /// The held kinds the stored roster has records of.
    pub stored_kinds: BTreeSet<Kind>,
    /// Families whose co-op classes changed: their plans are made again.
    pub replan: BTreeSet<String>,
    pub diffs: BTreeMap<String, Diff>,
    pub problems: Vec<Problem>,
}

fn is_student(f: &Fields) -> bool {
    f.get("role").is_some_and(|r| r == "student")
}

fn get<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map(|v| v.as_str()).unwrap_or("")
}

fn opt(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

/// Plans the changes. `families` are every family in the store (for names and
/// time zones).
pub fn plan(
    coop: &Coop,
    checked: &Checked,
    stored: &[RosterRecord],
    families: &[Family],
) -> Changes {
    let mut ch = Changes::default();
    // The stored users by sourcedId.
    let stored_by: HashMap<&str, &RosterRecord> = stored
        .iter()
        .filter(|r| r.kind == Kind::User.name())
        .map(|r| (r.sourced_id.as_str(), r))
        .collect();
    let family_by_id: HashMap<&str, &Family> =
        families.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut names: BTreeSet<String> = families.iter().map(|f| f.name.to_lowercase()).collect();
    let no_users = BTreeMap::new();
    let users = checked.records.get(&Kind::User).unwrap_or(&no_users);
    let mut placed: Placed = HashMap::default();
    let mut family_diff = Diff::default();
    let mut student_diff = Diff::default();
    let mut guardian_diff = Diff::default();
    for g in &checked.families {
        let members: Vec<&String> = g.students.iter().chain(&g.guardians).collect();
        let known: BTreeSet<&str> = members
            .iter()
            .filter_map(|m| stored_by.get(m.as_str()))
            .filter_map(|r| r.family_id.as_deref())
            .filter(|f| family_by_id.contains_key(f))
            .collect();
        if known.len() > 1 {
            let first = members.first().map(|s| s.as_str()).unwrap_or("");
            ch.problems.push(Problem::new(
                "users.csv",
                0,
                Some("agentSourcedIds"),
                format!(
                    "the links put {} in one family, but they are in {} families in BrightPath",
                    members
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    known.len()
                ),
                format!("BrightPath does not merge families: check the parent links of {first}"),
            ));
            continue;
        }
        let zone = members
            .iter()
            .find_map(|m| checked.get(Kind::TimeZone, m))
            .map(|f| get(f, "timeZone").to_string());
        let family_id = match known.iter().next() {
            Some(id) => {
                let f = family_by_id[id];
                if let Some(z) = &zone
                    && *z != f.time_zone
                {
                    ch.time_zones.push((f.id.clone(), z.clone()));
                    family_diff.update(f.name.clone());
                } else {
                    family_diff.unchanged += 1;
                }
                f.id.clone()
            }
            None => {
                let lead = g.guardians.first().or_else(|| g.students.first());
                let surname = lead
                    .and_then(|s| users.get(s))
                    .map(|f| get(f, "familyName"))
                    .unwrap_or("");
                let mut name = format!("{surname} family").trim().to_string();
                if names.contains(&name.to_lowercase()) {
                    name = format!("{name} ({})", lead.map(String::as_str).unwrap_or(""));
                }
                names.insert(name.to_lowercase());
                let f = Family {
                    id: new_ordered_id(),
                    coop_id: Some(coop.id.clone()),
                    name: name.clone(),
                    time_zone: zone.unwrap_or_else(|| coop.time_zone.clone()),
                    version: 1,
                };
                family_diff.create(name);
                let id = f.id.clone();
                ch.families.push(f);
                id
            }
        };
        for sid in members {
            let f = &users[sid];
            let name = person_name(f);
            let before = stored_by.get(sid.as_str());
            let old = before.map(|r| StoredUser::parse(&r.fields));
            let reuse = before.and_then(|r| {
                let same = r.family_id.as_deref() == Some(family_id.as_str())
                    && old
                        .as_ref()
                        .is_some_and(|o| o.is_student() == is_student(f));
                if same { r.target_id.clone() } else { None }
            });
            let diff = if is_student(f) {
                &mut student_diff
            } else {
                &mut guardian_diff
            };
            let target = match reuse {
                Some(id) => {
                    let o = old.unwrap_or_default();
                    let changed = o.name() != name
                        || o.email != get(f, "email")
                        || o.grades != get(f, "grades");
                    if changed {
                        diff.update(name.clone());
                        if is_student(f) {
                            ch.student_edits.push((id.clone(), name, first_grade(f)));
                        } else {
                            ch.guardian_edits
                                .push((id.clone(), name, opt(get(f, "email"))));
                        }
                    } else {
                        diff.unchanged += 1;
                    }
                    id
                }
                None => {
                    let id = new_ordered_id();
                    diff.create(name.clone());
                    let person = NewPerson {
                        id: id.clone(),
                        family_id: family_id.clone(),
                        name,
                        detail: if is_student(f) {
                            first_grade(f)
                        } else {
                            opt(get(f, "email"))
                        },
                    };
                    if is_student(f) {
                        ch.students.push(person);
                    } else {
                        ch.guardians.push(person);
                    }
                    id
                }
            };
            placed.insert(sid.clone(), (family_id.clone(), target, is_student(f)));
        }
    }
    // A guardian whose children have all left stays in the family (with its
    // plans and history) while the roster still has them.
    for r in stored.iter().filter(|r| r.kind == Kind::User.name()) {
        let (Some(fam), Some(target)) = (&r.family_id, &r.target_id) else {
            continue;
        };
        let Some(f) = users.get(&r.sourced_id) else {
            continue;
        };
        if placed.contains_key(&r.sourced_id)
            || is_student(f)
            || !family_by_id.contains_key(fam.as_str())
        {
            continue;
        }
        if StoredUser::parse(&r.fields).is_student() {
            continue;
        }
        guardian_diff.unchanged += 1;
        placed.insert(r.sourced_id.clone(), (fam.clone(), target.clone(), false));
    }
    // People BrightPath made from users who are gone (or became someone else).
    for r in stored.iter().filter(|r| r.kind == Kind::User.name()) {
        let (Some(fam), Some(target)) = (&r.family_id, &r.target_id) else {
            continue;
        };
        if placed
            .get(&r.sourced_id)
            .is_some_and(|(_, t, _)| t == target)
            || !family_by_id.contains_key(fam.as_str())
        {
            continue;
        }
        let old = StoredUser::parse(&r.fields);
        if old.is_student() {
            student_diff.remove(old.name());
            ch.remove_students.push((fam.clone(), target.clone()));
        } else {
            guardian_diff.remove(old.name());
            ch.remove_guardians.push((fam.clone(), target.clone()));
        }
    }
    ch.diffs.insert("families".into(), family_diff);
    ch.diffs.insert("students".into(), student_diff);
    ch.diffs.insert("guardians".into(), guardian_diff);

    ch.placed = placed;
    ch.existing = families.iter().map(|f| f.id.clone()).collect();
    ch.stored_kinds = stored.iter().filter_map(|r| Kind::parse(&r.kind)).collect();
    ch
}

fn first_grade(f: &Fields) -> Option<String> {
    get(f, "grades")
        .split(',')
        .map(str::trim)
        .find(|g| !g.is_empty())
        .map(str::to_string)
}

/// What the plan reads of a stored user's record (its JSON), borrowed.
#[derive(Debug, Default, serde::Deserialize)]
struct StoredUser<'a> {
    #[serde(default, borrow)]
    role: Cow<'a, str>,
    #[serde(rename = "givenName", default, borrow)]
    given: Cow<'a, str>,
    #[serde(rename = "familyName", default, borrow)]
    family: Cow<'a, str>,
    #[serde(default, borrow)]
    email: Cow<'a, str>,
    #[serde(default, borrow)]
    grades: Cow<'a, str>,
}

impl<'a> StoredUser<'a> {
    /// An unreadable record reads as empty (a person with no name).
    fn parse(json: &'a str) -> StoredUser<'a> {
        serde_json::from_str(json).unwrap_or_default()
    }

    fn is_student(&self) -> bool {
        self.role == "student"
    }

    /// As [`person_name`] gives it.
    fn name(&self) -> String {
        full_name(&self.given, &self.family)
    }
}
