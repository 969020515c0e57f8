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

use tokio::sync::{mpsc, oneshot};

use super::Tx;
use crate::error::{Error, Result};

/// A statement's future, borrowing the transaction.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

type Job = Box<dyn for<'a> FnOnce(&'a mut Tx) -> Fut<'a, Result<()>> + Send>;

/// Statements queued ahead of the database.
const QUEUE: usize = 4;

pub struct Behind {
    jobs: mpsc::Sender<Job>,
    /// The transaction back, and whether every statement succeeded.
    task: tokio::task::JoinHandle<(Tx, bool)>,
    failed: Arc<Mutex<Option<Error>>>,
}

impl Behind {
    /// Hands `tx` to a task of its own (on the current runtime).
    pub fn start(tx: Tx) -> Behind {
        let (jobs, mut queue) = mpsc::channel::<Job>(QUEUE);
        let failed: Arc<Mutex<Option<Error>>> = Arc::default();
        let first = failed.clone();
        let task = tokio::spawn(async move {
            let mut tx = tx;
            let mut ok = true;
            while let Some(job) = queue.recv().await {
                if !ok {
                    continue;
                }
                if let Err(e) = job(&mut tx).await {
                    ok = false;
                    if let Ok(mut slot) = first.lock() {
                        slot.get_or_insert(e);
                    }
                }
            }
            (tx, ok)
        });
        Behind { jobs, task, failed }
    }

    fn first_error(&self) -> Error {
        self.failed
            .lock()
            .ok()
            .and_then(|mut e| e.take())
            .unwrap_or_else(|| Error::Internal("the import's database task stopped".into()))
    }

    /// Queues a write; it fails later, if at all (at the next read or at
    /// [`Behind::finish`]).
    pub async fn write<F>(&self, job: F) -> Result<()>
    where
        F: for<'a> FnOnce(&'a mut Tx) -> Fut<'a, Result<()>> + Send + 'static,
    {
        if self.jobs.send(Box::new(job)).await.is_err() {
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
        let Behind { jobs, task, failed } = self;
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
