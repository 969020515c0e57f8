//! The streamed kinds of an import: enrollments, merged in sourcedId order
//! with the stored ones, and the family events made from them (`events`).
//! Neither side is held whole: the rows come sorted from their
//! [`Sorter`](super::sorter::Sorter), the stored records chunk by chunk, and
//! the records as they will be go out chunk by chunk. What stays is a
//! pointer-sized note per enrollment of who takes which class.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::Progress;
use super::events::{self, Attending};
use super::oneroster::Mode;
use super::plan::Changes;
use super::report::{Diff, Problem};
use super::sorter::{Entry, Sorted, Sorter};
use super::spec::{Fields, Kind};
use super::validate::{self, Checked, file_of};
use crate::error::Result;
use crate::model::Coop;
use crate::store::{Behind, ChunkReader, ChunkWriter, RosterRecord};

/// What the streamed kinds added to the report.
#[derive(Debug, Default)]
pub struct Streamed {
    pub diffs: BTreeMap<String, Diff>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// Families whose co-op events changed: noted in their history, and
    /// their planned weeks made again.
    pub replan: BTreeSet<String>,
}

/// The fields of an enrollment the import builds on.
#[derive(serde::Deserialize)]
pub(super) struct EnrollmentView<'a> {
    #[serde(rename = "classSourcedId", default, borrow)]
    class: Cow<'a, str>,
    #[serde(rename = "userSourcedId", default, borrow)]
    user: Cow<'a, str>,
    #[serde(default, borrow)]
    role: Cow<'a, str>,
    #[serde(default, borrow)]
    status: Cow<'a, str>,
    #[serde(rename = "schoolSourcedId", default, borrow)]
    school: Cow<'a, str>,
}

/// The separator of [`EnrollmentView::aux`]'s fields (not in any field: the
/// parse keeps it out of sourcedIds, and it is a control character).
const UNIT: char = '\u{1f}';

impl<'a> EnrollmentView<'a> {
    /// What the parse notes of an enrollment for the merge, so the merge
    /// need not read its JSON again.
    pub(super) fn aux(f: &super::spec::Fields) -> String {
        let get = |k: &str| f.get(k).map(|v| v.as_str()).unwrap_or("");
        [
            get("classSourcedId"),
            get("userSourcedId"),
            get("role"),
            get("status"),
            get("schoolSourcedId"),
        ]
        .join(&UNIT.to_string())
    }

    fn from_aux(aux: &'a str) -> Option<EnrollmentView<'a>> {
        let mut it = aux.split(UNIT);
        let mut next = || it.next().map(Cow::Borrowed);
        let v = EnrollmentView {
            class: next()?,
            user: next()?,
            role: next()?,
            status: next()?,
            school: next()?,
        };
        // A field that holds the separator: read the JSON instead.
        it.next().is_none().then_some(v)
    }
}

/// Merges the roster's streamed kinds with the stored ones, checking each
/// record, and (with `write`) writes them in `tx`. Without `changes` (the
/// import is refused already) only the checks run, so that every problem is
/// reported at once.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    db: &Behind,
    coop: &Coop,
    checked: &Checked,
    modes: &BTreeMap<Kind, Mode>,
    mut sorters: BTreeMap<Kind, Sorter>,
    changes: Option<&Changes>,
    write: bool,
    sort_bytes: usize,
    progress: &Progress,
) -> Result<Streamed> {
    let mut out = Streamed::default();
    if let Some(ch) = changes {
        let users = sorters.remove(&Kind::User);
        held(db, coop, checked, ch, modes, users, write, &mut out).await?;
    }
    let kind = Kind::Enrollment;
    let mode = modes.get(&kind).copied().unwrap_or(Mode::Absent);
    let sorter = sorters.remove(&kind).unwrap_or_default();
    let total = sorter.len() as u64;
    tracing::debug!(rows = total, runs = sorter.runs(), "enrollments sorted");
    let t0 = std::time::Instant::now();
    let mut incoming = sorter.sorted()?;
    let mut stored = ChunkReader::open(db, &coop.id, kind.name()).await?;
    let mut writer = ChunkWriter::new(&coop.id, kind.name(), write);
    let mut diff = Diff::default();
    // One seat per enrollment at most: no room doubled for nothing.
    let mut who = Attending::with_capacity(total as usize);
    let mut next = incoming.next_entry()?;
    let mut done = 0u64;
    loop {
        let key = match (&next, stored.peek(db).await?) {
            (None, None) => break,
            (Some(e), None) => e.key.clone(),
            (None, Some(s)) => s.to_string(),
            (Some(e), Some(s)) => e.key.as_str().min(s).to_string(),
        };
        let rows = take_key(&mut incoming, &mut next, &key)?;
        done += rows.len() as u64;
        if done % 20_000 < rows.len() as u64 {
            progress("enrollments", done, total);
        }
        for dup in rows.iter().skip(1) {
            out.problems.push(Problem::new(
                file_of(kind),
                dup.line as usize,
                Some("sourcedId"),
                format!("{key:?} is also on line {}", rows[0].line),
                "each record appears once in a file: remove or merge the duplicate",
            ));
        }
        let old = if stored.peek(db).await? == Some(key.as_str()) {
            stored.next(db).await?
        } else {
            None
        };
        // The record as it will be, and the line it came from (0: stored).
        // The record as it will be: its JSON, line (0: stored) and the
        // fields checked here (from the parse, or read from the JSON).
        let will_be: Option<(String, u32, String)> = match rows.into_iter().next() {
            Some(r) if r.deleted => None,
            Some(r) => Some((r.body, r.line, r.aux)),
            None if mode == Mode::Bulk => None,
            None => old.as_ref().map(|o| (o.fields.clone(), 0, String::new())),
        };
        let will_be = will_be.filter(|(body, line, aux)| {
            let record = Record {
                sid: &key,
                body,
                aux,
                line: *line,
            };
            check(checked, changes, record, &mut out, &mut who)
        });
        match (will_be, old) {
            (Some((body, _, _)), Some(o))
                if o.fields == body && o.family_id.is_none() && o.target_id.is_none() =>
            {
                diff.unchanged += 1;
                writer.push(db, &stored, o, false).await?;
            }
            (Some((body, _, _)), old) => {
                if old.is_some() {
                    diff.update(key.clone());
                } else {
                    diff.create(key.clone());
                }
                let r = RosterRecord {
                    kind: kind.name().to_string(),
                    sourced_id: key,
                    fields: body,
                    family_id: None,
                    target_id: None,
                };
                writer.push(db, &stored, r, true).await?;
            }
            (None, Some(_)) => {
                diff.remove(key);
                writer.removed();
            }
            (None, None) => {}
        }
    }
    progress("enrollments", total, total);
    tracing::debug!(
        secs = t0.elapsed().as_secs_f64(),
        stored_chunks = stored.chunks(),
        written = writer.written,
        "enrollments merged"
    );
    writer.finish(db, &stored).await?;
    out.diffs.insert(kind.name().to_string(), diff);
    if let Some(ch) = changes
        && out.problems.is_empty()
    {
        who.sort_unstable();
        who.dedup();
        let budget = sort_bytes;
        events::run(
            db, coop, checked, ch, &who, write, budget, &mut out, progress,
        )
        .await?;
    }
    Ok(out)
}

