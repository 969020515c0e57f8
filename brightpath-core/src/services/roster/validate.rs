//! From rows read and records stored to the roster as it will be: bulk files
//! replace, delta files change, absent files leave alone. Then every reference
//! BrightPath relies on is checked, and families are formed from the parent
//! links. Everything wrong is collected, not only the first.

use std::collections::{BTreeMap, BTreeSet};

use super::HashMap;
use super::oneroster::{Mode, Parsed};
use super::report::Problem;
use super::spec::{self, Fields, Kind, Text};
use crate::store::RosterRecord;

/// The fields of a user that checks and plans read: all a user keeps in
/// memory during an import. The whole record goes to disk with the rows of
/// `users.csv` (sorted for the merge with the stored users, `stream::held`).
pub const USER_READS: &[&str] = &[
    "agentSourcedIds",
    "email",
    "familyName",
    "givenName",
    "grades",
    "orgSourcedIds",
    "role",
    "status",
];

/// Where a record came from, for messages: its file and line, or the store.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub line: usize,
}

/// The roster as it will be after the import.
#[derive(Debug, Default)]
pub struct Checked {
    pub records: BTreeMap<Kind, BTreeMap<String, Fields>>,
    pub origin: HashMap<(Kind, String), Origin>,
    /// Families as sets of user sourcedIds: children and their guardians.
    pub families: Vec<Group>,
    /// Records this import deletes (`status = tobedeleted`).
    pub deleted: BTreeSet<(Kind, String)>,
    pub warnings: Vec<Problem>,
    pub problems: Vec<Problem>,
}

/// One family's user sourcedIds, each list sorted (a `Vec`, not a set: a
/// co-op holds tens of thousands of these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub students: Vec<String>,
    pub guardians: Vec<String>,
}

impl Checked {
    pub fn get(&self, kind: Kind, sid: &str) -> Option<&Fields> {
        self.records.get(&kind).and_then(|m| m.get(sid))
    }

    pub fn has(&self, kind: Kind, sid: &str) -> bool {
        self.get(kind, sid).is_some()
    }

    pub fn is_deleted(&self, kind: Kind, sid: &str) -> bool {
        self.deleted.contains(&(kind, sid.to_string()))
    }

    fn at(&self, kind: Kind, sid: &str, column: &str, message: String, fix: &str) -> Problem {
        let line = self
            .origin
            .get(&(kind, sid.to_string()))
            .map_or(0, |o| o.line);
        at(kind, sid, line, column, message, fix)
    }
}

/// A problem with a record of `kind`: at its line, or (line 0) a stored one.
pub fn at(kind: Kind, sid: &str, line: usize, column: &str, message: String, fix: &str) -> Problem {
    let message = if line > 0 {
        message
    } else {
        format!("stored record {sid}: {message}")
    };
    Problem::new(file_of(kind), line, Some(column), message, fix)
}

/// No records of a kind.
static NO_RECORDS: BTreeMap<String, Fields> = BTreeMap::new();

pub fn file_of(kind: Kind) -> &'static str {
    spec::ONEROSTER
        .iter()
        .chain([&spec::MEETINGS, &spec::TIME_ZONES])
        .find(|s| s.kind == kind)
        .map_or("roster", |s| s.file)
}

fn active(f: &Fields) -> bool {
    f.get("status").map(|v| v.as_str()) != Some("inactive")
}

