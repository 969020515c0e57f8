//! Co-op rosters: bulk import and export of families, children, classes and
//! enrollments, from OneRoster 1.1/1.2 CSV (a folder or a zip) and
//! BrightPath's CSV templates (class meetings, family time zones).
//!
//! An import reads every file, checks every row, and writes nothing unless
//! all are good; keys are sourcedIds, so importing the same files again
//! changes nothing. Each class enrollment becomes a fixed event in the
//! family's week, and a class that moves re-plans the weeks already planned.
//!
//! ```text
//! read, each file a stream (oneroster::source, table) -> parse (oneroster) -> check (validate)
//!   -> plan (the diff) -> write (apply, one transaction) -> re-plan
//! ```

pub mod apply;
pub mod classes;
mod events;
pub mod export;
pub mod oneroster;
pub mod plan;
pub mod report;
pub mod sorter;
pub mod spec;
mod stream;
pub mod uploads;
pub mod validate;

use std::sync::Arc;

pub use oneroster::{Files, Limits, Opened, Source};
pub use report::{Diff, ImportReport, Problem, Replanned, ReportSummary};

use crate::error::{Error, Result};
use crate::store::Store;

/// The import's hash maps: keyed by sourcedIds by the hundred thousand, so
/// a fast hash (randomly seeded per process, as the standard one is).
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The kinds too big to hold whole: their rows are sorted on the way in
/// and merged with the stored records (see `stream`). Events, which an
/// import makes from enrollments, are streamed the same way.
pub(crate) const STREAMED: &[spec::Kind] = &[spec::Kind::Enrollment];

/// Called as an import goes: (stage, done, total).
pub type Progress = Arc<dyn Fn(&str, u64, u64) + Send + Sync>;

#[derive(Clone)]
pub struct ImportOptions {
    /// Check and diff only; write nothing.
    pub dry_run: bool,
    pub limits: Limits,
    /// Today, for which weeks are re-planned (default: today in each family's zone).
    pub today: Option<jiff::civil::Date>,
    /// Plan again the weeks of families whose co-op classes changed.
    pub replan: bool,
    pub progress: Progress,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            dry_run: false,
            limits: Limits::default(),
            today: None,
            replan: true,
            progress: Arc::new(|_, _, _| {}),
        }
    }
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("dry_run", &self.dry_run)
            .field("today", &self.today)
            .finish()
    }
}

/// Imports a roster into the co-op named `coop` (name or id). Problems in the
/// files come back in the report's `problems`, with nothing written (use
/// [`ImportReport::into_result`] to turn them into an error); `Err` is for the
/// co-op not existing, an unreadable source, or the database.
pub async fn import(
    store: &Store,
    coop: &str,
    source: &Source,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let progress = &options.progress;
    progress("reading", 0, 1);
    let t0 = std::time::Instant::now();
    // Where an import's time goes (RUST_LOG=brightpath_core=debug).
    let lap = |stage: &str| {
        tracing::debug!(
            stage,
            secs = t0.elapsed().as_secs_f64(),
            rss_mib = resident_mib(),
            "roster import"
        )
    };
    // Each file is read as a stream when it is parsed; opening lists them.
    let files = source.open(&options.limits)?;
    lap("open");
    // The files are parsed on the blocking pool while the stored roster is
    // read: neither needs the other.
    let limits = options.limits;
    let parsing = tokio::task::spawn_blocking(move || oneroster::parse(&files, &limits));
    let streamed_kinds: Vec<&str> = STREAMED
        .iter()
        .map(|k| k.name())
        .chain([spec::Kind::Event.name()])
        .collect();
    let (coop, stored, families) = {
        let mut tx = store.read().await?;
        let coop = tx.find_coop(coop).await?;
        let stored = tx
            .roster_records_except(&coop.id, &streamed_kinds, &shrink_user)
            .await?;
        let families = tx.all_families().await?;
        (coop, stored, families)
    };
    lap("load");
    let mut parsed = match parsing.await {
        Ok(parsed) => parsed,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => return Err(Error::Internal(format!("parsing the roster: {e}"))),
    };
    if let Some(e) = parsed.failed.take() {
        return Err(e);
    }
    lap("parse");
    progress("checking", 0, 1);
    let mut report = ImportReport {
        coop: coop.name.clone(),
        dry_run: options.dry_run,
        version: parsed.version.clone(),
        ..Default::default()
    };
    let sorters = std::mem::take(&mut parsed.streamed);
    let modes = parsed.modes.clone();
    let checked = validate::check(parsed, &stored);
    lap("check");
    report.warnings = checked.warnings.clone();
    report.problems = checked.problems.clone();
    let mut changes = (!report.refused()).then(|| plan::plan(&coop, &checked, &stored, &families));
    drop(families);
    if let Some(ch) = &mut changes {
        report.changes = std::mem::take(&mut ch.diffs);
        report.problems = std::mem::take(&mut ch.problems);
    }
    let changes = changes.filter(|_| !report.refused());
    lap("plan");
    // The streamed kinds are merged (and, unless this is a dry run or the
    // files are refused, written) in one transaction with the rest; when
    // anything is wrong it is dropped, so nothing is written.
    // Statements run behind the work that makes them, in a task of their own.
    let write = !options.dry_run && changes.is_some();
    let db = crate::store::Behind::start(if write {
        store.tx().await?
    } else {
        store.read().await?
    });
    let mut changes = changes;
    let mut written = apply::Written::default();
    if let (true, Some(ch)) = (write, &mut changes) {
        written = apply::write(&db, ch, progress).await?;
    }
    let streamed = stream::run(
        &db,
        &coop,
        &checked,
        &modes,
        sorters,
        changes.as_ref(),
        write,
        options.limits.sort_bytes,
        progress,
    )
    .await;
    // Every statement is waited for (and the transaction taken back) first;
    // a failed one's own error may have reached the merge (at its next read).
    let finished = db.finish().await;
    let streamed = streamed?;
    let mut tx = finished?;
    lap("streamed");
    report.changes.extend(streamed.diffs);
    report.problems.extend(streamed.problems);
    report.warnings.extend(streamed.warnings);
    for list in [&mut report.problems, &mut report.warnings] {
        list.sort();
        list.dedup();
    }
    // Freeing a big roster's strings takes a while: another thread does it.
    free_aside((checked, stored));
    free_aside(changes);
    if !write || report.refused() {
        // A dry run or refused files: the transaction is dropped unwritten.
        return Ok(report);
    }
    apply::note_families(&mut tx, &written, &streamed.replan).await?;
    tx.commit().await?;
    lap("commit");
    if options.replan {
        report.replanned =
            apply::replan(store, &written, &streamed.replan, options.today, progress).await?;
    }
    Ok(report)
}

/// What the checks and the plan read of a stored user: its fields cut to
/// [`validate::USER_READS`] (its whole record is merged chunk by chunk).
fn shrink_user(kind: &str, fields: &str) -> Option<String> {
    if kind != spec::Kind::User.name() {
        return None;
    }
    let mut f = spec::parse_fields(fields)?;
    f.keep_values_of(validate::USER_READS);
    serde_json::to_string(&f).ok()
}

/// The process's resident memory in MiB, for the debug log (Linux only).
pub(crate) fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb / 1024)
}

/// Drops `value` on another thread.
pub(crate) fn free_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

pub use export::export;
