//! Issuing and revoking token pairs in a tenant. Access tokens live in
//! [`Tenant::bearer_tokens`] so the API's one credential resolver checks them like any bearer
//! token; refresh tokens live in the tenant's [`super::store::OAuthStore`].

use chrono::{DateTime, Duration, Utc};

use super::store::{RefreshToken, random_hex};
use crate::tenants::{BearerToken, Tenant};

/// A token pair (or a lone access token) just issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    pub access_id: u64,
    pub expires_in: i64,
    pub scopes: Vec<String>,
    pub refresh: Option<(String, i64)>,
}

/// Issue an access token (and a refresh token when `with_refresh`) for `user_id`.
pub fn issue(
    t: &mut Tenant,
    client: &str,
    user_id: u64,
    scopes: Vec<String>,
    grant_id: u64,
    with_refresh: bool,
    now: DateTime<Utc>,
) -> Issued {
    let ttl = t
        .oauth
        .client(client)
        .and_then(|c| c.access_token_ttl)
        .unwrap_or(t.oauth.access_ttl);
    t.token_seq += 1;
    let access_id = t.token_seq;
    let access_token = random_hex(32);
    t.bearer_tokens.push(BearerToken {
        id: access_id,
        token: access_token.clone(),
        user_id,
        scopes: scopes.clone(),
        expires_at: Some(now + Duration::seconds(ttl)),
        revoked: false,
        client_id: Some(client.to_string()),
        grant_id: Some(grant_id),
    });
    let refresh = with_refresh.then(|| {
        let token = random_hex(32);
        let rttl = t.oauth.refresh_ttl;
        t.oauth.refresh_tokens.push(RefreshToken {
            token: token.clone(),
            client: client.to_string(),
            user_id,
            scopes: scopes.clone(),
            expires_at: now + Duration::seconds(rttl),
            revoked: false,
            grant_id,
            access_id,
        });
        (token, rttl)
    });
    Issued {
        access_token,
        access_id,
        expires_in: ttl,
        scopes,
        refresh,
    }
}

/// Revoke every access and refresh token of one grant; returns (access, refresh) counts.
pub fn revoke_grant(t: &mut Tenant, grant_id: u64) -> (usize, usize) {
    let mut a = 0;
    for b in t
        .bearer_tokens
        .iter_mut()
        .filter(|b| b.grant_id == Some(grant_id) && !b.revoked)
    {
        b.revoked = true;
        a += 1;
    }
    let mut r = 0;
    for x in t
        .oauth
        .refresh_tokens
        .iter_mut()
        .filter(|x| x.grant_id == grant_id && !x.revoked)
    {
        x.revoked = true;
        r += 1;
    }
    (a, r)
}

/// Revoke one access token by id.
pub fn revoke_access(t: &mut Tenant, access_id: u64) {
    if let Some(b) = t.bearer_tokens.iter_mut().find(|b| b.id == access_id) {
        b.revoked = true;
    }
}