/// An enrollment as it will be: sourcedId, JSON, what the parse noted of it
/// (empty for a stored one) and its line (0: stored).
struct Record<'r> {
    sid: &'r str,
    body: &'r str,
    aux: &'r str,
    line: u32,
}

/// The held kinds' records (users, classes, terms…): the checked roster's
/// maps, already in sourcedId order, merged with the stored chunks like the
/// streamed kinds. Users come whole from their sorter instead (the map holds
/// only what is read of them). A user's record notes the family and person
/// it became.
#[allow(clippy::too_many_arguments)]
async fn held(
    db: &Behind,
    coop: &Coop,
    checked: &Checked,
    ch: &Changes,
    modes: &BTreeMap<Kind, Mode>,
    mut users: Option<Sorter>,
    write: bool,
    out: &mut Streamed,
) -> Result<()> {
    let mut kinds: BTreeSet<Kind> = checked.records.keys().copied().collect();
    kinds.extend(&ch.stored_kinds);
    let no_records = BTreeMap::new();
    for kind in kinds {
        if super::STREAMED.contains(&kind) || kind == Kind::Event {
            continue;
        }
        let name = kind.name();
        let mut incoming = if kind == Kind::User {
            let mode = modes.get(&kind).copied().unwrap_or(Mode::Absent);
            let mut rows = users.take().unwrap_or_default().sorted()?;
            let next = rows.next_entry()?;
            Incoming::Sorted { rows, next, mode }
        } else {
            let map = checked.records.get(&kind).unwrap_or(&no_records);
            Incoming::Held(map.iter().peekable())
        };
        let mut stored = ChunkReader::open(db, &coop.id, name).await?;
        let mut writer = ChunkWriter::new(&coop.id, name, write);
        let mut diff = Diff::default();
        loop {
            let key = match (incoming.peek(), stored.peek(db).await?) {
                (None, None) => break,
                (Some(k), None) => k.to_string(),
                (None, Some(s)) => s.to_string(),
                (Some(k), Some(s)) => k.min(s).to_string(),
            };
            let old = if stored.peek(db).await? == Some(key.as_str()) {
                stored.next(db).await?
            } else {
                None
            };
            let Some(fields) = incoming.take(&key, old.as_ref())? else {
                if old.is_some() {
                    diff.remove(key);
                    writer.removed();
                }
                continue;
            };
            let place = ch.placed.get(&key).filter(|_| kind == Kind::User);
            let r = RosterRecord {
                kind: name.to_string(),
                sourced_id: key,
                fields,
                family_id: place.map(|p| p.0.clone()),
                target_id: place.map(|p| p.1.clone()),
            };
            let changed = old.as_ref() != Some(&r);
            match old {
                None => diff.create(r.sourced_id.clone()),
                Some(_) if changed => diff.update(r.sourced_id.clone()),
                Some(_) => diff.unchanged += 1,
            }
            writer.push(db, &stored, r, changed).await?;
        }
        writer.finish(db, &stored).await?;
        out.diffs.insert(name.to_string(), diff);
    }
    Ok(())
}

