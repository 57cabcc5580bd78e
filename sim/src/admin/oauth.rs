//! Admin operations for OAuth, shared by the `/__sim/tenants/{sub}/oauth/…` endpoints and the
//! Rust helpers on [`Sim`](crate::Sim): register clients, set token lifetimes, expire or
//! revoke a user's tokens, read the token-endpoint counters.

use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::oauth::clients::{NewOAuthClient, OAuthClientInfo, valid_scope};
use crate::oauth::store::OAuthStats;
use crate::state::{SimState, lock};
use crate::tenants::Tenant;

fn tenant(state: &SimState, sub: &str) -> Result<Arc<Mutex<Tenant>>, SimError> {
    state
        .tenant(sub)
        .ok_or_else(|| SimError::UnknownTenant(sub.into()))
}

fn user_id(t: &Tenant, sub: &str, email: &str) -> Result<u64, SimError> {
    t.user_by_email(email)
        .map(|u| u.id)
        .ok_or_else(|| SimError::UnknownUser {
            tenant: sub.into(),
            email: email.into(),
        })
}

/// Register a client; the identifier must be new in the tenant.
pub fn create_client(
    state: &SimState,
    sub: &str,
    spec: NewOAuthClient,
) -> Result<OAuthClientInfo, SimError> {
    let id = spec.identifier.trim();
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(SimError::Invalid(format!(
            "invalid client identifier `{id}`"
        )));
    }
    if let Some(bad) = spec.scopes.iter().find(|s| !valid_scope(s)) {
        return Err(SimError::Invalid(format!("invalid scope `{bad}`")));
    }
    for u in &spec.redirect_uris {
        if url::Url::parse(u).is_err() {
            return Err(SimError::Invalid(format!("invalid redirect URI `{u}`")));
        }
    }
    let t = tenant(state, sub)?;
    let mut t = lock(&t);
    if t.oauth.client(id).is_some() {
        return Err(SimError::Invalid(format!("client `{id}` exists")));
    }
    if let Some(e) = spec.owner_email.as_deref() {
        user_id(&t, sub, e)?;
    }
    let client = spec.build(state.config.seed);
    let info = client.info();
    t.oauth.clients.push(client);
    Ok(info)
}

/// The tenant's clients.
pub fn clients(state: &SimState, sub: &str) -> Result<Vec<OAuthClientInfo>, SimError> {
    let t = tenant(state, sub)?;
    let t = lock(&t);
    Ok(t.oauth.clients.iter().map(|c| c.info()).collect())
}

/// Token lifetimes to change (admin `PUT …/oauth/token_ttl`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenTtl {
    /// Only this client (`expires_in` then overrides the tenant's; `null` clears it).
    pub client_id: Option<String>,
    /// Access-token lifetime in seconds for tokens issued from now on.
    pub expires_in: Option<i64>,
    /// Refresh-token lifetime in seconds (tenant-wide).
    pub refresh_token_expires_in: Option<i64>,
}

/// Apply [`TokenTtl`].
pub fn set_token_ttl(state: &SimState, sub: &str, ttl: TokenTtl) -> Result<(), SimError> {
    let t = tenant(state, sub)?;
    let mut t = lock(&t);
    match ttl.client_id.as_deref() {
        Some(id) => {
            let c = t
                .oauth
                .clients
                .iter_mut()
                .find(|c| c.identifier == id)
                .ok_or_else(|| SimError::Invalid(format!("unknown client `{id}`")))?;
            c.access_token_ttl = ttl.expires_in;
        }
        None => {
            if let Some(s) = ttl.expires_in {
                t.oauth.access_ttl = s;
            }
        }
    }
    if let Some(s) = ttl.refresh_token_expires_in {
        t.oauth.refresh_ttl = s;
    }
    Ok(())
}

/// Make every unexpired bearer token of the user expire now (refresh tokens stay valid);
/// returns how many.
pub fn expire_access_tokens(state: &SimState, sub: &str, email: &str) -> Result<usize, SimError> {
    let t = tenant(state, sub)?;
    let mut t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    let now = Utc::now();
    let past = now - Duration::seconds(1);
    let mut n = 0;
    for b in t
        .bearer_tokens
        .iter_mut()
        .filter(|b| b.user_id == uid && !b.revoked && b.expires_at.is_none_or(|e| e > now))
    {
        b.expires_at = Some(past);
        n += 1;
    }
    Ok(n)
}

/// What [`revoke_grants`] revoked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedGrants {
    pub access_tokens: usize,
    pub refresh_tokens: usize,
}

/// Revoke all of a user's refresh tokens, bearer tokens and unused authorization codes
/// (as if the user removed the app's access in Zendesk).
pub fn revoke_grants(state: &SimState, sub: &str, email: &str) -> Result<RevokedGrants, SimError> {
    let t = tenant(state, sub)?;
    let mut t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    let mut out = RevokedGrants::default();
    for b in t
        .bearer_tokens
        .iter_mut()
        .filter(|b| b.user_id == uid && !b.revoked)
    {
        b.revoked = true;
        out.access_tokens += 1;
    }
    for r in t
        .oauth
        .refresh_tokens
        .iter_mut()
        .filter(|r| r.user_id == uid && !r.revoked)
    {
        r.revoked = true;
        out.refresh_tokens += 1;
    }
    for c in t.oauth.codes.values_mut().filter(|c| c.user_id == uid) {
        c.used = true;
    }
    Ok(out)
}

/// Token-endpoint calls per grant type since start (or the last reset).
pub fn stats(state: &SimState, sub: &str) -> Result<OAuthStats, SimError> {
    let t = tenant(state, sub)?;
    Ok(lock(&t).oauth.stats)
}

/// Zero the counters.
pub fn reset_stats(state: &SimState, sub: &str) -> Result<(), SimError> {
    let t = tenant(state, sub)?;
    lock(&t).oauth.stats = OAuthStats::default();
    Ok(())
}

/// A user's sign-in password for the consent page (also for users without an API token).
pub fn password(state: &SimState, sub: &str, email: &str) -> Result<String, SimError> {
    let t = tenant(state, sub)?;
    let t = lock(&t);
    let uid = user_id(&t, sub, email)?;
    t.passwords
        .get(&uid)
        .cloned()
        .ok_or_else(|| SimError::Invalid(format!("`{email}` has no password")))
}
