//! Operator functions of the Valkey backend: show, list, retry, purge, depths.

use std::collections::HashMap;

use redis::Value;
use uuid::Uuid;

use super::codec::{int_of, record_from};
use super::{GROUP, ValkeyBus};
use crate::error::{BusError, Result};
use crate::job::{
    JobRecord, ListFilter, Priority, PurgeFilter, PurgeReport, Queue, QueueDepth, now_ms,
};

/// The time in the id of the first entry of an XRANGE reply (`MS-SEQ`).
fn entry_time(v: &Value) -> Option<jiff::Timestamp> {
    let Value::Array(entries) = v else {
        return None;
    };
    let Value::Array(first) = entries.first()? else {
        return None;
    };
    let id = super::codec::string_of(first.first()?).ok()?;
    let ms: i64 = id.split('-').next()?.parse().ok()?;
    jiff::Timestamp::from_millisecond(ms).ok()
}

impl ValkeyBus {
    pub(crate) async fn get(&self, id: Uuid) -> Result<Option<JobRecord>> {
        let mut c = self.conn().await?;
        let r: redis::RedisResult<HashMap<String, String>> = redis::cmd("HGETALL")
            .arg(self.job_key(id))
            .query_async(&mut c)
            .await;
        let mut h = vec![self.check(r)?];
        if h[0].is_empty() {
            return Ok(None);
        }
        self.running_view(&mut h).await?;
        record_from(&h[0]).map(Some)
    }

    /// Records that name their stream entry run while it is pending: the
    /// consumer group's pending list says who holds it, since when (idle time
    /// before the first heartbeat) and how often it was delivered. Fill that
    /// in on `hashes` (records of the earlier layout say it themselves).
    pub(super) async fn running_view(&self, hashes: &mut [HashMap<String, String>]) -> Result<()> {
        let mut at = Vec::new();
        let mut streams = Vec::new();
        for (i, h) in hashes.iter().enumerate() {
            let live = matches!(
                h.get("status").map(String::as_str),
                Some("queued" | "running")
            );
            if let (true, Some(entry), Some(q), Some(p)) =
                (live, h.get("entry"), h.get("queue"), h.get("priority"))
            {
                at.push((i, self.key(&format!("q:{q}:{p}")), entry.clone()));
            }
        }
        if at.is_empty() {
            return Ok(());
        }
        for (_, s, _) in &at {
            if !streams.contains(s) {
                streams.push(s.clone());
            }
        }
        self.ensure_groups(&streams).await?;
        let mut pipe = redis::pipe();
        for (_, s, e) in &at {
            pipe.cmd("XPENDING").arg(s).arg(GROUP).arg(e).arg(e).arg(1);
        }
        let mut c = self.conn().await?;
        let r: redis::RedisResult<Vec<Value>> = pipe.query_async(&mut c).await;
        let now = now_ms();
        for ((i, _, _), v) in at.iter().zip(self.check(r)?) {
            let Value::Array(rows) = v else { continue };
            let Some(Value::Array(row)) = rows.first() else {
                continue;
            };
            let [_, consumer, idle, deliveries] = row.as_slice() else {
                continue;
            };
            let consumer = super::codec::string_of(consumer)?;
            let since = now - i64::try_from(int_of(idle)).unwrap_or(0);
            let h = &mut hashes[*i];
            let att: u64 = h.get("attempts").and_then(|a| a.parse().ok()).unwrap_or(0);
            let own_start = h.get("worker") == Some(&consumer) && h.contains_key("started_at");
            if !own_start {
                h.insert("started_at".into(), since.to_string());
            }
            h.insert("status".into(), "running".into());
            h.insert("attempts".into(), (att + int_of(deliveries)).to_string());
            h.insert("heartbeat_at".into(), since.to_string());
            h.insert("worker".into(), consumer);
        }
        Ok(())
    }

    /// Records of the newest `scan` job ids (dropping index entries whose record expired).
    async fn scan(&self, scan: usize) -> Result<Vec<JobRecord>> {
        let mut c = self.conn().await?;
        let jobs = self.key("jobs");
        let r: redis::RedisResult<Vec<String>> = redis::cmd("ZREVRANGE")
            .arg(&jobs)
            .arg(0)
            .arg(scan.saturating_sub(1))
            .query_async(&mut c)
            .await;
        let ids = self.check(r)?;
        if ids.is_empty() {
            // An empty pipeline is an error in the client ("empty command").
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.cmd("HGETALL").arg(self.key(&format!("job:{id}")));
        }
        let r: redis::RedisResult<Vec<HashMap<String, String>>> = pipe.query_async(&mut c).await;
        let mut hashes = self.check(r)?;
        self.running_view(&mut hashes).await?;
        let mut out = Vec::new();
        let mut gone = Vec::new();
        for (id, h) in ids.iter().zip(hashes) {
            if h.is_empty() {
                gone.push(id.clone());
            } else {
                out.push(record_from(&h)?);
            }
        }
        if !gone.is_empty() {
            let r: redis::RedisResult<i64> = redis::cmd("ZREM")
                .arg(&jobs)
                .arg(&gone)
                .query_async(&mut c)
                .await;
            self.check(r)?;
        }
        Ok(out)
    }

