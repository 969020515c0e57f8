//! Reading a roster's files from a folder or a zip, with the limits that keep
//! a hostile archive out: no paths that climb out (`..`) or start at the root,
//! a cap on the bytes all files unpack to, and on how much one entry may grow.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The limits on what a roster may unpack to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// All files together, uncompressed.
    pub total_bytes: u64,
    /// How many times larger than its compressed size one zip entry may be.
    pub max_ratio: u64,
    /// One CSV record (a line, or several when a field holds line breaks).
    pub row_bytes: usize,
    /// What the rows of one big kind (enrollments, events) may hold in
    /// memory before they are sorted on disk.
    pub sort_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            total_bytes: 1 << 30,
            max_ratio: 200,
            row_bytes: 64 * 1024,
            sort_bytes: crate::services::roster::sorter::BUDGET,
        }
    }
}

/// The files of a roster by file name (`users.csv`), as bytes.
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Files {
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }
}

/// Where a roster comes from: a folder, a zip file, or zip bytes (an upload).
#[derive(Debug, Clone)]
pub enum Source {
    Path(std::path::PathBuf),
    Zip(Vec<u8>),
    Files(Files),
}

impl Source {
    pub fn read(&self, limits: &Limits) -> Result<Files> {
        match self {
            Source::Files(f) => Ok(f.clone()),
            Source::Zip(bytes) => read_zip(bytes, "the upload", limits),
            Source::Path(p) if p.is_dir() => read_dir(p, limits),
            Source::Path(p) => {
                let bytes = std::fs::read(p)
                    .map_err(|e| Error::Io(format!("cannot read {}: {e}", p.display())))?;
                if bytes.starts_with(b"PK") {
                    read_zip(&bytes, &p.display().to_string(), limits)
                } else {
                    Err(Error::invalid(
                        p.display().to_string(),
                        "is neither a folder nor a zip file",
                    )
                    .with_hint("give the folder that holds manifest.csv, or a zip of it"))
                }
            }
        }
    }
}

fn read_dir(dir: &Path, limits: &Limits) -> Result<Files> {
    let mut out = Files::default();
    let mut total = 0u64;
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::Io(format!("cannot read {}: {e}", dir.display())))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() || !name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        total += entry.metadata().map(|m| m.len()).unwrap_or(0);
        if total > limits.total_bytes {
            return Err(too_big(&dir.display().to_string(), limits));
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
        out.files.insert(name.to_string(), bytes);
    }
    Ok(out)
}

fn too_big(what: &str, limits: &Limits) -> Error {
    Error::invalid(
        what,
        format!(
            "unpacks to more than {} MiB",
            limits.total_bytes / (1024 * 1024)
        ),
    )
    .with_hint("split the roster, or check that the file is the roster you meant")
}

/// Reads the CSV files of a zip. Entries may sit in one folder (a zipped
/// folder); any path with `..`, a root or a drive is refused, and the bytes
/// read are counted as they come, so a size bomb stops at the cap whatever
/// its header claims.
pub fn read_zip(bytes: &[u8], what: &str, limits: &Limits) -> Result<Files> {
    let bad = |m: String| {
        Error::invalid(what, m).with_hint("give a zip of the OneRoster CSV files with manifest.csv")
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("is not a readable zip: {e}")))?;
    let mut out = Files::default();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| bad(format!("entry {i} cannot be read: {e}")))?;
        let raw = entry.name().to_string();
        let unsafe_path = raw.starts_with('/')
            || raw.starts_with('\\')
            || raw.contains(':')
            || raw.split(['/', '\\']).any(|part| part == "..");
        if unsafe_path {
            return Err(bad(format!(
                "holds the path {raw:?}, which points outside the roster"
            )));
        }
        if entry.is_dir() {
            continue;
        }
        let name = raw.rsplit(['/', '\\']).next().unwrap_or(&raw).to_string();
        if !name.to_ascii_lowercase().ends_with(".csv") || name.starts_with("._") {
            continue;
        }
        let compressed = entry.compressed_size().max(1);
        let allowed = (compressed.saturating_mul(limits.max_ratio)).max(64 * 1024);
        let left = limits.total_bytes.saturating_sub(total);
        let cap = allowed.min(left);
        let mut buf = Vec::new();
        let n = (&mut entry)
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| bad(format!("{name} cannot be unpacked: {e}")))?;
        if n as u64 > cap {
            return Err(if cap == left {
                too_big(what, limits)
            } else {
                bad(format!(
                    "{name} unpacks to more than {} times its packed size (a zip bomb?)",
                    limits.max_ratio
                ))
            });
        }
        total += n as u64;
        if out.files.insert(name.clone(), buf).is_some() {
            return Err(bad(format!("holds {name} twice")));
        }
    }
    Ok(out)
}
