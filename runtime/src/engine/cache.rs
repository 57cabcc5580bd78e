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
    /// connection → identifier → entry (two levels, so lookups borrow `&str` keys).
    map: RwLock<HashMap<String, HashMap<String, Entry>>>,
}

impl AccountCache {
    pub fn new(ttl: Duration) -> Self {
        AccountCache {
            ttl,
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
        let per_connection = map.entry(value.account.connection.clone()).or_default();
        if per_connection.len() > 100_000 {
            let ttl = self.ttl;
            per_connection.retain(|_, e| e.at.elapsed() < ttl);
        }
        let identifier = value.account.identifier.clone();
        per_connection.insert(
            identifier,
            Entry {
                value,
                at: Instant::now(),
            },
        );
    }

    pub fn invalidate(&self, connection: &str, identifier: &str) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if let Some(per_connection) = map.get_mut(connection) {
            per_connection.remove(identifier);
        }
    }
}
