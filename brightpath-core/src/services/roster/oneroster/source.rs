//! Reading a roster's files from a folder or a zip, each as a stream (no file
//! is held whole), with the limits that keep a hostile archive out: no paths
//! that climb out (`..`) or start at the root, a cap on the bytes all files
//! unpack to, and on how much one entry may grow.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
    /// Every file of the roster, read whole (small rosters and tests).
    pub fn read(&self, limits: &Limits) -> Result<Files> {
        self.open(limits)?.read_all()
    }

    /// Lists the roster's CSV files, refusing a zip with an unsafe path or a
    /// file twice, and a folder over the size cap. Nothing is read yet: each
    /// file is read as a stream when it is parsed ([`Opened::read`]).
    pub fn open(&self, limits: &Limits) -> Result<Opened> {
        let (place, names) = match self {
            Source::Files(f) => return Ok(Opened::memory(f.clone(), limits)),
            Source::Zip(bytes) => return Opened::zip_bytes(bytes, "the upload", limits),
            Source::Path(p) if p.is_dir() => (Place::Dir(p.clone()), list_dir(p, limits)?),
            Source::Path(p) => {
                let what = p.display().to_string();
                let mut head = [0u8; 2];
                let file = std::fs::File::open(p)
                    .map_err(|e| Error::Io(format!("cannot read {what}: {e}")))?;
                let is_zip = (&file).read_exact(&mut head).is_ok() && head == *b"PK";
                if !is_zip {
                    return Err(Error::invalid(what, "is neither a folder nor a zip file")
                        .with_hint("give the folder that holds manifest.csv, or a zip of it"));
                }
                let names = list_zip(file, &what, limits)?;
                (Place::ZipFile(p.clone(), what), names)
            }
        };
        Ok(Opened {
            place,
            names,
            limits: *limits,
            read: Arc::default(),
        })
    }
}

/// Reads every CSV file of a zip whole (an export, say: small rosters only;
/// an import reads each file as a stream instead).
pub fn read_zip(bytes: &[u8], what: &str, limits: &Limits) -> Result<Files> {
    Opened::zip_bytes(bytes, what, limits)?.read_all()
}

/// Where an opened roster's files are.
#[derive(Debug)]
enum Place {
    Dir(PathBuf),
    /// A zip file, and how messages name it.
    ZipFile(PathBuf, String),
    ZipBytes(Arc<[u8]>, String),
    Memory(Files),
}

/// A file of an opened roster: its size as listed (to share the reading
/// between threads), and in a zip its entry and packed size.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    pub size: u64,
    entry: usize,
    packed: Option<u64>,
}

impl Listed {
    fn sized(size: u64) -> Listed {
        Listed {
            size,
            entry: 0,
            packed: None,
        }
    }
}

/// A roster whose files are listed and read one stream at a time, on any
/// thread; the bytes read from all of them together count against the cap.
#[derive(Debug)]
pub struct Opened {
    place: Place,
    names: BTreeMap<String, Listed>,
    limits: Limits,
    /// Bytes read so far, from every file.
    read: Arc<AtomicU64>,
}

impl From<Files> for Opened {
    fn from(files: Files) -> Opened {
        Opened::memory(files, &Limits::default())
    }
}

impl Opened {
    fn memory(files: Files, limits: &Limits) -> Opened {
        let names = files
            .files
            .iter()
            .map(|(n, b)| (n.clone(), Listed::sized(b.len() as u64)));
        Opened {
            names: names.collect(),
            place: Place::Memory(files),
            limits: *limits,
            read: Arc::default(),
        }
    }

    /// A zip in memory (`what`: how messages name it).
    fn zip_bytes(bytes: &[u8], what: &str, limits: &Limits) -> Result<Opened> {
        Ok(Opened {
            names: list_zip(std::io::Cursor::new(bytes), what, limits)?,
            place: Place::ZipBytes(Arc::from(bytes), what.to_string()),
            limits: *limits,
            read: Arc::default(),
        })
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// The listed size of a file (0 when there is none).
    pub fn size(&self, name: &str) -> u64 {
        self.names.get(name).map_or(0, |l| l.size)
    }

    /// Every file, read whole (small rosters and tests).
    pub fn read_all(&self) -> Result<Files> {
        let mut out = Files::default();
        for name in self.names.keys() {
            let mut bytes = Vec::new();
            let read = self.read(name, |r| r.read_to_end(&mut bytes).map(|_| ()))?;
            if let Some(Err(e)) = read {
                return Err(Error::Io(format!("cannot read {name}: {e}")));
            }
            out.files.insert(name.clone(), bytes);
        }
        Ok(out)
    }

    /// Runs `f` over the stream of the file `name` (`None` when there is
    /// none). A file that grows past a cap, or cannot be read, is an error
    /// whatever `f` made of what it read before.
    pub fn read<T>(&self, name: &str, f: impl FnOnce(&mut dyn Read) -> T) -> Result<Option<T>> {
        let Some(listed) = self.names.get(name).copied() else {
            return Ok(None);
        };
        let what = match &self.place {
            Place::ZipFile(_, what) | Place::ZipBytes(_, what) => what.clone(),
            Place::Dir(dir) => dir.display().to_string(),
            Place::Memory(_) => "the roster".to_string(),
        };
        let cap = listed.packed.map_or(u64::MAX, |packed| {
            packed
                .max(1)
                .saturating_mul(self.limits.max_ratio)
                .max(64 * 1024)
        });
        let made = |inner: &mut dyn Read| {
            let mut capped = Capped {
                inner,
                name,
                what: &what,
                cap,
                own: 0,
                all: &self.read,
                limits: &self.limits,
                hit: None,
            };
            let out = f(&mut capped);
            match capped.hit {
                Some(e) => Err(e),
                None => Ok(out),
            }
        };
        let bad_zip = |e: zip::result::ZipError| {
            Error::invalid(&what, format!("{name} cannot be unpacked: {e}"))
                .with_hint("give a zip of the OneRoster CSV files with manifest.csv")
        };
        let out = match &self.place {
            Place::Memory(files) => made(&mut files.get(name).unwrap_or_default()),
            Place::Dir(dir) => {
                let path = dir.join(name);
                let file = std::fs::File::open(&path)
                    .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
                made(&mut std::io::BufReader::with_capacity(1 << 16, file))
            }
            Place::ZipFile(path, _) => {
                let file = std::fs::File::open(path)
                    .map_err(|e| Error::Io(format!("cannot read {what}: {e}")))?;
                let mut zip =
                    zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(bad_zip)?;
                let mut entry = zip.by_index(listed.entry).map_err(bad_zip)?;
                made(&mut entry)
            }
            Place::ZipBytes(bytes, _) => {
                let mut zip =
                    zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).map_err(bad_zip)?;
                let mut entry = zip.by_index(listed.entry).map_err(bad_zip)?;
                made(&mut entry)
            }
        };
        out.map(Some)
    }
}

