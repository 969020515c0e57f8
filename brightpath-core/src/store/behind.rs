//! Write-behind for a long transaction: a task owns the [`Tx`] and runs the
//! statements queued to it in order, while the caller goes on making the
//! next ones. A big import then keeps both cores busy (the database with
//! one batch while the import builds the next) instead of taking turns.
//!
//! Reads go through the same queue and wait for the writes before them, so
//! the order of statements is the order they were queued in. The first
//! failed statement stops the queue: later writes are skipped, the next read
//! and [`Behind::finish`] return its error, and the transaction is rolled
//! back when it is dropped.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::{Semaphore, mpsc, oneshot};

use super::Tx;
use crate::error::{Error, Result};

/// A statement's future, borrowing the transaction.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

type Job = Box<dyn for<'a> FnOnce(&'a mut Tx) -> Fut<'a, Result<()>> + Send>;

/// What the statements queued ahead of the database may hold, in KiB: the
/// queue is bounded by memory, not by count, so that many small statements
/// (a kind's chunks) can run ahead while a big one (10,000 people) runs.
const AHEAD_KIB: usize = 16 * 1024;

struct CloseOnDrop(Arc<Semaphore>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

pub struct Behind {
    jobs: mpsc::UnboundedSender<(Job, u32)>,
    room: Arc<Semaphore>,
    /// The transaction back, and whether every statement succeeded.
    task: tokio::task::JoinHandle<(Tx, bool)>,
    failed: Arc<Mutex<Option<Error>>>,
    backend: super::Backend,
}

impl Behind {
    /// Hands `tx` to a task of its own (on the current runtime).
    pub fn start(tx: Tx) -> Behind {
        let backend = tx.backend();
        let (jobs, mut queue) = mpsc::unbounded_channel::<(Job, u32)>();
        let room = Arc::new(Semaphore::new(AHEAD_KIB));
        let freed = room.clone();
        let failed: Arc<Mutex<Option<Error>>> = Arc::default();
        let first = failed.clone();
        let task = tokio::spawn(async move {
            // However the task ends, a writer waiting for room is let go.
            let _close = CloseOnDrop(freed.clone());
            let mut tx = tx;
            let mut ok = true;
            // Where the database's time goes (RUST_LOG=brightpath_core=debug):
            // running statements, or waiting for the next one.
            let (mut busy, mut idle) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
            let mut jobs = 0u64;
            loop {
                let t = std::time::Instant::now();
                let Some((job, kib)) = queue.recv().await else {
                    break;
                };
                idle += t.elapsed();
                let done = if ok {
                    let t = std::time::Instant::now();
                    let done = job(&mut tx).await;
                    busy += t.elapsed();
                    done
                } else {
                    Ok(())
                };
                // The job and what it held are gone: room for the next.
                freed.add_permits(kib as usize);
                jobs += 1;
                if let Err(e) = done {
                    ok = false;
                    if let Ok(mut slot) = first.lock() {
                        slot.get_or_insert(e);
                    }
                }
            }
            tracing::debug!(
                jobs,
                busy = busy.as_secs_f64(),
                idle = idle.as_secs_f64(),
                "write-behind done"
            );
            (tx, ok)
        });
        Behind {
            jobs,
            room,
            task,
            failed,
            backend,
        }
    }

    /// The backend of the transaction (to make a [`super::BulkInsert`] for it).
    pub fn backend(&self) -> super::Backend {
        self.backend
    }

    fn first_error(&self) -> Error {
        self.failed
            .lock()
            .ok()
            .and_then(|mut e| e.take())
            .unwrap_or_else(|| Error::Internal("the import's database task stopped".into()))
    }

    /// Queues a small write; it fails later, if at all (at the next read or
    /// at [`Behind::finish`]).
    pub async fn write<F>(&self, job: F) -> Result<()>
    where
        F: for<'a> FnOnce(&'a mut Tx) -> Fut<'a, Result<()>> + Send + 'static,
    {
        self.write_sized(0, job).await
    }

    /// Queues a write that holds about `bytes` until it has run; waits while
    /// the queue holds its budget already.
    pub async fn write_sized<F>(&self, bytes: usize, job: F) -> Result<()>
    where
        F: for<'a> FnOnce(&'a mut Tx) -> Fut<'a, Result<()>> + Send + 'static,
    {
        let kib = (bytes / 1024).clamp(1, AHEAD_KIB) as u32;
        let Ok(permit) = self.room.acquire_many(kib).await else {
            return Err(self.first_error());
        };
        // Given back by the task when the job has run.
        permit.forget();
        if self.jobs.send((Box::new(job), kib)).is_err() {
            return Err(self.first_error());
        }
        Ok(())
    }

    /// Runs a read after the writes queued before it, and gives its answer.
    pub async fn read<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> Fut<'a, Result<T>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.write(move |tx: &mut Tx| -> Fut<'_, Result<()>> {
            Box::pin(async move {
                let _ = reply.send(job(tx).await);
                Ok(())
            })
        })
        .await?;
        match answer.await {
            Ok(r) => r,
            // The queue stopped at a failed write before this read.
            Err(_) => Err(self.first_error()),
        }
    }

    /// Waits for every queued statement and gives the transaction back, or
    /// the first error (the transaction is then rolled back).
    pub async fn finish(self) -> Result<Tx> {
        let Behind {
            jobs, task, failed, ..
        } = self;
        drop(jobs);
        let (tx, ok) = task
            .await
            .map_err(|e| Error::Internal(format!("the import's database task failed: {e}")))?;
        if ok {
            return Ok(tx);
        }
        // A read may have reported the error already; the transaction is
        // dropped (rolled back) either way.
        Err(failed
            .lock()
            .ok()
            .and_then(|mut e| e.take())
            .unwrap_or_else(|| Error::Internal("a statement of the import failed".into())))
    }
}
