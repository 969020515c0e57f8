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
//! read (oneroster::source, table) -> parse (oneroster) -> check (validate)
//!   -> plan (the diff) -> write (apply, one transaction) -> re-plan
//! ```

pub mod apply;
pub mod classes;
pub mod export;
pub mod oneroster;
pub mod plan;
pub mod report;
pub mod spec;
pub mod uploads;
pub mod validate;

use std::sync::Arc;

pub use oneroster::{Files, Limits, Source};
pub use report::{Diff, ImportReport, Problem, Replanned, ReportSummary};

use crate::error::{Error, Result};
use crate::store::Store;

/// The import's hash maps: keyed by sourcedIds by the hundred thousand, so
/// a fast hash (randomly seeded per process, as the standard one is).
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

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
    let lap =
        |stage: &str| tracing::debug!(stage, secs = t0.elapsed().as_secs_f64(), "roster import");
    let files = source.read(&options.limits)?;
    lap("read");
    // The files are parsed on the blocking pool while the stored roster is
    // read: neither needs the other.
    let limits = options.limits;
    let parsing = tokio::task::spawn_blocking(move || oneroster::parse(&files, &limits));
    let (coop, stored, families) = {
        let mut tx = store.read().await?;
        let coop = tx.find_coop(coop).await?;
        let stored = tx.roster_records(&coop.id).await?;
        let families = tx.all_families().await?;
        (coop, stored, families)
    };
    lap("load");
    let parsed = match parsing.await {
        Ok(parsed) => parsed,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => return Err(Error::Internal(format!("parsing the roster: {e}"))),
    };
    lap("parse");
    progress("checking", 0, 1);
    let mut report = ImportReport {
        coop: coop.name.clone(),
        dry_run: options.dry_run,
        version: parsed.version.clone(),
        ..Default::default()
    };
    let checked = validate::check(parsed, &stored);
    lap("check");
    report.warnings = checked.warnings.clone();
    report.problems = checked.problems.clone();
    if report.refused() {
        return Ok(report);
    }
    let mut changes = plan::plan(&coop, &checked, &stored, &families);
    // Freeing a big roster's millions of strings takes a while: another
    // thread does it while this one writes.
    free_aside((checked, stored, families));
    report.changes = std::mem::take(&mut changes.diffs);
    lap("plan");
    if !changes.problems.is_empty() {
        report.problems = changes.problems.clone();
        return Ok(report);
    }
    if options.dry_run || !report.changed() {
        return Ok(report);
    }
    apply::write(store, &coop, &changes, progress).await?;
    lap("write");
    if options.replan {
        report.replanned = apply::replan(store, &changes, options.today, progress).await?;
    }
    free_aside(changes);
    Ok(report)
}

/// Drops `value` on another thread.
fn free_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

pub use export::export;
