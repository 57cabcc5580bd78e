//! Per-tenant OAuth state: registered clients, pending consents, authorization codes,
//! refresh tokens, token lifetimes and token-endpoint counters (kept in each tenant; issuing
//! and revoking token pairs is [`super::grants`]).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::clients::{OAuthClient, hex};

/// Default access-token lifetime (Zendesk: 30 minutes for new clients).
pub const ACCESS_TTL: i64 = 30 * 60;
/// Default refresh-token lifetime (Zendesk: 30 days).
pub const REFRESH_TTL: i64 = 30 * 24 * 3600;
/// Authorization codes expire after 10 minutes.
pub const CODE_TTL: i64 = 10 * 60;
/// A consent page (after sign-in) stays valid for 10 minutes.
pub const CONSENT_TTL: i64 = 10 * 60;

/// Token-endpoint calls per grant type (every call, successful or not).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthStats {
    pub authorization_code: u64,
    pub refresh_token: u64,
    pub client_credentials: u64,
}

/// A signed-in user's pending "Allow / Deny" decision, keyed by a one-time nonce.
#[derive(Debug, Clone)]
pub struct Consent {
    pub client: String,
    pub user_id: u64,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub challenge: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// An issued authorization code (single use).
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client: String,
    pub user_id: u64,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub challenge: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    pub grant_id: u64,
}

/// A refresh token; rotation revokes it together with its access token.
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub token: String,
    pub client: String,
    pub user_id: u64,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
    pub grant_id: u64,
    /// The bearer token id issued alongside.
    pub access_id: u64,
}

/// Everything OAuth for one tenant.
#[derive(Debug)]
pub struct OAuthStore {
    pub clients: Vec<OAuthClient>,
    pub consents: HashMap<String, Consent>,
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: Vec<RefreshToken>,
    /// Access-token lifetime in seconds for clients without an override.
    pub access_ttl: i64,
    pub refresh_ttl: i64,
    pub stats: OAuthStats,
    pub next_grant: u64,
}

impl Default for OAuthStore {
    fn default() -> Self {
        OAuthStore {
            clients: Vec::new(),
            consents: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: Vec::new(),
            access_ttl: ACCESS_TTL,
            refresh_ttl: REFRESH_TTL,
            stats: OAuthStats::default(),
            next_grant: 0,
        }
    }
}

impl OAuthStore {
    pub fn client(&self, identifier: &str) -> Option<&OAuthClient> {
        self.clients.iter().find(|c| c.identifier == identifier)
    }

    /// A fresh grant id (one per authorization code or client-credentials issue).
    pub fn new_grant(&mut self) -> u64 {
        self.next_grant += 1;
        self.next_grant
    }

    /// Drop expired consents and codes (called when adding new ones).
    pub fn prune(&mut self, now: DateTime<Utc>) {
        self.consents.retain(|_, c| c.expires_at > now);
        self.codes
            .retain(|_, c| c.expires_at + Duration::seconds(CODE_TTL) > now);
    }
}

/// `n` random bytes as hex.
pub fn random_hex(n: usize) -> String {
    let mut rng = rand::rng();
    let bytes: Vec<u8> = (0..n).map(|_| rng.random::<u8>()).collect();
    hex(&bytes)
}
