//! The MCP server: tool list from codegen's MCP format, calls through the runtime, errors as
//! `isError` results; plus stdio round trips with the real binary (SQLite, and PostgreSQL with
//! `--database-url`).

mod common;

use std::process::Stdio;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use toolwire_runtime::Credentials;
use toolwire_server::mcp::McpServer;
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_sim::Sim;

/// A runtime on `dir` (its master key) and `database_url` (default SQLite in `dir`) with the
/// sim's `acme` agent connected as identifier `acme`.
async fn connected(
    dir: &std::path::Path,
    sim: &Sim,
    database_url: Option<&str>,
) -> toolwire_runtime::Toolwire {
    let opts = RuntimeOptions {
        data_dir: dir.to_path_buf(),
        connectors: Some(common::connectors()),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: None,
        database_url: database_url.map(str::to_string),
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

/// Asserts a `tools/call` result's `structuredContent` is valid against the tool's
/// `outputSchema` (what MCP clients check).
fn assert_matches_output_schema(tool: &str, schema: &Value, content: &Value) {
    let validator = jsonschema::draft202012::new(schema)
        .unwrap_or_else(|e| panic!("{tool}: outputSchema compiles: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(content)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{tool}: structuredContent does not match outputSchema: {errors:#?}\n{content}"
    );
}

/// The `tools/list` token budget of the Zendesk connector (o200k_base, the GPT-4o tokenizer):
/// BENCHMARKS.md states it and `--bin output_size` prints the current count.
const TOOLS_LIST_TOKEN_BUDGET: usize = 7_000;

#[tokio::test]
async fn tools_and_calls() {
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = connected(dir.path(), &sim, None).await;
    let server = McpServer::new(tw, "acme").unwrap();
    assert_eq!(server.tools().len(), common::all_tools());
    assert_eq!(
        server
            .tools()
            .iter()
            .filter(|t| t.name.starts_with("zendesk_"))
            .count(),
        14
    );
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
    let schema = |name: &str| {
        let tool = server.tools().iter().find(|t| t.name == name).unwrap();
        Value::Object(tool.output_schema.as_deref().expect("outputSchema").clone())
    };
    assert_matches_output_schema(
        "zendesk_ticket_get",
        &schema("zendesk_ticket_get"),
        ok.structured_content.as_ref().unwrap(),
    );
    for (tool, input) in [
        ("zendesk_search_tickets", json!({"query": "status:open"})),
        ("zendesk_tickets_list", json!({"per_page": 5})),
        ("zendesk_ticket_comments_list", json!({"ticket_id": 1})),
        ("zendesk_users_list", json!({"per_page": 5})),
        ("zendesk_organizations_list", json!({})),
        ("zendesk_groups_list", json!({})),
        ("zendesk_views_list", json!({})),
        (
            "zendesk_ticket_update",
            json!({"ticket_id": 1, "priority": "high"}),
        ),
    ] {
        let out = server
            .call(tool, Some(input.as_object().unwrap().clone()))
            .await;
        assert_eq!(out.is_error, Some(false), "{tool}: {:?}", out.content);
        let content = out.structured_content.expect("structuredContent");
        assert_matches_output_schema(tool, &schema(tool), &content);
    }
    let user = server
        .call(
            "zendesk_users_list",
            Some(json!({"role": "agent"}).as_object().unwrap().clone()),
        )
        .await
        .structured_content
        .unwrap()["users"][0]["id"]
        .clone();
    let input = json!({"user_id": user, "include": ["organizations", "groups"]});
    let out = server
        .call("zendesk_user_get", Some(input.as_object().unwrap().clone()))
        .await;
    assert_eq!(out.is_error, Some(false), "{:?}", out.content);
    let content = out.structured_content.expect("structuredContent");
    assert_matches_output_schema("zendesk_user_get", &schema("zendesk_user_get"), &content);

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

/// `toolwire mcp ARGS` as an MCP client starts it: JSON-RPC lines on stdin/stdout.
struct StdioServer {
    _child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

impl StdioServer {
    /// Starts `toolwire mcp --identifier acme` on `data_dir` with the sim's CA and address,
    /// plus `extra` flags; then initializes the session.
    async fn start(sim: &Sim, data_dir: &std::path::Path, extra: &[&str]) -> StdioServer {
        let ca = data_dir.join("ca.pem");
        std::fs::write(&ca, sim.ca_pem()).unwrap();
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
            .args(["mcp", "--identifier", "acme", "--connectors"])
            .arg(common::connectors())
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--extra-ca")
            .arg(&ca)
            .arg("--resolve")
            .arg(format!("zendesk.com={}", sim.addr()))
            .args(extra)
            .env_remove("TOOLWIRE_MASTER_KEY")
            .env_remove("TOOLWIRE_DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut server = StdioServer {
            stdin: child.stdin.take().unwrap(),
            lines: BufReader::new(child.stdout.take().unwrap()).lines(),
            _child: child,
        };
        let init = server.request(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}})).await;
        assert!(
            init["result"]["capabilities"]["tools"].is_object(),
            "{init}"
        );
        server
            .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        server
    }

    async fn send(&mut self, msg: Value) {
        self.stdin
            .write_all(format!("{msg}\n").as_bytes())
            .await
            .unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// Sends a request and reads its answer (the next line).
    async fn request(&mut self, msg: Value) -> Value {
        self.send(msg).await;
        let line = self.lines.next_line().await.unwrap();
        serde_json::from_str(&line.expect("an answer, not end of output")).unwrap()
    }

    async fn call(&mut self, id: u64, tool: &str, arguments: Value) -> Value {
        self.request(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}))
            .await
    }
}

#[tokio::test]
async fn stdio_round_trip() {
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    drop(connected(dir.path(), &sim, None).await);
    let mut server = StdioServer::start(&sim, dir.path(), &[]).await;
    let list = server
        .request(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}))
        .await;
    assert_eq!(
        list["result"]["tools"].as_array().map(Vec::len),
        Some(common::all_tools()),
        "{list}"
    );
    let call = server
        .call(3, "zendesk_search_tickets", json!({"query": "status:open"}))
        .await;
    assert_eq!(call["result"]["isError"], false, "{call}");
    assert!(
        call["result"]["structuredContent"]["results"].is_array(),
        "{call}"
    );
    let tools = list["result"]["tools"].as_array().unwrap();
    let search = tools
        .iter()
        .find(|t| t["name"] == "zendesk_search_tickets")
        .unwrap();
    assert_matches_output_schema(
        "zendesk_search_tickets",
        &search["outputSchema"],
        &call["result"]["structuredContent"],
    );

    // The Zendesk part of tools/list, as the client received it, fits the stated token budget.
    let zendesk: Vec<&Value> = tools
        .iter()
        .filter(|t| t["name"].as_str().unwrap().starts_with("zendesk_"))
        .collect();
    assert_eq!(zendesk.len(), 14);
    let text = serde_json::to_string(&json!({"tools": zendesk})).unwrap();
    let tokens = tiktoken_rs::o200k_base()
        .unwrap()
        .encode_with_special_tokens(&text)
        .len();
    assert!(
        tokens <= TOOLS_LIST_TOKEN_BUDGET,
        "tools/list is {tokens} tokens (o200k_base), over the budget of {TOOLS_LIST_TOKEN_BUDGET}"
    );
}

/// `toolwire mcp --database-url postgres://...`: the account connected by another process into
/// PostgreSQL is served from there (this data directory has only the master key, and gets no
/// SQLite file).
#[tokio::test]
async fn stdio_on_postgres() {
    let Some(pg) = common::pg::PgSchema::create("stdio_on_postgres").await else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let (app_dir, mcp_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let tw = connected(app_dir.path(), &sim, Some(&pg.url)).await;
    tw.flush().await;
    drop(tw);
    std::fs::copy(
        app_dir.path().join("master.key"),
        mcp_dir.path().join("master.key"),
    )
    .unwrap();
    let mut server = StdioServer::start(&sim, mcp_dir.path(), &["--database-url", &pg.url]).await;
    let call = server
        .call(2, "zendesk_ticket_get", json!({"ticket_id": 1}))
        .await;
    assert_eq!(call["result"]["isError"], false, "{call}");
    assert_eq!(
        call["result"]["structuredContent"]["ticket"]["id"], 1,
        "{call}"
    );
    drop(server);
    assert!(
        !mcp_dir.path().join("toolwire.db").exists(),
        "no SQLite file when a database URL is given"
    );
    pg.drop_schema().await;
}
