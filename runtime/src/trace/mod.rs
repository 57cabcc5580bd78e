//! The tracing span of one tool call (`execute_tool {tool}`), with its attributes named as
//! OpenTelemetry expects them. The runtime only opens and fills plain `tracing` spans (target
//! [`TARGET`]); whether they are exported, and where to, is the host's choice (the `toolwire`
//! server installs an OpenTelemetry layer when an OTLP endpoint is configured).
//!
//! | attribute | value |
//! | --- | --- |
//! | `gen_ai.operation.name` | `execute_tool` |
//! | `gen_ai.tool.name` | the tool |
//! | `toolwire.connection` | the connection (the tool's own unless the caller named one), once the tool is found |
//! | `toolwire.identifier` | the caller's identifier (when it passes the identifier rule) |
//! | `toolwire.account_id` | the connected account's id (a UUID), once it is loaded |
//! | `toolwire.execution_id` | the audit log's execution id |
//! | `toolwire.outcome` | `ok` or `error` |
//! | `error.type` | the stable error code (`RATE_LIMITED`, `INVALID_INPUT`, ...) |
//! | `http.response.status_code` | the upstream HTTP status of a failed call, else the last answer's |
//! | `toolwire.attempts` | HTTP requests sent upstream through the spec's API: retries, further pages or write steps, and the verify probe after a 401/403 included (token refreshes are not) |
//! | `toolwire.latency_ms` | the whole call, retries included |
//!
//! Numbers are recorded as `i64` (an OpenTelemetry layer exports other integer types as text).
//!
//! Never recorded: a tool input value, a credential or token, an upstream body or an error
//! message (messages can quote inputs or upstream text; the code says what happened).

use std::cell::Cell;
use std::future::Future;
use std::time::Instant;

use tracing::Instrument as _;
use tracing::field::Empty;
use uuid::Uuid;

use crate::error::Error;

/// The `tracing` target of the runtime's exported spans (an exporter filters on it).
pub const TARGET: &str = "toolwire::trace";

/// The call being traced on this task: its span, the upstream requests sent so far and the
/// last upstream status (recorded once, when the call ends: a span keeps every value recorded).
struct Current {
    span: tracing::Span,
    attempts: Cell<u32>,
    status: Cell<Option<u16>>,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// Runs `call` (one tool call) inside its span and records the outcome when it ends.
pub(crate) async fn tool_call<T>(
    identifier: &str,
    tool: &str,
    execution_id: Uuid,
    call: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let span = tracing::info_span!(
        target: TARGET,
        "execute_tool",
        otel.name = %format_args!("execute_tool {tool}"),
        otel.kind = "internal",
        otel.status_code = Empty,
        gen_ai.operation.name = "execute_tool",
        gen_ai.tool.name = tool,
        toolwire.connection = Empty,
        toolwire.identifier = Empty,
        toolwire.account_id = Empty,
        toolwire.execution_id = %execution_id,
        toolwire.outcome = Empty,
        error.type = Empty,
        http.response.status_code = Empty,
        toolwire.attempts = Empty,
        toolwire.latency_ms = Empty,
    );
    if span.is_disabled() {
        return call.await;
    }
    if crate::identifier::problem(identifier).is_none() {
        span.record("toolwire.identifier", identifier);
    }
    let started = Instant::now();
    let current = Current {
        span: span.clone(),
        attempts: Cell::new(0),
        status: Cell::new(None),
    };
    let (result, attempts, last_status) = CURRENT
        .scope(current, async {
            let result = call.await;
            let (attempts, status) = CURRENT.with(|c| (c.attempts.get(), c.status.get()));
            (result, attempts, status)
        })
        .instrument(span.clone())
        .await;
    span.record("toolwire.attempts", i64::from(attempts));
    span.record("toolwire.latency_ms", started.elapsed().as_millis() as i64);
    let status = match &result {
        Ok(_) => {
            span.record("toolwire.outcome", "ok");
            last_status
        }
        Err(e) => {
            span.record("toolwire.outcome", "error");
            span.record("error.type", e.code());
            span.record("otel.status_code", "ERROR");
            match e {
                Error::Upstream { status, .. } | Error::UpstreamAuthFailed { status, .. } => {
                    Some(*status)
                }
                _ => last_status,
            }
        }
    };
    if let Some(status) = status {
        span.record("http.response.status_code", i64::from(status));
    }
    result
}

/// The traced call has sent one more request upstream.
pub(crate) fn request_sent() {
    let _ = CURRENT.try_with(|c| c.attempts.set(c.attempts.get() + 1));
}

/// The traced call's upstream answered `status`.
pub(crate) fn answered(status: u16) {
    let _ = CURRENT.try_with(|c| c.status.set(Some(status)));
}

/// The traced call is for the connected account `id`.
pub(crate) fn account(id: Uuid) {
    let _ = CURRENT.try_with(|c| {
        c.span
            .record("toolwire.account_id", tracing::field::display(id));
    });
}

/// The traced call runs on `connection` (the tool's own when the caller named none).
pub(crate) fn connection(connection: &str) {
    let _ = CURRENT.try_with(|c| {
        c.span.record("toolwire.connection", connection);
    });
}