/// A file's stream, counted: past its own cap (a zip entry that grows too
/// much) or the cap on all files, it fails, and `hit` says why.
struct Capped<'a> {
    inner: &'a mut dyn Read,
    name: &'a str,
    what: &'a str,
    cap: u64,
    own: u64,
    all: &'a AtomicU64,
    limits: &'a Limits,
    hit: Option<Error>,
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.hit.is_some() {
            return Err(std::io::Error::other("the roster's limits"));
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) => {
                let what = format!("{} cannot be read: {e}", self.name);
                self.hit = Some(
                    Error::invalid(self.what, what)
                        .with_hint("check that the file is the roster you meant, and whole"),
                );
                return Err(e);
            }
        };
        self.own += n as u64;
        let all = self.all.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if self.own > self.cap {
            self.hit = Some(
                Error::invalid(
                    self.what,
                    format!(
                        "{} unpacks to more than {} times its packed size (a zip bomb?)",
                        self.name, self.limits.max_ratio
                    ),
                )
                .with_hint("give a zip of the OneRoster CSV files with manifest.csv"),
            );
        } else if all > self.limits.total_bytes {
            self.hit = Some(too_big(self.what, self.limits));
        }
        if self.hit.is_some() {
            return Err(std::io::Error::other("the roster's limits"));
        }
        Ok(n)
    }
}

fn list_dir(dir: &Path, limits: &Limits) -> Result<BTreeMap<String, Listed>> {
    let mut out = BTreeMap::new();
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
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        total += size;
        if total > limits.total_bytes {
            return Err(too_big(&dir.display().to_string(), limits));
        }
        out.insert(name.to_string(), Listed::sized(size));
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

/// Lists the CSV files of a zip. Entries may sit in one folder (a zipped
/// folder); any path with `..`, a root or a drive is refused. What the
/// entries unpack to is counted as they are read, so a size bomb stops at the
/// cap whatever its header claims.
fn list_zip<R: Read + std::io::Seek>(
    reader: R,
    what: &str,
    limits: &Limits,
) -> Result<BTreeMap<String, Listed>> {
    let bad = |m: String| {
        Error::invalid(what, m).with_hint("give a zip of the OneRoster CSV files with manifest.csv")
    };
    let mut zip =
        zip::ZipArchive::new(reader).map_err(|e| bad(format!("is not a readable zip: {e}")))?;
    let mut out = BTreeMap::new();
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
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
        // What the header claims: a roster that says it is too big is
        // refused before a byte is unpacked.
        declared = declared.saturating_add(entry.size());
        if declared > limits.total_bytes {
            return Err(too_big(what, limits));
        }
        let listed = Listed {
            size: entry.size(),
            entry: i,
            packed: Some(entry.compressed_size()),
        };
        if out.insert(name.clone(), listed).is_some() {
            return Err(bad(format!("holds {name} twice")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Files {
        let mut files = Files::default();
        files.files.insert("a.csv".into(), vec![b'x'; 3000]);
        files.files.insert("b.csv".into(), vec![b'y'; 3000]);
        files
    }

    fn zipped(files: &Files) -> Vec<u8> {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        for (name, bytes) in &files.files {
            z.start_file(name.as_str(), opts).expect("start");
            z.write_all(bytes).expect("write");
        }
        z.finish().expect("finish").into_inner()
    }

    /// Streams count against the cap on all files together, wherever they
    /// come from; a zip that declares too much is refused before reading.
    #[test]
    fn the_cap_on_all_files_holds_for_streams() {
        let limits = Limits {
            total_bytes: 5000,
            ..Limits::default()
        };
        let opened = Source::Files(roster()).open(&limits).expect("listed");
        let drain = |r: &mut dyn Read| std::io::copy(r, &mut std::io::sink()).map(|_| ());
        assert!(matches!(opened.read("a.csv", drain), Ok(Some(Ok(())))));
        let err = opened.read("b.csv", drain).expect_err("over the cap");
        assert!(err.to_string().contains("more than"), "{err}");
        assert!(matches!(opened.read("c.csv", drain), Ok(None)));
        let err = Source::Zip(zipped(&roster()))
            .open(&limits)
            .expect_err("declares 6,000 bytes");
        assert!(err.to_string().contains("more than"), "{err}");
        let whole = Source::Zip(zipped(&roster()))
            .read(&Limits::default())
            .expect("under the cap");
        assert_eq!(whole.files, roster().files);
    }
}
