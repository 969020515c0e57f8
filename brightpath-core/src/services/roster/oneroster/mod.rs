//! Reading a OneRoster 1.1/1.2 CSV set (and BrightPath's own CSV templates)
//! into canonical records, with every problem found on the way.

mod manifest;
pub mod source;
pub mod table;

use std::collections::BTreeMap;

use super::HashMap;
use super::report::Problem;
use super::sorter::{Entry, Sorter};
use super::spec::{self, Fields, Kind, Spec, Text};
use manifest::{Roles, read_manifest, read_roles};
pub use source::{Files, Limits, Opened, Source};
use table::Table;

/// How a file's rows apply (the manifest's `file.X` value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The file is the whole set: stored records it does not hold are removed.
    Bulk,
    /// The file holds changes only.
    Delta,
    /// No file: stored records stay as they are.
    Absent,
}

/// One row as read, canonical.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub sid: String,
    pub line: usize,
    pub deleted: bool,
    pub fields: Fields,
}

#[derive(Debug, Default)]
pub struct Parsed {
    /// The manifest's `oneroster.version` (empty without a manifest).
    pub version: String,
    pub modes: BTreeMap<Kind, Mode>,
    pub rows: BTreeMap<Kind, Vec<Incoming>>,
    /// The rows of the big kinds ([`super::STREAMED`]), sorted on the way
    /// (their duplicates are found when they are merged), and the whole
    /// records of users (whose `rows` hold only what is read of them).
    pub streamed: BTreeMap<Kind, Sorter>,
    pub warnings: Vec<Problem>,
    pub problems: Vec<Problem>,
    /// A file that could not be read to its end (a cap, or a read error):
    /// the import fails with it, whatever else was read.
    pub failed: Option<crate::error::Error>,
}

impl Parsed {
    fn failing(mut self, e: crate::error::Error) -> Parsed {
        self.failed = Some(e);
        self
    }

    pub fn mode(&self, kind: Kind) -> Mode {
        self.modes.get(&kind).copied().unwrap_or(Mode::Absent)
    }
}

const IGNORED_NOTE: &str =
    "BrightPath keeps rosters, classes, terms and enrollments; this file is not read";

/// Reads every file of a roster. Never fails: what is wrong is in `problems`.
pub fn parse(files: &Opened, limits: &Limits) -> Parsed {
    parse_with(files, limits, PARALLEL_BYTES)
}