    pub(crate) async fn list(&self, filter: &ListFilter) -> Result<Vec<JobRecord>> {
        let limit = filter.effective_limit();
        // Filters apply after reading; look at a bounded window of recent jobs.
        let window = (limit * 20).clamp(1_000, 20_000);
        let mut out: Vec<JobRecord> = self
            .scan(window)
            .await?
            .into_iter()
            .filter(|r| filter.matches(r))
            .collect();
        out.truncate(limit);
        Ok(out)
    }

    pub(crate) async fn retry(&self, id: Uuid) -> Result<()> {
        let mut c = self.conn().await?;
        let r: redis::RedisResult<String> = self
            .scripts
            .retry
            .key(self.job_key(id))
            .key(self.key("delayed"))
            .arg(now_ms())
            .arg(&self.config.prefix)
            .arg(id.to_string())
            .invoke_async(&mut c)
            .await;
        match self.check(r)?.as_str() {
            "ok" => Ok(()),
            "missing" => Err(BusError::NotFound(id.to_string())),
            other => Err(BusError::InvalidState {
                id: id.to_string(),
                // A running job's record says queued: the pending list says running.
                status: match self.get(id).await? {
                    Some(rec) => rec.status.as_str().to_owned(),
                    None => other.to_owned(),
                },
                hint: "only dead or failed jobs can be retried",
            }),
        }
    }

    pub(crate) async fn purge(&self, filter: &PurgeFilter) -> Result<PurgeReport> {
        let mut removed = 0;
        let mut c = self.conn().await?;
        let jobs = self.key("jobs");
        // Walk the index in pages; entries removed shift the ones after them down.
        let mut start = 0usize;
        loop {
            let r: redis::RedisResult<Vec<String>> = redis::cmd("ZRANGE")
                .arg(&jobs)
                .arg(start)
                .arg(start + 999)
                .query_async(&mut c)
                .await;
            let ids = self.check(r)?;
            if ids.is_empty() {
                break;
            }
            let mut pipe = redis::pipe();
            for id in &ids {
                pipe.cmd("HGETALL").arg(self.key(&format!("job:{id}")));
            }
            let r: redis::RedisResult<Vec<HashMap<String, String>>> =
                pipe.query_async(&mut c).await;
            let mut kept = 0;
            for (id, h) in ids.iter().zip(self.check(r)?) {
                if h.is_empty() {
                    // The record expired: drop its index entry.
                    let r: redis::RedisResult<i64> = redis::cmd("ZREM")
                        .arg(&jobs)
                        .arg(id)
                        .query_async(&mut c)
                        .await;
                    self.check(r)?;
                    continue;
                }
                let rec = record_from(&h)?;
                if !crate::memory::purgeable(&rec, filter) {
                    kept += 1;
                    continue;
                }
                // The script re-checks the status: a job retried meanwhile stays.
                let r: redis::RedisResult<i64> = self
                    .scripts
                    .purge_one
                    .key(self.key(&format!("job:{id}")))
                    .key(&jobs)
                    .arg(&self.config.prefix)
                    .arg(id)
                    .arg(rec.status.as_str())
                    .invoke_async(&mut c)
                    .await;
                if self.check(r)? == 1 {
                    removed += 1;
                } else {
                    kept += 1;
                }
            }
            start += kept;
        }
        Ok(PurgeReport { removed })
    }

    pub(crate) async fn depths(&self, queues: &[Queue]) -> Result<Vec<QueueDepth>> {
        let names: Vec<String> = queues
            .iter()
            .flat_map(|q| {
                [
                    self.stream(q, Priority::High),
                    self.stream(q, Priority::Normal),
                ]
            })
            .collect();
        self.ensure_groups(&names).await?;
        let mut c = self.conn().await?;
        let mut pipe = redis::pipe();
        for q in queues {
            for p in [Priority::High, Priority::Normal] {
                let s = self.stream(q, p);
                pipe.cmd("XLEN").arg(&s);
                pipe.cmd("XPENDING").arg(&s).arg(GROUP);
                pipe.cmd("XRANGE")
                    .arg(&s)
                    .arg("-")
                    .arg("+")
                    .arg("COUNT")
                    .arg(1);
            }
            pipe.cmd("ZCARD").arg(self.key(&format!("dead:{q}")));
        }
        let r: redis::RedisResult<Vec<Value>> = pipe.query_async(&mut c).await;
        let vals = self.check(r)?;
        let mut out = Vec::new();
        for (q, chunk) in queues.iter().zip(vals.chunks(7)) {
            let [hl, hp, ho, nl, np, no, dead] = chunk else {
                return Err(BusError::Protocol("short depth reply".into()));
            };
            let pending = |v: &Value| match v {
                Value::Array(a) => a.first().map_or(0, int_of),
                _ => 0,
            };
            let (hp, np) = (pending(hp), pending(np));
            let ready_high = int_of(hl).saturating_sub(hp);
            out.push(QueueDepth {
                queue: q.clone(),
                ready: ready_high + int_of(nl).saturating_sub(np),
                ready_high,
                running: hp + np,
                dead: int_of(dead),
                oldest_at: [ho, no].into_iter().filter_map(entry_time).min(),
            });
        }
        Ok(out)
    }
}
