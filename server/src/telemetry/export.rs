//! The process's tracing subscriber: logs to stderr (the `--log` filter, or `RUST_LOG`) and,
//! when an OTLP endpoint is configured, the OpenTelemetry layer exporting spans in batches
//! over OTLP/HTTP (protobuf). The standard `OTEL_*` variables apply (`OTEL_SERVICE_NAME`,
//! `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_SCHEDULE_DELAY`, ...).

use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The variables that turn the exporter on without `--otlp-endpoint`.
const ENDPOINT_VARS: [&str; 2] = [
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];

/// The installed exporter, if any; dropping it exports what is still queued (call it last).
#[must_use = "dropping it shuts the exporter down"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Whether spans are exported.
    pub fn exporting(&self) -> bool {
        self.provider.is_some()
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take() {
            let _ = provider.shutdown();
        }
    }
}

/// Installs the global subscriber. `otlp_endpoint` is the OTLP/HTTP base URL (spans go to
/// `{endpoint}/v1/traces`); without it the `OTEL_EXPORTER_OTLP_*ENDPOINT` variables decide.
/// Call outside an async runtime (the exporter's HTTP client is a blocking one).
pub fn init(log_filter: &str, otlp_endpoint: Option<&str>) -> Telemetry {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| log_filter.to_string());
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("warn"));
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter);
    let wanted = otlp_endpoint.is_some()
        || ENDPOINT_VARS
            .iter()
            .any(|v| std::env::var(v).is_ok_and(|s| !s.is_empty()));
    let (provider, problem) = match wanted.then(|| provider(otlp_endpoint)) {
        None => (None, None),
        Some(Ok(p)) => (Some(p), None),
        Some(Err(e)) => (None, Some(e)),
    };
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(provider.as_ref().map(super::layer))
        .try_init();
    if let Some(problem) = problem {
        tracing::warn!(error = %problem, "OTLP trace export is off: the exporter could not be built");
    }
    Telemetry { provider }
}

/// A provider exporting in batches to `endpoint` (else where the environment says).
fn provider(endpoint: Option<&str>) -> Result<SdkTracerProvider, String> {
    // The exporter's HTTP client is built with rustls, whose provider is chosen here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut exporter = opentelemetry_otlp::SpanExporter::builder().with_http();
    if let Some(base) = endpoint {
        exporter = exporter.with_endpoint(format!("{}/v1/traces", base.trim_end_matches('/')));
    }
    let exporter = exporter.build().map_err(|e| e.to_string())?;
    let mut resource = Resource::builder();
    if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
        resource = resource.with_service_name("toolwire");
    }
    Ok(SdkTracerProvider::builder()
        .with_resource(resource.build())
        .with_batch_exporter(exporter)
        .build())
}
