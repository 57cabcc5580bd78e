//! OAuth endpoints (`/oauth/*`), as Zendesk serves them on `{sub}.zendesk.com`:
//! the authorization-code flow with PKCE ([`authorize`]), the token endpoint ([`tokens`]),
//! per-tenant clients ([`clients`]), state ([`store`]) and issued token pairs ([`grants`]).
//! Access tokens issued here are bearer tokens in the tenant, so the API checks them (expiry,
//! revocation, scopes) through the same resolver as admin-minted ones. Faults apply here too; rate limits and the IP
//! allowlist do not. Every request is logged with a secret-free label.

pub mod authorize;
pub mod clients;
pub mod grants;
pub mod pages;
pub mod params;
pub mod store;
pub mod tokens;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response, header};
use chrono::Utc;

use self::params::Params;
use crate::api::reply::{Reply, invalid_endpoint};
use crate::api::{
    FaultOutcome, apply_faults, drop_if, finish, host_of, tenant_for_host, unknown_host,
};
use crate::log::LoggedRequest;
use crate::state::{SimState, lock};

/// Handle one `/oauth/*` request.
pub async fn handle(state: Arc<SimState>, req: Request<Body>) -> Response<Body> {
    let host = host_of(&req);
    let method = req.method().as_str().to_string();
    let raw_path = req.uri().path().to_string();
    let raw_query = req.uri().query().map(str::to_string);
    let mut entry = LoggedRequest {
        seq: 0,
        method: method.clone(),
        path: raw_path.clone(),
        query: raw_query.clone(),
        host: host.clone(),
        tenant: None,
        credential: "none".into(),
        status: 0,
    };
    let sub = match tenant_for_host(&state, &host) {
        Ok(s) => s,
        Err(sub) => return finish(&state, entry, unknown_host(&sub), None),
    };
    entry.tenant = Some(sub.clone());
    let Some(tenant) = state.tenant(&sub) else {
        return finish(&state, entry, unknown_host(&sub), None);
    };
    let drop_after = match apply_faults(&state, &tenant, &sub, &method, &raw_path, &entry).await {
        FaultOutcome::Replace(resp) => return resp,
        FaultOutcome::Serve => false,
        FaultOutcome::ServeThenDrop => true,
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, state.config.body_limit).await {
        Ok(b) => b,
        Err(_) => {
            let r = crate::api::reply::too_large(state.config.body_limit);
            return drop_if(drop_after, finish(&state, entry, r, None));
        }
    };
    let header_str = |h: header::HeaderName| {
        parts
            .headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header_str(header::CONTENT_TYPE).unwrap_or_default();
    let authorization = header_str(header::AUTHORIZATION);
    let path = raw_path
        .strip_suffix(".json")
        .unwrap_or(&raw_path)
        .trim_end_matches('/')
        .to_string();
    let now = Utc::now();
    let form = || {
        tokens::body_params(&content_type, &bytes).ok_or_else(|| {
            Reply::json(
                400,
                serde_json::json!({"error": "invalid_request", "error_description": "The request body could not be parsed."}),
            )
        })
    };
    let mut t = lock(&tenant);
    let (r, label) = match (method.as_str(), path.as_str()) {
        ("GET", "/oauth/authorizations/new") => {
            authorize::show(&t, &Params::from_query(raw_query.as_deref()))
        }
        ("POST", "/oauth/authorizations/new") => match form() {
            Ok(p) => authorize::login(&mut t, &p, now),
            Err(r) => (r, "none".into()),
        },
        ("POST", "/oauth/authorizations") => match form() {
            Ok(p) => authorize::decide(&mut t, &p, now),
            Err(r) => (r, "none".into()),
        },
        ("POST", "/oauth/tokens") => match form() {
            Ok(p) => tokens::exchange(&mut t, authorization.as_deref(), &p, now),
            Err(r) => (r, "oauth (rejected: invalid_request)".into()),
        },
        _ => (invalid_endpoint(), "none".into()),
    };
    drop(t);
    entry.credential = label;
    drop_if(drop_after, finish(&state, entry, r, None))
}