/// [`parse`], reading the files on two threads from `parallel_bytes` in all.
fn parse_with(files: &Opened, limits: &Limits, parallel_bytes: u64) -> Parsed {
    let mut out = Parsed::default();
    let manifest = match files.read("manifest.csv", |r| read_manifest(r, limits, &mut out)) {
        Ok(m) => m,
        Err(e) => return out.failing(e),
    };
    let has_oneroster = ONEROSTER_FILES.iter().any(|f| files.has(f));
    if manifest.is_none() && has_oneroster {
        out.problems.push(Problem::new(
            "manifest.csv",
            0,
            None,
            "the roster has OneRoster files but no manifest.csv",
            "add manifest.csv (propertyName,value with oneroster.version and a file.X line per file)",
        ));
    }
    let manifest = manifest.unwrap_or_default();
    let mut roles = None;
    for name in files.names() {
        let known = spec::ONEROSTER.iter().any(|s| s.file == name)
            || [
                spec::MEETINGS.file,
                spec::TIME_ZONES.file,
                "manifest.csv",
                "roles.csv",
            ]
            .contains(&name);
        if !known {
            out.warnings
                .push(Problem::new(name, 0, None, "not read", IGNORED_NOTE));
        }
    }
    if manifest.get("file.roles").map(String::as_str) != Some("absent") {
        match files.read("roles.csv", |r| read_roles(r, limits, &mut out)) {
            Ok(r) => roles = r,
            Err(e) => return out.failing(e),
        }
    }
    let mut jobs: Vec<Job> = Vec::new();
    for s in spec::ONEROSTER {
        let key = format!("file.{}", s.name);
        let mode = match (
            manifest.get(&key).map(|v| v.to_ascii_lowercase()),
            files.has(s.file).then_some(()),
        ) {
            (Some(m), Some(_)) if m == "bulk" => Mode::Bulk,
            (Some(m), Some(_)) if m == "delta" => Mode::Delta,
            (Some(m), None) if m == "bulk" || m == "delta" => {
                out.problems.push(Problem::new(
                    "manifest.csv",
                    0,
                    Some("value"),
                    format!("{key} is {m} but {} is not in the roster", s.file),
                    format!("add {} or mark {key} absent", s.file),
                ));
                continue;
            }
            (Some(m), Some(_)) if m == "absent" => {
                out.warnings.push(Problem::new(
                    s.file,
                    0,
                    None,
                    "the manifest marks it absent, so it is not read",
                    "mark it bulk or delta in manifest.csv to import it",
                ));
                continue;
            }
            (None, Some(_)) => {
                out.problems.push(Problem::new(
                    "manifest.csv",
                    0,
                    None,
                    format!("{} is in the roster but the manifest has no {key}", s.file),
                    format!("add the line {key},bulk (or delta)"),
                ));
                continue;
            }
            (Some(m), _) if m != "absent" => {
                out.problems.push(Problem::new(
                    "manifest.csv",
                    0,
                    Some("value"),
                    format!("{key} is {m:?}"),
                    "use bulk, delta or absent",
                ));
                continue;
            }
            _ => continue,
        };
        out.modes.insert(s.kind, mode);
        jobs.push((s, files.size(s.file), roles.as_ref()));
    }
    for s in [&spec::MEETINGS, &spec::TIME_ZONES] {
        if files.has(s.file) {
            out.modes.insert(s.kind, Mode::Bulk);
            jobs.push((s, files.size(s.file), None));
        }
    }
    // The files are read in the order above, whichever thread reads them.
    let parts = read_all(files, &jobs, limits, parallel_bytes);
    for ((s, _, _), part) in jobs.iter().zip(parts) {
        if let Some(e) = part.failed {
            return out.failing(e);
        }
        out.problems.extend(part.problems);
        out.warnings.extend(part.warnings);
        out.streamed.extend(part.streamed);
        if let Some(rows) = part.rows.into_values().next() {
            out.rows.insert(s.kind, rows);
        }
    }
    if out.modes.is_empty() && out.problems.is_empty() {
        out.problems.push(Problem::new(
            "roster",
            0,
            None,
            "holds no file BrightPath reads",
            "give a OneRoster folder or zip with manifest.csv, or class_meetings.csv / family_time_zones.csv",
        ));
    }
    out
}

/// A file to read: its spec, its size and (for users) the roles.
type Job<'a> = (&'static Spec, u64, Option<&'a Roles>);

/// Below this many bytes in all, the files are read on one thread.
const PARALLEL_BYTES: u64 = 1 << 20;

/// Reads each file into a `Parsed` of its own (its rows under its kind, its
/// problems): a big roster's files on two threads, the biggest files spread
/// between them, as the files are independent.
fn read_all(files: &Opened, jobs: &[Job], limits: &Limits, parallel_bytes: u64) -> Vec<Parsed> {
    let read = |i: usize| {
        let (s, _, roles) = jobs[i];
        let mut part = Parsed::default();
        if let Err(e) = files.read(s.file, |r| read_kind(s, r, limits, &mut part, roles)) {
            part.failed = Some(e);
        }
        part
    };
    let total: u64 = jobs.iter().map(|j| j.1).sum();
    if jobs.len() < 2 || total < parallel_bytes {
        return (0..jobs.len()).map(read).collect();
    }
    // Largest first, each to the lighter side.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].1));
    let (mut here, mut there) = (Vec::new(), Vec::new());
    let (mut here_bytes, mut there_bytes) = (0, 0);
    for i in order {
        if here_bytes <= there_bytes {
            here_bytes += jobs[i].1;
            here.push(i);
        } else {
            there_bytes += jobs[i].1;
            there.push(i);
        }
    }
    let mut parts: Vec<Option<Parsed>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let other = scope.spawn(|| there.iter().map(|&i| (i, read(i))).collect::<Vec<_>>());
        for &i in &here {
            parts[i] = Some(read(i));
        }
        let theirs = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        for (i, part) in theirs {
            parts[i] = Some(part);
        }
    });
    parts.into_iter().map(Option::unwrap_or_default).collect()
}

