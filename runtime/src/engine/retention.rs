//! Audit retention: when set, a background task deletes `executions` rows older than the
//! retention, once per interval, in small batches (one short statement each, a pause between)
//! so the store never holds a long delete and tool calls never wait on it. Stops when the
//! engine is dropped. Several replicas may prune at once: deletes are idempotent.

use std::time::Duration;

use crate::store::Store;

/// Rows deleted per statement.
const BATCH: u32 = 1000;
/// Pause between batches, so a large backlog does not monopolise the store.
const PAUSE: Duration = Duration::from_millis(200);
/// How often the task looks for expired rows (first look at start): a 24th of the retention,
/// between one second and an hour (an hour for any retention of a day or more), so rows
/// outlive the retention by at most about 4%.
fn interval(keep: Duration) -> Duration {
    (keep / 24).clamp(Duration::from_secs(1), Duration::from_secs(3600))
}

/// The running pruner (none when everything is kept); aborts the task on drop.
#[derive(Default)]
pub(crate) struct Retention(Option<tokio::task::JoinHandle<()>>);

impl Retention {
    /// Starts pruning rows older than `keep`, or nothing when `keep` is `None`.
    pub fn start(store: Store, keep: Option<Duration>) -> Self {
        let Some(keep) = keep else {
            return Self::default();
        };
        let every = interval(keep);
        let keep = chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::MAX);
        Self(Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let cutoff = crate::store::now()
                    .checked_sub_signed(keep)
                    .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
                prune(&store, cutoff).await;
            }
        })))
    }
}

impl Drop for Retention {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}

/// Deletes every row older than `cutoff`, batch by batch.
async fn prune(store: &Store, cutoff: chrono::DateTime<chrono::Utc>) {
    let mut total = 0u64;
    loop {
        match store.prune_executions(cutoff, BATCH).await {
            Ok(n) => {
                total += n;
                if n < u64::from(BATCH) {
                    break;
                }
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "audit retention: pruning failed");
                break;
            }
        }
        tokio::time::sleep(PAUSE).await;
    }
    if total > 0 {
        tracing::info!(rows = total, "audit retention: old execution rows deleted");
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use uuid::Uuid;

    use super::{BATCH, Retention};
    use crate::store::{ExecutionRecord, Store, now};

    fn row(age: chrono::Duration) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: Uuid::now_v7(),
            account_id: None,
            connection: "conn".into(),
            identifier: "someone".into(),
            tool: "tool".into(),
            outcome: "ok".into(),
            error_code: None,
            http_status: Some(200),
            latency_ms: 1,
            at: now() - age,
        }
    }

    #[tokio::test]
    async fn the_task_deletes_every_expired_row_in_batches_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::connect(&url).await.unwrap();
        let old: Vec<ExecutionRecord> = (0..BATCH * 2 + 5)
            .map(|_| row(chrono::Duration::days(31)))
            .collect();
        let recent = row(chrono::Duration::days(29));
        store.record_usage(&old, &[]).await.unwrap();
        store.record_execution(&recent).await.unwrap();

        let _task = Retention::start(store.clone(), Some(Duration::from_secs(30 * 86_400)));
        // Polls for the outcome (three batches, two pauses), bounded: not a guess at timing.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = store.list_executions(None, 10).await.unwrap();
            if left.len() == 1 {
                assert_eq!(left, vec![recent]);
                break;
            }
            assert!(Instant::now() < deadline, "{} rows left", left.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[test]
    fn the_pruning_interval_follows_the_retention_within_bounds() {
        use super::interval;
        assert_eq!(
            interval(Duration::from_secs(30 * 86_400)),
            Duration::from_secs(3600)
        );
        assert_eq!(
            interval(Duration::from_secs(86_400)),
            Duration::from_secs(3600)
        );
        assert_eq!(interval(Duration::from_secs(240)), Duration::from_secs(10));
        assert_eq!(interval(Duration::from_secs(2)), Duration::from_secs(1));
    }

    #[tokio::test]
    async fn no_retention_starts_no_task() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::connect(&url).await.unwrap();
        assert!(Retention::start(store, None).0.is_none());
    }
}
