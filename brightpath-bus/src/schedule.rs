//! Recurring jobs: each (family, rule) occurrence is enqueued exactly once,
//! however many workers run the scheduler, because its enqueue carries an
//! idempotency key naming the occurrence (an atomic SET NX in Valkey, a
//! mutex-guarded map in process). Missed occurrences are caught up after
//! downtime, within a bounded window.

use std::future::Future;
use std::time::Duration;

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

use crate::Bus;
use crate::error::{BusError, Result};
use crate::job::{JobSpec, Priority, Queue};

/// When a rule fires, in the family's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Recurrence {
    /// Every day at `at`.
    Daily { at: Time },
    /// Every week on `on` at `at`.
    Weekly { on: Weekday, at: Time },
}

impl Recurrence {
    /// `daily 07:00` or `weekly sunday 18:00` (`sun` works too).
    pub fn parse(s: &str) -> Result<Self> {
        let words: Vec<&str> = s.split_whitespace().collect();
        let time = |t: &str| {
            t.parse::<Time>().map_err(|e| {
                BusError::Schedule(format!("bad time `{t}` in `{s}` (use HH:MM): {e}"))
            })
        };
        match words.as_slice() {
            ["daily", t] => Ok(Recurrence::Daily { at: time(t)? }),
            ["weekly", d, t] => Ok(Recurrence::Weekly {
                on: weekday(d)
                    .ok_or_else(|| BusError::Schedule(format!("bad weekday `{d}` in `{s}`")))?,
                at: time(t)?,
            }),
            _ => Err(BusError::Schedule(format!(
                "cannot read `{s}`: write `daily HH:MM` or `weekly DAY HH:MM`"
            ))),
        }
    }

    /// Occurrences in `(after, until]`, in `tz`. A time skipped by a DST jump
    /// fires just after the gap; a repeated one fires once (the earlier).
    pub fn occurrences(
        &self,
        tz: &TimeZone,
        after: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Zoned>> {
        let err = |e: jiff::Error| BusError::Schedule(e.to_string());
        let first = after.to_zoned(tz.clone()).date();
        let last = until.to_zoned(tz.clone()).date();
        let mut out = Vec::new();
        let mut day = first;
        while day <= last {
            let (fires, at) = match *self {
                Recurrence::Daily { at } => (true, at),
                Recurrence::Weekly { on, at } => (day.weekday() == on, at),
            };
            if fires {
                let z = day.to_datetime(at).to_zoned(tz.clone()).map_err(err)?;
                let t = z.timestamp();
                if t > after && t <= until {
                    out.push(z);
                }
            }
            day = day.tomorrow().map_err(err)?;
        }
        Ok(out)
    }
}

impl std::fmt::Display for Recurrence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hm = |t: &Time| format!("{:02}:{:02}", t.hour(), t.minute());
        match self {
            Recurrence::Daily { at } => write!(f, "daily {}", hm(at)),
            Recurrence::Weekly { on, at } => {
                write!(f, "weekly {} {}", format!("{on:?}").to_lowercase(), hm(at))
            }
        }
    }
}

impl TryFrom<String> for Recurrence {
    type Error = BusError;
    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

impl From<Recurrence> for String {
    fn from(r: Recurrence) -> Self {
        r.to_string()
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    let s = s.to_ascii_lowercase();
    let all = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];
    all.iter()
        .find(|(name, _)| s.len() >= 3 && name.starts_with(s.as_str()))
        .map(|(_, d)| *d)
}

/// A recurring job: e.g. `weekly-plan`, `weekly sunday 18:00`, kind `plan.weekly`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    /// Unique per family; part of the occurrence key.
    pub name: String,
    pub recurrence: Recurrence,
    pub queue: Queue,
    pub kind: String,
    /// Merged into the job payload with `family_id` and `occurrence`.
    pub payload: serde_json::Value,
    pub priority: Priority,
}

