//! Reading and writing one kind of a co-op's roster as a stream, in
//! sourcedId order: an import merges what it reads here with the rows of its
//! files (sorted the same way) and writes the result chunk by chunk, so a big
//! kind (300,000 enrollments, say) is never held whole on either side.
//!
//! Chunks are cut by `roster::ends_chunk` (after a sourcedId whose hash
//! ends a chunk), so the same records give the same chunks whatever else
//! changed. A chunk is written only when it changed: when one of its
//! records is new or changed or one between them went ("dirty"), or when it
//! starts where no stored chunk starts or holds another number of records.
//! A chunk that is none of these is, record for record, the stored chunk
//! that starts with the same sourcedId, so it is neither encoded nor written
//! (an unchanged re-import writes nothing).

use std::collections::{HashMap, HashSet, VecDeque};

use super::Tx;
use super::behind::{Behind, Fut};
use super::roster::{FETCH, decode, encode, ends_chunk};
use crate::error::Result;
use crate::store::RosterRecord;

/// The stored records of one kind, in sourcedId order.
pub struct ChunkReader {
    coop: String,
    kind: String,
    /// Every stored chunk's first sourcedId, sorted.
    firsts: Vec<String>,
    next: usize,
    records: VecDeque<RosterRecord>,
    /// How many records each chunk read so far holds, by first sourcedId.
    seen: HashMap<String, usize>,
}

impl ChunkReader {
    pub async fn open(db: &Behind, coop: &str, kind: &str) -> Result<ChunkReader> {
        let (c, k) = (coop.to_string(), kind.to_string());
        let mut firsts: Vec<String> = db
            .read(move |tx: &mut Tx| -> Fut<'_, Result<Vec<String>>> {
                Box::pin(async move { tx.roster_chunk_firsts(&c, &k).await })
            })
            .await?;
        // Byte order, as Rust's: the database's collation may differ.
        firsts.sort_unstable();
        Ok(ChunkReader {
            coop: coop.to_string(),
            kind: kind.to_string(),
            firsts,
            next: 0,
            records: VecDeque::new(),
            seen: HashMap::new(),
        })
    }

    /// How many chunks the kind has stored.
    pub fn chunks(&self) -> usize {
        self.firsts.len()
    }

    async fn fill(&mut self, db: &Behind) -> Result<()> {
        while self.records.is_empty() && self.next < self.firsts.len() {
            let group: Vec<String> =
                self.firsts[self.next..(self.next + FETCH).min(self.firsts.len())].to_vec();
            self.next += group.len();
            let (coop, kind) = (self.coop.clone(), self.kind.clone());
            let rows: Vec<(String, String)> = db
                .read(
                    move |tx: &mut Tx| -> Fut<'_, Result<Vec<(String, String)>>> {
                        Box::pin(async move { tx.roster_chunks_at(&coop, &kind, &group).await })
                    },
                )
                .await?;
            let mut out = Vec::new();
            for (first, body) in &rows {
                let before = out.len();
                decode(&self.kind, body, &mut out)?;
                self.seen.insert(first.clone(), out.len() - before);
            }
            // The chunks of a group hold disjoint ranges; sorting the group
            // also mends chunks an older layout wrote out of order.
            if !out.is_sorted_by(|a, b| a.sourced_id <= b.sourced_id) {
                out.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
            }
            self.records.extend(out);
        }
        Ok(())
    }

    /// The next record's sourcedId, without taking it.
    pub async fn peek(&mut self, db: &Behind) -> Result<Option<&str>> {
        self.fill(db).await?;
        Ok(self.records.front().map(|r| r.sourced_id.as_str()))
    }

    pub async fn next(&mut self, db: &Behind) -> Result<Option<RosterRecord>> {
        self.fill(db).await?;
        Ok(self.records.pop_front())
    }
}

/// Writes one kind's records, given in sourcedId order, as chunks (see the
/// module's notes for which are written). With `write` off (a dry run) it
/// only counts.
pub struct ChunkWriter {
    coop: String,
    kind: String,
    write: bool,
    records: Vec<RosterRecord>,
    dirty: bool,
    produced: HashSet<String>,
    /// Chunks written (or that would be, in a dry run).
    pub written: usize,
}

impl ChunkWriter {
    pub fn new(coop: &str, kind: &str, write: bool) -> ChunkWriter {
        ChunkWriter {
            coop: coop.to_string(),
            kind: kind.to_string(),
            write,
            records: Vec::new(),
            dirty: false,
            produced: HashSet::new(),
            written: 0,
        }
    }

    /// The next record as it will be; `changed` unless it is the stored
    /// record as it was read.
    pub async fn push(
        &mut self,
        db: &Behind,
        stored: &ChunkReader,
        r: RosterRecord,
        changed: bool,
    ) -> Result<()> {
        self.dirty |= changed;
        let ends = ends_chunk(&r.sourced_id, self.records.len() + 1);
        self.records.push(r);
        if ends {
            self.flush(db, stored).await?;
        }
        Ok(())
    }

    /// A stored record is gone: the chunk it was in changes.
    pub fn removed(&mut self) {
        self.dirty = true;
    }

    async fn flush(&mut self, db: &Behind, stored: &ChunkReader) -> Result<()> {
        let Some(first) = self.records.first().map(|r| r.sourced_id.clone()) else {
            return Ok(());
        };
        let same = !self.dirty && stored.seen.get(&first) == Some(&self.records.len());
        if !same {
            self.written += 1;
            if self.write {
                let body = encode(self.records.iter());
                let (coop, kind, first) = (self.coop.clone(), self.kind.clone(), first.clone());
                db.write_sized(body.len(), move |tx: &mut Tx| -> Fut<'_, Result<()>> {
                    Box::pin(async move { tx.put_roster_chunk(&coop, &kind, &first, &body).await })
                })
                .await?;
            }
        }
        self.records.clear();
        self.dirty = false;
        self.produced.insert(first);
        Ok(())
    }

    /// Writes the last chunk and removes the stored chunks no longer cut.
    /// `stored` must have been read to its end.
    pub async fn finish(mut self, db: &Behind, stored: &ChunkReader) -> Result<()> {
        self.flush(db, stored).await?;
        let gone: Vec<String> = stored
            .firsts
            .iter()
            .filter(|f| !self.produced.contains(*f))
            .cloned()
            .collect();
        self.written += gone.len();
        if !self.write || gone.is_empty() {
            return Ok(());
        }
        let (coop, kind) = (self.coop, self.kind);
        db.write(move |tx: &mut Tx| -> Fut<'_, Result<()>> {
            Box::pin(async move {
                for first in gone {
                    tx.delete_roster_chunk(&coop, &kind, &first).await?;
                }
                Ok(())
            })
        })
        .await
    }
}