/// A held kind's records as they will be, in sourcedId order.
enum Incoming<'c> {
    /// The checked roster's map: every record there will be.
    Held(std::iter::Peekable<std::collections::btree_map::Iter<'c, String, Fields>>),
    /// The sorted rows of the file (users): a stored record with no row
    /// stays unless the file is the whole set (`mode` bulk).
    Sorted {
        rows: Sorted,
        next: Option<Entry>,
        mode: Mode,
    },
}

impl Incoming<'_> {
    fn peek(&self) -> Option<&str> {
        match self {
            Incoming::Held(it) => it.clone().next().map(|(k, _)| k.as_str()),
            Incoming::Sorted { next, .. } => next.as_ref().map(|e| e.key.as_str()),
        }
    }

    /// The JSON of the record `key` as it will be (`None`: there is none),
    /// given the stored one.
    fn take(&mut self, key: &str, old: Option<&RosterRecord>) -> Result<Option<String>> {
        match self {
            Incoming::Held(it) => Ok(it
                .next_if(|(k, _)| k.as_str() == key)
                .map(|(_, f)| serde_json::to_string(f).unwrap_or_default())),
            Incoming::Sorted { rows, next, mode } => {
                // Duplicates were refused when the file was read.
                let row = match next.take_if(|e| e.key == key) {
                    Some(row) => {
                        *next = rows.next_entry()?;
                        Some(row)
                    }
                    None => None,
                };
                Ok(match row {
                    Some(r) if r.deleted => None,
                    Some(r) => Some(r.body),
                    None if *mode == Mode::Bulk => None,
                    None => old.map(|o| o.fields.clone()),
                })
            }
        }
    }
}

/// The incoming rows with sourcedId `key` (more than one is a duplicate).
fn take_key(sorted: &mut Sorted, next: &mut Option<Entry>, key: &str) -> Result<Vec<Entry>> {
    let mut rows = Vec::new();
    while next.as_ref().is_some_and(|e| e.key == key) {
        if let Some(e) = next.take() {
            rows.push(e);
        }
        *next = sorted.next_entry()?;
    }
    Ok(rows)
}

/// Checks an enrollment as it will be; false when it is dropped (its class
/// or user is deleted by this import). Notes who takes which class.
fn check<'a>(
    checked: &'a Checked,
    changes: Option<&'a Changes>,
    record: Record,
    out: &mut Streamed,
    who: &mut Attending<'a>,
) -> bool {
    let Record {
        sid,
        body,
        aux,
        line,
    } = record;
    let kind = Kind::Enrollment;
    let at = |column: &str, message: String, fix: &str| {
        validate::at(kind, sid, line as usize, column, message, fix)
    };
    let view = match EnrollmentView::from_aux(aux) {
        Some(v) => Ok(v),
        None => serde_json::from_str::<EnrollmentView>(body),
    };
    let Ok(e) = view else {
        out.problems.push(at(
            "sourcedId",
            "the record cannot be read".into(),
            "import the enrollment again from the file",
        ));
        return false;
    };
    let class = checked
        .records
        .get(&Kind::Class)
        .and_then(|m| m.get_key_value(e.class.as_ref()));
    // A class or user this import deletes drops the enrollment (a warning);
    // one that is not there at all is a problem.
    let mut keep = true;
    for (target, id, column, file) in [
        (
            Kind::Class,
            e.class.as_ref(),
            "classSourcedId",
            "classes.csv",
        ),
        (Kind::User, e.user.as_ref(), "userSourcedId", "users.csv"),
    ] {
        let found = match target {
            Kind::Class => class.is_some(),
            _ => checked.has(target, id),
        };
        if found {
            continue;
        }
        let what = if target == Kind::Class {
            "class"
        } else {
            "user"
        };
        if checked.is_deleted(target, id) {
            out.warnings.push(at(
                column,
                format!("{what} {id} is deleted by this import, so this enrollment is dropped"),
                &format!("delete the enrollment too, or keep the {what}"),
            ));
            keep = false;
        } else {
            out.problems.push(at(
                column,
                format!("no {what} {id:?}"),
                &format!("add the {what} to {file} or fix the sourcedId"),
            ));
        }
    }
    if !keep {
        return false;
    }
    // A reference BrightPath keeps but does not build on.
    for school in e.school.split(',').filter(|s| !s.is_empty()) {
        if !checked.has(Kind::Org, school) {
            out.warnings.push(at(
                "schoolSourcedId",
                format!("refers to {school:?}, which is not in orgs.csv"),
                "BrightPath keeps the reference as it is",
            ));
        }
    }
    if let (Some(ch), Some((class, _))) = (changes, class)
        && e.status != "inactive"
        && let Some((fam, target, student)) = ch.placed.get(e.user.as_ref())
    {
        match (e.role.as_ref(), *student) {
            ("student", true) => who.push((class, fam, false, target)),
            ("teacher" | "aide", false) => who.push((class, fam, true, target)),
            _ => {}
        }
    }
    true
}
