//! An in-memory cache of accounts and their decrypted credentials, so a tool call needs no
//! store round-trip or decryption on the hot path.
//!
//! Freshness: an entry is served only while it was *confirmed* against the store within the
//! TTL (default 1 s). Confirming is cheap and off the call path: twice per TTL a background task
//! checks the `version` of every entry used since its last confirmation, in one query per 500
//! accounts, and drops entries whose account changed or vanished. Changes made by other replicas
//! are therefore seen within the TTL, as with a plain expiry, but a busy account is not re-read
//! and re-decrypted every TTL. Every change made by this process invalidates its entry at once,
//! and an auth failure always re-reads the store before changing status, so a stale entry can
//! never revoke freshly re-entered credentials.
//!
//! Memory and work: an entry not used since it was last confirmed is not confirmed again, and is
//! dropped (with its decrypted credentials) once its TTL has passed; so an account called once
//! costs what it did with a plain expiry, and confirmation work follows the busy accounts only.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::store::{AccountRecord, Store};
use crate::vault::Credentials;

/// A cached account with its credentials (when it has usable ones).
#[derive(Clone)]
pub(crate) struct Cached {
    pub account: Arc<AccountRecord>,
    pub creds: Option<Arc<Credentials>>,
    /// Where the account's calls go (routing done once per load).
    pub target: Option<Arc<Target>>,
}

/// A routed account's destination: its checked base URL and its tenant's budget.
pub(crate) struct Target {
    pub base: String,
    pub budget: Arc<super::budget::Budget>,
}

struct Entry {
    value: Cached,
    /// When the store last confirmed this entry (ms since the cache's epoch).
    confirmed_ms: AtomicU64,
    /// When a call last used it (ms since the cache's epoch).
    used_ms: AtomicU64,
}

type Map = HashMap<String, HashMap<String, Entry>>;

/// The cache.
pub(crate) struct AccountCache {
    ttl: Duration,
    epoch: Instant,
    /// connection → identifier → entry (two levels, so lookups borrow `&str` keys).
    map: RwLock<Map>,
}

impl AccountCache {
    pub fn new(ttl: Duration) -> Self {
        AccountCache {
            ttl,
            epoch: Instant::now(),
            map: RwLock::new(HashMap::new()),
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn ttl_ms(&self) -> u64 {
        self.ttl.as_millis() as u64
    }

    pub fn get(&self, connection: &str, identifier: &str) -> Option<Cached> {
        self.get_at(self.now_ms(), connection, identifier)
    }

    fn get_at(&self, now: u64, connection: &str, identifier: &str) -> Option<Cached> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        let entry = map.get(connection)?.get(identifier)?;
        if now.saturating_sub(entry.confirmed_ms.load(Ordering::Relaxed)) >= self.ttl_ms() {
            return None;
        }
        entry.used_ms.store(now, Ordering::Relaxed);
        Some(entry.value.clone())
    }

    /// Caches a value just read from the store.
    pub fn put(&self, value: Cached) {
        self.put_at(self.now_ms(), value)
    }

    fn put_at(&self, now: u64, value: Cached) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        let per_connection = map.entry(value.account.connection.clone()).or_default();
        let identifier = value.account.identifier.clone();
        per_connection.insert(
            identifier,
            Entry {
                value,
                confirmed_ms: AtomicU64::new(now),
                used_ms: AtomicU64::new(now),
            },
        );
    }

