//! Shared server state: the tenants, the default tenant, the request log, faults and config.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::faults::Faults;
use crate::log::RequestLog;
use crate::tenants::Tenant;

/// Tunables fixed at start.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    pub rate_limit: u32,
    pub body_limit: usize,
    /// Pagination links use the request's own origin for non-`*.zendesk.com` hosts.
    pub local_links: bool,
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Extra exact-match redirect URIs for every tenant's demo OAuth client.
    pub oauth_redirect_uris: Vec<String>,
}

/// Everything the server shares between connections.
pub struct SimState {
    pub tenants: RwLock<BTreeMap<String, Arc<Mutex<Tenant>>>>,
    pub default_tenant: RwLock<String>,
    pub log: RequestLog,
    pub faults: Faults,
    pub config: SimConfig,
}

impl SimState {
    pub fn new(config: SimConfig, default_tenant: String) -> SimState {
        SimState {
            tenants: RwLock::new(BTreeMap::new()),
            default_tenant: RwLock::new(default_tenant),
            log: RequestLog::new(100_000),
            faults: Faults::new(config.seed),
            config,
        }
    }

    pub fn tenant(&self, sub: &str) -> Option<Arc<Mutex<Tenant>>> {
        self.tenants
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(sub)
            .cloned()
    }

    /// Add a tenant; it gets the demo OAuth client (`toolwire_demo`) unless it has one.
    pub fn insert_tenant(&self, mut t: Tenant) {
        let demo = crate::oauth::clients::DEMO_CLIENT_ID;
        if t.oauth.client(demo).is_none() {
            t.oauth.clients.push(crate::oauth::clients::demo_client(
                self.config.seed,
                &self.config.oauth_redirect_uris,
            ));
        }
        let sub = t.subdomain.clone();
        self.tenants
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(sub, Arc::new(Mutex::new(t)));
    }

    pub fn subdomains(&self) -> Vec<String> {
        self.tenants
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }

    pub fn default_tenant(&self) -> String {
        self.default_tenant
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Lock a tenant, surviving poisoning (a panic elsewhere must not wedge the sim).
pub fn lock(t: &Mutex<Tenant>) -> MutexGuard<'_, Tenant> {
    t.lock().unwrap_or_else(|e| e.into_inner())
}
