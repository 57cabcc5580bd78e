//! Output sizes for a model: what an agent receives from `zendesk_search_tickets` and
//! `zendesk_ticket_get` (the spec's projections) against Zendesk's raw JSON for the very same
//! HTTP request, and the whole Zendesk MCP `tools/list`, in bytes and in tokens (o200k_base, the
//! GPT-4o tokenizer, counted with `tiktoken-rs`). Runs against the simulator over HTTPS through
//! the production client; the raw bodies are fetched with the client toolwire itself builds.
//!
//! `cargo run -p toolwire-benches --bin output_size -- [--seed 42]
//! [--query "status:open priority:urgent assignee:me"] [--connectors DIR]`

use serde_json::{Value, json};
use tiktoken_rs::CoreBPE;
use toolwire_benches::{arg, connectors_dir};
use toolwire_codegen::{Generator, SchemaFormat};
use toolwire_runtime::http::HttpOptions;
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::Sim;

fn row(bpe: &CoreBPE, what: &str, json: &str, raw: Option<&str>) {
    let tokens = bpe.encode_with_special_tokens(json).len();
    let ratio = raw
        .map(|r| format!("{:.1}× smaller", r.len() as f64 / json.len() as f64))
        .unwrap_or_default();
    println!(
        "{what:<44} {:>8} B {:>7} tokens  {ratio}",
        json.len(),
        tokens
    );
}

#[tokio::main]
async fn main() {
    let seed: u64 = arg("seed", 42);
    let query: String = arg(
        "query",
        "status:open priority:urgent assignee:me".to_string(),
    );
    let connectors: std::path::PathBuf = arg("connectors", connectors_dir());
    let bpe = tiktoken_rs::o200k_base().expect("o200k_base ships with tiktoken-rs");

    let sim = Sim::builder().seed(seed).start().await.expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let tw = Toolwire::builder()
        .store(Store::sqlite(dir.path().join("t.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connectors_dir(&connectors)
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .build()
        .await
        .expect("toolwire");
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let config = json!({"subdomain": "acme"}).as_object().unwrap().clone();
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
        .expect("connect");
    let client = toolwire_runtime::http::client(&HttpOptions {
        extra_roots_pem: vec![sim.ca_pem()],
        resolve_suffixes: vec![("zendesk.com".into(), sim.addr())],
        connect_timeout: None,
    })
    .unwrap();
    let raw = |path: String, query: Vec<(&'static str, String)>| {
        let request = client
            .get(format!("https://acme.zendesk.com/api/v2{path}"))
            .query(&query)
            .basic_auth(format!("{}/token", agent.email), Some(&agent.api_token));
        async move {
            let response = request.send().await.expect("raw request");
            assert!(response.status().is_success(), "{}", response.status());
            response.text().await.expect("raw body")
        }
    };
    let compact = |v: &Value| serde_json::to_string(v).unwrap();

    println!("seed {seed}, tokens: o200k_base (tiktoken-rs)\n");
    let input = json!({"query": query});
    let projected = tw
        .execute_tool("acme", "zendesk_search_tickets", input.clone())
        .await
        .expect("search");
    let full = tw
        .execute_tool_full(None, "acme", "zendesk_search_tickets", input)
        .await
        .expect("search (full)");
    let raw_search = raw(
        "/search.json".into(),
        vec![("query", format!("type:ticket {query}"))],
    )
    .await;
    let n = projected.data["results"].as_array().map_or(0, Vec::len);
    println!("zendesk_search_tickets `{query}` ({n} tickets)");
    row(&bpe, "  Zendesk raw JSON (same request)", &raw_search, None);
    row(&bpe, "  toolwire, full: true", &compact(&full.data), None);
    row(
        &bpe,
        "  toolwire, projected (default)",
        &compact(&projected.data),
        Some(&raw_search),
    );

    let id = projected.data["results"][0]["id"]
        .as_i64()
        .expect("a ticket");
    let got = tw
        .execute_tool("acme", "zendesk_ticket_get", json!({"ticket_id": id}))
        .await
        .expect("ticket get");
    let include = "users,groups,organizations".to_string();
    let raw_get = raw(format!("/tickets/{id}.json"), vec![("include", include)]).await;
    let raw_bare = raw(format!("/tickets/{id}.json"), vec![]).await;
    println!("\nzendesk_ticket_get {id} (include users, groups, organizations: the default)");
    row(&bpe, "  Zendesk raw JSON (same request)", &raw_get, None);
    row(&bpe, "  Zendesk raw JSON without include", &raw_bare, None);
    row(
        &bpe,
        "  toolwire, projected (default)",
        &compact(&got.data),
        Some(&raw_get),
    );

    let generator = Generator::from_file(connectors.join("zendesk.yaml")).expect("spec");
    let list = json!({"tools": generator.tool_schemas(SchemaFormat::Mcp)});
    let tools = list["tools"].as_array().map_or(0, Vec::len);
    println!("\nMCP tools/list, the whole Zendesk connector ({tools} tools)");
    row(&bpe, "  result JSON (compact)", &compact(&list), None);
}
