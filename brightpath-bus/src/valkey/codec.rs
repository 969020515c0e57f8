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

/// A read entry: its id and its fields (None when it is gone).
pub(super) type ReadEntry<'a> = (String, Option<&'a Value>);

/// An XREADGROUP reply: per stream, its entries with their fields as sent.
pub(super) fn parse_read_fields(v: &Value) -> Result<Vec<(String, Vec<ReadEntry<'_>>)>> {
    fn entries_of(v: &Value) -> Result<Vec<ReadEntry<'_>>> {
        let Value::Array(items) = v else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let Value::Array(e) = item
                && let Some(id) = e.first()
            {
                let fields = e.get(1).filter(|f| matches!(f, Value::Array(_)));
                out.push((string_of(id)?, fields));
            }
        }
        Ok(out)
    }
    let mut out = Vec::new();
    match v {
        Value::Nil => {}
        Value::Array(streams) => {
            for s in streams {
                if let Value::Array(p) = s
                    && let [name, entries] = p.as_slice()
                {
                    out.push((string_of(name)?, entries_of(entries)?));
                }
            }
        }
        Value::Map(m) => {
            for (name, entries) in m {
                out.push((string_of(name)?, entries_of(entries)?));
            }
        }
        other => return Err(BusError::Protocol(format!("XREADGROUP: {other:?}"))),
    }
    Ok(out)
}

/// An entry that carries its record, of a job without a group and with
/// attempts left: handed out as read. Fields in the order ENQUEUE and
/// `requeue` write them: id, kind, payload, att, max, at, then idem, group,
/// err when set.
pub(super) fn plain(fields: &Value) -> bool {
    let Value::Array(f) = fields else {
        return false;
    };
    let is = |i: usize, name: &[u8]| matches!(f.get(i), Some(Value::BulkString(b)) if b == name);
    is(2, b"kind")
        && is(6, b"att")
        && is(8, b"max")
        && f.get(7)
            .zip(f.get(9))
            .is_some_and(|(a, m)| int_of(a) < int_of(m))
        && !f
            .iter()
            .skip(12)
            .step_by(2)
            .any(|k| matches!(k, Value::BulkString(b) if b == b"group"))
}

/// The stream id just before `id` (`MS-SEQ`).
pub(super) fn entry_before(id: &str) -> Result<String> {
    let bad = || BusError::Protocol(format!("entry id {id}"));
    let (ms, seq) = id.split_once('-').ok_or_else(bad)?;
    let ms: u64 = ms.parse().map_err(|_| bad())?;
    let seq: u64 = seq.parse().map_err(|_| bad())?;
    Ok(match (ms, seq) {
        (_, s) if s > 0 => format!("{ms}-{}", s - 1),
        (0, _) => "0-0".to_owned(),
        (m, _) => format!("{}-{}", m - 1, u64::MAX),
    })
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
