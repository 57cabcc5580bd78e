//! Account counts by (connection, status) for gauges: one grouped `COUNT(*)` in the store,
//! cached for a few seconds so frequent readers (several Prometheus scrapers) share one query.
//! A status change made by this process drops the cache at once; changes made by other
//! replicas show within the cache's lifetime.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::events::Events;
use crate::store::{AccountStatus, Store};

/// How long a count is reused.
const COUNTS_TTL: Duration = Duration::from_secs(5);

/// Accounts by (connection, status); pairs with no account are absent.
pub type AccountCounts = HashMap<(String, AccountStatus), i64>;

/// The last count, when it was taken and at which event generation.
#[derive(Default)]
pub(crate) struct CountCache(tokio::sync::Mutex<Option<(Instant, u64, AccountCounts)>>);

impl CountCache {
    /// The cached count if fresh and no local status change happened since; else a new one.
    /// Concurrent callers wait for the one query rather than each running it.
    pub(crate) async fn get(&self, store: &Store, events: &Events) -> Result<AccountCounts> {
        let mut slot = self.0.lock().await;
        let generation = events.generation();
        if let Some((at, seen, counts)) = slot.as_ref()
            && *seen == generation
            && at.elapsed() < COUNTS_TTL
        {
            return Ok(counts.clone());
        }
        let counts: AccountCounts = store
            .count_accounts_by_status()
            .await?
            .into_iter()
            .map(|(connection, status, n)| ((connection, status), n))
            .collect();
        *slot = Some((Instant::now(), generation, counts.clone()));
        Ok(counts)
    }
}
