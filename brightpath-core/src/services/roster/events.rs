//! The family events an import makes: one for each class meeting and each
//! family with a child (or a teaching guardian) in the class. They are made
//! in key order (`class|day|family`, the meetings' own order) and merged
//! with the stored ones like any streamed kind. When the co-op had events
//! before, the writes to the families' events wait in sorters until the
//! merge is done, so that an event removed frees its name before another
//! takes it; a first import writes them as they come.

use std::borrow::Cow;
use std::collections::BTreeSet;

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
use crate::store::{Behind, BulkInsert, ChunkReader, ChunkWriter, Fut, RosterRecord, Tx};

/// One person in one class: (class sourcedId, family id, a teaching
/// guardian?, person id). Sorted, a class's seats are together, by family.
/// `&String`, not `&str`: a thin pointer, so a seat takes 32 bytes, and a
/// co-op has one per enrollment.
pub type Seat<'a> = (&'a String, &'a String, bool, &'a String);

/// Who takes which class, as the enrollments stream by.
pub type Attending<'a> = Vec<Seat<'a>>;

/// New events written per statement.
const BATCH: usize = crate::store::bulk::ROWS;

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

/// A live class meeting: (the meeting's key `class|day`, class, meeting, title).
type Live<'a> = (&'a str, &'a str, &'a Fields, &'a str);

/// The events the roster asks for, made one at a time in key order.
struct Desired<'a> {
    live: Vec<Live<'a>>,
    seats: &'a [Seat<'a>],
    /// (family, title, day) that two classes of the family share: their
    /// events are told apart by the class's sourcedId.
    twice: BTreeSet<(&'a str, &'a str, &'a str)>,
    meeting: usize,
    /// The current meeting's seats not yet made into events.
    rest: &'a [Seat<'a>],
}

/// An event the roster asks for: its key, family and fields.
struct Wanted<'a> {
    key: String,
    fam: &'a str,
    ev: Ev<'a>,
}

impl<'a> Desired<'a> {
    fn new(checked: &'a Checked, seats: &'a [Seat<'a>]) -> Desired<'a> {
        let live: Vec<Live> = checked
            .records
            .get(&Kind::Meeting)
            .into_iter()
            .flatten()
            .filter_map(|(key, m)| {
                let class_sid = get(m, "classSourcedId");
                let class = checked.get(Kind::Class, class_sid)?;
                (get(class, "status") != "inactive")
                    .then(|| (key.as_str(), class_sid, m, get(class, "title")))
            })
            .collect();
        // Two classes of one title on one day in one family: count
        // (family, title, day), for the titles that two classes share.
        let mut classes: HashMap<(&str, &str), BTreeSet<&str>> = HashMap::default();
        for (_, class, m, title) in &live {
            classes
                .entry((title, get(m, "day")))
                .or_default()
                .insert(class);
        }
        let mut count: HashMap<(&str, &str, &str), usize> = HashMap::default();
        for ((title, day), shared) in classes.iter().filter(|(_, c)| c.len() > 1) {
            for class in shared {
                let mut last = "";
                for (_, fam, _, _) in of_class(seats, class) {
                    if *fam != last {
                        *count.entry((fam, title, day)).or_default() += 1;
                        last = fam;
                    }
                }
            }
        }
        Desired {
            live,
            seats,
            twice: count
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(k, _)| k)
                .collect(),
            meeting: 0,
            rest: &[],
        }
    }

    /// How many events there will be (for the progress bar).
    fn count(&self) -> u64 {
        let mut n = 0;
        for (_, class, _, _) in &self.live {
            let seats = of_class(self.seats, class);
            n += seats.chunk_by(|a, b| a.1 == b.1).count() as u64;
        }
        n
    }

    /// Whether the events come out in key order: they do unless a meeting's
    /// key is followed by a longer one it begins (`a|mon`, `a|mon~x|tue`)
    /// whose next character sorts before `|`.
    fn in_order(&self) -> bool {
        self.live.windows(2).all(|w| {
            let (a, b) = (w[0].0.as_bytes(), w[1].0.as_bytes());
            !(b.len() > a.len() && b.starts_with(a) && b[a.len()] < b'|')
        })
    }

    fn next(&mut self) -> Option<Wanted<'a>> {
        loop {
            if let Some(&(_, fam, _, _)) = self.rest.first() {
                let n = self.rest.iter().take_while(|s| s.1 == fam).count();
                let (mine, rest) = self.rest.split_at(n);
                self.rest = rest;
                let (key, class, m, title) = self.live[self.meeting - 1];
                // The seats are sorted and without repeats already.
                let list = |teacher: bool| {
                    let ids: Vec<&str> = mine
                        .iter()
                        .filter(|s| s.2 == teacher)
                        .map(|s| s.3.as_str())
                        .collect();
                    ids.join(",")
                };
                let day = get(m, "day");
                let mut name = format!("{title} ({day})");
                if self.twice.contains(&(fam, title, day)) {
                    name = format!("{name} [{class}]");
                }
                let school = match get(m, "school") {
                    "" => "elective",
                    s => s,
                };
                return Some(Wanted {
                    key: format!("{key}|{fam}"),
                    fam,
                    ev: Ev {
                        day: day.into(),
                        end: get(m, "end").into(),
                        guardians: list(true),
                        name,
                        place: get(m, "place").into(),
                        school: school.into(),
                        start: get(m, "start").into(),
                        students: list(false),
                    },
                });
            }
            let (_, class, _, _) = *self.live.get(self.meeting)?;
            self.meeting += 1;
            self.rest = of_class(self.seats, class);
        }
    }
}