const ONEROSTER_FILES: &[&str] = &[
    "orgs.csv",
    "academicSessions.csv",
    "courses.csv",
    "classes.csv",
    "users.csv",
    "enrollments.csv",
];

/// Reads one file's rows into `out` (its kind's rows, or its sorter).
fn read_kind(
    s: &Spec,
    input: &mut dyn std::io::Read,
    limits: &Limits,
    out: &mut Parsed,
    roles: Option<&Roles>,
) {
    let Some(reader) = table::open(s.file, input, limits, &mut out.problems) else {
        return;
    };
    let t = &reader.table;
    let mut missing = false;
    for c in s.required {
        if t.col(c).is_none() {
            missing = true;
            out.problems.push(Problem::new(
                s.file,
                1,
                Some(c),
                "the column is missing from the header",
                format!("the header needs {}", s.required.join(", ")),
            ));
        }
    }
    if s.kind == Kind::User && t.col("role").is_none() && roles.is_none() {
        missing = true;
        out.problems.push(Problem::new(
            s.file,
            1,
            Some("role"),
            "no role column and no roles.csv",
            "OneRoster 1.1 has a role column in users.csv; 1.2 has roles.csv",
        ));
    }
    if missing {
        return;
    }
    read_rows(s, reader, limits, out, roles);
}

/// The key of a row: its sourcedId, or for BrightPath's templates the columns
/// that name what the row is about.
fn key_of(s: &Spec, t: &Table, fields: &[Text]) -> String {
    let get = |c: &str| t.col(c).map(|i| fields[i].to_string()).unwrap_or_default();
    match s.kind {
        Kind::Meeting => format!(
            "{}|{}",
            get("classSourcedId"),
            spec::check(Kind::Meeting, "day", &get("day")).unwrap_or_default()
        ),
        Kind::TimeZone => get("userSourcedId"),
        _ => get("sourcedId"),
    }
}

