//! Per-tenant budgets, so one tenant's limits or outage never slow another: each tenant (the
//! upstream host an account routes to) gets its own cap on requests in flight, and once the
//! vendor says "rate limited, retry after N s" further calls for that tenant fail fast with
//! `retry_after_s` instead of queueing behind or hammering the limit. Other tenants are untouched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// One tenant's budget.
#[derive(Debug)]
struct Budget {
    in_flight: Arc<Semaphore>,
    blocked_until: Mutex<Option<Instant>>,
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

    fn budget(&self, tenant: &str) -> Arc<Budget> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(tenant.to_string())
            .or_insert_with(|| {
                Arc::new(Budget {
                    in_flight: Arc::new(Semaphore::new(self.per_tenant)),
                    blocked_until: Mutex::new(None),
                })
            })
            .clone()
    }

    /// Seconds the tenant is still rate limited for, if it is.
    pub fn blocked_for(&self, tenant: &str) -> Option<u64> {
        let budget = self.budget(tenant);
        let until = *budget
            .blocked_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        until
            .and_then(|u| u.checked_duration_since(Instant::now()))
            .map(|d| d.as_secs().max(1))
    }

    /// Waits for one of the tenant's in-flight slots.
    pub async fn acquire(&self, tenant: &str) -> OwnedSemaphorePermit {
        self.budget(tenant)
            .in_flight
            .clone()
            .acquire_owned()
            .await
            .expect("budget semaphores are never closed")
    }

    /// Records that the vendor asked this tenant to wait `seconds`.
    pub fn block(&self, tenant: &str, seconds: u64) {
        let budget = self.budget(tenant);
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut blocked = budget
            .blocked_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if blocked.is_none_or(|b| b < until) {
            *blocked = Some(until);
        }
    }
}
