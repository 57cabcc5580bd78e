//! The MCP server: tool list from codegen's MCP format, calls through the runtime, errors as
//! `isError` results; plus a stdio round trip with the real binary.

mod common;

use std::process::Stdio;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use toolwire_runtime::Credentials;
use toolwire_server::mcp::McpServer;
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_sim::Sim;

async fn connected(dir: &std::path::Path, sim: &Sim) -> toolwire_runtime::Toolwire {
    let opts = RuntimeOptions {
        data_dir: dir.to_path_buf(),
        connectors: Some(common::connectors()),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: None,
        ..Default::default()
    };
    let tw = setup::build(&opts, setup::master_key(dir).unwrap())
        .await
        .unwrap();
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let mut config = serde_json::Map::new();
    config.insert("subdomain".into(), json!("acme"));
    tw.accounts()
        .set_credentials(
            "zendesk",
            "acme",
            &config,
            None,
            Credentials::from_fields([
                ("email", agent.email.as_str()),
                ("api_token", agent.api_token.as_str()),
            ]),
        )
        .await
        .unwrap();
    tw
}

#[tokio::test]
async fn tools_and_calls() {
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = connected(dir.path(), &sim).await;
    let server = McpServer::new(tw, "acme", &common::connectors()).unwrap();
    assert_eq!(server.tools().len(), 14);
    let get = server
        .tools()
        .iter()
        .find(|t| t.name == "zendesk_ticket_get")
        .unwrap();
    assert!(get.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true));
    assert!(get.input_schema.contains_key("properties"));

    let ok = server
        .call(
            "zendesk_ticket_get",
            Some(json!({"ticket_id": 1}).as_object().unwrap().clone()),
        )
        .await;
    assert_eq!(ok.is_error, Some(false));
    assert_eq!(ok.structured_content.as_ref().unwrap()["ticket"]["id"], 1);

    let bad = server
        .call(
            "zendesk_ticket_get",
            Some(json!({"ticket_id": "one"}).as_object().unwrap().clone()),
        )
        .await;
    assert_eq!(bad.is_error, Some(true));
    let text = serde_json::to_string(&bad.content).unwrap();
    assert!(
        text.contains("INVALID_INPUT") && text.contains("ticket_id"),
        "{text}"
    );
}

#[tokio::test]
async fn stdio_round_trip() {
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    drop(connected(dir.path(), &sim).await);
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem()).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
        .args(["mcp", "--identifier", "acme", "--connectors"])
        .arg(common::connectors())
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--extra-ca")
        .arg(&ca)
        .arg("--resolve")
        .arg(format!("zendesk.com={}", sim.addr()))
        .env_remove("TOOLWIRE_MASTER_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut send = async |msg: Value| {
        stdin
            .write_all(format!("{msg}\n").as_bytes())
            .await
            .unwrap();
        stdin.flush().await.unwrap();
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}})).await;
    let init: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert!(
        init["result"]["capabilities"]["tools"].is_object(),
        "{init}"
    );
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
    let list: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(
        list["result"]["tools"].as_array().map(Vec::len),
        Some(14),
        "{list}"
    );
    send(json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "zendesk_search_tickets", "arguments": {"query": "status:open"}}})).await;
    let call: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(call["result"]["isError"], false, "{call}");
    assert!(
        call["result"]["structuredContent"]["results"].is_array(),
        "{call}"
    );
}
