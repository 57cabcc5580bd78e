//! The library entry point: [`SimBuilder`] starts a server, [`Sim`] is its handle (address,
//! CA, credentials, admin helpers). Dropping the handle stops the server.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::admin::oauth::{self as oauth_ops, RevokedGrants, TokenTtl};
use crate::admin::ops::{self, AgentCredentials, MintedBearer, NewTenant, NewUser, TenantInfo};
use crate::error::SimError;
use crate::faults::{FaultRule, FaultSpec};
use crate::log::LoggedRequest;
use crate::oauth::clients::{NewOAuthClient, OAuthClientInfo};
use crate::oauth::store::OAuthStats;
use crate::seed;
use crate::server;
use crate::state::{SimConfig, SimState};

/// Configures and starts a simulator.
#[derive(Debug, Clone)]
pub struct SimBuilder {
    addr: SocketAddr,
    http: bool,
    seed: u64,
    tickets: usize,
    default_tenant: String,
    rate_limit: u32,
    body_limit: usize,
    local_links: bool,
    tenants: Vec<String>,
    oauth_redirect_uris: Vec<String>,
}

impl Default for SimBuilder {
    fn default() -> Self {
        SimBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            http: false,
            seed: 42,
            tickets: 50,
            default_tenant: "acme".into(),
            rate_limit: 700,
            body_limit: 2 * 1024 * 1024,
            local_links: false,
            tenants: seed::DEMO_TENANTS.iter().map(|s| s.to_string()).collect(),
            oauth_redirect_uris: Vec::new(),
        }
    }
}

impl SimBuilder {
    /// Listen address (default `127.0.0.1:0`).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Plain HTTP instead of HTTPS (default: HTTPS).
    pub fn http(mut self, http: bool) -> Self {
        self.http = http;
        self
    }

    /// RNG seed for data and tokens (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Tickets per seeded tenant (default 50).
    pub fn tickets_per_tenant(mut self, n: usize) -> Self {
        self.tickets = n;
        self
    }

    /// Tenant for hosts that are not `*.zendesk.com` (default `acme`).
    pub fn default_tenant(mut self, sub: impl Into<String>) -> Self {
        self.default_tenant = sub.into();
        self
    }

    /// Requests per minute per tenant (default 700, the Enterprise plan).
    pub fn rate_limit(mut self, per_minute: u32) -> Self {
        self.rate_limit = per_minute;
        self
    }

    /// Largest accepted request body in bytes (default 2 MiB; larger → 413).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// For requests whose Host is not `*.zendesk.com` (clients pointed at `127.0.0.1`), build
    /// pagination links (`next_page`, `links.next`, ...) from the request's own origin instead
    /// of `https://{sub}.zendesk.com`, so link-following clients stay on the sim. Record `url`
    /// fields stay canonical. Default: off (Zendesk's behaviour).
    pub fn local_links(mut self, on: bool) -> Self {
        self.local_links = on;
        self
    }

    /// Seeded tenants (default `["acme", "globex"]`).
    pub fn tenants<I: IntoIterator<Item = S>, S: Into<String>>(mut self, subs: I) -> Self {
        self.tenants = subs.into_iter().map(Into::into).collect();
        self
    }

