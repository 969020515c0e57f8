//! The family events an import makes: one for each class meeting and each
//! family with a child (or a teaching guardian) in the class. They are
//! sorted by key (`class|day|family`) on disk and merged with the stored
//! ones like any streamed kind; the writes to the families' events wait in
//! sorters of their own until the merge is done, so that an event removed
//! frees its name before another takes it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::HashMap;
use super::apply::named;
use super::plan::Changes;
use super::report::Diff;
use super::sorter::{Entry, Sorter};
use super::spec::{Fields, Kind};
use super::stream::Streamed;
use super::{Progress, validate::Checked};
use crate::calendar::{Clock, Weekday, Window};
use crate::error::Result;
use crate::model::{Coop, FixedEvent, Recurrence, SchoolTime, new_ordered_id};
use crate::store::{ChunkReader, ChunkWriter, RosterRecord, Tx};

/// The children and the teaching guardians of one family in one class.
pub type Attendees<'a> = (BTreeSet<&'a str>, BTreeSet<&'a str>);

/// class sourcedId -> family id -> who of the family takes the class.
pub type Attending<'a> = HashMap<&'a str, BTreeMap<&'a str, Attendees<'a>>>;

/// New events written per statement.
const BATCH: usize = 10_000;

fn get<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map(|v| v.as_str()).unwrap_or("")
}

/// What BrightPath keeps of a class meeting it made into a family's event:
/// the stored record's fields, in their canonical (sorted) order, so its JSON
/// is the same as a map's.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Ev<'a> {
    #[serde(borrow)]
    day: Cow<'a, str>,
    #[serde(borrow)]
    end: Cow<'a, str>,
    guardians: String,
    name: String,
    #[serde(borrow)]
    place: Cow<'a, str>,
    #[serde(borrow)]
    school: Cow<'a, str>,
    #[serde(borrow)]
    start: Cow<'a, str>,
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
        recurrence: Recurrence::Weekly(Weekday::parse(&f.day)?),
        window: Window {
            start: Clock::parse("start", &f.start).ok()?,
            end: Clock::parse("end", &f.end).ok()?,
        },
        away: !f.place.is_empty(),
        school: SchoolTime::parse("school", &f.school).unwrap_or(SchoolTime::Elective),
        student_ids: list(&f.students),
        guardian_ids: list(&f.guardians),
        version: 1,
    })
}

/// Every event the roster asks for, into `out` (key, family in `aux`).
fn desired(checked: &Checked, who: &Attending, out: &mut Sorter) {
    let Some(meetings) = checked.records.get(&Kind::Meeting) else {
        return;
    };
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
                day: day.into(),
                end: get(m, "end").into(),
                guardians: guardians.iter().copied().collect::<Vec<_>>().join(","),
                name,
                place: get(m, "place").into(),
                school: school.into(),
                start: get(m, "start").into(),
                students: students.iter().copied().collect::<Vec<_>>().join(","),
            };
            out.push(Entry {
                key: format!("{class_sid}|{day}|{fam}"),
                line: 0,
                deleted: false,
                aux: (*fam).to_string(),
                body: serde_json::to_string(&f).unwrap_or_default(),
            });
        }
    }
}

/// A write to a family's events, kept until the merge is done.
fn pending(key: String, fam: &str, id: &str, body: &str) -> Entry {
    Entry {
        key,
        line: 0,
        deleted: false,
        aux: format!("{fam}\t{id}"),
        body: body.to_string(),
    }
}

/// The family and the event of a pending write.
fn event_of(e: &Entry) -> Option<(String, FixedEvent)> {
    let (fam, id) = e.aux.split_once('\t')?;
    let ev: Ev = serde_json::from_str(&e.body).ok()?;
    Some((fam.to_string(), to_event(id, &ev)?))
}

