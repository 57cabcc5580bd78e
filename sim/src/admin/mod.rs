//! The admin API under `/__sim/` (no auth, any Host). See `sim/README.md` for the table.

pub mod oauth;
pub mod ops;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::into_response;
use crate::api::reply::Reply;
use crate::error::SimError;
use crate::faults::FaultSpec;
use crate::state::SimState;

fn err(e: SimError) -> Reply {
    let status = match e {
        SimError::UnknownTenant(_) | SimError::UnknownUser { .. } => 404,
        _ => 400,
    };
    Reply::json(status, json!({"error": e.to_string()}))
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Reply> {
    serde_json::from_slice(body)
        .map_err(|e| Reply::json(400, json!({"error": format!("bad JSON: {e}")})))
}

#[derive(Deserialize)]
struct EmailBody {
    email: String,
}

#[derive(Deserialize)]
struct AllowBody {
    allow: Vec<String>,
}

#[derive(Deserialize)]
struct RateBody {
    per_minute: u32,
}

#[derive(Deserialize)]
struct BearerBody {
    email: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    expires_in: Option<i64>,
}

fn to_json<T: serde::Serialize>(status: u16, v: &T) -> Reply {
    Reply::json(status, serde_json::to_value(v).unwrap_or(Value::Null))
}

pub async fn handle(state: Arc<SimState>, req: Request<Body>) -> Response<Body> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let body = match axum::body::to_bytes(req.into_body(), 1 << 20).await {
        Ok(b) => b,
        Err(_) => return into_response(Reply::json(413, json!({"error": "body too large"})), None),
    };
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(1).collect();
    let r = route(&state, &method, &segs, &body).unwrap_or_else(|e| e);
    into_response(r, None)
}

fn route(state: &SimState, method: &str, segs: &[&str], body: &[u8]) -> Result<Reply, Reply> {
    Ok(match (method, segs) {
        ("GET", ["tenants"]) => to_json(200, &ops::tenants(state)),
        ("POST", ["tenants"]) => {
            to_json(201, &ops::create_tenant(state, parse(body)?).map_err(err)?)
        }
        ("GET", ["tenants", sub]) => to_json(200, &ops::tenant_info(state, sub).map_err(err)?),
        ("POST", ["tenants", sub, "users"]) => {
            to_json(201, &ops::add_user(state, sub, parse(body)?).map_err(err)?)
        }
        ("POST", ["tenants", sub, "tokens", "rotate"]) => {
            let b: EmailBody = parse(body)?;
            Reply::ok(json!({"api_token": ops::rotate_token(state, sub, &b.email).map_err(err)?}))
        }
        ("POST", ["tenants", sub, "tokens", "deactivate"]) => {
            let b: EmailBody = parse(body)?;
            Reply::ok(
                json!({"deactivated": ops::deactivate_tokens(state, sub, &b.email).map_err(err)?}),
            )
        }
        ("PUT", ["tenants", sub, "ip_allowlist"]) => {
            let b: AllowBody = parse(body)?;
            ops::set_allowlist(state, sub, &b.allow).map_err(err)?;
            Reply::ok(json!({"allow": b.allow}))
        }
        ("PUT", ["tenants", sub, "rate_limit"]) => {
            let b: RateBody = parse(body)?;
            ops::set_rate_limit(state, sub, b.per_minute).map_err(err)?;
            Reply::ok(json!({"per_minute": b.per_minute}))
        }
        ("POST", ["tenants", sub, "bearer_tokens"]) => {
            let b: BearerBody = parse(body)?;
            to_json(
                201,
                &ops::mint_bearer(state, sub, &b.email, b.scopes, b.expires_in).map_err(err)?,
            )
        }
        ("POST", ["tenants", sub, "bearer_tokens", "revoke"]) => {
            let b: EmailBody = parse(body)?;
            Reply::ok(json!({"revoked": ops::revoke_bearers(state, sub, &b.email).map_err(err)?}))
        }
        ("GET", ["tenants", sub, "oauth", "clients"]) => {
            to_json(200, &oauth::clients(state, sub).map_err(err)?)
        }
        ("POST", ["tenants", sub, "oauth", "clients"]) => to_json(
            201,
            &oauth::create_client(state, sub, parse(body)?).map_err(err)?,
        ),
        ("PUT", ["tenants", sub, "oauth", "token_ttl"]) => {
            let b: oauth::TokenTtl = parse(body)?;
            oauth::set_token_ttl(state, sub, b.clone()).map_err(err)?;
            to_json(200, &b)
        }
        ("POST", ["tenants", sub, "oauth", "expire"]) => {
            let b: EmailBody = parse(body)?;
            Reply::ok(
                json!({"expired": oauth::expire_access_tokens(state, sub, &b.email).map_err(err)?}),
            )
        }
        ("POST", ["tenants", sub, "oauth", "revoke"]) => {
            let b: EmailBody = parse(body)?;
            to_json(
                200,
                &oauth::revoke_grants(state, sub, &b.email).map_err(err)?,
            )
        }
        ("GET", ["tenants", sub, "oauth", "stats"]) => {
            to_json(200, &oauth::stats(state, sub).map_err(err)?)
        }
        ("DELETE", ["tenants", sub, "oauth", "stats"]) => {
            oauth::reset_stats(state, sub).map_err(err)?;
            Reply::empty(204)
        }
        ("GET", ["faults"]) => to_json(200, &state.faults.list()),
        ("POST", ["faults"]) => {
            let spec: FaultSpec = parse(body)?;
            if spec.share.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
                return Err(Reply::json(
                    400,
                    json!({"error": "share must be within 0..=1"}),
                ));
            }
            Reply::json(201, json!({"id": state.faults.add(spec)}))
        }
        ("DELETE", ["faults"]) => {
            state.faults.clear();
            Reply::empty(204)
        }
        ("GET", ["requests"]) => to_json(200, &state.log.entries()),
        ("DELETE", ["requests"]) => {
            state.log.clear();
            Reply::empty(204)
        }
        _ => Reply::json(
            404,
            json!({"error": "unknown admin endpoint", "see": "sim/README.md"}),
        ),
    })
}