fn split(v: Option<&Text>) -> Vec<String> {
    v.map(|s| {
        s.split(',')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

pub fn check(mut parsed: Parsed, stored: &[RosterRecord]) -> Checked {
    let mut c = Checked {
        warnings: std::mem::take(&mut parsed.warnings),
        problems: std::mem::take(&mut parsed.problems),
        ..Default::default()
    };
    let mut deleted: BTreeSet<(Kind, String)> = BTreeSet::new();
    for r in stored {
        let Some(kind) = Kind::parse(&r.kind) else {
            continue;
        };
        if kind == Kind::Event || parsed.mode(kind) == Mode::Bulk {
            continue;
        }
        // A stored user comes already cut to `USER_READS` (`roster::import`
        // reads the stored roster so).
        let fields: Fields = super::spec::parse_fields(&r.fields).unwrap_or_default();
        c.records
            .entry(kind)
            .or_default()
            .insert(r.sourced_id.clone(), fields);
    }
    // The rows move into the roster: a big import must not hold them twice.
    for (kind, rows) in parsed.rows {
        let map = c.records.entry(kind).or_default();
        for row in rows {
            if row.deleted {
                map.remove(&row.sid);
                deleted.insert((kind, row.sid));
            } else {
                c.origin
                    .insert((kind, row.sid.clone()), Origin { line: row.line });
                map.insert(row.sid, row.fields);
            }
        }
    }
    references(&mut c, &deleted);
    c.deleted = deleted;
    families(&mut c);
    c.problems.sort();
    c.problems.dedup();
    c.warnings.sort();
    c.warnings.dedup();
    c
}

/// A reference BrightPath relies on must resolve (or the import is refused);
/// one it only keeps is a warning when it does not.
fn references(c: &mut Checked, deleted: &BTreeSet<(Kind, String)>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    // Enrollments are checked as they stream by (`stream::enrollments`).
    let has = |c: &Checked, k: Kind, sid: &str| c.get(k, sid).is_some();
    for (sid, f) in c.records.get(&Kind::User).into_iter().flatten() {
        for a in split(f.get("agentSourcedIds")) {
            // A link kept from an earlier import to a user deleted since
            // is history, not an error in these files.
            let stored = !c.origin.contains_key(&(Kind::User, sid.clone()));
            if !has(c, Kind::User, &a) && (stored || deleted.contains(&(Kind::User, a.clone()))) {
                warnings.push(c.at(
                    Kind::User,
                    sid,
                    "agentSourcedIds",
                    format!("{a} is deleted by this import, so the link is dropped"),
                    "remove the link too",
                ));
            } else if !has(c, Kind::User, &a) {
                problems.push(c.at(
                    Kind::User,
                    sid,
                    "agentSourcedIds",
                    format!("no user {a:?}"),
                    "add the parent or guardian to users.csv, or remove the link",
                ));
            }
        }
    }
    for (sid, f) in c.records.get(&Kind::Meeting).into_iter().flatten() {
        let class = f.get("classSourcedId").cloned().unwrap_or_default();
        if !has(c, Kind::Class, &class) {
            problems.push(c.at(
                Kind::Meeting,
                sid,
                "classSourcedId",
                format!("no class {class:?}"),
                "use a class sourcedId from classes.csv",
            ));
        }
        if f.get("start") >= f.get("end") {
            problems.push(c.at(
                Kind::Meeting,
                sid,
                "end",
                "the class ends before it starts".into(),
                "end must be after start",
            ));
        }
    }
    for (sid, _) in c.records.get(&Kind::TimeZone).into_iter().flatten() {
        if !has(c, Kind::User, sid) {
            problems.push(c.at(
                Kind::TimeZone,
                sid,
                "userSourcedId",
                format!("no user {sid:?}"),
                "name a parent or child from users.csv",
            ));
        }
    }
    // What BrightPath keeps but does not build on: a missing target is a warning.
    let soft: &[(Kind, &str, Kind)] = &[
        (Kind::Class, "courseSourcedId", Kind::Course),
        (Kind::Class, "termSourcedIds", Kind::Session),
        (Kind::Class, "schoolSourcedId", Kind::Org),
        (Kind::Org, "parentSourcedId", Kind::Org),
        (Kind::Session, "parentSourcedId", Kind::Session),
        (Kind::Course, "orgSourcedId", Kind::Org),
        (Kind::User, "orgSourcedIds", Kind::Org),
    ];
    for (kind, col, target) in soft {
        for (sid, f) in c.records.get(kind).into_iter().flatten() {
            for t in split(f.get(col)) {
                if !has(c, *target, &t) {
                    warnings.push(c.at(
                        *kind,
                        sid,
                        col,
                        format!("refers to {t:?}, which is not in {}", file_of(*target)),
                        "BrightPath keeps the reference as it is",
                    ));
                }
            }
        }
    }
    c.problems.extend(problems);
    c.warnings.extend(warnings);
}

/// The root of `x`'s set, on borrowed sourcedIds (no copy of any).
fn union_find_root<'a>(parent: &mut HashMap<&'a str, &'a str>, x: &'a str) -> &'a str {
    let mut r = x;
    while let Some(&p) = parent.get(r).filter(|p| **p != r) {
        r = p;
    }
    parent.insert(x, r);
    r
}

/// Children and the grown-ups linked to them (either side may name the other
/// in agentSourcedIds) form one family. Links between two grown-ups are kept
/// but do not join families; a child named as a child's agent is refused.
fn families(c: &mut Checked) {
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    let users = c.records.get(&Kind::User).unwrap_or(&NO_RECORDS);
    let is_student = |f: &Fields| f.get("role").is_some_and(|r| r == "student");
    let mut parent: HashMap<&str, &str> = HashMap::default();
    let mut guardians: BTreeSet<&str> = BTreeSet::new();
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for (sid, f) in users {
        if !active(f) {
            continue;
        }
        let agents = f.get("agentSourcedIds").map_or("", |v| v.as_str());
        for a in agents.split(',').filter(|x| !x.is_empty()) {
            let Some((a, af)) = users.get_key_value(a) else {
                continue;
            };
            if !active(af) {
                warnings.push(c.at(
                    Kind::User,
                    sid,
                    "agentSourcedIds",
                    format!("{a} is inactive, so the link is not used"),
                    "make the user active to link them",
                ));
                continue;
            }
            let (child, adult) = match (is_student(f), is_student(af)) {
                (true, false) => (sid.as_str(), a.as_str()),
                (false, true) => (a.as_str(), sid.as_str()),
                (true, true) => {
                    problems.push(c.at(
                        Kind::User,
                        sid,
                        "agentSourcedIds",
                        format!("{a} is a student: a child's agents are its parents or guardians"),
                        "link the child to a parent or guardian",
                    ));
                    continue;
                }
                (false, false) => {
                    warnings.push(c.at(
                        Kind::User,
                        sid,
                        "agentSourcedIds",
                        format!("a link between two grown-ups ({sid}, {a}) does not form a family"),
                        "link parents to their children",
                    ));
                    continue;
                }
            };
            guardians.insert(adult);
            linked.insert(child);
            let (ra, rb) = (
                union_find_root(&mut parent, child),
                union_find_root(&mut parent, adult),
            );
            if ra != rb {
                parent.insert(ra, rb);
            }
        }
    }
    // root -> (children, guardians)
    let mut groups: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for (sid, f) in users {
        if !active(f) || !is_student(f) {
            continue;
        }
        if !linked.contains(sid.as_str()) {
            warnings.push(c.at(Kind::User, sid, "agentSourcedIds", "a child with no parent or guardian forms a family of its own, which nobody can sign in to".into(), "add the parent to users.csv and link them"));
        }
        let root = union_find_root(&mut parent, sid);
        groups.entry(root).or_default().0.insert(sid);
    }
    for g in &guardians {
        let root = union_find_root(&mut parent, g);
        if let Some(group) = groups.get_mut(root) {
            group.1.insert(g);
        }
    }
    // Names are unique within a family.
    for (students, guardians) in groups.values() {
        for (set, what) in [(students, "child"), (guardians, "guardian")] {
            let mut names: HashMap<String, &str> = HashMap::default();
            for sid in set {
                let n = person_name(&users[*sid]).to_lowercase();
                if let Some(other) = names.insert(n.clone(), sid) {
                    problems.push(c.at(Kind::User, sid, "givenName", format!("{other} in the same family is also named {n:?}"), &format!("give each {what} of a family a different name (a middle name or initial)")));
                }
            }
        }
    }
    let families: Vec<Group> = groups
        .into_values()
        .map(|(students, guardians)| Group {
            students: students.into_iter().map(str::to_string).collect(),
            guardians: guardians.into_iter().map(str::to_string).collect(),
        })
        .collect();
    c.warnings.extend(warnings);
    c.problems.extend(problems);
    c.families = families;
}

/// A person's name in BrightPath: given and family name.
pub fn person_name(f: &Fields) -> String {
    let get = |k: &str| f.get(k).map(|v| v.as_str()).unwrap_or("");
    full_name(get("givenName"), get("familyName"))
}

/// `given family`, either of which may be empty.
pub fn full_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_string()
}
