//! `toolwire serve --outbound-ip` (or `TOOLWIRE_OUTBOUND_IP`): the real binary names the
//! configured address in the RESTRICTED message an IP allowlist causes, so the customer knows
//! what to allow.

mod common;

use serde_json::json;
use toolwire_sim::Sim;

use common::process::ServerProcess;

/// Connects `c1` to globex, fences globex off with an IP allowlist and runs a tool: the error.
async fn restricted_error(sim: &Sim, server: &ServerProcess) -> (u16, serde_json::Value) {
    server.connect(sim, "c1", "globex").await;
    sim.set_ip_allowlist("globex", &["198.51.100.0/24"])
        .unwrap();
    let answer = server
        .post(
            "/v1/execute_tool",
            json!({"identifier": "c1", "tool_name": "zendesk_groups_list", "tool_input": {}}),
        )
        .await;
    sim.set_ip_allowlist("globex", &[]).unwrap();
    answer
}

#[tokio::test]
async fn the_restricted_message_names_the_configured_outbound_ip() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(9).start().await.expect("sim starts");

    let dir = tempfile::tempdir().unwrap();
    let server =
        ServerProcess::start_with(&sim, dir.path(), &["--outbound-ip", "203.0.113.9"], &[]).await;
    let (status, body) = restricted_error(&sim, &server).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "ACCOUNT_RESTRICTED", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("allow toolwire's outbound IP 203.0.113.9."),
        "{message}"
    );

    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_with(
        &sim,
        dir.path(),
        &[],
        &[("TOOLWIRE_OUTBOUND_IP", "203.0.113.0/28, 198.18.0.1")],
    )
    .await;
    let (_, body) = restricted_error(&sim, &server).await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("allow toolwire's outbound IPs 203.0.113.0/28, 198.18.0.1."),
        "{message}"
    );
}
