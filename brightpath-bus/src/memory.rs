//! In-process backend: one mutex-protected state, for single-process use and tests.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use uuid::Uuid;

use crate::BusConfig;
use crate::error::{BusError, Result};
use crate::job::{
    Delivery, Enqueued, FailOutcome, JobRecord, JobSpec, Lease, LeaseToken, ListFilter, Priority,
    PurgeFilter, PurgeReport, Queue, QueueDepth, Status, ms_of, now_ms, ts,
};

pub(crate) struct MemoryBus {
    config: BusConfig,
    state: Mutex<State>,
    notify: Notify,
}

#[derive(Default)]
struct State {
    jobs: HashMap<Uuid, JobRecord>,
    /// Ready job ids per (queue, priority).
    ready: HashMap<(Queue, Priority), VecDeque<Uuid>>,
    /// Held jobs: id -> (lease token, visibility deadline in ms).
    held: HashMap<Uuid, (u64, i64)>,
    /// (due ms, id) of retries and delayed jobs.
    delayed: BTreeSet<(i64, Uuid)>,
    /// Idempotency key -> (job id, expiry ms).
    idem: HashMap<String, (Uuid, i64)>,
    next_token: u64,
    /// Enqueue order, for newest-first listing (timestamps tie within a millisecond).
    seq: HashMap<Uuid, u64>,
    /// Job groups with a running job: group -> (job id, lease token).
    group_holder: HashMap<String, (Uuid, u64)>,
    /// Jobs parked while their group was busy, woken one at a time.
    group_wait: HashMap<String, VecDeque<Uuid>>,
}

impl State {
    fn push_ready(&mut self, job: &JobRecord) {
        self.ready
            .entry((job.queue.clone(), job.priority))
            .or_default()
            .push_back(job.id);
    }

    /// Promote due delayed jobs and take back leases whose holder went quiet.
    fn maintain(&mut self, now: i64) -> u64 {
        let mut moved = 0;
        while let Some(&(due, id)) = self.delayed.first() {
            if due > now {
                break;
            }
            self.delayed.remove(&(due, id));
            if let Some(job) = self.jobs.get_mut(&id)
                && matches!(job.status, Status::Queued | Status::Failed)
            {
                job.status = Status::Queued;
                job.updated_at = ts(now);
                let job = job.clone();
                self.push_ready(&job);
                moved += 1;
            }
        }
        let expired: Vec<Uuid> = self
            .held
            .iter()
            .filter(|(_, (_, deadline))| *deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            self.held.remove(&id);
            if let Some(job) = self.jobs.get(&id).cloned()
                && job.status == Status::Running
            {
                // Like a stream entry left pending: redelivered, attempt counted.
                self.push_ready(&job);
                moved += 1;
            }
        }
        moved
    }

    /// Free `group` when lease `token` of job `id` holds it (any lease of the
    /// job when None, or when nobody holds it) and wake its next parked job.
    fn release_group(&mut self, group: Option<&str>, id: Uuid, token: Option<u64>) {
        let Some(group) = group else { return };
        if let Some(&(holder, t)) = self.group_holder.get(group) {
            if holder != id || token.is_some_and(|tok| tok != t) {
                return;
            }
            self.group_holder.remove(group);
        }
        while let Some(next) = self.group_wait.get_mut(group).and_then(|w| w.pop_front()) {
            if let Some(job) = self.jobs.get(&next).cloned()
                && job.status == Status::Queued
            {
                self.push_ready(&job);
                break;
            }
        }
        if self.group_wait.get(group).is_some_and(|w| w.is_empty()) {
            self.group_wait.remove(group);
        }
    }

    /// The lease's job finished (or was handed back): free its group.
    fn finish_group(&mut self, lease: &Lease) {
        let LeaseToken::Memory(token) = lease.token else {
            return;
        };
        let group = self.jobs.get(&lease.job_id).and_then(|j| j.group.clone());
        self.release_group(group.as_deref(), lease.job_id, Some(token));
    }

