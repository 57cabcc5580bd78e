//! Per-tenant budgets, so one tenant's limits or outage never slow another: each tenant (the
//! upstream host an account routes to) gets its own cap on requests in flight, and once the
//! vendor says "rate limited, retry after N s" further calls for that tenant fail fast with
//! `retry_after_s` instead of queueing behind or hammering the limit. Other tenants are untouched.
//!
//! Two backends: [`local`] (in-process, the default and one machine's whole story) and
//! [`shared`] (Redis, `--redis-url`), where the block and the cap hold across every replica.
//! With Redis, the local budget still applies underneath (a replica never exceeds the cap on
//! its own, and a block it knows of is answered without a round trip); when Redis does not
//! answer, calls run on the local budget alone (see [`outage`]).
//!
//! A tenant's [`Budget`] is looked up once when an account is loaded and kept with the cached
//! account, so a tool call touches no shared map.

mod local;
mod outage;
mod shared;
#[cfg(test)]
mod tests;

pub(crate) use shared::SharedBudgetConfig;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::SemaphorePermit;

use local::{LocalBudget, seconds_rounded_up};
use shared::{Answer, Lease, Shared};

/// One tenant's budget.
#[derive(Debug)]
pub(crate) struct Budget {
    tenant: String,
    local: LocalBudget,
    shared: Option<Arc<Shared>>,
}

/// The right to send one request to a tenant; the slot is given back when dropped.
pub(crate) struct Slot<'a> {
    _local: SemaphorePermit<'a>,
    _shared: Option<Lease>,
}

impl Budget {
    /// Takes one of the tenant's in-flight slots (waiting while all are taken), or answers
    /// `Err(seconds)` at once when the tenant is rate limited, here or on any replica.
    pub async fn enter(&self) -> Result<Slot<'_>, u64> {
        if let Some(wait) = self.local.blocked_for() {
            return Err(wait);
        }
        let permit = self.local.acquire().await;
        // A block may have arrived while this call waited for its slot.
        if let Some(wait) = self.local.blocked_for() {
            return Err(wait);
        }
        let lease = match &self.shared {
            None => None,
            Some(shared) => match shared.acquire(&self.tenant).await {
                Answer::Taken(lease) => Some(lease),
                Answer::Blocked(wait) => {
                    self.local.block(wait);
                    return Err(seconds_rounded_up(wait));
                }
                Answer::Unavailable => None,
            },
        };
        Ok(Slot {
            _local: permit,
            _shared: lease,
        })
    }

    /// Records that the vendor asked this tenant to wait `seconds` (on every replica when
    /// budgets are shared).
    pub async fn block(&self, seconds: u64) {
        let wait = Duration::from_secs(seconds);
        self.local.block(wait);
        if let Some(shared) = &self.shared {
            shared.block(&self.tenant, wait).await;
        }
    }

    /// Seconds the tenant is still rate limited for, as this replica knows it.
    #[cfg(test)]
    pub fn blocked_for(&self) -> Option<u64> {
        self.local.blocked_for()
    }
}

/// All tenants' budgets.
#[derive(Debug)]
pub(crate) struct Budgets {
    per_tenant: usize,
    shared: Option<Arc<Shared>>,
    map: Mutex<HashMap<String, Arc<Budget>>>,
}

impl Budgets {
    /// In-process budgets allowing `per_tenant` requests in flight per tenant.
    pub fn new(per_tenant: usize) -> Self {
        Budgets {
            per_tenant: per_tenant.max(1),
            shared: None,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Budgets shared across replicas through Redis: `per_tenant` in flight per tenant over
    /// all replicas together. Fails only on a malformed URL (Redis itself may be down).
    pub fn shared(per_tenant: usize, config: &SharedBudgetConfig) -> crate::error::Result<Self> {
        Ok(Budgets {
            shared: Some(Shared::connect(config, per_tenant)?),
            ..Budgets::new(per_tenant)
        })
    }

    /// The budget of `tenant` (created on first use; every account routed to the same tenant
    /// shares it).
    pub fn of(&self, tenant: &str) -> Arc<Budget> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(budget) = map.get(tenant) {
            return budget.clone();
        }
        let budget = Arc::new(Budget {
            tenant: tenant.to_string(),
            local: LocalBudget::new(self.per_tenant),
            shared: self.shared.clone(),
        });
        map.insert(tenant.to_string(), budget.clone());
        budget
    }
}
