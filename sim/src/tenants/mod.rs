//! One Zendesk account (`{subdomain}.zendesk.com`): its records, credentials, rate-limit
//! windows, idempotency cache and IP allowlist. Everything a request touches lives here,
//! behind one mutex per tenant.

pub mod model;
pub mod ratelimit;
pub mod render;

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use serde_json::Value;

pub use model::*;

use crate::oauth::store::OAuthStore;
pub use ratelimit::RateWindow;

/// A cached create response for `Idempotency-Key` replays.
#[derive(Debug, Clone)]
pub struct IdempotentEntry {
    pub request: Value,
    pub status: u16,
    pub body: Value,
    pub location: Option<String>,
}

/// An IP allowlist rule: an address and prefix length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpRule {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpRule {
    /// Parse `10.0.0.1`, `10.0.0.0/8` or an IPv6 equivalent.
    pub fn parse(s: &str) -> Option<IpRule> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = p.unwrap_or(max);
        (prefix <= max).then_some(IpRule { addr, prefix })
    }

    /// Whether `ip` falls inside this rule.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                u32::from(a) & mask == u32::from(b) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                u128::from(a) & mask == u128::from(b) & mask
            }
            _ => false,
        }
    }
}

/// One account.
#[derive(Debug)]
pub struct Tenant {
    pub subdomain: String,
    pub users: BTreeMap<u64, User>,
    pub tickets: BTreeMap<u64, Ticket>,
    pub organizations: BTreeMap<u64, Organization>,
    pub groups: BTreeMap<u64, Group>,
    pub views: BTreeMap<u64, View>,
    pub api_tokens: Vec<ApiToken>,
    pub bearer_tokens: Vec<BearerToken>,
    /// Sign-in passwords for the OAuth consent page (not accepted by the API itself).
    pub passwords: HashMap<u64, String>,
    /// OAuth clients, codes, refresh tokens, lifetimes and token-endpoint counters.
    pub oauth: OAuthStore,
    pub idempotency: HashMap<String, IdempotentEntry>,
    pub allowlist: Vec<IpRule>,
    pub rate: RateWindow,
    pub tickets_index_rate: RateWindow,
    pub next_ticket_id: u64,
    pub next_id: u64,
    pub token_seq: u64,
}

impl Tenant {
    /// An empty tenant whose record ids start at `id_base`.
    pub fn new(subdomain: &str, id_base: u64, rate_limit: u32) -> Tenant {
        Tenant {
            subdomain: subdomain.to_string(),
            users: BTreeMap::new(),
            tickets: BTreeMap::new(),
            organizations: BTreeMap::new(),
            groups: BTreeMap::new(),
            views: BTreeMap::new(),
            api_tokens: Vec::new(),
            bearer_tokens: Vec::new(),
            passwords: HashMap::new(),
            oauth: OAuthStore::default(),
            idempotency: HashMap::new(),
            allowlist: Vec::new(),
            rate: RateWindow::new(rate_limit),
            tickets_index_rate: RateWindow::new(100),
            next_ticket_id: 1,
            next_id: id_base,
            token_seq: 0,
        }
    }

    /// The canonical API origin, `https://{sub}.zendesk.com`.
    pub fn origin(&self) -> String {
        format!("https://{}.zendesk.com", self.subdomain)
    }

    /// A fresh large record id (users, orgs, groups, views, comments, audits).
    pub fn alloc_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        let email = email.to_ascii_lowercase();
        self.users
            .values()
            .find(|u| u.email.as_deref().map(str::to_ascii_lowercase).as_deref() == Some(&email))
    }

    /// The first agent (not admin) by id — the demo's "me".
    pub fn first_agent(&self) -> Option<&User> {
        self.users.values().find(|u| u.role == "agent")
    }

    /// The newest active API token created for `user_id`.
    pub fn token_for(&self, user_id: u64) -> Option<&ApiToken> {
        self.api_tokens
            .iter()
            .rev()
            .find(|t| t.active && t.created_for == user_id)
    }

    /// Add an API token for a user and return it.
    pub fn add_api_token(&mut self, user_id: u64, token: String) -> ApiToken {
        self.token_seq += 1;
        let t = ApiToken {
            id: self.token_seq,
            token,
            created_for: user_id,
            active: true,
        };
        self.api_tokens.push(t.clone());
        t
    }

    /// Whether `ip` may call the API (empty allowlist allows everyone).
    pub fn ip_allowed(&self, ip: IpAddr) -> bool {
        self.allowlist.is_empty() || self.allowlist.iter().any(|r| r.contains(ip))
    }
}
