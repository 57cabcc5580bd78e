//! A short-lived in-memory cache of accounts and their decrypted credentials, so a tool call
//! needs no store round-trip or decryption on the hot path. Every change made by this process
//! invalidates the entry at once; changes made by other replicas are seen within the TTL (and an
//! auth failure always re-reads the store before changing status, so a stale entry can never
//! revoke freshly re-entered credentials).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::store::AccountRecord;
use crate::vault::Credentials;

/// A cached account with its credentials (when it has usable ones).
#[derive(Clone)]
pub(crate) struct Cached {
    pub account: Arc<AccountRecord>,
    pub creds: Option<Arc<Credentials>>,
    /// The account's checked base URL (routing done once per load).
    pub base: Option<String>,
}

struct Entry {
    value: Cached,
    at: Instant,
}

/// The cache.
pub(crate) struct AccountCache {
    ttl: Duration,
    /// When expired entries were last swept (at most once per TTL), so idle accounts'
    /// decrypted credentials do not stay in memory.
    last_sweep: std::sync::Mutex<Instant>,
    /// connection → identifier → entry (two levels, so lookups borrow `&str` keys).
    map: RwLock<HashMap<String, HashMap<String, Entry>>>,
}

impl AccountCache {
    pub fn new(ttl: Duration) -> Self {
        AccountCache {
            ttl,
            last_sweep: std::sync::Mutex::new(Instant::now()),
            map: RwLock::new(HashMap::new()),
        }
    }

    pub fn get(&self, connection: &str, identifier: &str) -> Option<Cached> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        let entry = map.get(connection)?.get(identifier)?;
        (entry.at.elapsed() < self.ttl).then(|| entry.value.clone())
    }

    pub fn put(&self, value: Cached) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        self.sweep(&mut map);
        let per_connection = map.entry(value.account.connection.clone()).or_default();
        let identifier = value.account.identifier.clone();
        per_connection.insert(
            identifier,
            Entry {
                value,
                at: Instant::now(),
            },
        );
    }

    /// Drops expired entries, at most once per TTL.
    fn sweep(&self, map: &mut HashMap<String, HashMap<String, Entry>>) {
        let mut last = self.last_sweep.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() < self.ttl {
            return;
        }
        *last = Instant::now();
        let ttl = self.ttl;
        for per_connection in map.values_mut() {
            per_connection.retain(|_, e| e.at.elapsed() < ttl);
        }
        map.retain(|_, per_connection| !per_connection.is_empty());
    }

    pub fn invalidate(&self, connection: &str, identifier: &str) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if let Some(per_connection) = map.get_mut(connection) {
            per_connection.remove(identifier);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AccountRecord, AccountStatus};

    fn cached(identifier: &str) -> Cached {
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
                version: 1,
            }),
            creds: None,
            base: None,
        }
    }

    #[test]
    fn expired_entries_of_idle_accounts_are_swept() {
        let cache = AccountCache::new(Duration::from_millis(20));
        cache.put(cached("idle"));
        assert!(cache.get("c", "idle").is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert!(
            cache.get("c", "idle").is_none(),
            "expired entries are not served"
        );
        cache.put(cached("busy"));
        let held = cache
            .map
            .read()
            .unwrap()
            .get("c")
            .map(|m| m.len())
            .unwrap_or(0);
        assert_eq!(
            held, 1,
            "the idle account's entry (and its credentials) left memory"
        );
    }
}
