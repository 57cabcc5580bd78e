//! Trace spans of tool calls, in process: the server's own OpenTelemetry layer
//! (`toolwire_server::telemetry::layer`) on the SDK's in-memory exporter, the real REST router
//! and MCP over HTTP (raw JSON-RPC) against the real simulator. A caller's `traceparent`
//! (header, MCP `_meta`) is continued, the runtime's `execute_tool` span carries the call's
//! attributes, and no span carries a tool input, a credential or an upstream body (canaries).

mod common;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{API_KEY, Harness};
use opentelemetry::trace::{SpanKind, Status};
use opentelemetry::{KeyValue, Value as OtelValue};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Value, json};
use toolwire_sim::{FaultKind, FaultSpec};
use tracing_subscriber::layer::SubscriberExt as _;

/// The process-wide exporter (one global subscriber per test binary; tests tell their spans
/// apart by trace id).
fn exporter() -> &'static InMemorySpanExporter {
    static EXPORTER: OnceLock<InMemorySpanExporter> = OnceLock::new();
    EXPORTER.get_or_init(|| {
        let exporter = InMemorySpanExporter::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(exporter.clone())
            .build();
        let subscriber =
            tracing_subscriber::registry().with(toolwire_server::telemetry::layer(&provider));
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        // The provider must outlive the tests; the exporter keeps what it exported.
        std::mem::forget(provider);
        exporter
    })
}

/// A caller's span: a fresh trace id and span id, and its `traceparent` header value.
struct Caller {
    trace_id: String,
    span_id: String,
}

impl Caller {
    fn new() -> Caller {
        let trace_id = uuid::Uuid::new_v4().simple().to_string();
        let span_id = uuid::Uuid::new_v4().simple().to_string()[..16].to_string();
        Caller { trace_id, span_id }
    }

    fn traceparent(&self) -> String {
        format!("00-{}-{}-01", self.trace_id, self.span_id)
    }
}

/// The finished spans of `trace_id`, once there are at least `n` of them (5 s deadline).
async fn spans_of(trace_id: &str, n: usize) -> Vec<SpanData> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let spans: Vec<SpanData> = exporter()
            .get_finished_spans()
            .expect("in-memory spans")
            .into_iter()
            .filter(|s| s.span_context.trace_id().to_string() == trace_id)
            .collect();
        if spans.len() >= n || Instant::now() > deadline {
            return spans;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn named<'a>(spans: &'a [SpanData], name: &str) -> &'a SpanData {
    spans
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no span {name:?} in {:#?}", names(spans)))
}

fn names(spans: &[SpanData]) -> Vec<&str> {
    spans.iter().map(|s| s.name.as_ref()).collect()
}

fn attr(span: &SpanData, key: &str) -> Option<OtelValue> {
    span.attributes
        .iter()
        .find(|kv: &&KeyValue| kv.key.as_str() == key)
        .map(|kv| kv.value.clone())
}

fn str_attr(span: &SpanData, key: &str) -> String {
    match attr(span, key) {
        Some(v) => v.as_str().into_owned(),
        None => panic!("no attribute {key} on {}: {:?}", span.name, span.attributes),
    }
}

fn int_attr(span: &SpanData, key: &str) -> i64 {
    match attr(span, key) {
        Some(OtelValue::I64(n)) => n,
        other => panic!("attribute {key} on {} is {other:?}", span.name),
    }
}

async fn execute(h: &Harness, caller: &Caller, body: Value) -> (u16, Value) {
    h.send(
        h.http
            .post(h.url("/v1/execute_tool"))
            .header("traceparent", caller.traceparent())
            .json(&body),
    )
    .await
}

