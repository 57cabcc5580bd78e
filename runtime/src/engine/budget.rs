//! Per-tenant budgets, so one tenant's limits or outage never slow another: each tenant (the
//! upstream host an account routes to) gets its own cap on requests in flight, and once the
//! vendor says "rate limited, retry after N s" further calls for that tenant fail fast with
//! `retry_after_s` instead of queueing behind or hammering the limit. Other tenants are untouched.
//!
//! A tenant's [`Budget`] is looked up once when an account is loaded and kept with the cached
//! account, so a tool call touches no shared map.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

/// One tenant's budget.
#[derive(Debug)]
pub(crate) struct Budget {
    in_flight: Semaphore,
    blocked_until: Mutex<Option<Instant>>,
}

impl Budget {
    /// Seconds the tenant is still rate limited for, if it is.
    pub fn blocked_for(&self) -> Option<u64> {
        let until = *self.blocked_until.lock().unwrap_or_else(|e| e.into_inner());
        until
            .and_then(|u| u.checked_duration_since(Instant::now()))
            .map(|d| d.as_secs().max(1))
    }

    /// Waits for one of the tenant's in-flight slots.
    pub async fn acquire(&self) -> SemaphorePermit<'_> {
        self.in_flight
            .acquire()
            .await
            .expect("budget semaphores are never closed")
    }

    /// Records that the vendor asked this tenant to wait `seconds`.
    pub fn block(&self, seconds: u64) {
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut blocked = self.blocked_until.lock().unwrap_or_else(|e| e.into_inner());
        if blocked.is_none_or(|b| b < until) {
            *blocked = Some(until);
        }
    }
}

/// All tenants' budgets.
#[derive(Debug)]
pub(crate) struct Budgets {
    per_tenant: usize,
    map: Mutex<HashMap<String, Arc<Budget>>>,
}

impl Budgets {
    /// Budgets allowing `per_tenant` requests in flight per tenant.
    pub fn new(per_tenant: usize) -> Self {
        Budgets {
            per_tenant: per_tenant.max(1),
            map: Mutex::new(HashMap::new()),
        }
    }

    /// The budget of `tenant` (created on first use; every account routed to the same tenant
    /// shares it).
    pub fn of(&self, tenant: &str) -> Arc<Budget> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(budget) = map.get(tenant) {
            return budget.clone();
        }
        let budget = Arc::new(Budget {
            in_flight: Semaphore::new(self.per_tenant),
            blocked_until: Mutex::new(None),
        });
        map.insert(tenant.to_string(), budget.clone());
        budget
    }
}
