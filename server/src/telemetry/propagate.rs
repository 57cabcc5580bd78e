//! The caller's trace context, read with the W3C Trace Context propagator from an HTTP
//! request's headers, an MCP request's `_meta` (`traceparent` / `tracestate`) or the
//! `TRACEPARENT` / `TRACESTATE` environment variables (the CLI).

use std::collections::HashMap;

use opentelemetry::Context;
use opentelemetry::propagation::{Extractor, TextMapPropagator as _};
use opentelemetry_http::HeaderExtractor;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use rmcp::RoleServer;
use rmcp::model::{MetaObject, RequestMetaObject};
use rmcp::service::RequestContext;

/// The context of an HTTP request's `traceparent` header (empty without a valid one).
pub fn from_headers(headers: &axum::http::HeaderMap) -> Context {
    TraceContextPropagator::new().extract(&HeaderExtractor(headers))
}

/// The context of an MCP request's `_meta.traceparent` (empty without a valid one).
pub fn from_meta(meta: &MetaObject) -> Context {
    TraceContextPropagator::new().extract(&MetaExtractor(meta))
}

/// The context of an MCP `tools/call`: its params' `_meta.traceparent`, else the request's
/// `_meta` as the SDK read it, else (over HTTP) the request's `traceparent` header.
pub fn from_mcp(
    params_meta: Option<&RequestMetaObject>,
    context: &RequestContext<RoleServer>,
) -> Context {
    let metas = params_meta
        .into_iter()
        .chain(std::iter::once(&context.meta));
    for meta in metas {
        if meta.get_traceparent().is_some() {
            return from_meta(meta);
        }
    }
    context
        .extensions
        .get::<axum::http::request::Parts>()
        .map(|parts| from_headers(&parts.headers))
        .unwrap_or_default()
}

/// The context of `TRACEPARENT` (and `TRACESTATE`) in the environment.
pub fn from_env() -> Context {
    let carrier: HashMap<String, String> =
        [("traceparent", "TRACEPARENT"), ("tracestate", "TRACESTATE")]
            .into_iter()
            .filter_map(|(key, var)| std::env::var(var).ok().map(|v| (key.to_string(), v)))
            .collect();
    TraceContextPropagator::new().extract(&carrier)
}

/// Reads string fields of an MCP `_meta` object.
struct MetaExtractor<'a>(&'a MetaObject);

impl Extractor for MetaExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(serde_json::Value::as_str)
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}