    pub fn invalidate(&self, connection: &str, identifier: &str) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if let Some(per_connection) = map.get_mut(connection) {
            per_connection.remove(identifier);
        }
    }

    /// Drops entries that can no longer be served and were not used since their last
    /// confirmation; returns the (id, version) of those used since, to confirm.
    fn sweep(&self, now: u64) -> Vec<(Uuid, i64)> {
        let ttl = self.ttl_ms();
        let used_since_confirmed =
            |e: &Entry| e.used_ms.load(Ordering::Relaxed) > e.confirmed_ms.load(Ordering::Relaxed);
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        for per_connection in map.values_mut() {
            per_connection.retain(|_, e| {
                now.saturating_sub(e.confirmed_ms.load(Ordering::Relaxed)) < ttl
                    || used_since_confirmed(e)
            });
        }
        map.retain(|_, per_connection| !per_connection.is_empty());
        map.values()
            .flat_map(HashMap::values)
            .filter(|e| used_since_confirmed(e))
            .map(|e| (e.value.account.id, e.value.account.version))
            .collect()
    }

    /// Applies a confirmation read that started at `started_ms`: entries whose version is
    /// current are fresh from then on; entries whose account changed or vanished are dropped.
    fn confirm(&self, started_ms: u64, current: &HashMap<Uuid, i64>) {
        let mut stale = Vec::new();
        {
            let map = self.map.read().unwrap_or_else(|e| e.into_inner());
            for entry in map.values().flat_map(HashMap::values) {
                let account = &entry.value.account;
                if current.get(&account.id) == Some(&account.version) {
                    entry.confirmed_ms.fetch_max(started_ms, Ordering::Relaxed);
                } else if entry.confirmed_ms.load(Ordering::Relaxed) < started_ms {
                    // Loaded before the read started and not current: changed elsewhere.
                    stale.push((account.connection.clone(), account.identifier.clone()));
                }
            }
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        for (connection, identifier) in stale {
            if let Some(per_connection) = map.get_mut(&connection)
                && per_connection
                    .get(&identifier)
                    .is_some_and(|e| e.confirmed_ms.load(Ordering::Relaxed) < started_ms)
            {
                per_connection.remove(&identifier);
            }
        }
    }

    /// Starts the background task that sweeps and confirms entries twice per TTL; it ends when
    /// the cache is dropped.
    pub fn start_confirming(self: &Arc<Self>, store: Store) {
        if self.ttl.is_zero() {
            return;
        }
        let cache: Weak<AccountCache> = Arc::downgrade(self);
        let period = self.ttl / 2;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(cache) = cache.upgrade() else { return };
                let ids = cache.sweep(cache.now_ms());
                if ids.is_empty() {
                    continue;
                }
                let started = cache.now_ms();
                let only_ids: Vec<Uuid> = ids.iter().map(|(id, _)| *id).collect();
                match store.account_versions(&only_ids).await {
                    Ok(rows) => cache.confirm(started, &rows.into_iter().collect()),
                    // Entries simply expire at their TTL; calls then read the store themselves.
                    Err(e) => tracing::warn!(code = e.code(), "account cache confirmation failed"),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AccountRecord, AccountStatus};

    fn cached(identifier: &str, version: i64) -> Cached {
        let now = crate::store::now();
        Cached {
            account: Arc::new(AccountRecord {
                id: uuid::Uuid::now_v7(),
                connection: "c".into(),
                identifier: identifier.into(),
                status: AccountStatus::Active,
                status_reason: None,
                status_message: None,
                auth_scheme: None,
                config: Default::default(),
                credentials: None,
                created_at: now,
                updated_at: now,
                last_used_at: None,
                credentials_updated_at: None,
                version,
            }),
            creds: None,
            target: None,
        }
    }

    fn held(cache: &AccountCache) -> usize {
        cache.map.read().unwrap().values().map(HashMap::len).sum()
    }

    #[test]
    fn unconfirmed_entries_expire_after_the_ttl() {
        let cache = AccountCache::new(Duration::from_millis(1000));
        cache.put_at(0, cached("a", 1));
        assert!(cache.get_at(999, "c", "a").is_some());
        assert!(
            cache.get_at(1000, "c", "a").is_none(),
            "not confirmed: not served"
        );
    }

    #[test]
    fn confirmed_entries_stay_fresh_and_changed_ones_are_dropped() {
        let cache = AccountCache::new(Duration::from_millis(1000));
        let same = cached("same", 3);
        let changed = cached("changed", 3);
        let deleted = cached("deleted", 1);
        let current: HashMap<Uuid, i64> = [(same.account.id, 3), (changed.account.id, 4)].into();
        for v in [same, changed, deleted] {
            cache.put_at(0, v);
        }
        cache.confirm(600, &current);
        assert!(
            cache.get_at(1500, "c", "same").is_some(),
            "confirmed at 600: fresh at 1500 although loaded at 0"
        );
        assert!(cache.get_at(1600, "c", "same").is_none(), "until 600 + TTL");
        assert!(
            cache.get_at(700, "c", "changed").is_none(),
            "version moved on"
        );
        assert!(cache.get_at(700, "c", "deleted").is_none(), "row gone");
        assert_eq!(held(&cache), 1, "stale entries left memory");
    }

    #[test]
    fn an_entry_loaded_after_the_read_started_is_kept() {
        let cache = AccountCache::new(Duration::from_millis(1000));
        cache.put_at(20, cached("fresh", 9));
        cache.confirm(10, &HashMap::new());
        assert!(
            cache.get_at(30, "c", "fresh").is_some(),
            "newer than the read"
        );
    }

    #[test]
    fn only_used_entries_are_confirmed_and_idle_ones_leave_with_their_credentials() {
        let cache = AccountCache::new(Duration::from_millis(1000));
        cache.put_at(0, cached("idle", 1));
        cache.put_at(0, cached("busy", 1));
        let busy_id = cache.get_at(0, "c", "busy").unwrap().account.id;
        assert!(
            cache.sweep(0).is_empty(),
            "nothing used since it was loaded"
        );
        for t in (500..=5000).step_by(500) {
            assert!(
                cache.get_at(t - 1, "c", "busy").is_some(),
                "busy is always fresh"
            );
            let to_confirm = cache.sweep(t);
            assert_eq!(
                to_confirm,
                vec![(busy_id, 1)],
                "only the used entry is confirmed"
            );
            cache.confirm(t, &to_confirm.into_iter().collect());
        }
        assert!(cache.get_at(5000, "c", "idle").is_none());
        assert_eq!(
            held(&cache),
            1,
            "the idle entry (and its credentials) left memory"
        );
    }
}