/// Merges the events the roster asks for with the stored ones and (with
/// `write`) writes both the roster records and the families' events.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    tx: &mut Tx,
    coop: &Coop,
    checked: &Checked,
    ch: &Changes,
    who: &Attending<'_>,
    write: bool,
    out: &mut Streamed,
    progress: &Progress,
) -> Result<()> {
    let kind = Kind::Event.name();
    let t0 = std::time::Instant::now();
    let mut wanted = Sorter::default();
    desired(checked, who, &mut wanted);
    tracing::debug!(secs = t0.elapsed().as_secs_f64(), "events desired");
    let total = wanted.len() as u64;
    let mut incoming = wanted.sorted()?;
    let mut stored = ChunkReader::open(tx, &coop.id, kind).await?;
    let mut writer = ChunkWriter::new(&coop.id, kind, write);
    let (mut edits, mut news) = (Sorter::default(), Sorter::default());
    let mut diff = Diff::default();
    let mut next = incoming.next_entry()?;
    let mut done = 0u64;
    loop {
        let key = match (&next, stored.peek(tx).await?) {
            (None, None) => break,
            (Some(e), None) => e.key.clone(),
            (None, Some(s)) => s.to_string(),
            (Some(e), Some(s)) => e.key.as_str().min(s).to_string(),
        };
        let want = if next.as_ref().is_some_and(|e| e.key == key) {
            let e = next.take();
            next = incoming.next_entry()?;
            e
        } else {
            None
        };
        let old = if stored.peek(tx).await? == Some(key.as_str()) {
            stored.next(tx).await?
        } else {
            None
        };
        match (want, old) {
            (Some(w), old) => {
                done += 1;
                if done.is_multiple_of(20_000) {
                    progress("events", done, total);
                }
                let target = old
                    .as_ref()
                    .and_then(|o| o.target_id.clone())
                    .unwrap_or_else(new_ordered_id);
                let r = RosterRecord {
                    kind: kind.to_string(),
                    sourced_id: key,
                    fields: w.body,
                    family_id: Some(w.aux),
                    target_id: Some(target),
                };
                let fam = r.family_id.as_deref().unwrap_or_default();
                let id = r.target_id.as_deref().unwrap_or_default();
                match old {
                    Some(o) if o == r => diff.unchanged += 1,
                    Some(_) => {
                        diff.updated.push(r.sourced_id.clone());
                        edits.push(pending(r.sourced_id.clone(), fam, id, &r.fields));
                        out.replan.insert(fam.to_string());
                    }
                    None => {
                        diff.created.push(r.sourced_id.clone());
                        news.push(pending(r.sourced_id.clone(), fam, id, &r.fields));
                        out.replan.insert(fam.to_string());
                    }
                }
                writer.push(tx, &stored, &r).await?;
            }
            (None, Some(o)) => {
                diff.removed.push(key);
                // An event of a family deleted since went with its family.
                if let (Some(fam), Some(id)) = (&o.family_id, &o.target_id)
                    && ch.existing.contains(fam)
                {
                    out.replan.insert(fam.clone());
                    if write {
                        tx.delete_event(fam, id).await?;
                    }
                }
            }
            (None, None) => {}
        }
    }
    writer.finish(tx, &stored).await?;
    progress("events", total, total);
    tracing::debug!(
        secs = t0.elapsed().as_secs_f64(),
        events = total,
        edits = edits.len(),
        new = news.len(),
        "events merged"
    );
    out.diffs.insert(kind.to_string(), diff);
    if !write {
        return Ok(());
    }
    let mut edits = edits.sorted()?;
    while let Some(e) = edits.next_entry()? {
        let Some((fam, mut event)) = event_of(&e) else {
            continue;
        };
        let old = tx.find_event(&fam, &event.id).await?;
        event.version = old.version;
        tx.update_event(&fam, &event)
            .await
            .map_err(named("event"))?;
    }
    let mut news = news.sorted()?;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(e) = news.next_entry()? {
        if let Some(fe) = event_of(&e) {
            batch.push(fe);
        }
        if batch.len() >= BATCH {
            tx.insert_events(&batch).await.map_err(named("event"))?;
            batch.clear();
        }
    }
    tx.insert_events(&batch).await.map_err(named("event"))?;
    Ok(())
}