    fn next_wakeup(&self) -> Option<i64> {
        let d = self.delayed.first().map(|(due, _)| *due);
        let h = self.held.values().map(|(_, dl)| *dl).min();
        match (d, h) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl MemoryBus {
    pub(crate) fn new(config: BusConfig) -> Self {
        Self {
            config,
            state: Mutex::new(State::default()),
            notify: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent-enough state; keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn config(&self) -> &BusConfig {
        &self.config
    }

    pub(crate) async fn ping(&self) -> Result<()> {
        Ok(())
    }

    pub(crate) async fn enqueue(&self, spec: JobSpec) -> Result<Enqueued> {
        let now = now_ms();
        let mut st = self.lock();
        if let Some(key) = &spec.idempotency_key
            && let Some((id, expires)) = st.idem.get(key)
            && *expires > now
        {
            return Ok(Enqueued {
                id: *id,
                duplicate: true,
            });
        }
        let id = Uuid::new_v4();
        if let Some(key) = &spec.idempotency_key {
            let expires = now.saturating_add(ms_of(self.config.idempotency_ttl));
            st.idem.insert(key.clone(), (id, expires));
        }
        let run_after = spec
            .run_after
            .map(|t| t.as_millisecond())
            .filter(|t| *t > now);
        let job = JobRecord {
            id,
            queue: spec.queue,
            kind: spec.kind,
            payload: spec.payload,
            priority: spec.priority,
            status: Status::Queued,
            attempts: 0,
            max_attempts: spec.max_attempts.max(1),
            idempotency_key: spec.idempotency_key,
            group: spec.group,
            created_at: ts(now),
            updated_at: ts(now),
            started_at: None,
            heartbeat_at: None,
            finished_at: None,
            run_after: run_after.map(ts),
            last_error: None,
            result: None,
            worker: None,
        };
        match run_after {
            Some(due) => {
                st.delayed.insert((due, id));
            }
            None => st.push_ready(&job),
        }
        st.jobs.insert(id, job);
        // The token counter only grows, so it doubles as an enqueue sequence.
        st.next_token += 1;
        let n = st.next_token;
        st.seq.insert(id, n);
        drop(st);
        self.notify.notify_waiters();
        Ok(Enqueued {
            id,
            duplicate: false,
        })
    }

    pub(crate) async fn reserve(
        &self,
        queues: &[Queue],
        max: usize,
        wait: Duration,
        consumer: &str,
    ) -> Result<Vec<Delivery>> {
        let deadline = now_ms().saturating_add(ms_of(wait));
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (out, wake) = {
                let mut st = self.lock();
                let now = now_ms();
                st.maintain(now);
                let out = self.take(&mut st, queues, max, consumer, now);
                (out, st.next_wakeup())
            };
            let now = now_ms();
            if !out.is_empty() || now >= deadline {
                return Ok(out);
            }
            let until = wake.map_or(deadline, |w| w.min(deadline)).max(now + 1);
            let sleep = Duration::from_millis(u64::try_from(until - now).unwrap_or(1));
            tokio::select! {
                _ = &mut notified => {}
                _ = tokio::time::sleep(sleep) => {}
            }
        }
    }

    fn take(
        &self,
        st: &mut State,
        queues: &[Queue],
        max: usize,
        consumer: &str,
        now: i64,
    ) -> Vec<Delivery> {
        let mut out = Vec::new();
        for prio in [Priority::High, Priority::Normal] {
            for q in queues {
                while out.len() < max {
                    let Some(id) = st
                        .ready
                        .get_mut(&(q.clone(), prio))
                        .and_then(|d| d.pop_front())
                    else {
                        break;
                    };
                    let Some(job) = st.jobs.get_mut(&id) else {
                        continue;
                    };
                    if job.status.is_terminal() {
                        continue;
                    }
                    let group = job.group.clone();
                    if job.attempts >= job.max_attempts {
                        // Its holders kept dying: stop handing it out.
                        job.status = Status::Dead;
                        job.last_error = Some(lost_error(job.attempts));
                        job.finished_at = Some(ts(now));
                        job.updated_at = ts(now);
                        st.release_group(group.as_deref(), id, None);
                        continue;
                    }
                    if let Some(g) = &group
                        && st.group_holder.get(g).is_some_and(|(h, _)| *h != id)
                    {
                        // Another job of its group runs: park it, no attempt counted.
                        if let Some(job) = st.jobs.get_mut(&id) {
                            job.status = Status::Queued;
                            job.updated_at = ts(now);
                        }
                        st.group_wait.entry(g.clone()).or_default().push_back(id);
                        continue;
                    }
                    let Some(job) = st.jobs.get_mut(&id) else {
                        continue;
                    };
                    job.status = Status::Running;
                    job.attempts += 1;
                    job.started_at = Some(ts(now));
                    job.heartbeat_at = Some(ts(now));
                    job.updated_at = ts(now);
                    job.run_after = None;
                    job.worker = Some(consumer.to_owned());
                    let job = job.clone();
                    st.next_token += 1;
                    let token = st.next_token;
                    let vis = ms_of(self.config.visibility_timeout);
                    st.held.insert(id, (token, now.saturating_add(vis)));
                    if let Some(g) = group {
                        st.group_holder.insert(g, (id, token));
                    }
                    out.push(Delivery {
                        job,
                        lease: Lease {
                            job_id: id,
                            token: LeaseToken::Memory(token),
                        },
                    });
                }
            }
        }
        out
    }

    pub(crate) async fn heartbeat(&self, lease: &Lease, _consumer: &str) -> Result<bool> {
        let mut st = self.lock();
        let vis = ms_of(self.config.visibility_timeout);
        match st.held.get_mut(&lease.job_id) {
            Some((token, deadline)) if LeaseToken::Memory(*token) == lease.token => {
                let now = now_ms();
                *deadline = now.saturating_add(vis);
                if let Some(job) = st.jobs.get_mut(&lease.job_id)
                    && job.status == Status::Running
                {
                    job.heartbeat_at = Some(ts(now));
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    pub(crate) async fn complete(&self, lease: &Lease, result: serde_json::Value) -> Result<()> {
        let now = now_ms();
        let mut st = self.lock();
        st.held.remove(&lease.job_id);
        st.finish_group(lease);
        if let Some(job) = st.jobs.get_mut(&lease.job_id)
            && !job.status.is_terminal()
        {
            job.status = Status::Succeeded;
            job.result = Some(result);
            job.finished_at = Some(ts(now));
            job.updated_at = ts(now);
            job.run_after = None;
        }
        drop(st);
        // A parked job of its group may be ready now.
        self.notify.notify_waiters();
        Ok(())
    }

    pub(crate) async fn fail(
        &self,
        lease: &Lease,
        error: &str,
        retryable: bool,
    ) -> Result<FailOutcome> {
        let now = now_ms();
        let mut st = self.lock();
        st.held.remove(&lease.job_id);
        st.finish_group(lease);
        // A parked job of its group may be ready now.
        self.notify.notify_waiters();
        let Some(job) = st.jobs.get_mut(&lease.job_id) else {
            return Ok(FailOutcome::Ignored);
        };
        if job.status.is_terminal() {
            return Ok(FailOutcome::Ignored);
        }
        job.last_error = Some(error.to_owned());
        job.updated_at = ts(now);
        if retryable && job.attempts < job.max_attempts {
            let due = now.saturating_add(ms_of(self.config.backoff.delay(job.attempts)));
            job.status = Status::Failed;
            job.run_after = Some(ts(due));
            let id = job.id;
            st.delayed.insert((due, id));
            Ok(FailOutcome::Retry)
        } else {
            job.status = Status::Dead;
            job.finished_at = Some(ts(now));
            Ok(FailOutcome::Dead)
        }
    }

    pub(crate) async fn release(&self, lease: &Lease) -> Result<()> {
        let now = now_ms();
        let mut st = self.lock();
        st.held.remove(&lease.job_id);
        st.finish_group(lease);
        if let Some(job) = st.jobs.get_mut(&lease.job_id)
            && job.status == Status::Running
        {
            job.status = Status::Queued;
            job.attempts = job.attempts.saturating_sub(1);
            job.updated_at = ts(now);
            let job = job.clone();
            st.push_ready(&job);
        }
        drop(st);
        self.notify.notify_waiters();
        Ok(())
    }

    pub(crate) async fn promote_due(&self) -> Result<u64> {
        let moved = self.lock().maintain(now_ms());
        if moved > 0 {
            self.notify.notify_waiters();
        }
        Ok(moved)
    }

    pub(crate) async fn get(&self, id: Uuid) -> Result<Option<JobRecord>> {
        let mut st = self.lock();
        expire(&mut st, now_ms(), &self.config);
        Ok(st.jobs.get(&id).cloned())
    }

    pub(crate) async fn list(&self, filter: &ListFilter) -> Result<Vec<JobRecord>> {
        let mut st = self.lock();
        expire(&mut st, now_ms(), &self.config);
        let mut out: Vec<JobRecord> = st
            .jobs
            .values()
            .filter(|r| filter.matches(r))
            .cloned()
            .collect();
        out.sort_by_key(|r| std::cmp::Reverse(st.seq.get(&r.id).copied().unwrap_or(0)));
        out.truncate(filter.effective_limit());
        Ok(out)
    }

    pub(crate) async fn retry(&self, id: Uuid) -> Result<()> {
        let now = now_ms();
        let mut st = self.lock();
        let Some(job) = st.jobs.get_mut(&id) else {
            return Err(BusError::NotFound(id.to_string()));
        };
        if !matches!(job.status, Status::Dead | Status::Failed) {
            return Err(BusError::InvalidState {
                id: id.to_string(),
                status: job.status.to_string(),
                hint: "only dead or failed jobs can be retried",
            });
        }
        job.status = Status::Queued;
        job.attempts = 0;
        job.finished_at = None;
        job.last_error = None;
        job.result = None;
        job.run_after = None;
        job.updated_at = ts(now);
        let job = job.clone();
        st.delayed.retain(|(_, d)| *d != id);
        st.push_ready(&job);
        drop(st);
        self.notify.notify_waiters();
        Ok(())
    }

    pub(crate) async fn purge(&self, filter: &PurgeFilter) -> Result<PurgeReport> {
        let mut st = self.lock();
        let before = st.jobs.len();
        st.jobs.retain(|_, j| !purgeable(j, filter));
        let State { jobs, seq, .. } = &mut *st;
        seq.retain(|id, _| jobs.contains_key(id));
        Ok(PurgeReport {
            removed: (before - st.jobs.len()) as u64,
        })
    }

    pub(crate) async fn depths(&self, queues: &[Queue]) -> Result<Vec<QueueDepth>> {
        let st = self.lock();
        Ok(queues
            .iter()
            .map(|q| {
                let count = |p| st.ready.get(&(q.clone(), p)).map_or(0, |d| d.len() as u64);
                let of = |s| {
                    st.jobs
                        .values()
                        .filter(|j| j.queue == *q && j.status == s)
                        .count() as u64
                };
                QueueDepth {
                    queue: q.clone(),
                    ready: count(Priority::High) + count(Priority::Normal),
                    ready_high: count(Priority::High),
                    running: of(Status::Running),
                    dead: of(Status::Dead),
                    oldest_at: st
                        .jobs
                        .values()
                        .filter(|j| {
                            j.queue == *q && matches!(j.status, Status::Queued | Status::Running)
                        })
                        .filter(|j| j.status == Status::Running || j.run_after.is_none())
                        .map(|j| j.started_at.unwrap_or(j.updated_at).min(j.updated_at))
                        .min(),
                }
            })
            .collect())
    }
}

pub(crate) fn lost_error(attempts: u32) -> String {
    format!("worker stopped while running the job ({attempts} attempts); not retried again")
}

pub(crate) fn purgeable(j: &JobRecord, f: &PurgeFilter) -> bool {
    f.statuses.contains(&j.status)
        && j.status.is_terminal()
        && f.queue.as_ref().is_none_or(|q| *q == j.queue)
        && f.finished_before
            .is_none_or(|t| j.finished_at.is_some_and(|fin| fin < t))
}

/// Drop succeeded records past the retention period (dead ones stay until purged).
fn expire(st: &mut State, now: i64, config: &BusConfig) {
    let cutoff = now.saturating_sub(ms_of(config.retention));
    st.jobs.retain(|_, j| {
        !(j.status == Status::Succeeded
            && j.finished_at.is_some_and(|f| f.as_millisecond() < cutoff))
    });
}
