//! OTLP export end to end: a real `toolwire serve --otlp-endpoint URL` child process, a real
//! OTLP/HTTP receiver in the test (axum, decoding the protobuf body with `opentelemetry-proto`)
//! and the simulator. A REST call with a `traceparent` header arrives as spans of the caller's
//! trace with the call's attributes, and no exported byte carries a tool input, a credential
//! or an upstream body (canaries).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use common::API_KEY;
use common::process::ServerProcess;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message as _;
use serde_json::{Value, json};
use toolwire_sim::Sim;

/// What the receiver got: every export request, decoded.
type Received = Arc<Mutex<Vec<ExportTraceServiceRequest>>>;

/// An OTLP/HTTP receiver on 127.0.0.1:0 (`POST /v1/traces`, protobuf); its base URL.
async fn receiver(received: Received) -> String {
    async fn traces(State(received): State<Received>, body: Bytes) -> &'static str {
        let request = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf body");
        received.lock().unwrap().push(request);
        ""
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/v1/traces", post(traces))
        .with_state(received);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn spans(received: &Received) -> Vec<Span> {
    received
        .lock()
        .unwrap()
        .iter()
        .flat_map(|r| &r.resource_spans)
        .flat_map(|r| &r.scope_spans)
        .flat_map(|s| s.spans.clone())
        .collect()
}

/// The spans of `trace_id` once there are `n` of them (polled; 20 s deadline).
async fn spans_of(received: &Received, trace_id: &[u8], n: usize) -> Vec<Span> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found: Vec<Span> = spans(received)
            .into_iter()
            .filter(|s| s.trace_id == trace_id)
            .collect();
        if found.len() >= n || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn attr(span: &Span, key: &str) -> Option<AnyValue> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.clone())
        .and_then(|v| v.value)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn serve_exports_the_spans_of_a_call_to_an_otlp_receiver() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let received = Received::default();
    let otlp = receiver(received.clone()).await;
    let sim = Sim::builder().seed(42).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_with(
        &sim,
        dir.path(),
        &["--otlp-endpoint", &otlp],
        // A short batch interval, so the test waits for tens of milliseconds, not 5 s.
        &[("OTEL_BSP_SCHEDULE_DELAY", "100")],
    )
    .await;
    server.connect(&sim, "acme", "acme").await;
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();

    let trace_id = uuid::Uuid::new_v4().simple().to_string();
    let caller_span = uuid::Uuid::new_v4().simple().to_string()[..16].to_string();
    let marker = uuid::Uuid::new_v4().simple().to_string();
    let input_canary = format!("input-canary-{marker}");
    // Not an agent of the tenant: the upstream's 422 body quotes it back.
    let echoed_canary = format!("echoed-canary-{marker}@example.com");
    let http = reqwest::Client::new();
    let call = |input: Value| {
        http.post(format!("{}/v1/execute_tool", server.base))
            .bearer_auth(API_KEY)
            .header("traceparent", format!("00-{trace_id}-{caller_span}-01"))
            .json(&json!({"identifier": "acme", "tool_name": "zendesk_ticket_create", "tool_input": input}))
            .send()
    };
    let created = call(json!({"comment_body": "traced", "subject": "traced"}))
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 200);
    let refused = call(json!({"comment_body": input_canary, "assignee_email": echoed_canary}))
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    // The canary did come back in the upstream's error body (the caller sees it).
    let refused = refused.text().await.unwrap();
    assert!(refused.contains(&echoed_canary), "{refused}");

    let trace_bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&trace_id[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let spans = spans_of(&received, &trace_bytes, 4).await;
    assert_eq!(spans.len(), 4, "two calls, two spans each: {spans:#?}");
    let entries: Vec<&Span> = spans
        .iter()
        .filter(|s| s.name == "POST /v1/execute_tool")
        .collect();
    assert_eq!(entries.len(), 2);
    for entry in &entries {
        assert_eq!(hex(&entry.parent_span_id), caller_span);
    }
    let calls: Vec<&Span> = spans
        .iter()
        .filter(|s| s.name == "execute_tool zendesk_ticket_create")
        .collect();
    assert_eq!(calls.len(), 2);
    for call in &calls {
        assert!(
            entries.iter().any(|e| e.span_id == call.parent_span_id),
            "the call's parent is a request span: {call:#?}"
        );
        assert_eq!(
            attr(call, "toolwire.connection"),
            Some(AnyValue::StringValue("zendesk".into()))
        );
        assert_eq!(attr(call, "toolwire.attempts"), Some(AnyValue::IntValue(1)));
    }
    let ok = calls
        .iter()
        .find(|c| attr(c, "toolwire.outcome") == Some(AnyValue::StringValue("ok".into())))
        .expect("the successful call");
    assert_eq!(
        attr(ok, "http.response.status_code"),
        Some(AnyValue::IntValue(201))
    );
    let failed = calls
        .iter()
        .find(|c| attr(c, "toolwire.outcome") == Some(AnyValue::StringValue("error".into())))
        .expect("the refused call");
    assert_eq!(
        attr(failed, "http.response.status_code"),
        Some(AnyValue::IntValue(422))
    );
    assert!(attr(failed, "error.type").is_some(), "{failed:#?}");

    // Every received byte, decoded: names, attributes, events, status, resource.
    let exported = format!("{:?}", received.lock().unwrap());
    assert!(exported.contains("toolwire"), "the service name");
    for (what, canary) in [
        ("tool input", input_canary.as_str()),
        ("echoed input", echoed_canary.as_str()),
        ("api token", agent.api_token.as_str()),
        ("agent email", agent.email.as_str()),
        ("API key", API_KEY),
    ] {
        assert!(
            !exported.contains(canary),
            "{what} found in an export: {exported}"
        );
    }
}

