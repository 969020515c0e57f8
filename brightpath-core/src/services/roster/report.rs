//! What an import says: every problem with its file, line and column and how
//! to mend it, warnings that did not stop it, and the diff it made (or would
//! make, in a dry run).

use std::collections::BTreeMap;

use serde::Serialize;

/// A bad row or file: where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Problem {
    pub file: String,
    /// 1 is the header; 0 when the problem is the whole file.
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn new(
        file: &str,
        line: usize,
        column: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, " line {}", self.line)?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {} ({})", self.message, self.fix)
    }
}

/// Created, updated, unchanged and removed, for one kind of thing: how many
/// of each, and the ids (or names) of the first [`Diff::LISTED`] of each, so
/// that the report of a co-op of 100,000 users is not 700,000 ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    pub removed: Vec<String>,
    /// How many were created, updated and removed in all.
    pub totals: Totals,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub created: usize,
    pub updated: usize,
    pub removed: usize,
}

impl Diff {
    /// Ids listed per change.
    pub const LISTED: usize = 1000;

    pub fn is_change(&self) -> bool {
        self.totals != Totals::default()
    }

    pub fn create(&mut self, id: impl Into<String>) {
        self.totals.created += 1;
        if self.created.len() < Self::LISTED {
            self.created.push(id.into());
        }
    }

    pub fn update(&mut self, id: impl Into<String>) {
        self.totals.updated += 1;
        if self.updated.len() < Self::LISTED {
            self.updated.push(id.into());
        }
    }

    pub fn remove(&mut self, id: impl Into<String>) {
        self.totals.removed += 1;
        if self.removed.len() < Self::LISTED {
            self.removed.push(id.into());
        }
    }
}

/// The outcome of an import (applied, or only checked with `dry_run`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub coop: String,
    pub dry_run: bool,
    /// The OneRoster version the manifest names (empty for BrightPath CSV only).
    pub version: String,
    /// Per kind of record (`users`, `classes`, … and BrightPath's own:
    /// `families`, `students`, `guardians`, `events`).
    pub changes: BTreeMap<String, Diff>,
    pub warnings: Vec<Problem>,
    /// Bad rows and files. When there are any, nothing was written.
    pub problems: Vec<Problem>,
    /// Family weeks planned again because their co-op classes changed.
    pub replanned: Vec<Replanned>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Replanned {
    pub family: String,
    pub week: String,
    pub error: Option<String>,
}

impl ImportReport {
    /// Refused: the files had problems, and nothing was written.
    pub fn refused(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The report, or (when refused) an `Invalid` error listing every problem.
    pub fn into_result(self) -> crate::error::Result<ImportReport> {
        if !self.refused() {
            return Ok(self);
        }
        // The report holds them all; a message of thousands of lines helps nobody.
        let mut lines: Vec<String> = self
            .problems
            .iter()
            .take(50)
            .map(|p| format!("  {p}"))
            .collect();
        if self.problems.len() > 50 {
            lines.push(format!(
                "  … and {} more (the report lists them all)",
                self.problems.len() - 50
            ));
        }
        Err(crate::error::Error::invalid(
            format!("roster for {}", self.coop),
            format!(
                "{} problems; nothing was imported:\n{}",
                self.problems.len(),
                lines.join("\n")
            ),
        )
        .with_hint("fix the rows named and import again"))
    }

    pub fn changed(&self) -> bool {
        self.changes.values().any(Diff::is_change)
    }
}

/// A report cut to a size an API answer and a job record can carry: counts
/// per kind with a few example ids, and the first problems and warnings with
/// their totals (a 100,000-user import would otherwise be megabytes of ids).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReportSummary {
    pub coop: String,
    pub dry_run: bool,
    pub version: String,
    /// The files had problems; nothing was written.
    pub refused: bool,
    /// Something would be (or was) created, updated or removed.
    pub changed: bool,
    pub changes: BTreeMap<String, DiffSummary>,
    pub problems: Vec<Problem>,
    pub problems_total: usize,
    pub warnings: Vec<Problem>,
    pub warnings_total: usize,
    pub replanned: Vec<Replanned>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DiffSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub examples: DiffExamples,
}

/// The first few ids of each change.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DiffExamples {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
}

/// Example ids per change in a [`ReportSummary`].
pub const SUMMARY_EXAMPLES: usize = 20;
/// Problems (and warnings) listed in a [`ReportSummary`].
pub const SUMMARY_PROBLEMS: usize = 1000;

impl ImportReport {
    pub fn summary(&self) -> ReportSummary {
        let first = |v: &[String]| v.iter().take(SUMMARY_EXAMPLES).cloned().collect();
        let problems = |v: &[Problem]| v.iter().take(SUMMARY_PROBLEMS).cloned().collect();
        ReportSummary {
            coop: self.coop.clone(),
            dry_run: self.dry_run,
            version: self.version.clone(),
            refused: self.refused(),
            changed: self.changed(),
            changes: self
                .changes
                .iter()
                .map(|(k, d)| {
                    let s = DiffSummary {
                        created: d.totals.created,
                        updated: d.totals.updated,
                        unchanged: d.unchanged,
                        removed: d.totals.removed,
                        examples: DiffExamples {
                            created: first(&d.created),
                            updated: first(&d.updated),
                            removed: first(&d.removed),
                        },
                    };
                    (k.clone(), s)
                })
                .collect(),
            problems: problems(&self.problems),
            problems_total: self.problems.len(),
            warnings: problems(&self.warnings),
            warnings_total: self.warnings.len(),
            replanned: self.replanned.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_diff_lists_the_first_ids_and_counts_them_all() {
        let mut d = Diff::default();
        for i in 0..1500 {
            d.create(format!("u-{i}"));
        }
        d.remove("gone");
        assert_eq!(d.created.len(), Diff::LISTED);
        assert_eq!(d.created[0], "u-0");
        assert_eq!(d.totals.created, 1500);
        assert!(d.is_change());
        let r = ImportReport {
            changes: [("users".to_string(), d)].into(),
            ..Default::default()
        };
        let s = r.summary();
        assert_eq!(s.changes["users"].created, 1500);
        assert_eq!(s.changes["users"].removed, 1);
        assert_eq!(s.changes["users"].examples.created.len(), SUMMARY_EXAMPLES);
        assert!(!Diff::default().is_change());
    }
}
