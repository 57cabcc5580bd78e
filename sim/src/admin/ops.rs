//! Admin operations on the shared state, used by both the `/__sim/` HTTP API and the Rust
//! helpers on [`Sim`](crate::Sim).

use chrono::{Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::oauth::clients::OAuthClientInfo;
use crate::seed;
use crate::state::{SimState, lock};
use crate::tenants::{BearerToken, IpRule, Tenant, User};

/// Credentials of one user with an API token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AgentCredentials {
    pub user_id: u64,
    pub name: String,
    pub email: String,
    /// `agent`, `admin` or `end-user`.
    pub role: String,
    pub api_token: String,
    /// Sign-in password for the OAuth consent page (`pw-` + 16 hex, derived from the seed).
    #[serde(default)]
    pub password: String,
}

/// One tenant as the admin API lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TenantInfo {
    pub subdomain: String,
    /// `https://{subdomain}.zendesk.com`.
    pub url: String,
    /// Agents and admins with their current API tokens (admin first).
    pub agents: Vec<AgentCredentials>,
    /// End-users that have an API token (for role tests).
    pub end_users: Vec<AgentCredentials>,
    pub rate_limit: u32,
    pub tickets: usize,
    /// Registered OAuth clients (every tenant has the demo client `toolwire_demo`).
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClientInfo>,
}

impl TenantInfo {
    /// The first agent with role `agent` (the demo's "me").
    pub fn agent(&self) -> Option<&AgentCredentials> {
        self.agents.iter().find(|a| a.role == "agent")
    }

    /// The admin.
    pub fn admin(&self) -> Option<&AgentCredentials> {
        self.agents.iter().find(|a| a.role == "admin")
    }

    /// An OAuth client by identifier.
    pub fn oauth_client(&self, identifier: &str) -> Option<&OAuthClientInfo> {
        self.oauth_clients
            .iter()
            .find(|c| c.identifier == identifier)
    }
}

/// A user to create through the admin API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    /// `end-user` (default), `agent` or `admin`.
    #[serde(default)]
    pub role: Option<String>,
    /// Give the user an API token (default: true for agents/admins).
    #[serde(default)]
    pub api_token: Option<bool>,
    /// Sign-in password for the OAuth consent page (default: derived from the seed).
    #[serde(default)]
    pub password: Option<String>,
}

/// A tenant to create through the admin API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewTenant {
    pub subdomain: String,
    /// Seed it with the demo data set of this many tickets (default: empty tenant with one admin).
    #[serde(default)]
    pub seed_tickets: Option<usize>,
    #[serde(default)]
    pub rate_limit: Option<u32>,
    /// Extra users.
    #[serde(default)]
    pub users: Vec<NewUser>,
}

fn info(t: &Tenant) -> TenantInfo {
    let cred = |u: &User| {
        t.token_for(u.id).map(|tok| AgentCredentials {
            user_id: u.id,
            name: u.name.clone(),
            email: u.email.clone().unwrap_or_default(),
            role: u.role.clone(),
            api_token: tok.token.clone(),
            password: t.passwords.get(&u.id).cloned().unwrap_or_default(),
        })
    };
    let mut agents: Vec<AgentCredentials> = t
        .users
        .values()
        .filter(|u| u.is_agent())
        .filter_map(cred)
        .collect();
    agents.sort_by_key(|a| (a.role != "admin", a.user_id));
    TenantInfo {
        subdomain: t.subdomain.clone(),
        url: t.origin(),
        agents,
        end_users: t
            .users
            .values()
            .filter(|u| !u.is_agent())
            .filter_map(cred)
            .collect(),
        rate_limit: t.rate.limit,
        tickets: t.tickets.len(),
        oauth_clients: t.oauth.clients.iter().map(|c| c.info()).collect(),
    }
}

pub fn tenants(state: &SimState) -> Vec<TenantInfo> {
    state
        .subdomains()
        .iter()
        .filter_map(|s| state.tenant(s))
        .map(|t| info(&lock(&t)))
        .collect()
}

pub fn tenant_info(state: &SimState, sub: &str) -> Result<TenantInfo, SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    Ok(info(&lock(&t)))
}

fn valid_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn fresh_token(state: &SimState, t: &mut Tenant) -> String {
    let salt = t
        .subdomain
        .bytes()
        .fold(t.token_seq.wrapping_mul(0x9e37_79b9), |h, b| {
            h.rotate_left(5) ^ b as u64
        });
    let mut rng = StdRng::seed_from_u64(state.config.seed ^ salt ^ 0x70c3);
    seed::token(&mut rng)
}

pub fn create_tenant(state: &SimState, spec: NewTenant) -> Result<TenantInfo, SimError> {
    if !valid_subdomain(&spec.subdomain) {
        return Err(SimError::Invalid(format!(
            "invalid subdomain `{}`",
            spec.subdomain
        )));
    }
    if state.tenant(&spec.subdomain).is_some() {
        return Err(SimError::Invalid(format!(
            "tenant `{}` exists",
            spec.subdomain
        )));
    }
    let index = state.subdomains().len() + 2;
    let rate = spec.rate_limit.unwrap_or(state.config.rate_limit);
    let t = match spec.seed_tickets {
        Some(n) => seed::tenant(&spec.subdomain, index, state.config.seed, n, rate),
        None => {
            let mut t = Tenant::new(&spec.subdomain, seed::id_base(index), rate);
            if spec
                .users
                .iter()
                .all(|u| u.role.as_deref() != Some("admin"))
            {
                let admin = NewUser {
                    name: "Admin".into(),
                    email: format!("admin@{}.example.com", spec.subdomain),
                    role: Some("admin".into()),
                    api_token: Some(true),
                    password: None,
                };
                add_user_to(state, &mut t, admin)?;
            }
            t
        }
    };
    state.insert_tenant(t);
    for u in spec.users {
        add_user(state, &spec.subdomain, u)?;
    }
    tenant_info(state, &spec.subdomain)
}

