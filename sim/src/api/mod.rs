//! The Zendesk API front door: host → tenant, faults, body limits, IP allowlist, rate limits,
//! credentials, routing, rate-limit headers and the request log — in that order.

pub mod ctx;
pub mod pagination;
pub mod query;
pub mod reply;
pub mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, Request, Response, StatusCode, header};
use chrono::Utc;

use crate::auth;
use crate::faults::FaultKind;
use crate::log::LoggedRequest;
use crate::state::{SimState, lock};
use ctx::Ctx;
use query::Query;
use reply::{Reply, ReplyBody};

/// The peer address of a connection, put in request extensions by the server.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// The Host (without port) of a request, from `Host` or the URI authority (HTTP/2).
pub fn host_of(req: &Request<Body>) -> String {
    let h = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let h = h.to_ascii_lowercase();
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_string();
    }
    match h.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name.to_string(),
        _ => h,
    }
}

/// Which tenant a host addresses: `Ok(sub)`, or `Err(sub)` for an unknown `*.zendesk.com`.
pub fn tenant_for_host(state: &SimState, host: &str) -> Result<String, String> {
    match host.strip_suffix(".zendesk.com") {
        Some(sub) => {
            if state.tenant(sub).is_some() {
                Ok(sub.to_string())
            } else {
                Err(sub.to_string())
            }
        }
        None => Ok(state.default_tenant()),
    }
}

pub(crate) fn unknown_host(sub: &str) -> Reply {
    Reply {
        status: 404,
        body: ReplyBody::Html(format!(
            "<!DOCTYPE html><html><head><title>No help desk</title></head><body><h1>Oops! No help desk at {sub}.zendesk.com</h1></body></html>"
        )),
        headers: Vec::new(),
        list: false,
    }
}

/// Handle one API (non-admin) request.
pub async fn handle(state: Arc<SimState>, req: Request<Body>) -> Response<Body> {
    let host = host_of(&req);
    let method = req.method().clone();
    let raw_path = req.uri().path().to_string();
    let raw_query = req.uri().query().map(str::to_string);
    let peer = req.extensions().get::<Peer>().map(|p| p.0);
    let mut entry = LoggedRequest {
        seq: 0,
        method: method.to_string(),
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

    // Faults first: they model the network and the edge.
    let drop_after =
        match apply_faults(&state, &tenant, &sub, method.as_str(), &raw_path, &entry).await {
            FaultOutcome::Replace(resp) => return resp,
            FaultOutcome::Serve => false,
            FaultOutcome::ServeThenDrop => true,
        };
    let resp = serve(&state, &tenant, req, entry, &host, peer).await;
    drop_if(drop_after, resp)
}

/// Everything after faults: body, allowlist, rate limit, credentials, routing, log.
async fn serve(
    state: &SimState,
    tenant: &std::sync::Mutex<crate::tenants::Tenant>,
    req: Request<Body>,
    mut entry: LoggedRequest,
    host: &str,
    peer: Option<SocketAddr>,
) -> Response<Body> {
    let method = req.method().clone();
    let raw_path = req.uri().path().to_string();
    let raw_query = req.uri().query().map(str::to_string);
    let (parts, body) = req.into_parts();
    let limit = state.config.body_limit;
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return finish(state, entry, reply::too_large(limit), None);
    }
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            let too_big = format!("{e:?}")
                .to_ascii_lowercase()
                .contains("length limit");
            let r = if too_big {
                reply::too_large(limit)
            } else {
                reply::bad_json("body could not be read")
            };
            return finish(state, entry, r, None);
        }
    };
    let wants_body = matches!(method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE");
    let body = if wants_body && !bytes.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(v) => Some(v),
            Err(e) => return finish(state, entry, reply::bad_json(&e.to_string()), None),
        }
    } else {
        None
    };

    let link_origin = (state.config.local_links && !host.ends_with(".zendesk.com"))
        .then(|| {
            parts
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(|h| format!("{}://{h}", state.config.scheme))
        })
        .flatten();
    let path = raw_path
        .strip_suffix(".json")
        .unwrap_or(&raw_path)
        .trim_end_matches('/')
        .to_string();
    let mut t = lock(tenant);
    if let Some(p) = peer
        && !t.ip_allowed(p.ip())
    {
        let out = t.rate.peek();
        return finish(
            state,
            entry,
            reply::ip_restricted(),
            Some((out, t.tickets_index_rate.peek())),
        );
    }
    let rate = t.rate.hit();
    if !rate.allowed {
        return finish(
            state,
            entry,
            reply::rate_limited(rate.reset_secs, rate.limit),
            Some((rate, t.tickets_index_rate.peek())),
        );
    }
    let auth = auth::resolve(
        &t,
        parts
            .headers
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes),
    );
    entry.credential = auth.label();
    let is_ticket_index = method == "GET" && path == "/api/v2/tickets";
    let cx = Ctx {
        method,
        path,
        query: Query::parse(raw_query.as_deref()),
        headers: parts.headers,
        body,
        auth,
        now: Utc::now(),
        client_ip: peer
            .map(|p| p.ip().to_string())
            .unwrap_or_else(|| "127.0.0.1".into()),
        link_origin,
    };
    let r = routes::route(&mut t, &cx).unwrap_or_else(|e| e);
    let index = if is_ticket_index {
        t.tickets_index_rate.hit()
    } else {
        t.tickets_index_rate.peek()
    };
    drop(t);
    finish(state, entry, r, Some((rate, index)))
}

