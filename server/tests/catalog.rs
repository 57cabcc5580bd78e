//! One list of connectors: `GET /v1/tools` and MCP `tools/list` describe the connectors the
//! runtime loaded — made once at start-up, so they answer the same after the connectors
//! directory is gone (no disk I/O per request), and a connector added with
//! `ToolwireBuilder::connector` is listed like one loaded from the directory.

mod common;

use std::path::PathBuf;

use common::API_KEY;
use serde_json::{Value, json};
use toolwire_runtime::connector::Connector;
use toolwire_runtime::{MasterKey, Store, Toolwire};
use toolwire_server::setup::{self, RuntimeOptions};

fn acme_crm() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/acme_crm.yaml")
}

async fn get(base: &str, path: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

async fn mcp_tool_names(base: &str) -> Vec<String> {
    let resp = reqwest::Client::new()
        .post(format!("{base}/mcp"))
        .bearer_auth(API_KEY)
        .header("X-Toolwire-Identifier", "someone")
        .header("Accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.unwrap();
    body["result"]["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("tools/list: {body}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// The tool names of a `/v1/tools` answer (OpenAI nests them under `function`).
fn names(body: &Value) -> Vec<&str> {
    body["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|t| {
            t["name"]
                .as_str()
                .or(t["function"]["name"].as_str())
                .unwrap_or_else(|| panic!("no name: {t}"))
        })
        .collect()
}

#[tokio::test]
async fn the_catalog_answers_without_the_connectors_directory() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("connectors");
    std::fs::create_dir(&specs).unwrap();
    std::fs::copy(
        common::connectors().join("zendesk.yaml"),
        specs.join("zendesk.yaml"),
    )
    .unwrap();
    let opts = RuntimeOptions {
        data_dir: dir.path().join("data"),
        connectors: Some(specs.clone()),
        ..Default::default()
    };
    let tw = setup::build(&opts, MasterKey::generate()).await.unwrap();
    let listener = common::bind().await;
    let base = format!("http://{}", listener.local_addr().unwrap());
    let _server = common::serve(listener, tw);

    let queries = [
        "/v1/tools",
        "/v1/tools?format=openai",
        "/v1/tools?connection_name=zendesk&format=anthropic",
    ];
    let mut before = Vec::new();
    for q in queries {
        let (status, body) = get(&base, q).await;
        assert_eq!(status, 200, "{q}: {body}");
        assert_eq!(names(&body).len(), 14, "{q}");
        before.push(body);
    }
    let mcp_before = mcp_tool_names(&base).await;
    assert_eq!(mcp_before.len(), 14);

    // The specs leave the disk (and a broken one takes their place): nothing is re-read.
    std::fs::remove_dir_all(&specs).unwrap();
    std::fs::create_dir(&specs).unwrap();
    std::fs::write(specs.join("zendesk.yaml"), "connector: [not a spec").unwrap();
    for (q, expected) in queries.iter().zip(&before) {
        let (status, body) = get(&base, q).await;
        assert_eq!((status, &body), (200, expected), "{q}");
    }
    assert_eq!(mcp_tool_names(&base).await, mcp_before);
}

#[tokio::test]
async fn a_connector_added_with_the_builder_is_listed_by_rest_and_mcp() {
    let dir = tempfile::tempdir().unwrap();
    let tw = Toolwire::builder()
        .store(Store::sqlite(dir.path().join("t.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connectors_dir(common::connectors())
        .connector(Connector::load_file(&acme_crm()).unwrap())
        .build()
        .await
        .unwrap();
    let crm_tools: Vec<String> = toolwire_spec::load_file(acme_crm())
        .unwrap()
        .tools
        .iter()
        .map(|t| t.name.clone())
        .collect();
    assert!(!crm_tools.is_empty());
    let listener = common::bind().await;
    let base = format!("http://{}", listener.local_addr().unwrap());
    let _server = common::serve(listener, tw);

    let (status, body) = get(&base, "/v1/tools?connection_name=acme_crm").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(names(&body), crm_tools);
    let (status, body) = get(&base, "/v1/tools?format=anthropic").await;
    assert_eq!(status, 200, "{body}");
    let all = names(&body);
    // The builder's connector beside every `connectors/*.yaml` (Zendesk, Slack, ...).
    assert_eq!(all.len(), crm_tools.len() + common::all_tools(), "{all:?}");
    assert!(
        crm_tools.iter().all(|t| all.contains(&t.as_str())),
        "{all:?}"
    );

    let mcp = mcp_tool_names(&base).await;
    assert_eq!(mcp.len(), crm_tools.len() + common::all_tools(), "{mcp:?}");
    assert!(crm_tools.iter().all(|t| mcp.contains(t)), "{mcp:?}");
}
