//! What an import changes: the diff between the roster as stored and as it
//! will be, and what BrightPath makes of it (families, guardians, children,
//! and a fixed event for each family at each co-op class meeting).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::HashMap;
use super::report::{Diff, Problem};
use super::spec::{Fields, Kind};
use super::validate::{Checked, person_name};
use crate::calendar::{Clock, Weekday, WeeklyAvailability, Window};
use crate::model::{
    Coop, Family, FixedEvent, Guardian, Recurrence, SchoolTime, Student, new_ordered_id,
};
use crate::store::RosterRecord;

/// When imported people are free until their family says otherwise.
const SCHOOL_HOURS: &str = "mon-fri 08:00-15:00";

#[derive(Debug, Default)]
pub struct Changes {
    pub insert: Vec<RosterRecord>,
    pub update: Vec<RosterRecord>,
    pub delete: Vec<(String, String)>,
    pub families: Vec<Family>,
    pub guardians: Vec<Guardian>,
    pub students: Vec<Student>,
    /// (id, name, e-mail) of guardians whose details changed.
    pub guardian_edits: Vec<(String, String, Option<String>)>,
    /// (id, name, grade) of children whose details changed.
    pub student_edits: Vec<(String, String, Option<String>)>,
    /// (family, id) of people no longer in the roster.
    pub remove_guardians: Vec<(String, String)>,
    pub remove_students: Vec<(String, String)>,
    pub time_zones: Vec<(String, String)>,
    pub new_events: Vec<(String, FixedEvent)>,
    pub edit_events: Vec<(String, FixedEvent)>,
    pub remove_events: Vec<(String, String)>,
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
    let stored_by: HashMap<(&str, &str), &RosterRecord> = stored
        .iter()
        .filter(|r| r.kind == Kind::User.name())
        .map(|r| ((r.kind.as_str(), r.sourced_id.as_str()), r))
        .collect();
    let family_by_id: HashMap<&str, &Family> =
        families.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut names: BTreeSet<String> = families.iter().map(|f| f.name.to_lowercase()).collect();
    let no_users = BTreeMap::new();
    let users = checked.records.get(&Kind::User).unwrap_or(&no_users);
    let hours = WeeklyAvailability::parse("hours", SCHOOL_HOURS).unwrap_or_default();
    // user sourcedId -> (family id, target id, a child?)
    let mut placed: HashMap<String, (String, String, bool)> = HashMap::default();
    let mut family_diff = Diff::default();
    let mut student_diff = Diff::default();
    let mut guardian_diff = Diff::default();
    for g in &checked.families {
        let members: Vec<&String> = g.students.iter().chain(&g.guardians).collect();
        let known: BTreeSet<&str> = members
            .iter()
            .filter_map(|m| stored_by.get(&(Kind::User.name(), m.as_str())))
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
                    family_diff.updated.push(f.name.clone());
                } else {
                    family_diff.unchanged += 1;
                }
                f.id.clone()
            }
            None => {
                let lead = g
                    .guardians
                    .iter()
                    .next()
                    .or_else(|| g.students.iter().next());
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
                family_diff.created.push(name);
                let id = f.id.clone();
                ch.families.push(f);
                id
            }
        };
        for sid in members {
            let f = &users[sid];
            let name = person_name(f);
            let before = stored_by.get(&(Kind::User.name(), sid.as_str()));
            // Unchanged text needs no parsing (most users of a re-import).
            let old_fields: Option<Cow<Fields>> = match before {
                Some(r) if r.fields == json(f) => Some(Cow::Borrowed(f)),
                Some(r) => super::spec::parse_fields(&r.fields).map(Cow::Owned),
                None => None,
            };
            let reuse = before.and_then(|r| {
                let same = r.family_id.as_deref() == Some(family_id.as_str())
                    && old_fields
                        .as_ref()
                        .is_some_and(|o| is_student(o) == is_student(f));
                if same { r.target_id.clone() } else { None }
            });
            let diff = if is_student(f) {
                &mut student_diff
            } else {
                &mut guardian_diff
            };
            let target = match reuse {
                Some(id) => {
                    let o = old_fields.unwrap_or_default();
                    let changed = person_name(&o) != name
                        || get(&o, "email") != get(f, "email")
                        || get(&o, "grades") != get(f, "grades");
                    if changed {
                        diff.updated.push(name.clone());
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
                    diff.created.push(name.clone());
                    if is_student(f) {
                        ch.students.push(Student {
                            id: id.clone(),
                            family_id: family_id.clone(),
                            name,
                            birth_date: None,
                            grade: first_grade(f),
                            availability: hours.clone(),
                            max_daily_minutes: None,
                            version: 1,
                        });
                    } else {
                        ch.guardians.push(Guardian {
                            id: id.clone(),
                            family_id: family_id.clone(),
                            name,
                            email: opt(get(f, "email")),
                            availability: hours.clone(),
                            version: 1,
                        });
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
        let old: Fields = super::spec::parse_fields(&r.fields).unwrap_or_default();
        if is_student(&old) {
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
        let old: Fields = super::spec::parse_fields(&r.fields).unwrap_or_default();
        if is_student(&old) {
            student_diff.removed.push(person_name(&old));
            ch.remove_students.push((fam.clone(), target.clone()));
        } else {
            guardian_diff.removed.push(person_name(&old));
            ch.remove_guardians.push((fam.clone(), target.clone()));
        }
    }
    ch.diffs.insert("families".into(), family_diff);
    ch.diffs.insert("students".into(), student_diff);
    ch.diffs.insert("guardians".into(), guardian_diff);

    let events = desired_events(checked, &placed);
    records(&mut ch, checked, stored, &placed, &events);
    // An event of a family deleted since went with its family.
    ch.remove_events
        .retain(|(fam, _)| family_by_id.contains_key(fam.as_str()));
    ch
}

fn first_grade(f: &Fields) -> Option<String> {
    get(f, "grades")
        .split(',')
        .map(str::trim)
        .find(|g| !g.is_empty())
        .map(str::to_string)
}

/// The children and the teaching guardians of one family in one class.
type Attendees<'a> = (BTreeSet<&'a str>, BTreeSet<&'a str>);

/// No records of a kind.
static NO_RECORDS: BTreeMap<String, Fields> = BTreeMap::new();

/// For each class meeting and each family with a child (or a guardian who
/// teaches) enrolled: the event's key and fields.
fn desired_events<'a>(
    checked: &'a Checked,
    placed: &'a HashMap<String, (String, String, bool)>,
) -> BTreeMap<String, (String, Ev<'a>)> {
    let empty: &'static BTreeMap<String, Fields> = &NO_RECORDS;
    let enrollments = checked.records.get(&Kind::Enrollment).unwrap_or(empty);
    // class -> family -> (students, guardians)
    let mut who: HashMap<&str, BTreeMap<&str, Attendees>> = HashMap::default();
    for e in enrollments.values() {
        if get(e, "status") == "inactive" {
            continue;
        }
        let user = get(e, "userSourcedId");
        let Some((fam, target, student)) = placed.get(user) else {
            continue;
        };
        let entry = who
            .entry(get(e, "classSourcedId"))
            .or_default()
            .entry(fam.as_str())
            .or_default();
        match (get(e, "role"), *student) {
            ("student", true) => {
                entry.0.insert(target.as_str());
            }
            ("teacher" | "aide", false) => {
                entry.1.insert(target.as_str());
            }
            _ => {}
        }
    }
    let meetings = checked.records.get(&Kind::Meeting).unwrap_or(empty);
    // The meetings of live classes: (class, meeting, title).
    let live: Vec<(&str, &Fields, &str)> = meetings
        .values()
        .filter_map(|m| {
            let class_sid = get(m, "classSourcedId");
            let class = checked.get(Kind::Class, class_sid)?;
            (get(class, "status") != "inactive").then(|| (class_sid, m, get(class, "title")))
        })
        .collect();
    let attending = |class_sid: &str| {
        who.get(class_sid)
            .into_iter()
            .flatten()
            .filter(|(_, (s, g))| !s.is_empty() || !g.is_empty())
    };
    // Two classes of one title on one day in one family are told apart by
    // their sourcedIds: count (family, title, day) first.
    let mut names: HashMap<(&str, &str, &str), usize> = HashMap::default();
    for (class_sid, m, title) in &live {
        for (fam, _) in attending(class_sid) {
            *names.entry((*fam, *title, get(m, "day"))).or_default() += 1;
        }
    }
    let mut out: BTreeMap<String, (String, Ev)> = BTreeMap::new();
    for (class_sid, m, title) in &live {
        let day = get(m, "day");
        for (fam, (students, guardians)) in attending(class_sid) {
            let mut name = format!("{title} ({day})");
            if names.get(&(*fam, *title, day)).is_some_and(|n| *n > 1) {
                name = format!("{name} [{class_sid}]");
            }
            let school = match get(m, "school") {
                "" => "elective",
                s => s,
            };
            let f = Ev {
                day,
                end: get(m, "end"),
                guardians: guardians.iter().copied().collect::<Vec<_>>().join(","),
                name,
                place: get(m, "place"),
                school,
                start: get(m, "start"),
                students: students.iter().copied().collect::<Vec<_>>().join(","),
            };
            out.insert(format!("{class_sid}|{day}|{fam}"), ((*fam).to_string(), f));
        }
    }
    out
}

/// What BrightPath keeps of a class meeting it made into a family's event:
/// the stored record's fields, in their canonical (sorted) order, so its JSON
/// is the same as a map's.
#[derive(Debug, serde::Serialize)]
struct Ev<'a> {
    day: &'a str,
    end: &'a str,
    guardians: String,
    name: String,
    place: &'a str,
    school: &'a str,
    start: &'a str,
    students: String,
}

fn to_event(id: &str, f: &Ev) -> Option<FixedEvent> {
    let list = |v: &str| {
        v.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    Some(FixedEvent {
        id: id.to_string(),
        name: f.name.clone(),
        recurrence: Recurrence::Weekly(Weekday::parse(f.day)?),
        window: Window {
            start: Clock::parse("start", f.start).ok()?,
            end: Clock::parse("end", f.end).ok()?,
        },
        away: !f.place.is_empty(),
        school: SchoolTime::parse("school", f.school).unwrap_or(SchoolTime::Elective),
        student_ids: list(&f.students),
        guardian_ids: list(&f.guardians),
        version: 1,
    })
}

/// A record's fields: a roster record's, or an event's.
#[derive(Clone, Copy)]
enum Body<'x, 'a> {
    Fields(&'x Fields),
    Event(&'x Ev<'a>),
}

fn json(f: &Fields) -> String {
    serde_json::to_string(f).unwrap_or_default()
}

/// The diff of every stored record kind, and the events' writes.
fn records(
    ch: &mut Changes,
    checked: &Checked,
    stored: &[RosterRecord],
    placed: &HashMap<String, (String, String, bool)>,
    events: &BTreeMap<String, (String, Ev)>,
) {
    // Borrowed keys and a record built only when it changed: an unchanged
    // re-import of a big co-op allocates little more than each record's JSON.
    let stored_events: HashMap<&str, &RosterRecord> = stored
        .iter()
        .filter(|r| r.kind == Kind::Event.name())
        .map(|r| (r.sourced_id.as_str(), r))
        .collect();
    // By kind, then sourcedId: a lookup by any borrowed name.
    let mut have: HashMap<&str, HashMap<&str, &RosterRecord>> = HashMap::default();
    for r in stored {
        have.entry(r.kind.as_str())
            .or_default()
            .insert(r.sourced_id.as_str(), r);
    }
    // Each record's JSON is written into one buffer, kept only if it changed.
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut want = |ch: &mut Changes,
                    kind: &'static str,
                    sid: &str,
                    f: Body,
                    family_id: Option<&String>,
                    target_id: Option<&String>| {
        buf.clear();
        let written = match f {
            Body::Fields(f) => serde_json::to_writer(&mut buf, f),
            Body::Event(e) => serde_json::to_writer(&mut buf, e),
        };
        if written.is_err() {
            buf.clear();
        }
        let fields = std::str::from_utf8(&buf).unwrap_or_default();
        let old = have.get_mut(kind).and_then(|m| m.remove(sid));
        let same = old.is_some_and(|o| {
            o.fields == fields
                && o.family_id.as_ref() == family_id
                && o.target_id.as_ref() == target_id
        });
        if !ch.diffs.contains_key(kind) {
            ch.diffs.insert(kind.to_string(), Diff::default());
        }
        let Some(diff) = ch.diffs.get_mut(kind) else {
            return;
        };
        if same {
            diff.unchanged += 1;
            return;
        }
        let r = RosterRecord {
            kind: kind.to_string(),
            sourced_id: sid.to_string(),
            fields: fields.to_string(),
            family_id: family_id.cloned(),
            target_id: target_id.cloned(),
        };
        if old.is_some() {
            diff.updated.push(sid.to_string());
            if let Body::Event(e) = f {
                event_write(ch, &r, e, false);
            }
            ch.update.push(r);
        } else {
            diff.created.push(sid.to_string());
            if let Body::Event(e) = f {
                event_write(ch, &r, e, true);
            }
            ch.insert.push(r);
        }
    };
    for (kind, recs) in &checked.records {
        for (sid, f) in recs {
            let place = placed.get(sid).filter(|_| *kind == Kind::User);
            want(
                ch,
                kind.name(),
                sid,
                Body::Fields(f),
                place.map(|p| &p.0),
                place.map(|p| &p.1),
            );
        }
    }
    for (key, (fam, f)) in events {
        let target = stored_events
            .get(key.as_str())
            .and_then(|r| r.target_id.clone())
            .unwrap_or_else(new_ordered_id);
        want(
            ch,
            Kind::Event.name(),
            key,
            Body::Event(f),
            Some(fam),
            Some(&target),
        );
    }
    for (kind, sid, old) in have
        .into_iter()
        .flat_map(|(k, m)| m.into_iter().map(move |(s, r)| (k, s, r)))
    {
        ch.diffs
            .entry(kind.to_string())
            .or_default()
            .removed
            .push(sid.to_string());
        if kind == Kind::Event.name()
            && let (Some(fam), Some(id)) = (&old.family_id, &old.target_id)
        {
            ch.remove_events.push((fam.clone(), id.clone()));
            ch.replan.insert(fam.clone());
        }
        ch.delete.push((kind.to_string(), sid.to_string()));
    }
    for d in ch.diffs.values_mut() {
        d.removed.sort();
    }
}

fn event_write(ch: &mut Changes, r: &RosterRecord, fields: &Ev, new: bool) {
    let (Some(fam), Some(id)) = (&r.family_id, &r.target_id) else {
        return;
    };
    let Some(e) = to_event(id, fields) else {
        return;
    };
    ch.replan.insert(fam.clone());
    if new {
        ch.new_events.push((fam.clone(), e));
    } else {
        ch.edit_events.push((fam.clone(), e));
    }
}
