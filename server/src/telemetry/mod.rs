//! OpenTelemetry traces of tool calls. The runtime opens an `execute_tool {tool}` span per call
//! ([`toolwire_runtime::trace`]); this module opens the span of the request that asked for it
//! (REST, MCP, CLI) as the child of the caller's W3C `traceparent`, and installs the exporter:
//! OTLP over HTTP when `--otlp-endpoint` or the standard `OTEL_EXPORTER_OTLP_ENDPOINT` /
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, nothing otherwise (the spans are then disabled
//! and cost one level check).
//!
//! Only spans of target [`TARGET`] are exported, and never a log event: what a span carries is
//! the fixed attribute list in `toolwire_runtime::trace` and [`entry`], none of them a tool
//! input, a credential or an upstream body.

mod entry;
mod export;
mod propagate;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::registry::LookupSpan;

pub use entry::{cli_span, mcp_span, rest_answered, rest_span};
pub use export::{Telemetry, init};
pub use propagate::{from_env, from_headers, from_mcp, from_meta};

/// The target of every exported span (the runtime's and the server's).
pub const TARGET: &str = toolwire_runtime::trace::TARGET;

/// The OpenTelemetry layer for `provider`: the spans of [`TARGET`] only, without code
/// locations, thread names or log events.
pub fn layer<S>(provider: &SdkTracerProvider) -> impl Layer<S> + Send + Sync + 'static
where
    S: Subscriber + for<'a> LookupSpan<'a> + Send + Sync,
{
    tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("toolwire"))
        .with_location(false)
        .with_threads(false)
        .with_level(false)
        .with_target(false)
        .with_tracked_inactivity(false)
        .with_filter(filter_fn(|meta| meta.is_span() && meta.target() == TARGET))
}
