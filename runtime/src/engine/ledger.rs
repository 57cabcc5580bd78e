//! The usage ledger: audit rows and last-use times are queued by tool calls and written by one
//! background task in batched transactions, so a call never waits on (or fsyncs for) them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::store::{ExecutionRecord, Store};

const BATCH: usize = 512;
/// How long the writer waits for more rows after the first of a batch: sequential calls then
/// share a transaction (and an fsync) instead of paying one each.
const LINGER: std::time::Duration = std::time::Duration::from_millis(10);
/// Last-use times are written at most this often per account: they feed inactivity warnings
/// measured in days, so writing one per call would only cost store time.
const TOUCH_EVERY_S: i64 = 60;
/// Queued rows before callers wait for the writer (bounds memory if the store falls behind).
const CAPACITY: usize = 65_536;

enum Entry {
    Execution(ExecutionRecord),
    Flush(oneshot::Sender<()>),
}

/// Handle to the background writer.
#[derive(Debug, Clone)]
pub(crate) struct Ledger {
    tx: mpsc::Sender<Entry>,
}

impl Ledger {
    /// Starts the writer on the current tokio runtime.
    pub fn start(store: Store) -> Self {
        let (tx, rx) = mpsc::channel(CAPACITY);
        tokio::spawn(run(store, rx));
        Ledger { tx }
    }

    /// Queues one execution (and the account's last use, when it has one); waits only when the
    /// queue is full.
    pub async fn record(&self, record: ExecutionRecord) {
        if self.tx.send(Entry::Execution(record)).await.is_err() {
            tracing::warn!("usage ledger stopped; an audit row was not written");
        }
    }

    /// Waits until everything queued so far is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Entry::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Entry>) {
    let mut buffer = Vec::with_capacity(BATCH);
    let mut written: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    while rx.recv_many(&mut buffer, BATCH).await > 0 {
        let deadline = tokio::time::Instant::now() + LINGER;
        while buffer.len() < BATCH && !buffer.iter().any(|e| matches!(e, Entry::Flush(_))) {
            let room = BATCH - buffer.len();
            match tokio::time::timeout_at(deadline, rx.recv_many(&mut buffer, room)).await {
                Ok(n) if n > 0 => {}
                _ => break,
            }
        }
        let mut executions = Vec::with_capacity(buffer.len());
        let mut waiters = Vec::new();
        let mut last_used: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for entry in buffer.drain(..) {
            match entry {
                Entry::Execution(r) => {
                    if let (Some(id), "ok") = (r.account_id, r.outcome.as_str()) {
                        let at = last_used.entry(id).or_insert(r.at);
                        *at = (*at).max(r.at);
                    }
                    executions.push(r);
                }
                Entry::Flush(done) => waiters.push(done),
            }
        }
        let touches: Vec<_> = last_used
            .into_iter()
            .filter(|(id, at)| {
                written
                    .get(id)
                    .is_none_or(|w| (*at - *w).num_seconds() >= TOUCH_EVERY_S)
            })
            .collect();
        match store.record_usage(&executions, &touches).await {
            Ok(()) => written.extend(touches),
            Err(e) => tracing::warn!(
                code = e.code(),
                rows = executions.len(),
                "usage ledger write failed"
            ),
        }
        for w in waiters {
            let _ = w.send(());
        }
    }
}