    /// Extra exact-match redirect URIs for the demo OAuth client `toolwire_demo` (loopback
    /// `http://127.0.0.1|localhost:{any port}/…` callbacks are always accepted).
    pub fn oauth_redirect_uris<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        uris: I,
    ) -> Self {
        self.oauth_redirect_uris = uris.into_iter().map(Into::into).collect();
        self
    }

    /// Bind, seed and serve in a background task.
    pub async fn start(self) -> Result<Sim, SimError> {
        let state = Arc::new(SimState::new(
            SimConfig {
                seed: self.seed,
                rate_limit: self.rate_limit,
                body_limit: self.body_limit,
                local_links: self.local_links,
                scheme: if self.http { "http" } else { "https" },
                oauth_redirect_uris: self.oauth_redirect_uris.clone(),
            },
            self.default_tenant.clone(),
        ));
        for (i, sub) in self.tenants.iter().enumerate() {
            state.insert_tenant(seed::tenant(
                sub,
                i,
                self.seed,
                self.tickets,
                self.rate_limit,
            ));
        }
        let (tls, ca_pem) = if self.http {
            (None, String::new())
        } else {
            let m = server::tls::generate()?;
            (Some(tokio_rustls::TlsAcceptor::from(m.config)), m.ca_pem)
        };
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, tls, state.clone(), rx));
        Ok(Sim {
            addr,
            http: self.http,
            ca_pem,
            state,
            shutdown: tx,
            task: Some(task),
        })
    }
}

