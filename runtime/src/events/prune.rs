//! Outbox retention: a background task deletes outbox rows delivered or dropped more than
//! [`DONE_KEEP`] ago, and any row older than [`MAX_AGE`] (an event nobody delivered in that
//! time, e.g. no webhook configured), once per interval, in small batches with a pause between,
//! off the call path. Several replicas may prune at once: deletes are idempotent. Stops when
//! the engine is dropped.

use std::time::Duration;

use crate::store::Store;

/// How long delivered and dropped rows are kept (to look at what was sent).
pub(crate) const DONE_KEEP: chrono::Duration = chrono::Duration::days(1);
/// Rows older than this go whatever their state.
pub(crate) const MAX_AGE: chrono::Duration = chrono::Duration::days(7);
/// Rows deleted per statement.
const BATCH: u32 = 500;
/// Pause between batches.
const PAUSE: Duration = Duration::from_millis(200);
/// How often the task looks (first look at start).
const INTERVAL: Duration = Duration::from_secs(3600);

/// The running pruner; aborts the task on drop.
#[derive(Debug)]
pub(crate) struct OutboxPruner(tokio::task::JoinHandle<()>);

impl OutboxPruner {
    /// Starts pruning `store`'s outbox.
    pub(crate) fn start(store: Store) -> Self {
        Self(tokio::spawn(async move {
            let mut tick = tokio::time::interval(INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                prune(&store).await;
            }
        }))
    }
}

impl Drop for OutboxPruner {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Deletes every expired row, batch by batch.
pub(crate) async fn prune(store: &Store) {
    let now = crate::store::now();
    let mut total = 0u64;
    loop {
        match store
            .prune_outbox(now - DONE_KEEP, now - MAX_AGE, BATCH)
            .await
        {
            Ok(n) => {
                total += n;
                if n < u64::from(BATCH) {
                    break;
                }
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "outbox retention: pruning failed");
                break;
            }
        }
        tokio::time::sleep(PAUSE).await;
    }
    if total > 0 {
        tracing::info!(rows = total, "outbox retention: old status events deleted");
    }
}
