//! One logical HTTP exchange: send, classify the answer by the spec's error rules, and retry
//! only when that is safe (read-only or idempotent tools, or requests carrying an idempotency
//! key), with full-jitter backoff and `Retry-After` honoured up to the spec's cap.

use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use serde_json::{Map, Value};
use toolwire_spec::{
    BodyEncoding, ConnectorSpec, ErrorRule, HttpMethod, RetryKind, UpstreamErrorCode,
};

use crate::error::{Error, Result};

/// A request ready to send (auth is added by the caller's `prepare` closure each attempt).
pub(crate) struct Exchange<'a> {
    pub method: HttpMethod,
    pub url: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// How `body` is sent (JSON or form-encoded).
    pub encoding: BodyEncoding,
    pub retry_safe: bool,
    pub spec: &'a ConnectorSpec,
    /// The tenant's budget: a `Retry-After` this exchange waits out blocks the tenant for
    /// that time first (on every replica when budgets are shared), so other calls do not send.
    pub budget: Option<&'a super::budget::Budget>,
}

/// A successful answer.
pub(crate) struct Answer {
    pub body: Value,
    /// The response headers (`Link` paging reads them).
    pub headers: reqwest::header::HeaderMap,
}

/// A classified failure, before account effects are applied.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: u16,
    pub rule: Option<ErrorRule>,
    pub body: Option<Value>,
    pub retry_after_s: Option<u64>,
    /// The response headers (missing-scope rules read them).
    pub headers: reqwest::header::HeaderMap,
}

/// What went wrong in an exchange.
pub(crate) enum SendError {
    /// The upstream answered with an error status.
    Upstream(Box<Failure>),
    /// Transport-level failure (already mapped).
    Transport(Error),
}

fn method(m: HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    }
}

/// Sends with retries. `authorize` adds credentials to each attempt's request.
pub(crate) async fn send(
    client: &reqwest::Client,
    ex: &Exchange<'_>,
    authorize: &(dyn Fn(reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder> + Sync),
) -> std::result::Result<Answer, SendError> {
    let policy = &ex.spec.retry;
    let max_attempts = if ex.retry_safe {
        policy.max_attempts.max(1)
    } else {
        1
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut req = client
            .request(method(ex.method), &ex.url)
            .timeout(Duration::from_millis(policy.timeout_ms))
            .header(reqwest::header::ACCEPT, "application/json");
        if !ex.query.is_empty() {
            req = req.query(&ex.query);
        }
        // Declared headers replace defaults of the same name (a spec's own `Accept`).
        req = req.headers(header_map(&ex.headers));
        if let Some(body) = &ex.body {
            req = match (ex.encoding, BodyEncoding::form_pairs(body)) {
                (BodyEncoding::Form, Some(pairs)) => req.form(&pairs),
                _ => req.json(body),
            };
        }
        let req = authorize(req).map_err(SendError::Transport)?;
        let last = attempt >= max_attempts;
        crate::trace::request_sent();
        let response = match req.send().await {
            Ok(r) => r,
            Err(e) if e.is_builder() => {
                // Inputs and credentials are checked before they get here: this is a bug, and
                // nothing was sent (the error text may quote the bad value, so it is not kept).
                return Err(SendError::Transport(Error::Internal(format!(
                    "the {} request could not be built; nothing was sent",
                    ex.spec.connector
                ))));
            }
            Err(e) => {
                if !last && (e.is_connect() || e.is_timeout() || e.is_request()) {
                    tokio::time::sleep(backoff(policy.base_delay_ms, policy.max_delay_ms, attempt))
                        .await;
                    continue;
                }
                return Err(SendError::Transport(transport_error(ex, &e)));
            }
        };
        let status = response.status().as_u16();
        crate::trace::answered(status);
        let headers = response.headers().clone();
        let bytes = match response.bytes().await {
            Ok(b) => b,
            Err(e) => {
                if !last {
                    tokio::time::sleep(backoff(policy.base_delay_ms, policy.max_delay_ms, attempt))
                        .await;
                    continue;
                }
                return Err(SendError::Transport(transport_error(ex, &e)));
            }
        };
        let body: Option<Value> = if bytes.is_empty() {
            None
        } else {
            serde_json::from_slice(&bytes).ok()
        };
        // Success is the rules' call, not the status's alone: a rule may find an error in a
        // 2xx body (`{"ok": false}`).
        let rule = classify(ex.spec, status, body.as_ref(), &headers).cloned();
        if (200..300).contains(&status) && rule.is_none() {
            return Ok(Answer {
                body: body.unwrap_or(Value::Null),
                headers,
            });
        }
        let retry_after =
            super::header_rules::wait_s(rule.as_ref(), &headers, chrono::Utc::now().timestamp());
        let retry = rule.as_ref().map(|r| r.retry).unwrap_or(RetryKind::Never);
        let wait = match retry {
            RetryKind::Never => None,
            RetryKind::Backoff => Some(backoff(policy.base_delay_ms, policy.max_delay_ms, attempt)),
            RetryKind::AfterHeader => match retry_after {
                Some(s) if s > policy.retry_after_cap_s => None,
                Some(s) => Some(Duration::from_secs(s)),
                None => Some(backoff(policy.base_delay_ms, policy.max_delay_ms, attempt)),
            },
        };
        if let (Some(wait), false) = (wait, last) {
            if let (RetryKind::AfterHeader, Some(s), Some(budget)) = (retry, retry_after, ex.budget)
            {
                budget.block(s).await;
            }
            tracing::debug!(
                status,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            continue;
        }
        return Err(SendError::Upstream(Box::new(Failure {
            status,
            rule,
            body,
            retry_after_s: retry_after,
            headers,
        })));
    }
}

/// The first error rule matching the status and body.
pub(crate) fn classify<'s>(
    spec: &'s ConnectorSpec,
    status: u16,
    body: Option<&Value>,
    headers: &reqwest::header::HeaderMap,
) -> Option<&'s ErrorRule> {
    spec.errors.iter().find(|r| {
        r.status.matches(status)
            && r.when.as_ref().is_none_or(|w| w.matches(body))
            && super::header_rules::holds(r, headers)
    })
}

