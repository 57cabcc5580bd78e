//! [`ToolwireBuilder`]: store, master key, connectors, HTTP options, OAuth clients; it opens
//! the vault, loads the connectors and assembles the engine. `build()`, which wraps the engine
//! in a [`Toolwire`](crate::Toolwire), is written beside `Toolwire` (the facade knows the
//! builder, not the other way round).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::connector::Connector;
use crate::engine::{Engine, Ledger, LinkBuilder};
use crate::error::{Error, Result};
use crate::events::Events;
use crate::http::HttpOptions;
use crate::store::Store;
use crate::vault::{MasterKey, Vault};

/// Configures a [`Toolwire`](crate::Toolwire).
#[derive(Default)]
pub struct ToolwireBuilder {
    store: Option<Store>,
    master_key: Option<MasterKey>,
    connector_files: Vec<PathBuf>,
    connector_dirs: Vec<PathBuf>,
    connectors: Vec<Connector>,
    http: HttpOptions,
    links: Option<LinkBuilder>,
    outbound_ip_hint: Option<String>,
    oauth_clients: HashMap<String, crate::oauth::OAuthClient>,
    account_cache_ttl: Option<std::time::Duration>,
    tenant_concurrency: Option<usize>,
    shared_budgets: Option<crate::engine::SharedBudgetConfig>,
    audit_log: crate::engine::AuditLog,
    audit_retention: Option<std::time::Duration>,
    allow_private_egress: bool,
}

impl ToolwireBuilder {
    /// Requests in flight per tenant (upstream host) at most (default 32): one tenant's slow
    /// or failing API cannot take every connection.
    pub fn tenant_concurrency(mut self, limit: usize) -> Self {
        self.tenant_concurrency = Some(limit);
        self
    }

    /// Shares per-tenant budgets across replicas through Redis (`redis://host:port`): a
    /// vendor's `Retry-After` seen by one replica stops every replica from sending to that
    /// tenant for that time, and [`tenant_concurrency`](Self::tenant_concurrency) holds over
    /// all replicas together. Without it, budgets are per process. If Redis does not answer,
    /// calls run on this replica's own budgets (one warning per outage), never blocked on it.
    pub fn redis_url(mut self, url: impl Into<String>) -> Self {
        let config = crate::engine::SharedBudgetConfig::new(url);
        self.shared_budgets = Some(match self.shared_budgets.take() {
            Some(old) => crate::engine::SharedBudgetConfig {
                url: config.url,
                ..old
            },
            None => config,
        });
        self
    }

    /// The prefix of every Redis key (default `toolwire:`), so deployments can share a Redis.
    /// Only with [`redis_url`](Self::redis_url).
    pub fn redis_key_prefix(mut self, prefix: impl Into<String>) -> Self {
        if let Some(c) = self.shared_budgets.as_mut() {
            c.key_prefix = prefix.into();
        }
        self
    }

    /// How long a shared in-flight slot is held at most (default 60 s): the slots of a replica
    /// killed mid-call come back after this. Only with [`redis_url`](Self::redis_url).
    pub fn redis_slot_lease(mut self, lease: std::time::Duration) -> Self {
        if let Some(c) = self.shared_budgets.as_mut() {
            c.slot_lease = lease;
        }
        self
    }