fn add_user_to(state: &SimState, t: &mut Tenant, u: NewUser) -> Result<AgentCredentials, SimError> {
    let role = u.role.unwrap_or_else(|| "end-user".into());
    if !crate::tenants::ROLES.contains(&role.as_str()) {
        return Err(SimError::Invalid(format!("invalid role `{role}`")));
    }
    if t.user_by_email(&u.email).is_some() {
        return Err(SimError::Invalid(format!("email `{}` exists", u.email)));
    }
    let now = Utc::now();
    let id = t.alloc_id();
    t.users.insert(
        id,
        User {
            id,
            name: u.name.clone(),
            email: Some(u.email.to_lowercase()),
            role: role.clone(),
            organization_id: None,
            group_ids: t.groups.keys().take(1).copied().collect(),
            default_group_id: None,
            phone: None,
            verified: true,
            active: true,
            tags: Vec::new(),
            photo: false,
            created_at: now,
            updated_at: now,
        },
    );
    let email = u.email.to_lowercase();
    let password = u
        .password
        .unwrap_or_else(|| seed::password(state.config.seed, &t.subdomain, &email));
    t.passwords.insert(id, password.clone());
    let mut api_token = String::new();
    if u.api_token.unwrap_or(role != "end-user") {
        api_token = fresh_token(state, t);
        t.add_api_token(id, api_token.clone());
    }
    Ok(AgentCredentials {
        user_id: id,
        name: u.name,
        email: u.email.to_lowercase(),
        role,
        api_token,
        password,
    })
}

pub fn add_user(state: &SimState, sub: &str, u: NewUser) -> Result<AgentCredentials, SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    let mut t = lock(&t);
    add_user_to(state, &mut t, u)
}

fn user_id(t: &Tenant, sub: &str, email: &str) -> Result<u64, SimError> {
    t.user_by_email(email)
        .map(|u| u.id)
        .ok_or_else(|| SimError::UnknownUser {
            tenant: sub.into(),
            email: email.into(),
        })
}

/// Replace the user's API tokens with a new one; the old ones stop working.
pub fn rotate_token(state: &SimState, sub: &str, email: &str) -> Result<String, SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    let mut t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    for tok in t.api_tokens.iter_mut().filter(|x| x.created_for == uid) {
        tok.active = false;
    }
    let new = fresh_token(state, &mut t);
    t.add_api_token(uid, new.clone());
    Ok(new)
}

/// Deactivate the user's API tokens; returns how many were active.
pub fn deactivate_tokens(state: &SimState, sub: &str, email: &str) -> Result<usize, SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    let mut t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    let mut n = 0;
    for tok in t
        .api_tokens
        .iter_mut()
        .filter(|x| x.created_for == uid && x.active)
    {
        tok.active = false;
        n += 1;
    }
    Ok(n)
}

/// Set the IP allowlist (`["10.0.0.0/8", "192.168.1.7"]`); empty allows everyone.
pub fn set_allowlist(state: &SimState, sub: &str, rules: &[String]) -> Result<(), SimError> {
    let parsed: Vec<IpRule> = rules
        .iter()
        .map(|r| IpRule::parse(r).ok_or_else(|| SimError::Invalid(format!("bad IP rule `{r}`"))))
        .collect::<Result<_, _>>()?;
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    lock(&t).allowlist = parsed;
    Ok(())
}

pub fn set_rate_limit(state: &SimState, sub: &str, per_minute: u32) -> Result<(), SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    lock(&t).rate.set_limit(per_minute);
    Ok(())
}

/// A minted bearer token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MintedBearer {
    pub token_id: u64,
    pub access_token: String,
    pub scopes: Vec<String>,
    pub expires_in: Option<i64>,
}

/// Mint a bearer (OAuth-style) access token for a user, with scopes and optional expiry.
pub fn mint_bearer(
    state: &SimState,
    sub: &str,
    email: &str,
    scopes: Vec<String>,
    expires_in: Option<i64>,
) -> Result<MintedBearer, SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    let mut t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    t.token_seq += 1;
    let id = t.token_seq;
    let secret = format!("{}{}", fresh_token(state, &mut t), id);
    t.bearer_tokens.push(BearerToken {
        id,
        token: secret.clone(),
        user_id: uid,
        scopes: scopes.clone(),
        expires_at: expires_in.map(|s| Utc::now() + Duration::seconds(s)),
        revoked: false,
        client_id: None,
        grant_id: None,
    });
    Ok(MintedBearer {
        token_id: id,
        access_token: secret,
        scopes,
        expires_in,
    })
}

/// Revoke all bearer tokens of a user; returns how many.
pub fn revoke_bearers(state: &SimState, sub: &str, email: &str) -> Result<usize, SimError> {
    let t = state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))?;
    let mut t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    let mut n = 0;
    for b in t
        .bearer_tokens
        .iter_mut()
        .filter(|b| b.user_id == uid && !b.revoked)
    {
        b.revoked = true;
        n += 1;
    }
    Ok(n)
}
