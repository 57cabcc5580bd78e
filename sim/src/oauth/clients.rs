//! OAuth clients: what a tenant has registered (identifier, secret, redirect URIs, kind,
//! scopes, PKCE and lifetime settings), redirect-URI and scope checks, and the deterministic
//! demo client every tenant gets (`toolwire_demo`, a "global" client: same identifier and
//! secret on every tenant, like a Zendesk global OAuth client).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The demo client's identifier.
pub const DEMO_CLIENT_ID: &str = "toolwire_demo";

/// Zendesk's two kinds of OAuth client: `global` (one client for every account, e.g. a
/// marketplace app) and `local` (registered inside one account).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OAuthClientKind {
    Global,
    #[default]
    Local,
}

/// One registered client.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    pub identifier: String,
    pub secret: String,
    pub name: String,
    /// Exact-match redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Also accept any `http://127.0.0.1|localhost|[::1]:{any port}/{any path}` redirect.
    pub loopback_redirects: bool,
    pub kind: OAuthClientKind,
    /// The most a token of this client may hold (`read`, `write` also cover
    /// `{resource}:read|write`).
    pub scopes: Vec<String>,
    /// Confidential clients authenticate with the secret and may use `client_credentials`.
    pub confidential: bool,
    /// Authorization requests must carry an S256 `code_challenge`.
    pub pkce_required: bool,
    /// Access-token lifetime override in seconds (else the tenant's).
    pub access_token_ttl: Option<i64>,
    /// The user `client_credentials` tokens act as (default: the tenant's first admin).
    pub owner_email: Option<String>,
}

impl OAuthClient {
    /// Whether `uri` is an allowed redirect target (RFC 6749 §3.1.2; loopback per RFC 8252 §7.3).
    pub fn redirect_allowed(&self, uri: &str) -> bool {
        if uri.is_empty() {
            return false;
        }
        self.redirect_uris.iter().any(|r| r == uri) || (self.loopback_redirects && loopback(uri))
    }

    /// Whether the client may be granted `scope`.
    pub fn scope_allowed(&self, scope: &str) -> bool {
        if !valid_scope(scope) {
            return false;
        }
        if self.scopes.iter().any(|s| s == scope) {
            return true;
        }
        scope
            .split_once(':')
            .is_some_and(|(_, verb)| self.scopes.iter().any(|s| s == verb))
    }

    /// The public view.
    pub fn info(&self) -> OAuthClientInfo {
        OAuthClientInfo {
            identifier: self.identifier.clone(),
            secret: self.secret.clone(),
            name: self.name.clone(),
            redirect_uris: self.redirect_uris.clone(),
            loopback_redirects: self.loopback_redirects,
            kind: self.kind,
            scopes: self.scopes.clone(),
            confidential: self.confidential,
            pkce_required: self.pkce_required,
            access_token_expires_in: self.access_token_ttl,
        }
    }
}

/// `http://` on a loopback host, any port and path, no user info or fragment.
fn loopback(uri: &str) -> bool {
    let Ok(u) = url::Url::parse(uri) else {
        return false;
    };
    if u.scheme() != "http" || !u.username().is_empty() || u.password().is_some() {
        return false;
    }
    if u.fragment().is_some() {
        return false;
    }
    match u.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `read`, `write`, `impersonate` or `{resource}:read|write` (resource: `a-z` and `_`).
pub fn valid_scope(s: &str) -> bool {
    match s.split_once(':') {
        None => matches!(s, "read" | "write" | "impersonate"),
        Some((res, verb)) => {
            matches!(verb, "read" | "write")
                && !res.is_empty()
                && res.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        }
    }
}

/// Split a space-separated scope string, dropping duplicates, keeping order.
pub fn parse_scopes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        if !out.iter().any(|x| x == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// A client as `GET /__sim/tenants` and [`TenantInfo`](crate::TenantInfo) list it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OAuthClientInfo {
    pub identifier: String,
    pub secret: String,
    #[serde(default)]
    pub name: String,
    /// Exact-match redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Any `http://127.0.0.1:*/…`, `http://localhost:*/…` or `http://[::1]:*/…` is accepted too.
    #[serde(default)]
    pub loopback_redirects: bool,
    pub kind: OAuthClientKind,
    pub scopes: Vec<String>,
    #[serde(default)]
    pub confidential: bool,
    #[serde(default)]
    pub pkce_required: bool,
    /// Access-token lifetime override in seconds (`None`: the tenant's, 1800 by default).
    #[serde(default)]
    pub access_token_expires_in: Option<i64>,
}

/// A client to register through the admin API or [`Sim::create_oauth_client`](crate::Sim::create_oauth_client).
/// Every field but `identifier` has a default (see [`Default`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct NewOAuthClient {
    pub identifier: String,
    /// Default: derived from the sim seed and the identifier (64 hex characters).
    pub secret: Option<String>,
    /// Default: the identifier.
    pub name: Option<String>,
    pub redirect_uris: Vec<String>,
    /// Default `true`.
    pub loopback_redirects: bool,
    /// Default `local`.
    pub kind: OAuthClientKind,
    /// Default `["read", "write"]`.
    pub scopes: Vec<String>,
    /// Default `true`.
    pub confidential: bool,
    /// Default `true`.
    pub pkce_required: bool,
    /// Access-token lifetime in seconds (default: the tenant's).
    pub expires_in: Option<i64>,
    /// User for `client_credentials` tokens (default: the tenant's first admin).
    pub owner_email: Option<String>,
}

