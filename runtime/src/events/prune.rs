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
                prune(&store, crate::store::now()).await;
            }
        }))
    }
}

impl Drop for OutboxPruner {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Deletes every row expired at `now`, batch by batch.
async fn prune(store: &Store, now: chrono::DateTime<chrono::Utc>) {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{BATCH, prune};
    use crate::store::{AccountStatus, OutboxState, StatusChange, Store, now};

    #[tokio::test]
    async fn done_rows_go_after_a_day_and_every_row_after_a_week() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::connect(&url).await.unwrap();
        let active = StatusChange::new(AccountStatus::Active, "credentials_verified", "ok");
        // More pending rows than one batch, and one delivered.
        for i in 0..=BATCH {
            let (a, _) = store
                .get_or_create_account("conn", &format!("user{i}"))
                .await
                .unwrap();
            store.set_status(a.id, &active).await.unwrap();
        }
        let claimed = store
            .claim_outbox(uuid::Uuid::new_v4(), Duration::from_secs(30), 1)
            .await
            .unwrap();
        store.outbox_delivered(claimed[0].seq).await.unwrap();
        let count = |rows: &[crate::store::OutboxEntry], state| {
            rows.iter().filter(|r| r.state == state).count()
        };

        prune(&store, now()).await;
        let rows = store.list_outbox(BATCH * 2).await.unwrap();
        assert_eq!(rows.len(), BATCH as usize + 1, "nothing is old yet");

        prune(&store, now() + chrono::Duration::days(2)).await;
        let rows = store.list_outbox(BATCH * 2).await.unwrap();
        assert_eq!(count(&rows, OutboxState::Delivered), 0);
        assert_eq!(count(&rows, OutboxState::Pending), BATCH as usize);

        prune(&store, now() + chrono::Duration::days(8)).await;
        assert!(store.list_outbox(10).await.unwrap().is_empty());
    }
}
