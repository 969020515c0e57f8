//! Batch enqueue and the dead-letter queue of the Valkey backend.

use std::collections::HashMap;

use redis::Value;

use super::ValkeyBus;
use super::codec::{int_of, record_from, string_of};
use super::lua;
use crate::error::{BusError, Result};
use crate::job::{Enqueued, JobRecord, JobSpec, Queue, now_ms};

/// Jobs per pipeline of `enqueue_many`.
const BATCH: usize = 1_000;

impl ValkeyBus {
    /// Many enqueues in few round trips: one pipeline per 1,000 jobs, each job
    /// still its own atomic script (record, index and stream entry together).
    pub(crate) async fn enqueue_many(&self, specs: Vec<JobSpec>) -> Result<Vec<Enqueued>> {
        let mut out = Vec::with_capacity(specs.len());
        let hash = self.scripts.enqueue.get_hash().to_owned();
        let mut specs = specs.into_iter().peekable();
        while specs.peek().is_some() {
            let now = now_ms();
            let mut pipe = redis::pipe();
            // Loaded in the same pipeline, so the EVALSHAs after it always find it.
            pipe.cmd("SCRIPT").arg("LOAD").arg(lua::ENQUEUE).ignore();
            let mut n = 0;
            for spec in specs.by_ref().take(BATCH) {
                let (keys, args) = self.enqueue_args(spec, now)?;
                pipe.cmd("EVALSHA")
                    .arg(&hash)
                    .arg(keys.len())
                    .arg(keys)
                    .arg(args);
                n += 1;
            }
            let mut c = self.conn().await?;
            let r: redis::RedisResult<Vec<(String, i64)>> = pipe.query_async(&mut c).await;
            let got = self.check(r)?;
            if got.len() != n {
                return Err(BusError::Protocol(format!(
                    "enqueue_many: {} replies for {n} jobs",
                    got.len()
                )));
            }
            for (id, dup) in got {
                out.push(Self::enqueued(&id, dup)?);
            }
        }
        Ok(out)
    }

    /// The dead-letter sets (`PREFIX dead:QUEUE`), newest first: read directly,
    /// so old dead letters are found however many jobs came after them.
    pub(crate) async fn dead(&self, queue: Option<&Queue>, limit: usize) -> Result<Vec<JobRecord>> {
        let mut c = self.conn().await?;
        let keys = match queue {
            Some(q) => vec![self.key(&format!("dead:{q}"))],
            None => {
                let pattern = format!("{}dead:*", glob_escape(&self.config.prefix));
                let mut keys = Vec::new();
                let mut cursor = 0u64;
                loop {
                    let r: redis::RedisResult<(u64, Vec<String>)> = redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(&pattern)
                        .arg("COUNT")
                        .arg(1_000)
                        .query_async(&mut c)
                        .await;
                    let (next, mut found) = self.check(r)?;
                    keys.append(&mut found);
                    if next == 0 {
                        break;
                    }
                    cursor = next;
                }
                keys.sort();
                keys.dedup();
                keys
            }
        };
        if keys.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for k in &keys {
            pipe.cmd("ZREVRANGE")
                .arg(k)
                .arg(0)
                .arg(limit.saturating_sub(1))
                .arg("WITHSCORES");
        }
        let r: redis::RedisResult<Vec<Value>> = pipe.query_async(&mut c).await;
        let mut scored: Vec<(u64, String, String)> = Vec::new();
        for (key, v) in keys.iter().zip(self.check(r)?) {
            let Value::Array(items) = v else { continue };
            for pair in items.chunks(2) {
                if let [id, score] = pair {
                    let score = match score {
                        Value::Double(d) => *d as u64,
                        other => int_of(other),
                    };
                    scored.push((score, string_of(id)?, key.clone()));
                }
            }
        }
        scored.sort_by_key(|a| std::cmp::Reverse(a.0));
        scored.truncate(limit);
        if scored.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for (_, id, _) in &scored {
            pipe.cmd("HGETALL").arg(self.key(&format!("job:{id}")));
        }
        let r: redis::RedisResult<Vec<HashMap<String, String>>> = pipe.query_async(&mut c).await;
        let mut out = Vec::new();
        for ((_, id, key), h) in scored.iter().zip(self.check(r)?) {
            if h.is_empty() {
                // The record is gone (purged by hand): drop the stale entry.
                let r: redis::RedisResult<i64> = redis::cmd("ZREM")
                    .arg(key)
                    .arg(id)
                    .query_async(&mut c)
                    .await;
                self.check(r)?;
                continue;
            }
            out.push(record_from(&h)?);
        }
        Ok(out)
    }
}

impl ValkeyBus {
    pub(crate) async fn persistence(&self) -> Result<crate::Persistence> {
        let mut c = self.conn().await?;
        let r: redis::RedisResult<Vec<String>> = redis::cmd("CONFIG")
            .arg("GET")
            .arg("appendonly")
            .query_async(&mut c)
            .await;
        let on = match r {
            Ok(v) if v.len() >= 2 => v[1].eq_ignore_ascii_case("yes"),
            // CONFIG may be renamed away on managed servers: INFO still says.
            _ => {
                let r: redis::RedisResult<String> = redis::cmd("INFO")
                    .arg("persistence")
                    .query_async(&mut c)
                    .await;
                self.check(r)?.lines().any(|l| l.trim() == "aof_enabled:1")
            }
        };
        Ok(if on {
            crate::Persistence::AppendOnly
        } else {
            crate::Persistence::None
        })
    }
}

/// Escape glob characters so a prefix matches only itself in SCAN MATCH.
fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
