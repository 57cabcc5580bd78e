//! Per-tenant budgets shared by every replica through Redis (`--redis-url`):
//!
//! - a block (the vendor's `Retry-After`) is a key with a PX expiry, `{prefix}budget:{tenant}:blocked`;
//! - the in-flight cap is a sorted-set semaphore, `{prefix}budget:{tenant}:slots`, whose
//!   members are leases scored by their expiry, so the slots of a replica that died come back
//!   when their lease ends.
//!
//! Taking a slot is one Lua script (check the block, drop expired leases, count, add) and so
//! one round trip per call; giving it back is a `ZREM` sent off the call path. While a slot is
//! held, a background task renews its lease every third of it (`renew.lua`, which extends only
//! a lease that still holds its slot), so a call that runs longer than the lease keeps its slot
//! and the cap holds; a replica that dies stops renewing and its slots come back. Every Redis
//! operation has a short timeout; a failure makes the replica use its local budgets (see
//! [`super::outage`]). Keys carry the tenant (the upstream base URL) and nothing secret.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::outage::Outage;
use crate::error::{Error, Result};

/// How long one Redis operation may take before the call goes on with local budgets.
const OP_TIMEOUT: Duration = Duration::from_millis(500);
/// The longest pause between two tries for a slot when the tenant's cap is reached.
const MAX_PAUSE: Duration = Duration::from_millis(50);

/// How a replica reaches Redis for shared budgets (no `Debug`: the URL may hold a password).
#[derive(Clone)]
pub(crate) struct SharedBudgetConfig {
    /// `redis://[:password@]host:port[/db]` (never logged).
    pub url: String,
    /// Prefix of every key (default `toolwire:`), so several deployments can share a Redis.
    pub key_prefix: String,
    /// How long a slot is held without renewal (default 60 s): a replica killed mid-call gives
    /// its slots back after this; a live call renews its slot every third of it.
    pub slot_lease: Duration,
}

impl SharedBudgetConfig {
    /// The defaults for `url`.
    pub fn new(url: impl Into<String>) -> Self {
        SharedBudgetConfig {
            url: url.into(),
            key_prefix: "toolwire:".into(),
            slot_lease: Duration::from_secs(60),
        }
    }
}

/// What Redis said about a tenant.
pub(super) enum Answer {
    /// A slot was taken (give it back with [`Shared::release`]).
    Taken(Lease),
    /// The tenant is blocked for this long.
    Blocked(Duration),
    /// Redis did not answer: go on with local budgets.
    Unavailable,
}

/// A slot held in Redis, its lease renewed in the background while this lives; given back
/// when dropped (off the call path).
pub(super) struct Lease {
    shared: Arc<Shared>,
    slots_key: String,
    id: String,
    renewal: tokio::task::JoinHandle<()>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewal.abort();
        let mut conn = self.shared.conn.clone();
        let key = std::mem::take(&mut self.slots_key);
        let id = std::mem::take(&mut self.id);
        let shared = self.shared.clone();
        let give_back = async move {
            let zrem = redis::cmd("ZREM").arg(&key).arg(&id).to_owned();
            let answer = tokio::time::timeout(OP_TIMEOUT, zrem.query_async::<i64>(&mut conn));
            match answer.await {
                Ok(Ok(_)) => {}
                // The lease's expiry gives the slot back if this did not.
                Ok(Err(e)) => shared.outage.failed(kind_of(&e)),
                Err(_) => shared.outage.failed("timeout"),
            }
        };
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(give_back);
        }
    }
}

/// The Redis side of every tenant's budget.
pub(crate) struct Shared {
    conn: ConnectionManager,
    prefix: String,
    lease_ms: u64,
    cap: usize,
    acquire: redis::Script,
    block: redis::Script,
    renew: redis::Script,
    /// This replica's lease ids: `{replica}:{n}`.
    replica: String,
    next_lease: AtomicU64,
    outage: Outage,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("prefix", &self.prefix)
            .field("cap", &self.cap)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Prepares the connection (made lazily: a Redis that is down at start is not an error,
    /// the replica runs on local budgets until it answers). Only a malformed URL fails.
    pub fn connect(config: &SharedBudgetConfig, cap: usize) -> Result<Arc<Shared>> {
        let client = redis::Client::open(config.url.as_str()).map_err(|e| {
            Error::Internal(format!(
                "the Redis URL for shared budgets is not usable ({}); give redis://host:port",
                kind_of(&e)
            ))
        })?;
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(OP_TIMEOUT))
            .set_response_timeout(Some(OP_TIMEOUT))
            .set_number_of_retries(1);
        let conn =
            ConnectionManager::new_lazy_with_config(client, manager_config).map_err(|e| {
                Error::Internal(format!(
                    "cannot prepare the Redis connection for shared budgets ({})",
                    kind_of(&e)
                ))
            })?;
        Ok(Arc::new(Shared {
            conn,
            prefix: config.key_prefix.clone(),
            lease_ms: config.slot_lease.as_millis().max(1) as u64,
            cap: cap.max(1),
            acquire: redis::Script::new(include_str!("acquire.lua")),
            block: redis::Script::new(include_str!("block.lua")),
            renew: redis::Script::new(include_str!("renew.lua")),
            replica: uuid::Uuid::new_v4().simple().to_string(),
            next_lease: AtomicU64::new(0),
            outage: Outage::default(),
        }))
    }