#[tokio::test]
async fn exec_continues_traceparent_from_the_environment_and_exports_before_exiting() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let received = Received::default();
    let otlp = receiver(received.clone()).await;
    let sim = Sim::builder().seed(42).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    // `serve` (not traced) connects the account in the data directory `exec` then uses.
    let server = ServerProcess::start(&sim, dir.path()).await;
    server.connect(&sim, "acme", "acme").await;

    let trace_id = uuid::Uuid::new_v4().simple().to_string();
    let caller_span = uuid::Uuid::new_v4().simple().to_string()[..16].to_string();
    let input_canary = format!("input-canary-{}", uuid::Uuid::new_v4().simple());
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
        .args(["exec", "zendesk_search_tickets", "--identifier", "acme"])
        .arg("--input")
        .arg(json!({"query": input_canary}).to_string())
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--extra-ca")
        .arg(dir.path().join("sim-ca.pem"))
        .arg("--resolve")
        .arg(format!("zendesk.com={}", sim.addr()))
        .arg("--connectors")
        .arg(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors"))
        .args(["--otlp-endpoint", &otlp])
        .env("TRACEPARENT", format!("00-{trace_id}-{caller_span}-01"))
        .env_remove("TOOLWIRE_MASTER_KEY")
        .env_remove("TOOLWIRE_DATABASE_URL")
        .env_remove("RUST_LOG")
        .output()
        .await
        .expect("run toolwire exec");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The default batch interval is 5 s: spans here arrived because exit flushed them.
    let trace_bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&trace_id[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let spans = spans_of(&received, &trace_bytes, 2).await;
    let entry = spans
        .iter()
        .find(|s| s.name == "toolwire exec zendesk_search_tickets")
        .unwrap_or_else(|| panic!("the exec span: {spans:#?}"));
    assert_eq!(hex(&entry.parent_span_id), caller_span);
    let call = spans
        .iter()
        .find(|s| s.name == "execute_tool zendesk_search_tickets")
        .unwrap_or_else(|| panic!("the call span: {spans:#?}"));
    assert_eq!(call.parent_span_id, entry.span_id);
    assert_eq!(
        attr(call, "toolwire.outcome"),
        Some(AnyValue::StringValue("ok".into()))
    );
    let exported = format!("{:?}", received.lock().unwrap());
    assert!(
        !exported.contains(&input_canary),
        "tool input in an export: {exported}"
    );
}
