//! Co-op rosters: the imported records by sourcedId, and the bulk writes an
//! import needs.
//!
//! Records are stored in chunks, not a row each: a co-op's records of one
//! kind, sorted by sourcedId, are cut where a record's sourcedId hashes to a
//! chunk end (so adding or removing a record changes its own chunk, not every
//! one after it) and each chunk is one row of `roster_chunks` holding a JSON
//! array of `[sourcedId, family_id, target_id, fields]`. A co-op of 100,000
//! users is then a few hundred rows instead of 700,000. An import reads and
//! writes them in order, chunk by chunk, through `store::chunks`.
//!
//! The bulk inserts of the people and events an import makes are in
//! `store::bulk`.

use serde_json::value::RawValue;

use super::Tx;
use super::rows::*;
use crate::error::{Error, Result};

/// One record of a co-op's roster as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRecord {
    pub kind: String,
    pub sourced_id: String,
    /// The record's fields in canonical JSON.
    pub fields: String,
    pub family_id: Option<String>,
    pub target_id: Option<String>,
}

/// A guardian or child an import makes: the rest (hours, limits) is the
/// import's default for everyone, so it is not held 100,000 times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub id: String,
    pub family_id: String,
    pub name: String,
    /// A guardian's e-mail, or a child's grade.
    pub detail: Option<String>,
}

/// A chunk ends after a record whose sourcedId hashes to 0 under this mask
/// (about 1,000 records a chunk), or at [`CHUNK_MAX`] records.
const CHUNK_MASK: u64 = 1023;
const CHUNK_MAX: usize = 4096;

/// FNV-1a of a sourcedId: where chunks end (stable across runs and builds).
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether a chunk of `len` records ends after the record `sid`: after a
/// sourcedId whose hash ends a chunk (so adding or removing a record changes
/// its own chunk only), or at [`CHUNK_MAX`] records.
pub(super) fn ends_chunk(sid: &str, len: usize) -> bool {
    fnv(sid) & CHUNK_MASK == 0 || len >= CHUNK_MAX
}

/// A chunk's body: its records, sorted, as a JSON array.
pub(super) fn encode<'r>(records: impl ExactSizeIterator<Item = &'r RosterRecord>) -> String {
    let mut out = String::with_capacity(records.len() * 256 + 2);
    out.push('[');
    for (i, r) in records.enumerate() {
        if i > 0 {
            out.push(',');
        }
        encode_one(&mut out, r);
    }
    out.push(']');
    out
}

/// One record of a chunk's body: `[sourcedId, family_id, target_id, fields]`.
fn encode_one(out: &mut String, r: &RosterRecord) {
    out.push('[');
    out.push_str(&to_json(&r.sourced_id));
    out.push(',');
    out.push_str(&to_json(&r.family_id));
    out.push(',');
    out.push_str(&to_json(&r.target_id));
    out.push(',');
    // Canonical JSON already: kept byte for byte.
    out.push_str(&r.fields);
    out.push(']');
}

/// The records of a chunk's body.
pub(super) fn decode(kind: &str, body: &str, out: &mut Vec<RosterRecord>) -> Result<()> {
    decode_with(kind, body, &|_, _| None, out)
}

/// Cuts a record's fields (`kind`, canonical JSON) to what a reader needs,
/// or `None` to keep them whole.
pub type Shrink<'a> = dyn Fn(&str, &str) -> Option<String> + Send + Sync + 'a;

/// Stored chunks read per query.
pub(super) const FETCH: usize = 16;

fn decode_with(
    kind: &str,
    body: &str,
    shrink: &Shrink<'_>,
    out: &mut Vec<RosterRecord>,
) -> Result<()> {
    type Entry<'a> = (String, Option<String>, Option<String>, &'a RawValue);
    let entries: Vec<Entry> = serde_json::from_str(body).map_err(|e| {
        Error::Internal(format!(
            "a stored roster chunk of {kind} is unreadable: {e}"
        ))
    })?;
    out.extend(
        entries
            .into_iter()
            .map(|(sid, fam, target, fields)| RosterRecord {
                kind: kind.to_string(),
                sourced_id: sid,
                fields: shrink(kind, fields.get()).unwrap_or_else(|| fields.get().to_string()),
                family_id: fam,
                target_id: target,
            }),
    );
    Ok(())
}

/// Cuts sorted records into chunks as `store::chunks` does: (first
/// sourcedId, body).
#[cfg(test)]
fn chunks(records: &[&RosterRecord]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, r) in records.iter().enumerate() {
        let end = i + 1 == records.len() || ends_chunk(&r.sourced_id, i + 1 - start);
        if end {
            let part = &records[start..=i];
            out.push((part[0].sourced_id.clone(), encode(part.iter().copied())));
            start = i + 1;
        }
    }
    out
}

impl Tx {
    /// Every record of a co-op's roster.
    pub async fn roster_records(&mut self, coop: &str) -> Result<Vec<RosterRecord>> {
        self.roster_records_except(coop, &[], &|_, _| None).await
    }

