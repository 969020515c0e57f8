//! Decoding Valkey replies: stream entries and job hashes.

use std::collections::HashMap;

use redis::Value;
use uuid::Uuid;

use crate::error::{BusError, Result};
use crate::job::{JobRecord, Priority, Queue, Status};

/// A stream entry: its id, and the job id field if the entry still exists.
pub(crate) type Entry = (String, Option<String>);

pub(super) fn int_of(v: &Value) -> u64 {
    match v {
        Value::Int(i) => u64::try_from(*i).unwrap_or(0),
        Value::BulkString(b) => std::str::from_utf8(b)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

pub(super) fn string_of(v: &Value) -> Result<String> {
    match v {
        Value::BulkString(b) => Ok(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Ok(s.clone()),
        other => Err(BusError::Protocol(format!(
            "expected a string, got {other:?}"
        ))),
    }
}

pub(super) fn pairs_of(v: &Value) -> Result<Vec<(&Value, &Value)>> {
    match v {
        Value::Array(a) => Ok(a
            .chunks(2)
            .filter_map(|p| match p {
                [k, v] => Some((k, v)),
                _ => None,
            })
            .collect()),
        Value::Map(m) => Ok(m.iter().map(|(k, v)| (k, v)).collect()),
        Value::Nil => Ok(Vec::new()),
        other => Err(BusError::Protocol(format!("expected pairs, got {other:?}"))),
    }
}

pub(super) fn hash_of(v: &Value) -> Result<HashMap<String, String>> {
    pairs_of(v)?
        .into_iter()
        .map(|(k, v)| Ok((string_of(k)?, string_of(v)?)))
        .collect()
}

/// Stream entries: (entry id, the job id field if the entry still exists).
pub(super) fn parse_entries(v: &Value) -> Result<Vec<Entry>> {
    let Value::Array(items) = v else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::Array(e) if !e.is_empty() => {
                let id = e
                    .get(1)
                    .map(hash_of)
                    .transpose()?
                    .and_then(|mut h| h.remove("id"));
                out.push((string_of(&e[0])?, id));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// An XREADGROUP reply: per stream, its entries.
pub(super) fn parse_read(v: &Value) -> Result<Vec<(String, Vec<Entry>)>> {
    let mut out = Vec::new();
    match v {
        Value::Nil => {}
        Value::Array(streams) => {
            for s in streams {
                if let Value::Array(p) = s
                    && let [name, entries] = p.as_slice()
                {
                    out.push((string_of(name)?, parse_entries(entries)?));
                }
            }
        }
        Value::Map(m) => {
            for (name, entries) in m {
                out.push((string_of(name)?, parse_entries(entries)?));
            }
        }
        other => return Err(BusError::Protocol(format!("XREADGROUP: {other:?}"))),
    }
    Ok(out)
}

pub(super) fn record_from(h: &HashMap<String, String>) -> Result<JobRecord> {
    let id_s = h.get("id").cloned().unwrap_or_default();
    let bad = |reason: String| BusError::Corrupt {
        id: id_s.clone(),
        reason,
    };
    let get = |k: &str| h.get(k).ok_or_else(|| bad(format!("missing field {k}")));
    let ms = |k: &str| -> Option<jiff::Timestamp> {
        h.get(k)
            .and_then(|v| v.parse::<i64>().ok())
            .map(crate::job::ts)
    };
    let num = |k: &str| -> Result<u32> { get(k)?.parse().map_err(|_| bad(format!("bad {k}"))) };
    Ok(JobRecord {
        id: Uuid::parse_str(get("id")?).map_err(|e| bad(e.to_string()))?,
        queue: Queue::new(get("queue")?.clone())?,
        kind: get("kind")?.clone(),
        payload: serde_json::from_str(get("payload")?).map_err(|e| bad(e.to_string()))?,
        priority: Priority::parse(get("priority")?),
        status: Status::parse(get("status")?).ok_or_else(|| bad("bad status".into()))?,
        attempts: num("attempts")?,
        max_attempts: num("max_attempts")?,
        idempotency_key: h.get("idem").cloned(),
        created_at: ms("created_at").unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        updated_at: ms("updated_at").unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        started_at: ms("started_at"),
        heartbeat_at: ms("heartbeat_at"),
        finished_at: ms("finished_at"),
        run_after: ms("run_after"),
        last_error: h.get("last_error").cloned(),
        result: h.get("result").and_then(|r| serde_json::from_str(r).ok()),
        worker: h.get("worker").cloned(),
        group: h.get("group").cloned(),
    })
}
