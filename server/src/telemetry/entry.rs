//! The span of the request that asked for a tool call, child of the caller's trace context:
//! `POST /v1/execute_tool` (REST), `tools/call {tool}` (MCP), `toolwire exec {tool}` (CLI).
//! The runtime's `execute_tool {tool}` span is its child.
//!
//! | attribute | value |
//! | --- | --- |
//! | `toolwire.surface` | `rest`, `mcp_http`, `mcp_stdio` or `cli` |
//! | `http.request.method`, `http.route` | REST only |
//! | `http.response.status_code` | REST only: the status answered ([`rest_answered`]) |
//! | `mcp.method.name` | MCP only: `tools/call` |
//! | `gen_ai.tool.name` | MCP and CLI: the tool asked for |
//!
//! The REST span's status follows the OpenTelemetry HTTP server conventions: error when the
//! answer is 5xx, unset otherwise (a 4xx is the caller's doing, not the server's failure).

use opentelemetry::Context;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use super::TARGET;

/// `POST /v1/execute_tool`, continuing `parent`.
pub fn rest_span(parent: Context) -> tracing::Span {
    let span = tracing::info_span!(
        target: TARGET,
        "POST /v1/execute_tool",
        otel.kind = "server",
        toolwire.surface = "rest",
        http.request.method = "POST",
        http.route = "/v1/execute_tool",
        http.response.status_code = Empty,
        otel.status_code = Empty,
    );
    continued(span, parent)
}

/// Records on a [`rest_span`] the status of its answer, `Ok` being 200; a 5xx marks it failed.
pub fn rest_answered<T>(span: &tracing::Span, answer: &crate::error::Result<T>) {
    let status = answer
        .as_ref()
        .map_or_else(|e| e.http_status().as_u16(), |_| 200);
    span.record("http.response.status_code", i64::from(status));
    if status >= 500 {
        span.record("otel.status_code", "ERROR");
    }
}

/// `tools/call {tool}` on `surface` (`mcp_http` or `mcp_stdio`), continuing `parent`.
pub fn mcp_span(surface: &str, tool: &str, parent: Context) -> tracing::Span {
    let span = tracing::info_span!(
        target: TARGET,
        "tools/call",
        otel.name = %format_args!("tools/call {tool}"),
        otel.kind = "server",
        toolwire.surface = surface,
        mcp.method.name = "tools/call",
        gen_ai.tool.name = tool,
    );
    continued(span, parent)
}

/// `toolwire exec {tool}`, continuing `parent` (the `TRACEPARENT` environment variable).
pub fn cli_span(tool: &str, parent: Context) -> tracing::Span {
    let span = tracing::info_span!(
        target: TARGET,
        "toolwire exec",
        otel.name = %format_args!("toolwire exec {tool}"),
        otel.kind = "internal",
        toolwire.surface = "cli",
        gen_ai.tool.name = tool,
    );
    continued(span, parent)
}

/// `span` as a child of `parent` when the exporter is on (otherwise a no-op).
fn continued(span: tracing::Span, parent: Context) -> tracing::Span {
    if !span.is_disabled() {
        // Fails only without an OpenTelemetry layer, when there is nothing to continue.
        let _ = span.set_parent(parent);
    }
    span
}
