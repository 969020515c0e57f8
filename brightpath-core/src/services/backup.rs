//! Backups a family can take away and restore elsewhere: the whole database
//! or one family, read in one snapshot and written as JSON Lines.
//!
//! The archive's first line is its [`Manifest`] (format, format version, the
//! schema version of the database it came from, scope, row counts); every
//! other line is `{"table": NAME, "row": {COLUMN: VALUE}}`, parents before
//! children. Values are strings, integers or null (the schema is portable),
//! so the same file restores into SQLite or PostgreSQL. A restore runs in one
//! transaction: it lands whole or not at all.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::Family;
use crate::store::{Store, TABLES};

/// What the first line's `format` says.
pub const FORMAT: &str = "brightpath-backup";
/// The archive layout this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The archive's first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The newest migration applied to the database it was taken from.
    pub schema_version: i64,
    pub created_at: String,
    /// The families in it (every family for a whole-database backup).
    pub families: Vec<String>,
    /// `all` or `family`.
    pub scope: String,
    /// Rows per table, checked on restore.
    pub tables: BTreeMap<String, usize>,
}

/// Each table's rows, in restore order.
pub type TableRows = Vec<(String, Vec<Map<String, Value>>)>;

#[derive(Serialize, Deserialize)]
struct Line {
    table: String,
    row: Map<String, Value>,
}

/// Writes a backup of the whole database (`family` None) or one family to
/// `out`, all of it read in one snapshot, and returns its manifest.
pub async fn backup(
    store: &Store,
    family: Option<&Family>,
    out: &mut impl Write,
) -> Result<Manifest> {
    let mut tx = store.read().await?;
    tx.snapshot().await?;
    let schema_version = tx.schema_version().await?;
    let families: Vec<String> = match family {
        Some(f) => vec![f.id.clone()],
        None => tx.all_families().await?.into_iter().map(|f| f.id).collect(),
    };
    let scope = family.map(|_| families.as_slice());
    let mut tables = Vec::new();
    for t in TABLES {
        tables.push((*t, tx.dump_rows(t, scope).await?));
    }
    drop(tx);
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version,
        created_at: jiff::Timestamp::now().to_string(),
        families,
        scope: if family.is_some() { "family" } else { "all" }.into(),
        tables: tables
            .iter()
            .map(|(t, rows)| (t.to_string(), rows.len()))
            .collect(),
    };
    let io = |e: std::io::Error| Error::Io(format!("cannot write the backup: {e}"));
    serde_json::to_writer(&mut *out, &manifest).map_err(|e| Error::Io(e.to_string()))?;
    out.write_all(b"\n").map_err(io)?;
    for (table, rows) in tables {
        for row in rows {
            serde_json::to_writer(
                &mut *out,
                &Line {
                    table: table.into(),
                    row,
                },
            )
            .map_err(|e| Error::Io(e.to_string()))?;
            out.write_all(b"\n").map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(manifest)
}

/// Reads and checks an archive: its manifest, every line, the counts.
pub fn read_archive(input: impl BufRead) -> Result<(Manifest, TableRows)> {
    let bad = |why: String| Error::invalid("backup", why);
    let mut lines = input.lines();
    let first = lines
        .next()
        .ok_or_else(|| bad("the file is empty".into()))?
        .map_err(|e| Error::Io(e.to_string()))?;
    let manifest: Manifest = serde_json::from_str(&first).map_err(|_| {
        bad("this is not a BrightPath backup (its first line is no manifest)".into())
    })?;
    if manifest.format != FORMAT {
        return Err(bad(format!(
            "this is not a BrightPath backup (format {:?})",
            manifest.format
        )));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(bad(format!(
            "the backup's format version {} is newer than this BrightPath reads ({FORMAT_VERSION})",
            manifest.format_version
        ))
        .with_hint("restore it with the BrightPath release that made it, or a newer one"));
    }
    let mut by_table: BTreeMap<String, Vec<Map<String, Value>>> = BTreeMap::new();
    for (n, line) in lines.enumerate() {
        let line = line.map_err(|e| Error::Io(e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let l: Line =
            serde_json::from_str(&line).map_err(|e| bad(format!("line {}: {e}", n + 2)))?;
        if !TABLES.contains(&l.table.as_str()) {
            return Err(bad(format!("line {}: unknown table {}", n + 2, l.table)));
        }
        by_table.entry(l.table).or_default().push(l.row);
    }
    for t in TABLES {
        let found = by_table.get(*t).map_or(0, Vec::len);
        let said = manifest.tables.get(*t).copied().unwrap_or(0);
        if found != said {
            return Err(bad(format!(
                "table {t} has {found} rows but the manifest says {said}: the file is cut short or altered"
            )));
        }
    }
    let ordered = TABLES
        .iter()
        .map(|t| (t.to_string(), by_table.remove(*t).unwrap_or_default()))
        .collect();
    Ok((manifest, ordered))
}

/// Restores an archive into `store` (migrated to the archive's schema version
/// or a newer one), in one transaction. Refused when a family of the archive
/// is already there; a co-op that is already there is kept as it is.
pub async fn restore(store: &Store, input: impl BufRead) -> Result<Manifest> {
    let (manifest, tables) = read_archive(input)?;
    let mut tx = store.tx().await?;
    let here = tx.schema_version().await?;
    if manifest.schema_version > here {
        return Err(Error::invalid(
            "backup",
            format!(
                "the backup comes from schema version {} but this database is at {here}",
                manifest.schema_version
            ),
        )
        .with_hint(
            "run `brightpath db migrate` with a BrightPath as new as the one that made the backup",
        ));
    }
    let existing: Vec<String> = tx.all_families().await?.into_iter().map(|f| f.id).collect();
    if let Some(dup) = manifest.families.iter().find(|f| existing.contains(f)) {
        return Err(Error::conflict(format!(
            "family {dup} of the backup is already in this database; nothing was restored"
        ))
        .with_hint("restore into an empty database, or remove that family first"));
    }
    for (table, rows) in &tables {
        let columns = tx.columns(table).await?;
        // Shared rows (a co-op, its people) may be there already, from
        // another family of the same co-op: those are kept as they are.
        let mut fresh = Vec::with_capacity(rows.len());
        for r in rows {
            let shared = table == "coops"
                || (table == "people" && r.get("family_id").is_none_or(Value::is_null));
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default();
            if !(shared && tx.row_exists(table, id).await?) {
                fresh.push(r.clone());
            }
        }
        let rows = fresh;
        tx.load_rows(table, &columns, &rows).await?;
    }
    tx.commit().await?;
    Ok(manifest)
}