/// What the faults decided for a request.
pub(crate) enum FaultOutcome {
    /// Handle it normally.
    Serve,
    /// Handle it (writes are committed and logged), then abort the connection instead of
    /// answering ([`FaultKind::DropAfter`]).
    ServeThenDrop,
    /// Answer with this instead of handling it.
    Replace(Response<Body>),
}

/// Apply injected faults for a request: sleep for latency faults; answer (and log) the first
/// fault that replaces the response, or ask for the answer to be dropped after handling.
pub(crate) async fn apply_faults(
    state: &SimState,
    tenant: &std::sync::Mutex<crate::tenants::Tenant>,
    sub: &str,
    method: &str,
    path: &str,
    entry: &LoggedRequest,
) -> FaultOutcome {
    let mut outcome = FaultOutcome::Serve;
    for f in state.faults.pick(Some(sub), method, path) {
        match f {
            FaultKind::Latency { ms } => tokio::time::sleep(Duration::from_millis(ms)).await,
            FaultKind::DropAfter => outcome = FaultOutcome::ServeThenDrop,
            FaultKind::RateLimit { retry_after } => {
                let limit = lock(tenant).rate.limit;
                let r = reply::rate_limited(retry_after, limit);
                return FaultOutcome::Replace(finish(state, entry.clone(), r, None));
            }
            FaultKind::Status {
                status,
                retry_after,
            } => {
                let mut r = Reply::text(status, format!("Simulated {status} fault"));
                if status == 503 || retry_after.is_some() {
                    r = r.header("retry-after", retry_after.unwrap_or(1).to_string());
                }
                return FaultOutcome::Replace(finish(state, entry.clone(), r, None));
            }
            FaultKind::Drop => {
                let mut e = entry.clone();
                e.status = 0;
                e.credential = "dropped".into();
                state.log.push(e);
                return FaultOutcome::Replace(dropped_response());
            }
        }
    }
    outcome
}

/// `resp`, or a dropped connection instead when `drop` (the request was handled and logged).
pub(crate) fn drop_if(drop: bool, resp: Response<Body>) -> Response<Body> {
    if drop { dropped_response() } else { resp }
}

fn dropped_response() -> Response<Body> {
    let stream = futures::stream::iter(vec![
        Ok::<Bytes, std::io::Error>(Bytes::from_static(b"{\"tick")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated dropped connection",
        )),
    ]);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from_stream(stream))
        .unwrap_or_default()
}

type RateInfo = (
    crate::tenants::ratelimit::RateOutcome,
    crate::tenants::ratelimit::RateOutcome,
);

/// Turn a [`Reply`] into a response with rate-limit headers, and log it.
pub(crate) fn finish(
    state: &SimState,
    mut entry: LoggedRequest,
    r: Reply,
    rate: Option<RateInfo>,
) -> Response<Body> {
    entry.status = r.status;
    state.log.push(entry);
    into_response(r, rate)
}

/// Render a reply (also used by the admin API, without rate headers).
pub fn into_response(r: Reply, rate: Option<RateInfo>) -> Response<Body> {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (ct, body) = match r.body {
        ReplyBody::Json(v) => (
            "application/json; charset=utf-8",
            Body::from(serde_json::to_vec(&v).unwrap_or_default()),
        ),
        ReplyBody::Text(s) => ("text/plain; charset=utf-8", Body::from(s)),
        ReplyBody::Html(s) => ("text/html; charset=utf-8", Body::from(s)),
        ReplyBody::Empty => ("", Body::empty()),
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    if !ct.is_empty() {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    let mut set = |k: &str, v: String| {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            h.insert(k, v);
        }
    };
    if let Some((rate, index)) = rate {
        set("x-zendesk-api-version", "v2".into());
        set("x-rate-limit", rate.limit.to_string());
        set("x-rate-limit-remaining", rate.remaining.to_string());
        set("rate-limit", rate.limit.to_string());
        set("rate-limit-remaining", rate.remaining.to_string());
        set("rate-limit-reset", rate.reset_secs.to_string());
        if r.list {
            set("ratelimit-limit", rate.limit.to_string());
            set("ratelimit-remaining", rate.remaining.to_string());
            set("ratelimit-reset", rate.reset_secs.to_string());
            set(
                "zendesk-ratelimit-tickets-index",
                format!(
                    "total={}; remaining={}; resets={}",
                    index.limit, index.remaining, index.reset_secs
                ),
            );
        }
    }
    for (k, v) in r.headers {
        set(&k, v);
    }
    resp
}
