//! [`Ctx`]: one decoded API request (method, path, query, JSON body, resolved credentials)
//! and the permission checks handlers call.

use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::query::Query;
use super::reply::{Reply, forbidden, invalid_token, missing_scope, param_missing, unauthorized};
use crate::auth::{AuthOutcome, Principal};

pub struct Ctx {
    pub method: Method,
    /// Path without `.json`, e.g. `/api/v2/tickets/5`.
    pub path: String,
    pub query: Query,
    pub headers: HeaderMap,
    pub body: Option<Value>,
    pub auth: AuthOutcome,
    pub now: DateTime<Utc>,
    pub client_ip: String,
    /// Origin for pagination links when it is not the canonical one (see `local_links`).
    pub link_origin: Option<String>,
}

impl Ctx {
    /// The authenticated caller, or the 401 Zendesk gives.
    pub fn principal(&self) -> Result<&Principal, Reply> {
        match &self.auth {
            AuthOutcome::Ok(p) => Ok(p),
            AuthOutcome::BadBearer => Err(invalid_token()),
            _ => Err(unauthorized()),
        }
    }

    /// Any role with the scope for `resource`.
    pub fn scoped(&self, resource: &str, write: bool) -> Result<&Principal, Reply> {
        let p = self.principal()?;
        if let Some(s) = p.missing_scope(resource, write) {
            return Err(missing_scope(&s));
        }
        Ok(p)
    }

    /// Agents and admins only (end-users → 403).
    pub fn agent(&self, resource: &str, write: bool) -> Result<&Principal, Reply> {
        let p = self.scoped(resource, write)?;
        if !p.is_agent() {
            return Err(forbidden());
        }
        Ok(p)
    }

    pub fn me(&self) -> Option<u64> {
        match &self.auth {
            AuthOutcome::Ok(p) => Some(p.user_id),
            _ => None,
        }
    }

    /// The JSON object under `key` in the body (`{"ticket": {...}}`), or 400.
    pub fn body_obj(&self, key: &str) -> Result<&Map<String, Value>, Reply> {
        self.body
            .as_ref()
            .and_then(|b| b.get(key))
            .and_then(Value::as_object)
            .ok_or_else(|| param_missing(key))
    }

    pub fn header(&self, k: &str) -> Option<&str> {
        self.headers.get(k).and_then(|v| v.to_str().ok())
    }
}
