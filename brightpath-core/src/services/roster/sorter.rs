//! An external sort for the records of a big kind (enrollments, events):
//! entries are held up to a byte budget, then sorted and written to an
//! anonymous temporary file (a run); reading merges the runs. Memory stays
//! near the budget however big the roster is, and the merge with the stored
//! records (also in sourcedId order) needs no map of either side.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use crate::error::{Error, Result};

/// One record on its way to the merge, ordered by key, then line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The sourcedId (or an event's key).
    pub key: String,
    /// Where the row was (0 when not from a file).
    pub line: u32,
    /// The row deletes its record (`status = tobedeleted`).
    pub deleted: bool,
    /// Kind-specific: an event's family id.
    pub aux: String,
    /// The record's canonical JSON.
    pub body: String,
}

impl Entry {
    fn weight(&self) -> usize {
        // The strings' bytes and what each String and the Vec slot cost.
        self.key.len() + self.aux.len() + self.body.len() + 112
    }
}

/// The default budget: what one kind's entries may hold before a run is written.
pub const BUDGET: usize = 16 << 20;

/// Below this, [`Sorter::park`] keeps the entries in memory.
const PARK_BYTES: usize = 1 << 20;

pub struct Sorter {
    budget: usize,
    held: usize,
    buf: Vec<Entry>,
    runs: Vec<File>,
    count: usize,
    /// The first error writing a run: reported when the entries are read.
    failed: Option<String>,
}

impl std::fmt::Debug for Sorter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sorter({} entries)", self.count)
    }
}

impl Default for Sorter {
    fn default() -> Self {
        Sorter::new(BUDGET)
    }
}

impl Sorter {
    pub fn new(budget: usize) -> Sorter {
        Sorter {
            budget,
            held: 0,
            buf: Vec::new(),
            runs: Vec::new(),
            count: 0,
            failed: None,
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// How many runs went to disk (for tests and the debug log).
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    pub fn push(&mut self, e: Entry) {
        self.held += e.weight();
        self.count += 1;
        self.buf.push(e);
        if self.held > self.budget
            && let Err(e) = self.spill()
        {
            self.failed.get_or_insert(e.to_string());
        }
    }

    /// Writes the entries held to disk too, unless they are few: they wait
    /// there while the rest of the import is checked and planned, instead
    /// of in memory beside it.
    pub fn park(&mut self) {
        if self.held < PARK_BYTES {
            return;
        }
        if let Err(e) = self.spill() {
            self.failed.get_or_insert(e.to_string());
        }
        self.buf = Vec::new();
    }

    fn spill(&mut self) -> std::io::Result<()> {
        self.buf.sort_unstable();
        let mut file = tempfile::tempfile()?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, &mut file);
            for e in self.buf.drain(..) {
                write_entry(&mut w, &e)?;
            }
            w.flush()?;
        }
        file.rewind()?;
        self.runs.push(file);
        self.held = 0;
        Ok(())
    }

    /// The entries in order. Entries with one key come out together, by line.
    pub fn sorted(mut self) -> Result<Sorted> {
        if let Some(e) = self.failed.take() {
            return Err(run_error(e));
        }
        if self.runs.is_empty() {
            self.buf.sort_unstable();
            return Ok(Sorted::Memory(self.buf.into_iter()));
        }
        if !self.buf.is_empty() {
            self.spill().map_err(|e| run_error(e.to_string()))?;
        }
        let mut readers: Vec<BufReader<File>> = self
            .runs
            .into_iter()
            .map(|f| BufReader::with_capacity(1 << 16, f))
            .collect();
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(e) = read_entry(r).map_err(|e| run_error(e.to_string()))? {
                heap.push(Reverse((e, i)));
            }
        }
        Ok(Sorted::Runs { readers, heap })
    }
}

fn run_error(e: String) -> Error {
    Error::Io(format!("a temporary file of the import failed: {e}"))
}

/// The sorted entries: from memory, or merged from the runs on disk.
pub enum Sorted {
    Memory(std::vec::IntoIter<Entry>),
    Runs {
        readers: Vec<BufReader<File>>,
        heap: BinaryHeap<Reverse<(Entry, usize)>>,
    },
}

impl Sorted {
    pub fn next_entry(&mut self) -> Result<Option<Entry>> {
        match self {
            Sorted::Memory(it) => Ok(it.next()),
            Sorted::Runs { readers, heap } => {
                let Some(Reverse((e, i))) = heap.pop() else {
                    return Ok(None);
                };
                if let Some(next) =
                    read_entry(&mut readers[i]).map_err(|e| run_error(e.to_string()))?
                {
                    heap.push(Reverse((next, i)));
                }
                Ok(Some(e))
            }
        }
    }
}

fn write_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(&(s.len() as u64).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn write_entry(w: &mut impl Write, e: &Entry) -> std::io::Result<()> {
    write_str(w, &e.key)?;
    w.write_all(&e.line.to_le_bytes())?;
    w.write_all(&[u8::from(e.deleted)])?;
    write_str(w, &e.aux)?;
    write_str(w, &e.body)
}

fn read_str(r: &mut impl Read) -> std::io::Result<String> {
    let mut n = [0u8; 8];
    r.read_exact(&mut n)?;
    let mut bytes = vec![0u8; u64::from_le_bytes(n) as usize];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn read_entry(r: &mut BufReader<File>) -> std::io::Result<Option<Entry>> {
    // The end of a run is the end of its file.
    if std::io::BufRead::fill_buf(r)?.is_empty() {
        return Ok(None);
    }
    let key = read_str(r)?;
    let mut line = [0u8; 4];
    r.read_exact(&mut line)?;
    let mut deleted = [0u8; 1];
    r.read_exact(&mut deleted)?;
    Ok(Some(Entry {
        key,
        line: u32::from_le_bytes(line),
        deleted: deleted[0] != 0,
        aux: read_str(r)?,
        body: read_str(r)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, line: u32) -> Entry {
        Entry {
            key: key.to_string(),
            line,
            deleted: line.is_multiple_of(7),
            aux: format!("fam-{}", line % 3),
            body: format!("{{\"n\":{line},\"text\":\"é\\\"\"}}"),
        }
    }

    fn drain(s: Sorter) -> Vec<Entry> {
        let mut out = Vec::new();
        let mut it = s.sorted().expect("sorted");
        while let Some(e) = it.next_entry().expect("an entry") {
            out.push(e);
        }
        out
    }

    #[test]
    fn runs_on_disk_merge_to_the_order_memory_gives() {
        let mut keys: Vec<(String, u32)> = (0..5_000u32)
            .map(|i| (format!("k-{}", (i * 7919) % 1_000), i + 2))
            .collect();
        keys.push(("".into(), 1));
        let mut small = Sorter::new(4 << 10);
        let mut big = Sorter::new(usize::MAX);
        for (k, line) in &keys {
            small.push(entry(k, *line));
            big.push(entry(k, *line));
        }
        assert!(small.runs() > 10, "the small budget spilled runs");
        assert_eq!(big.runs(), 0);
        let (a, b) = (drain(small), drain(big));
        assert_eq!(a.len(), keys.len());
        assert_eq!(a, b);
        assert!(
            a.windows(2)
                .all(|w| (&w[0].key, w[0].line) <= (&w[1].key, w[1].line))
        );
    }

    #[test]
    fn an_empty_sorter_gives_nothing() {
        assert!(drain(Sorter::default()).is_empty());
    }
}