/// Request headers from validated name/value pairs (a later pair replaces an earlier one).
fn header_map(pairs: &[(String, String)]) -> reqwest::header::HeaderMap {
    let mut map = reqwest::header::HeaderMap::new();
    for (k, v) in pairs {
        if let (Ok(name), Ok(value)) = (
            reqwest::header::HeaderName::from_bytes(k.as_bytes()),
            reqwest::header::HeaderValue::from_str(v),
        ) {
            map.insert(name, value);
        }
    }
    map
}

/// Full-jitter exponential backoff.
fn backoff(base_ms: u64, max_ms: u64, attempt: u32) -> Duration {
    let ceiling = base_ms
        .saturating_mul(1u64 << attempt.min(16))
        .min(max_ms)
        .max(1);
    Duration::from_millis(rand::rng().random_range(0..=ceiling))
}

/// Maps a transport failure. A write that is not safe to repeat gets `OutcomeUnknown` unless
/// the connection was never made (then nothing was sent): the agent must check before retrying.
fn transport_error(ex: &Exchange<'_>, e: &reqwest::Error) -> Error {
    let connector = ex.spec.connector.clone();
    // reqwest errors can carry the URL, and the URL carries the key of an `api_key` scheme that
    // goes in the query: keep the kind only.
    if crate::http::egress_refused(e) {
        return Error::InvalidConfig {
            field: "config".into(),
            message: format!(
                "the account's {} host {}: refused, so an account cannot reach the operator's network (operators may allow it with --allow-private-egress)",
                ex.spec.title,
                crate::http::REFUSED
            ),
        };
    }
    let kind = if e.is_connect() {
        "connection failed"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_body() || e.is_decode() {
        "the response was cut off"
    } else {
        "the connection was lost"
    };
    if !ex.retry_safe && !e.is_connect() {
        return Error::OutcomeUnknown {
            connector,
            message: kind.to_string(),
        };
    }
    if e.is_timeout() {
        return Error::Timeout {
            connector,
            after_ms: ex.spec.retry.timeout_ms,
        };
    }
    Error::Network {
        connector,
        message: kind.to_string(),
    }
}

/// Turns a failure into the caller-facing error (message from the rule plus the vendor's).
pub(crate) fn upstream_error(failure: &Failure) -> Error {
    let Some(rule) = &failure.rule else {
        let code = if failure.status >= 500 {
            UpstreamErrorCode::UpstreamUnavailable
        } else {
            UpstreamErrorCode::UpstreamError
        };
        return Error::Upstream {
            code,
            status: failure.status,
            message: format!("the API answered HTTP {}", failure.status),
            details: None,
            retry_after_s: failure.retry_after_s,
        };
    };
    let vendor = rule
        .upstream_message
        .as_deref()
        .and_then(|p| failure.body.as_ref()?.pointer(p))
        .and_then(Value::as_str);
    let message = match vendor {
        Some(v) if !v.is_empty() => format!("{} ({v})", rule.message.trim()),
        _ => rule.message.trim().to_string(),
    };
    let mut details = rule.details.as_ref().and_then(|selection| {
        let mut body = failure.body.clone()?;
        let picked = selection.take_from(&mut body);
        let empty = picked.is_null() || picked.as_object().is_some_and(Map::is_empty);
        (!empty).then_some(picked)
    });
    let mut message = message;
    if let Some((missing, granted)) = rule
        .missing_scopes
        .as_ref()
        .and_then(|s| super::header_rules::missing_scopes(s, &failure.headers))
    {
        message = format!(
            "{message} Missing scope (any one of): {}; granted: {}.",
            missing.join(", "),
            if granted.is_empty() {
                "none".to_string()
            } else {
                granted.join(", ")
            }
        );
        details = Some(serde_json::json!({"missing_scopes": missing, "granted_scopes": granted}));
    }
    Error::Upstream {
        code: rule.code,
        status: failure.status,
        message,
        details,
        retry_after_s: if rule.retry == RetryKind::Never {
            None
        } else {
            failure.retry_after_s
        },
    }
}

/// Renders query templates; absent values are left out.
pub(crate) fn render_pairs<'v>(
    pairs: &[(String, toolwire_spec::template::Template)],
    lookup: &impl Fn(&toolwire_spec::template::VarRef) -> Option<&'v Value>,
) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter_map(|(k, t)| t.render_string(lookup).map(|v| (k.clone(), v)))
        .collect()
}

/// Convenience for config lookups.
pub(crate) fn config_value<'v>(
    config: &'v Map<String, Value>,
    var: &toolwire_spec::template::VarRef,
) -> Option<&'v Value> {
    config
        .get(&var.path[0])
        .and_then(|c| toolwire_spec::template::lookup_path(c, &var.path[1..]))
}