fn read_rows(
    s: &Spec,
    mut reader: table::Reader,
    limits: &Limits,
    out: &mut Parsed,
    roles: Option<&Roles>,
) {
    let streamed = super::STREAMED.contains(&s.kind);
    // Users' whole records are sorted too, for their merge (`stream::held`).
    let sorted = streamed || s.kind == Kind::User;
    let mut seen: HashMap<String, usize> = HashMap::default();
    let mut rows = Vec::new();
    let mut sorter = Sorter::new(limits.sort_bytes);
    let t = reader.table.clone();
    let t = &t;
    let columns: Vec<&'static str> = ["status", "dateLastModified"]
        .iter()
        .chain(s.fields)
        .copied()
        .collect();
    let idx: Vec<Option<usize>> = columns.iter().map(|c| t.col(c)).collect();
    while let Some(mut r) = reader.next_row(&mut out.problems) {
        let mut sid = key_of(s, t, &r.fields);
        let key_col = if s.kind == Kind::TimeZone {
            "userSourcedId"
        } else if s.kind == Kind::Meeting {
            "classSourcedId"
        } else {
            "sourcedId"
        };
        if sid.is_empty() || sid.starts_with('|') {
            out.problems.push(Problem::new(
                s.file,
                r.line,
                Some(key_col),
                "is empty",
                "every row needs its key",
            ));
            continue;
        }
        if sid.contains(['\n', '\r']) {
            out.problems.push(Problem::new(
                s.file,
                r.line,
                Some(key_col),
                "holds a line break",
                "a quote was left open on the line before; close it",
            ));
            continue;
        }
        if !streamed && let Some(first) = seen.insert(sid.clone(), r.line) {
            out.problems.push(Problem::new(
                s.file,
                r.line,
                Some(key_col),
                format!("{sid:?} is also on line {first}"),
                "each record appears once in a file: remove or merge the duplicate",
            ));
            continue;
        }
        let mut fields = Fields::with_capacity(columns.len());
        let mut bad: Vec<&str> = Vec::new();
        for (c, i) in columns.iter().zip(&idx) {
            let raw = i.map(|i| r.fields[i].as_str()).unwrap_or("");
            // A canonical value moves from the row (no copy of it).
            let checked =
                spec::check_cow(s.kind, c, raw).map(|v| (*v != *raw).then(|| v.into_owned()));
            match checked {
                Ok(Some(v)) => {
                    fields.insert(c, v.into());
                }
                Ok(None) => {
                    let v = i.map(|i| std::mem::take(&mut r.fields[i]));
                    fields.insert(c, v.unwrap_or_default());
                }
                Err((m, fix)) => {
                    // Kept as written, so the row's references are checked too
                    // and every problem of the file is reported at once.
                    fields.insert(c, raw.into());
                    bad.push(*c);
                    out.problems
                        .push(Problem::new(s.file, r.line, Some(c), m, fix));
                }
            }
        }
        let status = fields.get("status").cloned().unwrap_or_default();
        let deleted = status == "tobedeleted";
        if status.is_empty() {
            fields.insert("status", "active".into());
        }
        if s.kind == Kind::User
            && let Some(roles) = roles
        {
            if fields.get("role").is_none_or(|v| v.is_empty())
                && let Some(role) = roles.role.get(&sid)
            {
                fields.insert("role", role.as_str().into());
            }
            if fields.get("orgSourcedIds").is_none_or(|v| v.is_empty())
                && let Some(orgs) = roles.orgs.get(&sid)
            {
                fields.insert("orgSourcedIds", orgs.join(",").into());
            }
        }
        if !deleted {
            for c in s.required.iter().chain(if s.kind == Kind::User {
                &["role"][..]
            } else {
                &[][..]
            }) {
                if *c != "sourcedId"
                    && !bad.contains(c)
                    && fields.get(c).is_none_or(|v| v.is_empty())
                {
                    out.problems.push(Problem::new(
                        s.file,
                        r.line,
                        Some(c),
                        "is empty",
                        format!("{c} is required"),
                    ));
                }
            }
        }
        if sorted {
            // The whole record waits in the sorter for the merge. A streamed
            // kind's row is only there; a user is also held, as what the
            // checks and the plan read of it.
            let (key, aux) = if streamed {
                let aux = super::stream::EnrollmentView::aux(&fields);
                (std::mem::take(&mut sid), aux)
            } else {
                (sid.clone(), String::new())
            };
            sorter.push(Entry {
                key,
                line: u32::try_from(r.line).unwrap_or(u32::MAX),
                deleted,
                aux,
                body: serde_json::to_string(&fields).unwrap_or_default(),
            });
            if streamed {
                continue;
            }
            fields.keep_values_of(super::validate::USER_READS);
        }
        rows.push(Incoming {
            sid,
            line: r.line,
            deleted,
            fields,
        });
    }
    if sorted {
        sorter.park();
        out.streamed.insert(s.kind, sorter);
    }
    if !streamed {
        out.rows.insert(s.kind, rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example co-op, with a bad row in users.csv and enrollments.csv.
    fn example() -> Files {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/roster/riverside");
        let mut files = Files::default();
        for entry in std::fs::read_dir(&dir).expect("the example roster") {
            let path = entry.expect("an entry").path();
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .to_string();
            files
                .files
                .insert(name, std::fs::read(&path).expect("a file"));
        }
        for name in ["users.csv", "enrollments.csv"] {
            let bytes = files.files.get_mut(name).expect("the file");
            bytes.extend_from_slice(b"\nbroken,row\n");
        }
        files
    }

    #[test]
    fn two_threads_read_what_one_reads_in_the_same_order() {
        let files = example();
        let limits = Limits::default();
        let files = Opened::from(files);
        let one = parse_with(&files, &limits, u64::MAX);
        let two = parse_with(&files, &limits, 0);
        assert!(!one.problems.is_empty(), "the broken rows are problems");
        assert!(one.rows.values().map(Vec::len).sum::<usize>() > 10);
        assert_eq!(format!("{one:?}"), format!("{two:?}"));
    }
}
