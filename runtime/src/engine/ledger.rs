//! The usage ledger: audit rows and last-use times are queued by tool calls and written by one
//! background task in batched transactions, so a call never waits on (or fsyncs for) them.
//! [`AuditLog`] chooses which calls leave an audit row; last-use times (which drive inactivity
//! warnings) are kept whatever it says.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::store::{ExecutionRecord, Store};

const BATCH: usize = 512;
/// How long the writer waits for more rows after the first of a batch: sequential calls then
/// share a transaction (and an fsync) instead of paying one each.
const LINGER: std::time::Duration = std::time::Duration::from_millis(10);
/// While rows keep arriving (at least [`BUSY_ROWS`] in the last linger), the writer lingers
/// again, up to this long in all or [`BATCH`] rows: a busy node writes a few large
/// transactions (a row's store cost falls with the batch size) and a quiet one still writes
/// within one [`LINGER`].
const MAX_LINGER: std::time::Duration = std::time::Duration::from_millis(50);
/// Rows per [`LINGER`] that count as busy (800 calls/s).
const BUSY_ROWS: usize = 8;
/// Last-use times are written at most this often per account: they feed inactivity warnings
/// measured in days, so writing one per call would only cost store time.
const TOUCH_EVERY_S: i64 = 60;
/// Queued rows before callers wait for the writer (bounds memory if the store falls behind).
const CAPACITY: usize = 65_536;

/// Which tool calls leave a row in the `executions` audit table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuditLog {
    /// Every call (the default).
    #[default]
    Full,
    /// Only calls that failed: for deployments that keep their own record of successful calls
    /// (a SIEM fed by webhooks or logs) and want the store to stay small.
    Failures,
    /// No rows at all.
    Off,
}

impl AuditLog {
    /// Whether a call with this outcome gets an audit row.
    pub fn keeps(self, ok: bool) -> bool {
        match self {
            AuditLog::Full => true,
            AuditLog::Failures => !ok,
            AuditLog::Off => false,
        }
    }
}

impl std::str::FromStr for AuditLog {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(AuditLog::Full),
            "failures" => Ok(AuditLog::Failures),
            "off" => Ok(AuditLog::Off),
            other => Err(format!(
                "unknown audit log setting `{other}`: use full, failures or off"
            )),
        }
    }
}

enum Entry {
    /// A call's record; `keep` says whether it becomes an audit row (else only its last use
    /// counts).
    Execution {
        record: ExecutionRecord,
        keep: bool,
    },
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
    pub async fn record(&self, record: ExecutionRecord, keep: bool) {
        if self
            .tx
            .send(Entry::Execution { record, keep })
            .await
            .is_err()
        {
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
        // Linger by sleeping, not by waiting on the queue: rows queued meanwhile wake nobody,
        // so a call costs one queue push and the writer wakes once per linger, not per row.
        let mut lingered = std::time::Duration::ZERO;
        while buffer.len() < BATCH
            && lingered < MAX_LINGER
            && !buffer.iter().any(|e| matches!(e, Entry::Flush(_)))
        {
            tokio::time::sleep(LINGER).await;
            lingered += LINGER;
            let before = buffer.len();
            while buffer.len() < BATCH {
                match rx.try_recv() {
                    Ok(entry) => buffer.push(entry),
                    Err(_) => break,
                }
            }
            if buffer.len() - before < BUSY_ROWS {
                break;
            }
        }
        let mut executions = Vec::with_capacity(buffer.len());
        let mut waiters = Vec::new();
        let mut last_used: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for entry in buffer.drain(..) {
            match entry {
                Entry::Execution { record: r, keep } => {
                    if let (Some(id), "ok") = (r.account_id, r.outcome.as_str()) {
                        let at = last_used.entry(id).or_insert(r.at);
                        *at = (*at).max(r.at);
                    }
                    if keep {
                        executions.push(r);
                    }
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
        // Nothing to write (audit off or failures only, last uses fresh): no transaction.
        let nothing = executions.is_empty() && touches.is_empty();
        if !nothing {
            match store.record_usage(&executions, &touches).await {
                Ok(()) => written.extend(touches),
                Err(e) => tracing::warn!(
                    code = e.code(),
                    rows = executions.len(),
                    "usage ledger write failed"
                ),
            }
        }
        for w in waiters {
            let _ = w.send(());
        }
    }
}