/// A running simulator. Stops on drop or [`Sim::shutdown`].
pub struct Sim {
    addr: SocketAddr,
    http: bool,
    ca_pem: String,
    state: Arc<SimState>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Sim {
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    /// The bound address (connect here; use `https://{sub}.zendesk.com` URLs with a resolver
    /// override so SNI and Host carry the tenant).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether the sim serves plain HTTP.
    pub fn is_http(&self) -> bool {
        self.http
    }

    /// The test CA certificate (PEM) to trust; empty in HTTP mode.
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// `https://{sub}.zendesk.com` for a tenant (the URL clients should use).
    pub fn tenant_url(&self, sub: &str) -> String {
        format!("https://{sub}.zendesk.com")
    }

    /// `http(s)://127.0.0.1:PORT` — the socket as a URL (Host is not zendesk.com, so the
    /// default tenant answers).
    pub fn base_url(&self) -> String {
        let scheme = if self.http { "http" } else { "https" };
        format!("{scheme}://{}", self.addr)
    }

    /// All tenants with their agents' credentials.
    pub fn tenants(&self) -> Vec<TenantInfo> {
        ops::tenants(&self.state)
    }

    /// One tenant's info.
    pub fn tenant(&self, sub: &str) -> Result<TenantInfo, SimError> {
        ops::tenant_info(&self.state, sub)
    }

    /// Create a tenant (optionally seeded).
    pub fn create_tenant(&self, spec: NewTenant) -> Result<TenantInfo, SimError> {
        ops::create_tenant(&self.state, spec)
    }

    /// Add a user (agents/admins get an API token by default).
    pub fn add_user(&self, sub: &str, user: NewUser) -> Result<AgentCredentials, SimError> {
        ops::add_user(&self.state, sub, user)
    }

    /// Rotate a user's API token; returns the new token (the old one then answers 401).
    pub fn rotate_token(&self, sub: &str, email: &str) -> Result<String, SimError> {
        ops::rotate_token(&self.state, sub, email)
    }

    /// Deactivate a user's API tokens; returns how many were active.
    pub fn deactivate_token(&self, sub: &str, email: &str) -> Result<usize, SimError> {
        ops::deactivate_tokens(&self.state, sub, email)
    }

    /// Set a tenant's IP allowlist (CIDRs or addresses); empty clears it.
    pub fn set_ip_allowlist(&self, sub: &str, rules: &[&str]) -> Result<(), SimError> {
        let v: Vec<String> = rules.iter().map(|s| s.to_string()).collect();
        ops::set_allowlist(&self.state, sub, &v)
    }

    /// Change a tenant's per-minute rate limit.
    pub fn set_rate_limit(&self, sub: &str, per_minute: u32) -> Result<(), SimError> {
        ops::set_rate_limit(&self.state, sub, per_minute)
    }

    /// Mint a bearer access token with scopes (e.g. `["read"]`, `["tickets:write"]`).
    pub fn mint_bearer(
        &self,
        sub: &str,
        email: &str,
        scopes: &[&str],
        expires_in_secs: Option<i64>,
    ) -> Result<MintedBearer, SimError> {
        ops::mint_bearer(
            &self.state,
            sub,
            email,
            scopes.iter().map(|s| s.to_string()).collect(),
            expires_in_secs,
        )
    }

    /// Revoke a user's bearer tokens.
    pub fn revoke_bearers(&self, sub: &str, email: &str) -> Result<usize, SimError> {
        ops::revoke_bearers(&self.state, sub, email)
    }

    /// Register an OAuth client in a tenant (see [`NewOAuthClient::new`] for the defaults).
    pub fn create_oauth_client(
        &self,
        sub: &str,
        client: NewOAuthClient,
    ) -> Result<OAuthClientInfo, SimError> {
        oauth_ops::create_client(&self.state, sub, client)
    }

    /// A tenant's OAuth clients (every tenant has the demo client `toolwire_demo`).
    pub fn oauth_clients(&self, sub: &str) -> Result<Vec<OAuthClientInfo>, SimError> {
        oauth_ops::clients(&self.state, sub)
    }

    /// Lifetime in seconds of access tokens issued from now on in a tenant (default 1800);
    /// clients with their own lifetime keep it.
    pub fn set_access_token_ttl(&self, sub: &str, secs: i64) -> Result<(), SimError> {
        oauth_ops::set_token_ttl(
            &self.state,
            sub,
            TokenTtl {
                expires_in: Some(secs),
                ..Default::default()
            },
        )
    }

    /// Access-token lifetime for one client (`None`: use the tenant's).
    pub fn set_client_access_token_ttl(
        &self,
        sub: &str,
        client_id: &str,
        secs: Option<i64>,
    ) -> Result<(), SimError> {
        oauth_ops::set_token_ttl(
            &self.state,
            sub,
            TokenTtl {
                client_id: Some(client_id.into()),
                expires_in: secs,
                refresh_token_expires_in: None,
            },
        )
    }

    /// Lifetime in seconds of refresh tokens issued from now on (default 30 days).
    pub fn set_refresh_token_ttl(&self, sub: &str, secs: i64) -> Result<(), SimError> {
        oauth_ops::set_token_ttl(
            &self.state,
            sub,
            TokenTtl {
                refresh_token_expires_in: Some(secs),
                ..Default::default()
            },
        )
    }

    /// Expire all of a user's access (bearer) tokens now; refresh tokens keep working.
    /// Returns how many were live.
    pub fn expire_access_tokens(&self, sub: &str, email: &str) -> Result<usize, SimError> {
        oauth_ops::expire_access_tokens(&self.state, sub, email)
    }

    /// Revoke all of a user's refresh and access tokens (and unused codes).
    pub fn revoke_oauth_grants(&self, sub: &str, email: &str) -> Result<RevokedGrants, SimError> {
        oauth_ops::revoke_grants(&self.state, sub, email)
    }

    /// Token-endpoint calls per grant type (every call, successful or not).
    pub fn oauth_stats(&self, sub: &str) -> Result<OAuthStats, SimError> {
        oauth_ops::stats(&self.state, sub)
    }

    /// Zero a tenant's token-endpoint counters.
    pub fn reset_oauth_stats(&self, sub: &str) -> Result<(), SimError> {
        oauth_ops::reset_stats(&self.state, sub)
    }

    /// A user's consent-page password (also for users without an API token).
    pub fn user_password(&self, sub: &str, email: &str) -> Result<String, SimError> {
        oauth_ops::password(&self.state, sub, email)
    }

    /// Inject a fault; returns its id.
    pub fn inject_fault(&self, spec: FaultSpec) -> u64 {
        self.state.faults.add(spec)
    }

    /// Active fault rules.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.state.faults.list()
    }

    /// Remove all faults.
    pub fn clear_faults(&self) {
        self.state.faults.clear()
    }

    /// The request log (oldest first).
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.state.log.entries()
    }

    /// Empty the request log.
    pub fn clear_request_log(&self) {
        self.state.log.clear()
    }

    /// Stop serving and wait for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
