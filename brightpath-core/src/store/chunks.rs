//! Reading and writing one kind of a co-op's roster as a stream, in
//! sourcedId order: an import merges what it reads here with the rows of its
//! files (sorted the same way) and writes the result chunk by chunk, so a big
//! kind (300,000 enrollments, say) is never held whole on either side.
//!
//! Chunks are cut as `roster::chunks` cuts them (after a sourcedId whose hash
//! ends a chunk), so the same records give the same chunks whichever path
//! wrote them, and a chunk whose bytes did not change is not written.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};

use super::Tx;
use super::roster::{CHUNK_MASK, CHUNK_MAX, decode, encode_one, fnv};
use crate::error::Result;
use crate::store::RosterRecord;

/// Chunks fetched per query.
const FETCH: usize = 16;

/// A chunk body's fingerprint: two independent 64-bit hashes and the length,
/// so "unchanged" is never a collision in practice.
fn fingerprint(body: &str) -> (u64, u64, usize) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    (fnv(body), h.finish(), body.len())
}

/// The stored records of one kind, in sourcedId order.
pub struct ChunkReader {
    coop: String,
    kind: String,
    /// Every stored chunk's first sourcedId, sorted.
    firsts: Vec<String>,
    next: usize,
    records: VecDeque<RosterRecord>,
    /// The chunks read so far, by first sourcedId.
    seen: HashMap<String, (u64, u64, usize)>,
}

impl ChunkReader {
    pub async fn open(tx: &mut Tx, coop: &str, kind: &str) -> Result<ChunkReader> {
        let mut firsts: Vec<String> = sqlx::query_scalar(
            "SELECT first_sid FROM roster_chunks WHERE coop_id = $1 AND kind = $2",
        )
        .bind(coop)
        .bind(kind)
        .fetch_all(tx.conn())
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

    async fn fill(&mut self, tx: &mut Tx) -> Result<()> {
        while self.records.is_empty() && self.next < self.firsts.len() {
            let group = &self.firsts[self.next..(self.next + FETCH).min(self.firsts.len())];
            self.next += group.len();
            let marks: Vec<String> = (0..group.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!(
                "SELECT first_sid, body FROM roster_chunks WHERE coop_id = $1 AND kind = $2 AND first_sid IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&self.coop)
                .bind(&self.kind);
            for first in group {
                q = q.bind(first);
            }
            let rows: Vec<(String, String)> = q.fetch_all(tx.conn()).await?;
            let mut out = Vec::new();
            for (first, body) in &rows {
                decode(&self.kind, body, &mut out)?;
                self.seen.insert(first.clone(), fingerprint(body));
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
    pub async fn peek(&mut self, tx: &mut Tx) -> Result<Option<&str>> {
        self.fill(tx).await?;
        Ok(self.records.front().map(|r| r.sourced_id.as_str()))
    }

    pub async fn next(&mut self, tx: &mut Tx) -> Result<Option<RosterRecord>> {
        self.fill(tx).await?;
        Ok(self.records.pop_front())
    }
}

/// Writes one kind's records, given in sourcedId order, as chunks; a chunk
/// the reader saw with the same bytes is left alone. With `write` off (a
/// dry run) it only counts.
pub struct ChunkWriter {
    coop: String,
    kind: String,
    write: bool,
    body: String,
    first: String,
    n: usize,
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
            body: String::new(),
            first: String::new(),
            n: 0,
            produced: HashSet::new(),
            written: 0,
        }
    }

    pub async fn push(
        &mut self,
        tx: &mut Tx,
        stored: &ChunkReader,
        r: &RosterRecord,
    ) -> Result<()> {
        if self.n == 0 {
            self.body.clear();
            self.body.push('[');
            self.first.clone_from(&r.sourced_id);
        } else {
            self.body.push(',');
        }
        encode_one(&mut self.body, r);
        self.n += 1;
        if fnv(&r.sourced_id) & CHUNK_MASK == 0 || self.n >= CHUNK_MAX {
            self.flush(tx, stored).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Tx, stored: &ChunkReader) -> Result<()> {
        if self.n == 0 {
            return Ok(());
        }
        self.body.push(']');
        self.n = 0;
        let first = std::mem::take(&mut self.first);
        let same = stored.seen.get(&first) == Some(&fingerprint(&self.body));
        if !same {
            self.written += 1;
            if self.write {
                sqlx::query(
                    "INSERT INTO roster_chunks (coop_id, kind, first_sid, body) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (coop_id, kind, first_sid) DO UPDATE SET body = excluded.body",
                )
                .bind(&self.coop)
                .bind(&self.kind)
                .bind(&first)
                .bind(&self.body)
                .execute(tx.conn())
                .await?;
            }
        }
        self.produced.insert(first);
        Ok(())
    }

    /// Writes the last chunk and removes the stored chunks no longer cut.
    /// `stored` must have been read to its end.
    pub async fn finish(mut self, tx: &mut Tx, stored: &ChunkReader) -> Result<()> {
        self.flush(tx, stored).await?;
        if !self.write {
            return Ok(());
        }
        for first in stored.firsts.iter().filter(|f| !self.produced.contains(*f)) {
            sqlx::query(
                "DELETE FROM roster_chunks WHERE coop_id = $1 AND kind = $2 AND first_sid = $3",
            )
            .bind(&self.coop)
            .bind(&self.kind)
            .bind(first)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }
}