/// One family's rule and its IANA time zone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScheduleEntry {
    pub family_id: String,
    /// IANA name, e.g. `America/Chicago`.
    pub time_zone: String,
    pub rule: Rule,
}

/// Where the scheduler gets families and rules (core services implement this later).
pub trait ScheduleSource: Send + Sync {
    fn entries(&self) -> impl Future<Output = Result<Vec<ScheduleEntry>>> + Send;
}

/// A fixed list.
impl ScheduleSource for Vec<ScheduleEntry> {
    async fn entries(&self) -> Result<Vec<ScheduleEntry>> {
        Ok(self.clone())
    }
}

/// A closure returning a future of entries.
pub struct FnSource<F>(pub F);

impl<F, Fut> ScheduleSource for FnSource<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Vec<ScheduleEntry>>> + Send,
{
    fn entries(&self) -> impl Future<Output = Result<Vec<ScheduleEntry>>> + Send {
        (self.0)()
    }
}

/// How the scheduler runs.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// How often to look for due occurrences.
    pub tick: Duration,
    /// How far back missed occurrences are still enqueued (must be shorter than
    /// the bus's idempotency period, or an occurrence could be enqueued twice).
    pub catch_up: Duration,
    /// At most this many (the latest) missed occurrences per entry and tick.
    pub max_catch_up: usize,
}

impl Default for SchedulerOptions {
    fn default() -> Self {
        Self {
            tick: Duration::from_secs(30),
            catch_up: Duration::from_secs(48 * 3600),
            max_catch_up: 3,
        }
    }
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    /// Occurrences this call enqueued.
    pub enqueued: u64,
    /// Occurrences already enqueued (by this or another scheduler).
    pub already: u64,
    /// Entries skipped, with why (bad time zone…).
    pub errors: Vec<String>,
}

/// The idempotency key of one occurrence.
pub fn occurrence_key(entry: &ScheduleEntry, at: &Zoned) -> String {
    format!(
        "sched:{}:{}:{}",
        entry.family_id,
        entry.rule.name,
        at.timestamp().as_millisecond()
    )
}

/// Enqueue every occurrence due in `(now - catch_up, now]` not enqueued yet.
pub async fn tick(
    bus: &Bus,
    source: &impl ScheduleSource,
    opts: &SchedulerOptions,
    now: Timestamp,
) -> Result<TickReport> {
    tick_with(bus, source, opts, now, &mut Seen::default()).await
}

/// Occurrence keys this process already saw enqueued, so later ticks skip the
/// round trip; only an optimisation, the idempotency key is what guarantees once.
#[derive(Default)]
struct Seen(std::collections::HashMap<String, Timestamp>);