impl Default for NewOAuthClient {
    fn default() -> Self {
        NewOAuthClient {
            identifier: String::new(),
            secret: None,
            name: None,
            redirect_uris: Vec::new(),
            loopback_redirects: true,
            kind: OAuthClientKind::Local,
            scopes: vec!["read".into(), "write".into()],
            confidential: true,
            pkce_required: true,
            expires_in: None,
            owner_email: None,
        }
    }
}

impl NewOAuthClient {
    /// A confidential, PKCE-requiring local client with scopes `read write` and loopback redirects.
    pub fn new(identifier: impl Into<String>) -> Self {
        NewOAuthClient {
            identifier: identifier.into(),
            ..Default::default()
        }
    }

    /// Build the client (secret derived from `seed` when not given).
    pub fn build(self, seed: u64) -> OAuthClient {
        let secret = self
            .secret
            .unwrap_or_else(|| derived_secret(seed, &self.identifier));
        OAuthClient {
            name: self.name.unwrap_or_else(|| self.identifier.clone()),
            identifier: self.identifier,
            secret,
            redirect_uris: self.redirect_uris,
            loopback_redirects: self.loopback_redirects,
            kind: self.kind,
            scopes: self.scopes,
            confidential: self.confidential,
            pkce_required: self.pkce_required,
            access_token_ttl: self.expires_in,
            owner_email: self.owner_email,
        }
    }
}

/// `hex(sha256("toolwire-sim/oauth-client/{seed}/{identifier}"))`: 64 hex characters,
/// the same on every tenant for one seed.
pub fn derived_secret(seed: u64, identifier: &str) -> String {
    hex(&Sha256::digest(format!(
        "toolwire-sim/oauth-client/{seed}/{identifier}"
    )))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The demo client: global, confidential, PKCE required, scopes `read write`, loopback
/// redirects plus `extra_redirects`.
pub fn demo_client(seed: u64, extra_redirects: &[String]) -> OAuthClient {
    NewOAuthClient {
        identifier: DEMO_CLIENT_ID.into(),
        name: Some("toolwire (demo)".into()),
        kind: OAuthClientKind::Global,
        redirect_uris: extra_redirects.to_vec(),
        ..Default::default()
    }
    .build(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_and_scopes() {
        let c = demo_client(42, &["https://app.example.com/cb".into()]);
        assert!(c.redirect_allowed("http://127.0.0.1:5555/oauth/callback?x=1"));
        assert!(c.redirect_allowed("http://localhost:1/cb"));
        assert!(c.redirect_allowed("http://[::1]:8080/cb"));
        assert!(c.redirect_allowed("https://app.example.com/cb"));
        assert!(!c.redirect_allowed("https://app.example.com/cb2"));
        assert!(!c.redirect_allowed("https://127.0.0.1:5555/cb"));
        assert!(!c.redirect_allowed("http://127.0.0.1:80@evil.test/cb"));
        assert!(!c.redirect_allowed("http://evil.test/cb"));
        assert!(c.scope_allowed("read") && c.scope_allowed("tickets:write"));
        assert!(!c.scope_allowed("impersonate") && !c.scope_allowed("tickets:delete"));
        assert_eq!(c.secret.len(), 64);
        assert_eq!(c.secret, demo_client(42, &[]).secret);
        assert_ne!(c.secret, demo_client(43, &[]).secret);
    }
}