/// The seats of one class (`seats` sorted).
fn of_class<'a>(seats: &'a [Seat<'a>], class: &str) -> &'a [Seat<'a>] {
    let from = seats.partition_point(|s| s.0.as_str() < class);
    let to = from + seats[from..].partition_point(|s| s.0 == class);
    &seats[from..to]
}

/// The wanted events in key order: as made, or (keys out of order) sorted.
enum Source<'a> {
    Made(Desired<'a>),
    Sorted(super::sorter::Sorted),
}

/// A wanted event: key, family, fields as JSON, and (when just made) the fields.
type Next<'a> = (String, String, String, Option<Ev<'a>>);

impl<'a> Source<'a> {
    fn next(&mut self) -> Result<Option<Next<'a>>> {
        Ok(match self {
            Source::Made(d) => d.next().map(|w| {
                let body = serde_json::to_string(&w.ev).unwrap_or_default();
                (w.key, w.fam.to_string(), body, Some(w.ev))
            }),
            Source::Sorted(s) => s.next_entry()?.map(|e| (e.key, e.aux, e.body, None)),
        })
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

/// The event `id` whose kept fields are `body` (JSON).
fn event_from(id: &str, body: &str) -> Option<FixedEvent> {
    let ev: Ev = serde_json::from_str(body).ok()?;
    to_event(id, &ev)
}

/// The family and the event of a pending write.
fn event_of(e: &Entry) -> Option<(String, FixedEvent)> {
    let (fam, id) = e.aux.split_once('\t')?;
    Some((fam.to_string(), event_from(id, &e.body)?))
}

/// Merges the events the roster asks for with the stored ones and (with
/// `write`) writes both the roster records and the families' events.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    db: &Behind,
    coop: &Coop,
    checked: &Checked,
    ch: &Changes,
    who: &Attending<'_>,
    write: bool,
    budget: usize,
    out: &mut Streamed,
    progress: &Progress,
) -> Result<()> {
    let kind = Kind::Event.name();
    let t0 = std::time::Instant::now();
    let desired = Desired::new(checked, who);
    let total = desired.count();
    let mut incoming = if desired.in_order() {
        Source::Made(desired)
    } else {
        let mut sorter = Sorter::new(budget);
        let mut d = desired;
        while let Some(w) = d.next() {
            sorter.push(Entry {
                key: w.key,
                line: 0,
                deleted: false,
                aux: w.fam.to_string(),
                body: serde_json::to_string(&w.ev).unwrap_or_default(),
            });
        }
        Source::Sorted(sorter.sorted()?)
    };
    let mut stored = ChunkReader::open(db, &coop.id, kind).await?;
    // A first import removes no event: its new ones go in as they come.
    let direct = stored.chunks() == 0;
    let mut batch: Vec<(String, FixedEvent)> = Vec::new();
    let mut writer = ChunkWriter::new(&coop.id, kind, write);
    let (mut edits, mut news) = (Sorter::new(budget), Sorter::new(budget));
    let mut diff = Diff::default();
    let mut next = incoming.next()?;
    let mut done = 0u64;
    loop {
        let key = match (&next, stored.peek(db).await?) {
            (None, None) => break,
            (Some(e), None) => e.0.clone(),
            (None, Some(s)) => s.to_string(),
            (Some(e), Some(s)) => e.0.as_str().min(s).to_string(),
        };
        let want = if next.as_ref().is_some_and(|e| e.0 == key) {
            let e = next.take();
            next = incoming.next()?;
            e
        } else {
            None
        };
        let old = if stored.peek(db).await? == Some(key.as_str()) {
            stored.next(db).await?
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
                    fields: w.2,
                    family_id: Some(w.1),
                    target_id: Some(target),
                };
                let fam = r.family_id.as_deref().unwrap_or_default();
                let id = r.target_id.as_deref().unwrap_or_default();
                let changed = old.as_ref() != Some(&r);
                match old {
                    Some(_) if !changed => diff.unchanged += 1,
                    Some(_) => {
                        diff.update(r.sourced_id.clone());
                        edits.push(pending(r.sourced_id.clone(), fam, id, &r.fields));
                        out.replan.insert(fam.to_string());
                    }
                    None => {
                        diff.create(r.sourced_id.clone());
                        out.replan.insert(fam.to_string());
                        if !direct {
                            news.push(pending(r.sourced_id.clone(), fam, id, &r.fields));
                        } else if write {
                            // Made just now, or (sorted) read back from its JSON.
                            let made = match &w.3 {
                                Some(ev) => to_event(id, ev),
                                None => event_from(id, &r.fields),
                            };
                            if let Some(fe) = made {
                                batch.push((fam.to_string(), fe));
                                if batch.len() >= BATCH {
                                    insert(db, std::mem::take(&mut batch)).await?;
                                }
                            }
                        }
                    }
                }
                writer.push(db, &stored, r, changed).await?;
            }
            (None, Some(o)) => {
                diff.remove(key);
                writer.removed();
                // An event of a family deleted since went with its family.
                if let (Some(fam), Some(id)) = (&o.family_id, &o.target_id)
                    && ch.existing.contains(fam)
                {
                    out.replan.insert(fam.clone());
                    if write {
                        let (fam, id) = (fam.clone(), id.clone());
                        db.write(move |tx: &mut Tx| -> Fut<'_, Result<()>> {
                            Box::pin(async move { tx.delete_event(&fam, &id).await })
                        })
                        .await?;
                    }
                }
            }
            (None, None) => {}
        }
    }
    insert(db, std::mem::take(&mut batch)).await?;
    writer.finish(db, &stored).await?;
    debug_assert_eq!(done, total, "the events counted are the events made");
    progress("events", total, total);
    tracing::debug!(
        secs = t0.elapsed().as_secs_f64(),
        events = done,
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
        db.write(move |tx: &mut Tx| -> Fut<'_, Result<()>> {
            Box::pin(async move {
                let old = tx.find_event(&fam, &event.id).await?;
                event.version = old.version;
                tx.update_event(&fam, &event)
                    .await
                    .map_err(named("event"))
                    .map(|_| ())
            })
        })
        .await?;
    }
    let mut news = news.sorted()?;
    while let Some(e) = news.next_entry()? {
        if let Some(fe) = event_of(&e) {
            batch.push(fe);
        }
        if batch.len() >= BATCH {
            insert(db, std::mem::take(&mut batch)).await?;
        }
    }
    insert(db, batch).await
}

/// Queues new events to be written.
async fn insert(db: &Behind, batch: Vec<(String, FixedEvent)>) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    // Encoded here, not by the task that owns the transaction: the
    // database would wait for it.
    let rows = BulkInsert::events(db.backend(), &batch);
    super::apply::queue(db, rows, "event").await
}