async fn tick_with(
    bus: &Bus,
    source: &impl ScheduleSource,
    opts: &SchedulerOptions,
    now: Timestamp,
    seen: &mut Seen,
) -> Result<TickReport> {
    if opts.catch_up >= bus.config().idempotency_ttl {
        return Err(BusError::Schedule(
            "catch_up must be shorter than the bus idempotency_ttl".into(),
        ));
    }
    let span = jiff::SignedDuration::try_from(opts.catch_up)
        .map_err(|e| BusError::Schedule(e.to_string()))?;
    let after = now
        .checked_sub(span)
        .map_err(|e| BusError::Schedule(e.to_string()))?;
    seen.0.retain(|_, at| *at > after);
    let mut report = TickReport::default();
    for entry in source.entries().await? {
        let tz = match TimeZone::get(&entry.time_zone) {
            Ok(tz) => tz,
            Err(e) => {
                report.errors.push(format!(
                    "family {}: unknown time zone `{}`: {e}",
                    entry.family_id, entry.time_zone
                ));
                continue;
            }
        };
        let due = entry.rule.recurrence.occurrences(&tz, after, now)?;
        let skip = due.len().saturating_sub(opts.max_catch_up.max(1));
        for at in due.into_iter().skip(skip) {
            let key = occurrence_key(&entry, &at);
            if seen.0.contains_key(&key) {
                report.already += 1;
                continue;
            }
            let mut payload = match &entry.rule.payload {
                serde_json::Value::Object(m) => m.clone(),
                serde_json::Value::Null => serde_json::Map::new(),
                other => {
                    let mut m = serde_json::Map::new();
                    m.insert("data".into(), other.clone());
                    m
                }
            };
            payload.insert("family_id".into(), entry.family_id.clone().into());
            payload.insert("occurrence".into(), at.to_string().into());
            let mut spec = JobSpec::new(
                entry.rule.queue.clone(),
                entry.rule.kind.clone(),
                payload.into(),
            )
            .idempotency_key(key.clone())
            // One family's occurrences never run at once, on any worker.
            .group(format!("family:{}", entry.family_id));
            spec.priority = entry.rule.priority;
            let outcome = bus.enqueue(spec).await?;
            seen.0.insert(key, at.timestamp());
            if outcome.duplicate {
                report.already += 1;
            } else {
                report.enqueued += 1;
                tracing::info!(family = %entry.family_id, rule = %entry.rule.name, occurrence = %at, "scheduled job enqueued");
            }
        }
    }
    Ok(report)
}

/// Tick until `shutdown` resolves. Errors (bus down) are logged and retried next tick.
pub async fn run_scheduler(
    bus: Bus,
    source: impl ScheduleSource,
    opts: SchedulerOptions,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut seen = Seen::default();
    let mut every = tokio::time::interval(opts.tick);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = every.tick() => {
                match tick_with(&bus, &source, &opts, Timestamp::now(), &mut seen).await {
                    Ok(r) => for e in &r.errors { tracing::warn!(error = %e, "schedule entry skipped") },
                    Err(e) => tracing::warn!(error = %e, "scheduler tick failed; retrying next tick"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn parses_and_prints_rules() {
        let r = Recurrence::parse("weekly sun 18:00").expect("parse");
        assert_eq!(r.to_string(), "weekly sunday 18:00");
        assert_eq!(
            Recurrence::parse("daily 07:00").expect("parse").to_string(),
            "daily 07:00"
        );
        assert!(Recurrence::parse("hourly").is_err());
        assert!(Recurrence::parse("weekly funday 18:00").is_err());
        assert!(Recurrence::parse("daily 25:00").is_err());
    }

    #[test]
    fn weekly_fires_on_the_local_weekday() {
        let tz = TimeZone::get("America/Chicago").expect("tz");
        let r = Recurrence::parse("weekly sunday 18:00").expect("parse");
        let occ = r
            .occurrences(&tz, ts("2026-11-23T00:00:00Z"), ts("2026-11-30T12:00:00Z"))
            .expect("occurrences");
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].weekday(), Weekday::Sunday);
        // 18:00 CST is midnight UTC on Monday.
        assert_eq!(occ[0].timestamp(), ts("2026-11-30T00:00:00Z"));
    }

    #[test]
    fn skipped_local_time_fires_after_the_gap_and_repeated_time_once() {
        let tz = TimeZone::get("America/New_York").expect("tz");
        let r = Recurrence::parse("daily 02:30").expect("parse");
        let spring = r
            .occurrences(&tz, ts("2026-03-08T00:00:00Z"), ts("2026-03-09T00:00:00Z"))
            .expect("occurrences");
        assert_eq!(spring.len(), 1);
        assert_eq!((spring[0].hour(), spring[0].minute()), (3, 30));
        let r = Recurrence::parse("daily 01:30").expect("parse");
        let fall = r
            .occurrences(&tz, ts("2026-11-01T00:00:00Z"), ts("2026-11-02T00:00:00Z"))
            .expect("occurrences");
        assert_eq!(fall.len(), 1);
    }
}