    fn key(&self, tenant: &str, what: &str) -> String {
        format!("{}budget:{tenant}:{what}", self.prefix)
    }

    /// Takes one of `tenant`'s slots across replicas, waiting (with short pauses) while they
    /// are all taken; answers at once when the tenant is blocked or Redis does not answer.
    pub async fn acquire(self: &Arc<Self>, tenant: &str) -> Answer {
        let blocked_key = self.key(tenant, "blocked");
        let slots_key = self.key(tenant, "slots");
        let id = format!(
            "{}:{}",
            self.replica,
            self.next_lease.fetch_add(1, Ordering::Relaxed)
        );
        let mut pause = Duration::from_millis(1);
        loop {
            if !self.outage.should_ask() {
                return Answer::Unavailable;
            }
            let mut conn = self.conn.clone();
            let mut invocation = self.acquire.prepare_invoke();
            invocation
                .key(&blocked_key)
                .key(&slots_key)
                .arg(self.cap)
                .arg(self.lease_ms)
                .arg(&id);
            let answer =
                tokio::time::timeout(OP_TIMEOUT, invocation.invoke_async::<(u8, i64)>(&mut conn))
                    .await;
            match answer {
                Ok(Ok((0, _))) => {
                    self.outage.answered();
                    let renewal = tokio::spawn(self.clone().renew(slots_key.clone(), id.clone()));
                    return Answer::Taken(Lease {
                        shared: self.clone(),
                        slots_key,
                        id,
                        renewal,
                    });
                }
                Ok(Ok((1, ms))) => {
                    self.outage.answered();
                    return Answer::Blocked(Duration::from_millis(ms.max(1) as u64));
                }
                Ok(Ok(_)) => {
                    self.outage.answered();
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_PAUSE);
                }
                Ok(Err(e)) => {
                    self.outage.failed(kind_of(&e));
                    return Answer::Unavailable;
                }
                Err(_) => {
                    self.outage.failed("timeout");
                    return Answer::Unavailable;
                }
            }
        }
    }

    /// Renews lease `id` every third of the lease until aborted (the [`Lease`] is dropped) or
    /// the slot is found no longer this lease's. A failed renewal is retried at the next tick
    /// (the lease has two more thirds to run).
    async fn renew(self: Arc<Self>, slots_key: String, id: String) {
        let every = Duration::from_millis((self.lease_ms / 3).max(1));
        loop {
            tokio::time::sleep(every).await;
            if !self.outage.should_ask() {
                continue;
            }
            let mut conn = self.conn.clone();
            let mut invocation = self.renew.prepare_invoke();
            invocation.key(&slots_key).arg(self.lease_ms).arg(&id);
            let answer =
                tokio::time::timeout(OP_TIMEOUT, invocation.invoke_async::<i64>(&mut conn)).await;
            match answer {
                Ok(Ok(1)) => self.outage.answered(),
                Ok(Ok(_)) => {
                    self.outage.answered();
                    tracing::warn!(
                        "a call outlived its shared in-flight slot (not renewed in time); \
                         the tenant's cap may be exceeded until it ends"
                    );
                    return;
                }
                Ok(Err(e)) => self.outage.failed(kind_of(&e)),
                Err(_) => self.outage.failed("timeout"),
            }
        }
    }

    /// Blocks `tenant` on every replica for `wait` (unless already blocked for longer).
    pub async fn block(&self, tenant: &str, wait: Duration) {
        if !self.outage.should_ask() {
            return;
        }
        let mut conn = self.conn.clone();
        let mut invocation = self.block.prepare_invoke();
        invocation
            .key(self.key(tenant, "blocked"))
            .arg(wait.as_millis().max(1) as u64);
        let answer =
            tokio::time::timeout(OP_TIMEOUT, invocation.invoke_async::<i64>(&mut conn)).await;
        match answer {
            Ok(Ok(_)) => self.outage.answered(),
            Ok(Err(e)) => self.outage.failed(kind_of(&e)),
            Err(_) => self.outage.failed("timeout"),
        }
    }

    #[cfg(test)]
    pub(super) fn outage(&self) -> &Outage {
        &self.outage
    }

    #[cfg(test)]
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// A failure's kind, without its text (which could name the server or the URL).
fn kind_of(e: &redis::RedisError) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connection_refusal() {
        "connection refused"
    } else if e.is_io_error() {
        "I/O error"
    } else {
        "Redis error"
    }
}