async fn mcp_call(h: &Harness, params: Value, header: Option<&Caller>) -> Value {
    let mut req = h
        .http
        .post(h.url("/mcp"))
        .bearer_auth(API_KEY)
        .header("Accept", "application/json, text/event-stream")
        .header("X-Toolwire-Identifier", "acme")
        .json(&json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": params}));
    if let Some(caller) = header {
        req = req.header("traceparent", caller.traceparent());
    }
    let resp = req.send().await.expect("MCP request");
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.expect("JSON-RPC body")
}

/// The entry span continues the caller's span; the runtime's span is its child.
fn assert_continued<'a>(
    spans: &'a [SpanData],
    caller: &Caller,
    entry: &str,
    tool: &str,
) -> &'a SpanData {
    let entry = named(spans, entry);
    assert_eq!(
        entry.parent_span_id.to_string(),
        caller.span_id,
        "{entry:?}"
    );
    assert!(entry.parent_span_is_remote, "{entry:?}");
    assert_eq!(entry.span_kind, SpanKind::Server);
    let call = named(spans, &format!("execute_tool {tool}"));
    assert_eq!(call.parent_span_id, entry.span_context.span_id());
    assert_eq!(call.span_context.trace_id().to_string(), caller.trace_id);
    assert_eq!(str_attr(call, "gen_ai.tool.name"), tool);
    assert_eq!(str_attr(call, "gen_ai.operation.name"), "execute_tool");
    assert_eq!(str_attr(call, "toolwire.connection"), "zendesk");
    assert_eq!(str_attr(call, "toolwire.identifier"), "acme");
    assert!(int_attr(call, "toolwire.latency_ms") >= 0);
    // Each attribute once (a span keeps every value recorded under a key).
    let mut keys: Vec<&str> = call.attributes.iter().map(|kv| kv.key.as_str()).collect();
    keys.sort_unstable();
    let all = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), all, "{:?}", call.attributes);
    call
}