    /// How long an account and its decrypted credentials may be served from memory since the
    /// store last confirmed them (default 1 s; zero disables). Accounts in use are confirmed in
    /// the background (twice per TTL, one query per 500 accounts), so changes made by other
    /// replicas are seen within this time; changes made through this instance apply at once.
    pub fn account_cache_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.account_cache_ttl = Some(ttl);
        self
    }

    /// Which tool calls leave an audit row in the store (default [`AuditLog::Full`](crate::AuditLog)).
    /// Last-use times, which drive inactivity warnings, are recorded whatever this says.
    pub fn audit_log(mut self, audit_log: crate::engine::AuditLog) -> Self {
        self.audit_log = audit_log;
        self
    }

    /// How long audit rows (`executions`) are kept (default: forever). When set, a background
    /// task deletes older rows hourly, 1,000 per statement with a pause between, off the call
    /// path.
    pub fn audit_retention(mut self, keep: std::time::Duration) -> Self {
        self.audit_retention = Some(keep);
        self
    }

    /// The OAuth client (registered with the vendor) used by `connection`'s OAuth scheme.
    pub fn oauth_client(
        mut self,
        connection: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: secrecy::SecretString,
    ) -> Self {
        self.oauth_clients.insert(
            connection.into(),
            crate::oauth::OAuthClient {
                client_id: client_id.into(),
                client_secret,
            },
        );
        self
    }

    /// Where accounts and credentials live.
    pub fn store(mut self, store: Store) -> Self {
        self.store = Some(store);
        self
    }

    /// The vault's master key.
    pub fn master_key(mut self, key: MasterKey) -> Self {
        self.master_key = Some(key);
        self
    }

    /// Loads every `*.yaml` spec in `dir`.
    pub fn connectors_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.connector_dirs.push(dir.into());
        self
    }

    /// Loads one spec file.
    pub fn connector_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.connector_files.push(file.into());
        self
    }

    /// Adds an already prepared connector.
    pub fn connector(mut self, connector: Connector) -> Self {
        self.connectors.push(connector);
        self
    }

    /// Trusts an extra root CA (PEM), e.g. the simulator's.
    pub fn extra_root_pem(mut self, pem: impl Into<String>) -> Self {
        self.http.extra_roots_pem.push(pem.into());
        self
    }

    /// Sends every host under `suffix` (e.g. `example.com`: the name itself and `*.example.com`)
    /// to `addr`; TLS still checks names. Repeatable; the first matching suffix wins.
    pub fn resolve_suffix(mut self, suffix: impl Into<String>, addr: std::net::SocketAddr) -> Self {
        self.http.resolve_suffixes.push((suffix.into(), addr));
        self
    }

    /// Lets accounts reach hosts that are IP literals, `localhost` or resolve to loopback,
    /// private, link-local or unique-local addresses (default: refused, so a customer-chosen
    /// host cannot reach the operator's network). Hosts under [`resolve_suffix`](Self::resolve_suffix)
    /// overrides are the operator's own choice and allowed either way.
    pub fn allow_private_egress(mut self, allow: bool) -> Self {
        self.allow_private_egress = allow;
        self
    }

    /// Builds reconnect links shown to agents when an account needs its user.
    pub fn reconnect_links(
        mut self,
        f: impl Fn(&str, &str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.links = Some(Arc::new(f));
        self
    }

    /// The outbound IP named in RESTRICTED (IP allowlist) messages.
    pub fn outbound_ip_hint(mut self, ip: impl Into<String>) -> Self {
        self.outbound_ip_hint = Some(ip.into());
        self
    }

    /// Opens the vault (a wrong master key is refused here), loads the connectors and
    /// assembles the engine.
    pub(crate) async fn engine(self) -> Result<Engine> {
        let store = self
            .store
            .ok_or_else(|| Error::Internal("a store is required".into()))?;
        let key = self
            .master_key
            .ok_or_else(|| Error::Internal("a master key is required".into()))?;
        let vault = Vault::open(&store, key).await?;
        let mut connectors = self.connectors;
        let mut files = self.connector_files;
        for dir in &self.connector_dirs {
            files.extend(spec_files(dir)?);
        }
        for file in files {
            connectors.push(Connector::load_file(&file)?);
        }
        for c in &mut connectors {
            c.allow_private_egress(self.allow_private_egress);
        }
        let mut map = HashMap::new();
        let mut tool_owner = HashMap::new();
        for c in connectors {
            for t in &c.spec.tools {
                if let Some(other) = tool_owner.insert(t.name.clone(), c.spec.connector.clone()) {
                    return Err(Error::Internal(format!(
                        "tool `{}` is defined by both {other} and {}",
                        t.name, c.spec.connector
                    )));
                }
            }
            map.insert(c.spec.connector.clone(), Arc::new(c));
        }
        let per_tenant = self.tenant_concurrency.unwrap_or(32);
        let budgets = match &self.shared_budgets {
            Some(config) => crate::engine::Budgets::shared(per_tenant, config)?,
            None => crate::engine::Budgets::new(per_tenant),
        };
        let cache = Arc::new(crate::engine::AccountCache::new(
            self.account_cache_ttl
                .unwrap_or(std::time::Duration::from_secs(1)),
        ));
        cache.start_confirming(store.clone());
        Ok(Engine {
            client: crate::http::guarded_client(&self.http, self.allow_private_egress)?,
            connectors: map,
            tool_owner,
            store: store.clone(),
            vault,
            links: self.links,
            events: Events::pruning(store.clone()),
            outbound_ip_hint: self.outbound_ip_hint,
            ledger: Ledger::start(store.clone()),
            audit_log: self.audit_log,
            oauth_clients: self.oauth_clients,
            refresh_locks: Default::default(),
            budgets,
            cache,
            account_counts: Default::default(),
            _retention: crate::engine::Retention::start(store.clone(), self.audit_retention),
        })
    }
}

fn spec_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Internal(format!("cannot read connectors dir {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}