    /// Every record of a co-op's roster but those of the kinds named (which
    /// an import streams instead: see `store::chunks`), read a few chunks at
    /// a time. `shrink(kind, fields)` may give a record's fields cut to what
    /// the caller reads, so a big roster is not held whole.
    pub async fn roster_records_except(
        &mut self,
        coop: &str,
        skip: &[&str],
        shrink: &Shrink<'_>,
    ) -> Result<Vec<RosterRecord>> {
        // `skip` is the import's own constant list: its placeholders only.
        let marks: Vec<String> = (0..skip.len()).map(|i| format!("${}", i + 2)).collect();
        let not_in = if skip.is_empty() {
            String::new()
        } else {
            format!(" AND kind NOT IN ({})", marks.join(", "))
        };
        let sql = format!(
            "SELECT kind, first_sid FROM roster_chunks WHERE coop_id = $1{not_in} ORDER BY kind, first_sid"
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(coop);
        for kind in skip {
            q = q.bind(*kind);
        }
        let chunks: Vec<(String, String)> = q.fetch_all(self.conn()).await?;
        let mut out = Vec::new();
        for of_kind in chunks.chunk_by(|a, b| a.0 == b.0) {
            let kind = &of_kind[0].0;
            for group in of_kind.chunks(FETCH) {
                let firsts: Vec<String> = group.iter().map(|(_, f)| f.clone()).collect();
                for (_, body) in self.roster_chunks_at(coop, kind, &firsts).await? {
                    decode_with(kind, &body, shrink, &mut out)?;
                }
            }
        }
        Ok(out)
    }

    /// The first sourcedIds of a kind's stored chunks (in no order).
    pub(super) async fn roster_chunk_firsts(
        &mut self,
        coop: &str,
        kind: &str,
    ) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT first_sid FROM roster_chunks WHERE coop_id = $1 AND kind = $2",
        )
        .bind(coop)
        .bind(kind)
        .fetch_all(self.conn())
        .await?)
    }

    /// The stored chunks of a kind that start at `firsts`: (first
    /// sourcedId, body), in no order.
    pub(super) async fn roster_chunks_at(
        &mut self,
        coop: &str,
        kind: &str,
        firsts: &[String],
    ) -> Result<Vec<(String, String)>> {
        let marks: Vec<String> = (0..firsts.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT first_sid, body FROM roster_chunks WHERE coop_id = $1 AND kind = $2 AND first_sid IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(coop)
            .bind(kind);
        for first in firsts {
            q = q.bind(first);
        }
        Ok(q.fetch_all(self.conn()).await?)
    }

    /// Removes the stored chunk of a kind that starts at `first`.
    pub(super) async fn delete_roster_chunk(
        &mut self,
        coop: &str,
        kind: &str,
        first: &str,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM roster_chunks WHERE coop_id = $1 AND kind = $2 AND first_sid = $3",
        )
        .bind(coop)
        .bind(kind)
        .bind(first)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Writes one chunk of a kind's records (a new one, or over the one
    /// that starts with the same sourcedId).
    pub(super) async fn put_roster_chunk(
        &mut self,
        coop: &str,
        kind: &str,
        first: &str,
        body: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO roster_chunks (coop_id, kind, first_sid, body) VALUES ($1, $2, $3, $4)
             ON CONFLICT (coop_id, kind, first_sid) DO UPDATE SET body = excluded.body",
        )
        .bind(coop)
        .bind(kind)
        .bind(first)
        .bind(body)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Sets a guardian's name and e-mail (an import's update of a person).
    pub async fn set_guardian_contact(
        &mut self,
        id: &str,
        name: &str,
        email: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE people SET name = $1, email = $2, version = version + 1 WHERE id = $3")
            .bind(name)
            .bind(email.map(str::to_string))
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn set_student_name(
        &mut self,
        id: &str,
        name: &str,
        grade: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE students SET name = $1, grade = $2, version = version + 1 WHERE id = $3",
        )
        .bind(name)
        .bind(grade.map(str::to_string))
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn set_family_time_zone(&mut self, id: &str, zone: &str) -> Result<()> {
        sqlx::query("UPDATE families SET time_zone = $1, version = version + 1 WHERE id = $2")
            .bind(zone)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// The weeks from `from` on for which a family has a plan.
    pub async fn planned_weeks_from(&mut self, family: &str, from: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT week_start FROM plans WHERE family_id = $1 AND week_start >= $2 ORDER BY week_start",
        )
        .bind(family)
        .bind(from)
        .fetch_all(self.conn())
        .await?)
    }

    /// Rows in a table (tests and benchmarks count rows before and after).
    #[cfg(feature = "test-support")]
    pub async fn count_rows(&mut self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(self.conn())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: usize) -> RosterRecord {
        RosterRecord {
            kind: "users".into(),
            sourced_id: format!("u-{i:05}"),
            fields: format!(r#"{{"givenName":"Kid \"{i}\"","status":"active"}}"#),
            family_id: i.is_multiple_of(2).then(|| format!("fam-{i}")),
            target_id: None,
        }
    }

    fn decoded(chunks: &[(String, String)]) -> Vec<RosterRecord> {
        let mut out = Vec::new();
        for (_, body) in chunks {
            decode("users", body, &mut out).expect("a chunk decodes");
        }
        out
    }

    #[test]
    fn chunks_give_back_every_record_and_one_more_changes_one_chunk() {
        let records: Vec<RosterRecord> = (0..5000).map(|i| record(i * 2)).collect();
        let refs: Vec<&RosterRecord> = records.iter().collect();
        let before = chunks(&refs);
        assert!(before.len() > 1, "5,000 records make more than one chunk");
        assert!(before.iter().all(|(_, b)| b.len() < CHUNK_MAX * 200));
        assert_eq!(decoded(&before), records);
        // One record more, in the middle: the other chunks keep their bytes.
        let mut more = records.clone();
        more.push(record(4001));
        more.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
        let refs: Vec<&RosterRecord> = more.iter().collect();
        let after = chunks(&refs);
        assert_eq!(decoded(&after), more);
        let changed = after.iter().filter(|c| !before.contains(c)).count();
        assert_eq!(changed, 1, "only the new record's chunk changes");
        assert_eq!(after.len(), before.len());
    }
}