#[tokio::test]
async fn a_rest_call_continues_the_callers_trace_with_the_calls_attributes() {
    exporter();
    let h = Harness::start().await;
    let (status, account) = h.connect("acme").await;
    assert_eq!(status, 200, "{account}");

    let caller = Caller::new();
    let (status, body) = execute(
        &h,
        &caller,
        json!({"identifier": "acme", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let call = assert_continued(
        &spans,
        &caller,
        "POST /v1/execute_tool",
        "zendesk_ticket_get",
    );
    let entry = named(&spans, "POST /v1/execute_tool");
    assert_eq!(str_attr(entry, "http.route"), "/v1/execute_tool");
    assert_eq!(str_attr(entry, "toolwire.surface"), "rest");
    assert_eq!(str_attr(call, "toolwire.outcome"), "ok");
    assert_eq!(int_attr(call, "http.response.status_code"), 200);
    assert_eq!(int_attr(call, "toolwire.attempts"), 1);
    assert_eq!(
        str_attr(call, "toolwire.execution_id"),
        body["execution_id"].as_str().unwrap()
    );
    let account_id = str_attr(call, "toolwire.account_id");
    assert!(uuid::Uuid::parse_str(&account_id).is_ok(), "{account_id}");
    assert!(attr(call, "error.type").is_none(), "{call:?}");
    assert_eq!(call.status, Status::Unset);
    assert_eq!(int_attr(entry, "http.response.status_code"), 200);
    assert_eq!(entry.status, Status::Unset);

    // A 500 once, then the answer: the retry is counted.
    h.sim.inject_fault(FaultSpec {
        kind: FaultKind::Status {
            status: 500,
            retry_after: None,
        },
        count: Some(1),
        share: None,
        tenant: Some("acme".into()),
        method: None,
        path_prefix: Some("/api/v2/tickets".into()),
    });
    let caller = Caller::new();
    let (status, body) = execute(
        &h,
        &caller,
        json!({"identifier": "acme", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let call = assert_continued(
        &spans,
        &caller,
        "POST /v1/execute_tool",
        "zendesk_ticket_get",
    );
    assert_eq!(str_attr(call, "toolwire.outcome"), "ok");
    assert_eq!(int_attr(call, "toolwire.attempts"), 2);
    assert_eq!(int_attr(call, "http.response.status_code"), 200);

    // An upstream error: its stable code and the upstream status, the span marked failed.
    let caller = Caller::new();
    let (status, body) = execute(
        &h,
        &caller,
        json!({"identifier": "acme", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 999999}}),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let call = assert_continued(
        &spans,
        &caller,
        "POST /v1/execute_tool",
        "zendesk_ticket_get",
    );
    assert_eq!(str_attr(call, "toolwire.outcome"), "error");
    assert_eq!(
        str_attr(call, "error.type"),
        body["error"]["code"].as_str().unwrap()
    );
    assert_eq!(int_attr(call, "http.response.status_code"), 404);
    assert!(
        matches!(call.status, Status::Error { .. }),
        "{:?}",
        call.status
    );
    // The request span: our own answer's status; a 4xx is the caller's, so no error status.
    let entry = named(&spans, "POST /v1/execute_tool");
    assert_eq!(int_attr(entry, "http.response.status_code"), 404);
    assert_eq!(entry.status, Status::Unset);

    // The upstream fails on every attempt: we answer 5xx, and the request span is an error.
    h.sim.inject_fault(FaultSpec {
        kind: FaultKind::Status {
            status: 500,
            retry_after: None,
        },
        count: Some(20),
        share: None,
        tenant: Some("acme".into()),
        method: None,
        path_prefix: Some("/api/v2/tickets".into()),
    });
    let caller = Caller::new();
    let (status, body) = execute(
        &h,
        &caller,
        json!({"identifier": "acme", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}}),
    )
    .await;
    assert!(status >= 500, "{status} {body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let entry = named(&spans, "POST /v1/execute_tool");
    assert_eq!(
        int_attr(entry, "http.response.status_code"),
        i64::from(status)
    );
    assert!(
        matches!(entry.status, Status::Error { .. }),
        "{:?}",
        entry.status
    );
}

#[tokio::test]
async fn an_mcp_call_continues_the_trace_of_its_meta_or_its_header() {
    exporter();
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);

    // `_meta.traceparent` in the tools/call params.
    let caller = Caller::new();
    let body = mcp_call(
        &h,
        json!({"name": "zendesk_ticket_get", "arguments": {"ticket_id": 1},
               "_meta": {"traceparent": caller.traceparent()}}),
        None,
    )
    .await;
    assert_eq!(body["result"]["isError"], false, "{body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let call = assert_continued(
        &spans,
        &caller,
        "tools/call zendesk_ticket_get",
        "zendesk_ticket_get",
    );
    assert_eq!(str_attr(call, "toolwire.outcome"), "ok");
    assert_eq!(int_attr(call, "toolwire.attempts"), 1);
    let entry = named(&spans, "tools/call zendesk_ticket_get");
    assert_eq!(str_attr(entry, "mcp.method.name"), "tools/call");
    assert_eq!(str_attr(entry, "toolwire.surface"), "mcp_http");

    // The HTTP header when `_meta` has none; a tool input error before any request.
    let caller = Caller::new();
    let body = mcp_call(
        &h,
        json!({"name": "zendesk_ticket_get", "arguments": {"ticket_id": "one"}}),
        Some(&caller),
    )
    .await;
    assert_eq!(body["result"]["isError"], true, "{body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let call = assert_continued(
        &spans,
        &caller,
        "tools/call zendesk_ticket_get",
        "zendesk_ticket_get",
    );
    assert_eq!(str_attr(call, "error.type"), "INVALID_INPUT");
    assert_eq!(int_attr(call, "toolwire.attempts"), 0);
    assert!(
        attr(call, "http.response.status_code").is_none(),
        "{call:?}"
    );
}

#[tokio::test]
async fn no_span_carries_an_input_a_credential_or_an_upstream_body() {
    exporter();
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let agent = h.sim.tenant("acme").unwrap().agent().unwrap().clone();
    let token = agent.api_token.clone();
    assert!(token.len() >= 16, "a real token");
    let basic = base64_basic(&agent.email, &token);
    let marker = uuid::Uuid::new_v4().simple().to_string();
    let input_canary = format!("input-canary-{marker}");
    // Not an agent of the tenant: the upstream's 422 body quotes it back.
    let echoed_canary = format!("echoed-canary-{marker}@example.com");

    let caller = Caller::new();
    let (status, body) = execute(
        &h,
        &caller,
        json!({"identifier": "acme", "tool_name": "zendesk_ticket_create", "tool_input": {
            "comment_body": input_canary, "subject": input_canary, "assignee_email": echoed_canary}}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let spans = spans_of(&caller.trace_id, 2).await;
    let call = assert_continued(
        &spans,
        &caller,
        "POST /v1/execute_tool",
        "zendesk_ticket_create",
    );
    assert_eq!(int_attr(call, "http.response.status_code"), 422);
    assert_eq!(
        str_attr(call, "error.type"),
        body["error"]["code"].as_str().unwrap()
    );
    // The canary did reach the upstream and come back in its error body (the caller sees it).
    assert!(body.to_string().contains(&echoed_canary), "{body}");

    // Everything a span exports: names, attributes, events, links, status.
    let exported = format!("{spans:?}");
    assert!(exported.contains("zendesk_ticket_create"), "{exported}");
    for (what, canary) in [
        ("tool input", input_canary.as_str()),
        ("echoed input", echoed_canary.as_str()),
        ("api token", token.as_str()),
        ("basic credentials", basic.as_str()),
        ("email", agent.email.as_str()),
    ] {
        assert!(
            !exported.contains(canary),
            "{what} found in an exported span: {exported}"
        );
    }
}

fn base64_basic(email: &str, token: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{email}/token:{token}"))
}
