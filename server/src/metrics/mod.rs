//! Prometheus metrics of tool calls and accounts, served at `GET /metrics` (behind the API
//! key, like `/v1/*`; scrape with `authorization: {credentials: <api key>}`).
//!
//! | metric | labels | what |
//! | --- | --- | --- |
//! | `toolwire_tool_calls_total` | `surface`, `connection`, `tool` | tool calls (REST, MCP, CLI) |
//! | `toolwire_tool_errors_total` | `surface`, `connection`, `tool`, `code` | failed calls by error code |
//! | `toolwire_tool_call_duration_seconds` | `connection`, `tool` | latency histogram |
//! | `toolwire_accounts` | `connection`, `status` | connected accounts by status (one grouped count, reused for up to 5 s) |
//!
//! Calls are counted by the server around `execute_tool` ([`instrument`]), not inside the
//! runtime. Labels are bounded: a tool or connection the runtime does not know is counted as
//! `unknown` (a client cannot grow the label set), and identifiers never become labels.

mod accounts;

use std::sync::LazyLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
};
use toolwire_runtime::{ToolOutput, Toolwire};

use crate::error::ServerError;
use crate::web::auth::require_api_key;
use crate::web::{ApiAuth, ErrorBody};

/// The process-wide metrics (one registry, like the `prometheus` crate's default).
pub struct Metrics {
    registry: Registry,
    calls: IntCounterVec,
    errors: IntCounterVec,
    latency: HistogramVec,
    accounts: IntGaugeVec,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process-wide metrics.
pub fn global() -> &'static Metrics {
    &METRICS
}

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new();
        let calls = IntCounterVec::new(
            Opts::new("toolwire_tool_calls_total", "Tool calls."),
            &["surface", "connection", "tool"],
        )
        .expect("valid metric");
        let errors = IntCounterVec::new(
            Opts::new(
                "toolwire_tool_errors_total",
                "Failed tool calls by error code.",
            ),
            &["surface", "connection", "tool", "code"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "toolwire_tool_call_duration_seconds",
                "Tool call latency (whole execution, including retries).",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["connection", "tool"],
        )
        .expect("valid metric");
        let accounts = IntGaugeVec::new(
            Opts::new("toolwire_accounts", "Connected accounts by status."),
            &["connection", "status"],
        )
        .expect("valid metric");
        for c in [
            Box::new(calls.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(errors.clone()),
            Box::new(latency.clone()),
            Box::new(accounts.clone()),
        ] {
            registry.register(c).expect("metric registered once");
        }
        Metrics {
            registry,
            calls,
            errors,
            latency,
            accounts,
        }
    }

    /// Records one finished call (`code` is `None` on success).
    pub fn observe(
        &self,
        surface: &str,
        connection: &str,
        tool: &str,
        code: Option<&str>,
        seconds: f64,
    ) {
        self.calls
            .with_label_values(&[surface, connection, tool])
            .inc();
        if let Some(code) = code {
            self.errors
                .with_label_values(&[surface, connection, tool, code])
                .inc();
        }
        self.latency
            .with_label_values(&[connection, tool])
            .observe(seconds);
    }

    /// The text exposition format, with the account gauge refreshed from `tw`'s store.
    pub async fn render(&self, tw: &Toolwire) -> Result<String, ServerError> {
        let counts = accounts::count(tw).await?;
        self.accounts.reset();
        for ((connection, status), n) in counts {
            self.accounts
                .with_label_values(&[connection.as_str(), status.as_str()])
                .set(n);
        }
        let mut buf = Vec::new();
        prometheus::TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .map_err(|e| ServerError::Usage(format!("metrics encoding: {e}")))?;
        String::from_utf8(buf).map_err(|e| ServerError::Usage(format!("metrics encoding: {e}")))
    }
}

/// Runs `execute_tool` (or `execute_tool_on` when `connection` is given) and records it.
pub async fn instrument(
    tw: &Toolwire,
    surface: &str,
    connection: Option<&str>,
    identifier: &str,
    tool: &str,
    input: serde_json::Value,
) -> toolwire_runtime::Result<ToolOutput> {
    instrument_with(tw, surface, connection, identifier, tool, input, false).await
}

/// [`instrument`], returning the tool's full output instead of its projection when `full`.
pub async fn instrument_with(
    tw: &Toolwire,
    surface: &str,
    connection: Option<&str>,
    identifier: &str,
    tool: &str,
    input: serde_json::Value,
    full: bool,
) -> toolwire_runtime::Result<ToolOutput> {
    let started = Instant::now();
    // The runtime's call future is large (kilobytes): boxed, the futures of the surfaces that
    // await this one stay small and are not copied whole as they move (REST: ~7 K instructions
    // of memcpy per call, benches/profile_server.sh).
    let out = match (connection, full) {
        (_, true) => Box::pin(tw.execute_tool_full(connection, identifier, tool, input)).await,
        (Some(conn), false) => Box::pin(tw.execute_tool_on(conn, identifier, tool, input)).await,
        (None, false) => Box::pin(tw.execute_tool(identifier, tool, input)).await,
    };
    let (conn_label, tool_label) = labels(tw, connection, tool);
    global().observe(
        surface,
        conn_label,
        tool_label,
        out.as_ref().err().map(|e| e.code()),
        started.elapsed().as_secs_f64(),
    );
    out
}

/// Bounded labels: known names pass through, anything else is `unknown`.
fn labels<'a>(tw: &'a Toolwire, connection: Option<&str>, tool: &'a str) -> (&'a str, &'a str) {
    let owner = tw.connectors().find(|c| c.tool(tool).is_some());
    let tool_label = if owner.is_some() { tool } else { "unknown" };
    let conn_label = match connection {
        Some(c) => tw.connector(c).map(|c| c.name()).unwrap_or("unknown"),
        None => owner.map(|c| c.name()).unwrap_or("unknown"),
    };
    (conn_label, tool_label)
}

/// The `/metrics` route (behind the API key), on any app state that provides the runtime and
/// the API keys.
pub fn routes<S>(state: &S) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Toolwire: FromRef<S>,
    ApiAuth: FromRef<S>,
{
    Router::new()
        .route("/metrics", get(handler))
        .route_layer(axum::middleware::from_fn_with_state(
            ApiAuth::from_ref(state),
            require_api_key,
        ))
}

/// The OpenAPI description of `/metrics`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(handler))]
struct Doc;

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "ops", security(("api_key" = [])),
    responses((status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody)))]
pub async fn handler(State(tw): State<Toolwire>) -> Response {
    match global().render(&tw).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
