//! Per-identifier MCP tokens end to end over real HTTP: minted over REST (shown once, hashed
//! at rest, listed without values, revoked at once), `/mcp` acting for the token's identifier
//! only (no header, argument or `_meta` changes it), and the operator's toolsets and read-only
//! flag enforced on the list and again at call time; an end user sees only the tools of the
//! connections they have, and a link to connect the others. The real router, simulator and
//! SQLite.

mod common;

use common::{API_KEY, bind, connectors};
use serde_json::{Value, json};
use toolwire_runtime::MasterKey;
use toolwire_server::app::{self, AppState};
use toolwire_server::authz::Toolsets;
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_server::web::ApiKeys;
use toolwire_sim::Sim;

struct Env {
    sim: Sim,
    base: String,
    http: reqwest::Client,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn start() -> Env {
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let listener = bind().await;
    let addr = listener.local_addr().unwrap();
    // Only the Zendesk spec: the test counts its tools.
    let specs = dir.path().join("connectors");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::copy(
        connectors().join("zendesk.yaml"),
        specs.join("zendesk.yaml"),
    )
    .unwrap();
    let opts = RuntimeOptions {
        data_dir: dir.path().to_path_buf(),
        connectors: Some(specs),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: Some(format!("http://{addr}")),
        ..Default::default()
    };
    let tw = setup::build(&opts, MasterKey::generate()).await.unwrap();
    let toolsets = Toolsets::parse([
        "triage=tool:zendesk_ticket_get,tool:zendesk_ticket_create",
        "reader=read_only",
    ])
    .unwrap();
    let state = AppState::new(tw, ApiKeys::default().with_key(API_KEY))
        .with_ui(setup::ui_state(&opts, &[]).unwrap())
        .with_toolsets(toolsets);
    tokio::spawn(async move {
        app::serve(listener, app::router(state), std::future::pending())
            .await
            .unwrap();
    });
    Env {
        sim,
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        db: dir.path().join("toolwire.db"),
        _dir: dir,
    }
}

impl Env {
    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.base)
    }

    async fn api(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let resp = req.bearer_auth(API_KEY).send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn connect(&self, sub: &str) {
        let agent = self.sim.tenant(sub).unwrap().agent().unwrap().clone();
        let body = json!({"connection_name": "zendesk", "identifier": sub,
            "config": {"subdomain": sub},
            "credentials": {"email": agent.email, "api_token": agent.api_token}});
        let (s, b) = self
            .api(
                self.http
                    .post(self.url("/v1/connected_accounts"))
                    .json(&body),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }

    async fn mint(&self, body: Value) -> (u16, Value) {
        self.api(self.http.post(self.url("/v1/mcp_tokens")).json(&body))
            .await
    }

    /// One JSON-RPC request to `/mcp` with `token` (and optional extra headers).
    async fn mcp(&self, token: &str, headers: &[(&str, &str)], body: Value) -> (u16, Value) {
        let mut req = self
            .http
            .post(self.url("/mcp"))
            .bearer_auth(token)
            .header("Accept", "application/json, text/event-stream")
            .json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

fn list() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
}

fn call(name: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": name, "arguments": args}})
}

fn names(body: &Value) -> Vec<String> {
    body["result"]["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("tools in {body}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// The requester's name on a ticket the sim has for a tenant: whose account answered.
async fn whose(env: &Env, token: &str, headers: &[(&str, &str)], args: Value) -> Value {
    let (s, b) = env
        .mcp(token, headers, call("zendesk_ticket_get", args))
        .await;
    assert_eq!(s, 200, "{b}");
    b["result"].clone()
}

#[tokio::test]
async fn token_is_shown_once_hashed_at_rest_and_revoked_at_once() {
    let env = start().await;
    env.connect("acme").await;
    let (s, minted) = env.mint(json!({"identifier": "acme"})).await;
    assert_eq!(s, 201, "{minted}");
    let token = minted["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("twm_") && token.len() > 40, "{token}");
    let id = minted["mcp_token"]["id"].as_str().unwrap().to_string();
    assert_eq!(minted["mcp_token"]["status"], "active");

    // Listed without its value; not in the database file either (only its hash).
    let (s, listed) = env
        .api(env.http.get(env.url("/v1/mcp_tokens?identifier=acme")))
        .await;
    assert_eq!(s, 200);
    assert_eq!(listed["mcp_tokens"][0]["id"], id.as_str());
    assert!(!listed.to_string().contains(&token), "{listed}");
    let mut raw = std::fs::read(&env.db).unwrap();
    raw.extend(std::fs::read(env.db.with_extension("db-wal")).unwrap_or_default());
    let secret = &token.as_bytes()[4..];
    assert!(
        !raw.windows(secret.len()).any(|w| w == secret),
        "token plaintext in the SQLite files"
    );

    // Works on /mcp, with no identifier header.
    let (s, b) = env.mcp(&token, &[], list()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(names(&b).len(), 14);

    // Revoked: the very next request is refused.
    let (s, revoked) = env
        .api(env.http.delete(env.url(&format!("/v1/mcp_tokens/{id}"))))
        .await;
    assert_eq!(
        (s, revoked["status"].as_str()),
        (200, Some("revoked")),
        "{revoked}"
    );
    let (s, b) = env.mcp(&token, &[], list()).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (401, Some("UNAUTHORIZED")),
        "{b}"
    );

    // A token for another path is refused too, and so is a made-up one.
    let (s, _) = env.mcp("twm_made_up_token_value", &[], list()).await;
    assert_eq!(s, 401);
    let (s, b) = env
        .api(env.http.delete(env.url("/v1/mcp_tokens/not-a-uuid")))
        .await;
    assert_eq!((s, b["error"]["code"].as_str()), (404, Some("NOT_FOUND")));
    // Minting needs the API key, not a token.
    let resp = env
        .http
        .post(env.url("/v1/mcp_tokens"))
        .bearer_auth(&token)
        .json(&json!({"identifier": "globex"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}

#[tokio::test]
async fn expired_tokens_and_bad_mint_requests_are_refused() {
    let env = start().await;
    let (s, b) = env.mint(json!({"identifier": "acme", "ttl_s": 5})).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (400, Some("INVALID_REQUEST")),
        "{b}"
    );
    let (s, b) = env
        .mint(json!({"identifier": "acme", "toolset": "nope"}))
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (400, Some("INVALID_REQUEST")),
        "{b}"
    );
    assert!(
        b["error"]["message"].as_str().unwrap().contains("triage"),
        "{b}"
    );
    let (s, b) = env.mint(json!({"identifier": " padded "})).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (400, Some("INVALID_INPUT")),
        "{b}"
    );

    // An expired token (its row aged directly in the database) is refused.
    let (_, minted) = env.mint(json!({"identifier": "acme", "ttl_s": 60})).await;
    let token = minted["token"].as_str().unwrap();
    assert_eq!(env.mcp(token, &[], list()).await.0, 200);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", env.db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE access_tokens SET expires_at = '2000-01-01T00:00:00.000000Z'")
        .execute(&pool)
        .await
        .unwrap();
    let (s, b) = env.mcp(token, &[], list()).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (401, Some("UNAUTHORIZED")),
        "{b}"
    );
    let (_, listed) = env.api(env.http.get(env.url("/v1/mcp_tokens"))).await;
    assert_eq!(listed["mcp_tokens"][0]["status"], "expired", "{listed}");
}

#[tokio::test]
async fn the_identifier_comes_from_the_token_only() {
    let env = start().await;
    env.connect("acme").await;
    env.connect("globex").await;
    let (_, minted) = env.mint(json!({"identifier": "acme"})).await;
    let acme = minted["token"].as_str().unwrap().to_string();
    let args = json!({"ticket_id": 1});
    let own = whose(&env, &acme, &[], args.clone()).await;
    assert_eq!(own["isError"], false, "{own}");
    let (_, minted) = env.mint(json!({"identifier": "globex"})).await;
    let globex_token = minted["token"].as_str().unwrap().to_string();
    let theirs = whose(&env, &globex_token, &[], args.clone()).await;
    assert_ne!(
        own["structuredContent"], theirs["structuredContent"],
        "two tenants' ticket 1 differ, so the answer shows whose account was used"
    );

    // By header: ignored.
    let by_header = whose(
        &env,
        &acme,
        &[("X-Toolwire-Identifier", "globex")],
        args.clone(),
    )
    .await;
    assert_eq!(by_header["structuredContent"], own["structuredContent"]);
    // By argument: not an input the tool takes (closed schema), so refused, never routed.
    let by_arg = whose(
        &env,
        &acme,
        &[],
        json!({"ticket_id": 1, "identifier": "globex"}),
    )
    .await;
    assert_eq!(by_arg["isError"], true, "{by_arg}");
    assert!(
        !by_arg
            .to_string()
            .contains(&theirs["structuredContent"].to_string())
    );
    // By `_meta`: ignored.
    let (s, b) = env
        .mcp(
            &acme,
            &[],
            json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
                "name": "zendesk_ticket_get", "arguments": {"ticket_id": 1},
                "_meta": {"identifier": "globex", "x-toolwire-identifier": "globex"}}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        b["result"]["structuredContent"], own["structuredContent"],
        "{b}"
    );
    // The API key still works with the header, as before.
    let (s, b) = env
        .mcp(
            API_KEY,
            &[("X-Toolwire-Identifier", "globex")],
            call("zendesk_ticket_get", args),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        b["result"]["structuredContent"],
        theirs["structuredContent"]
    );
}

#[tokio::test]
async fn toolsets_and_read_only_limit_the_list_and_are_enforced_at_call_time() {
    let env = start().await;
    env.connect("acme").await;
    let (_, minted) = env
        .mint(json!({"identifier": "acme", "toolset": "triage"}))
        .await;
    let triage = minted["token"].as_str().unwrap().to_string();
    let (_, b) = env.mcp(&triage, &[], list()).await;
    let mut got = names(&b);
    got.sort();
    assert_eq!(got, ["zendesk_ticket_create", "zendesk_ticket_get"]);
    // Outside the toolset: refused when called, not only hidden.
    let (s, b) = env
        .mcp(
            &triage,
            &[],
            call("zendesk_search_tickets", json!({"query": "status:open"})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["result"]["isError"], true, "{b}");
    assert!(
        b["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("TOOL_NOT_ALLOWED"),
        "{b}"
    );

    // read_only on top of the toolset: only the read-only tool is left.
    let (_, minted) = env
        .mint(json!({"identifier": "acme", "toolset": "triage", "read_only": true}))
        .await;
    let ro = minted["token"].as_str().unwrap().to_string();
    let (_, b) = env.mcp(&ro, &[], list()).await;
    assert_eq!(names(&b), ["zendesk_ticket_get"]);
    let (_, b) = env
        .mcp(
            &ro,
            &[],
            call("zendesk_ticket_create", json!({"comment_body": "x"})),
        )
        .await;
    assert_eq!(b["result"]["isError"], true, "{b}");
    assert!(
        b["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("TOOL_NOT_ALLOWED"),
        "{b}"
    );
    // Nothing was created: the refusal came before the runtime.
    let (_, b) = env
        .mcp(
            &ro,
            &[],
            call("zendesk_ticket_get", json!({"ticket_id": 1})),
        )
        .await;
    assert_eq!(b["result"]["isError"], false, "{b}");

    // The "reader" toolset selects by annotation: every read-only tool, no write.
    let (_, minted) = env
        .mint(json!({"identifier": "acme", "toolset": "reader"}))
        .await;
    let reader = minted["token"].as_str().unwrap().to_string();
    let (_, b) = env.mcp(&reader, &[], list()).await;
    let tools = b["result"]["tools"].as_array().unwrap();
    assert!(!tools.is_empty() && tools.len() < 14);
    assert!(
        tools
            .iter()
            .all(|t| t["annotations"]["readOnlyHint"] == true),
        "{b}"
    );
}

#[tokio::test]
async fn an_end_user_sees_only_connected_tools_and_a_link_to_connect_the_others() {
    let env = start().await;
    let (_, minted) = env.mint(json!({"identifier": "newcomer"})).await;
    let token = minted["token"].as_str().unwrap().to_string();

    // Nothing connected: only the connect tool, offering zendesk.
    let (s, b) = env.mcp(&token, &[], list()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(names(&b), ["toolwire_connect_account"]);
    let offered = &b["result"]["tools"][0]["inputSchema"]["properties"]["connection_name"]["enum"];
    assert_eq!(offered, &json!(["zendesk"]), "{b}");
    // Its tools reach no one else's account: the call answers ACCOUNT_NOT_FOUND with a link
    // to connect one (never a dead end, never another account).
    let (_, b) = env
        .mcp(
            &token,
            &[],
            call("zendesk_ticket_get", json!({"ticket_id": 1})),
        )
        .await;
    assert_eq!(b["result"]["isError"], true, "{b}");
    let text = b["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("ACCOUNT_NOT_FOUND"), "{text}");
    assert!(text.contains(&format!("{}/connect/", env.base)), "{text}");
    // REST shows the same split for the host app.
    let (s, rest) = env
        .api(env.http.get(env.url("/v1/tools?identifier=newcomer")))
        .await;
    assert_eq!(s, 200, "{rest}");
    assert_eq!(rest["tools"], json!([]));
    assert_eq!(rest["not_connected"], json!(["zendesk"]));

    // The connect tool answers a single-use onboarding link on this server (no credentials).
    let (_, b) = env
        .mcp(
            &token,
            &[],
            call(
                "toolwire_connect_account",
                json!({"connection_name": "zendesk"}),
            ),
        )
        .await;
    assert_eq!(b["result"]["isError"], false, "{b}");
    let text = b["result"]["content"][0]["text"].as_str().unwrap();
    let start = text.find(&env.base).expect("a link on this server");
    let url: String = text[start..].split_whitespace().next().unwrap().to_string();
    assert!(url.contains("/connect/"), "{url}");
    let page = env.http.get(&url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let (_, b) = env
        .mcp(
            &token,
            &[],
            call(
                "toolwire_connect_account",
                json!({"connection_name": "other"}),
            ),
        )
        .await;
    assert_eq!(b["result"]["isError"], true, "{b}");

    // Once the account is connected (here by the host app), its tools appear and work.
    let agent = env.sim.tenant("globex").unwrap().agent().unwrap().clone();
    let (s, acct) = env
        .api(env.http.post(env.url("/v1/connected_accounts")).json(&json!({
            "connection_name": "zendesk", "identifier": "newcomer", "config": {"subdomain": "globex"},
            "credentials": {"email": agent.email, "api_token": agent.api_token}})))
        .await;
    assert_eq!(s, 200, "{acct}");
    let (_, b) = env.mcp(&token, &[], list()).await;
    assert_eq!(names(&b).len(), 14, "{b}");
    assert!(!names(&b).contains(&"toolwire_connect_account".to_string()));
    let (_, b) = env
        .mcp(
            &token,
            &[],
            call("zendesk_ticket_get", json!({"ticket_id": 1})),
        )
        .await;
    assert_eq!(b["result"]["isError"], false, "{b}");
    let (_, rest) = env
        .api(env.http.get(env.url("/v1/tools?identifier=newcomer")))
        .await;
    assert_eq!(rest["tools"].as_array().unwrap().len(), 14);
    assert_eq!(rest["not_connected"], json!([]));
}

/// `tools/call` of `name` carrying the client's capabilities in `_meta` (and, for the
/// stateless revision, its protocol version too).
fn call_declaring(name: &str, capabilities: Value, version: Option<&str>) -> Value {
    let mut meta = json!({"io.modelcontextprotocol/clientCapabilities": capabilities});
    if let Some(v) = version {
        meta["io.modelcontextprotocol/protocolVersion"] = json!(v);
        meta["io.modelcontextprotocol/clientInfo"] = json!({"name": "t", "version": "0"});
    }
    json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": name, "arguments": {"ticket_id": 1}, "_meta": meta}})
}

#[tokio::test]
async fn a_client_that_declared_url_elicitation_is_asked_to_open_the_onboarding_page() {
    let env = start().await;
    let (_, minted) = env.mint(json!({"identifier": "asked"})).await;
    let token = minted["token"].as_str().unwrap().to_string();
    let url_mode = json!({"elicitation": {"url": {}}});
    let v2025 = [("MCP-Protocol-Version", "2025-11-25")];

    // 2025-11-25: URLElicitationRequiredError (-32042) naming one URL-mode elicitation.
    let (s, b) = env
        .mcp(
            &token,
            &v2025,
            call_declaring("zendesk_ticket_get", url_mode.clone(), None),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["error"]["code"], -32042, "{b}");
    let asked = &b["error"]["data"]["elicitations"];
    assert_eq!(asked.as_array().map(Vec::len), Some(1), "{b}");
    assert_eq!(asked[0]["mode"], "url");
    assert!(
        asked[0]["elicitationId"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let url = asked[0]["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/connect/", env.base)), "{url}");
    assert!(asked[0]["message"].as_str().unwrap().contains("zendesk"));
    // The link is the onboarding page of this user's account.
    let page = env.http.get(url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);

    // Form mode only (or nothing declared): the text result with the link.
    for declared in [json!({"elicitation": {"form": {}}}), json!({})] {
        let (_, b) = env
            .mcp(
                &token,
                &v2025,
                call_declaring("zendesk_ticket_get", declared, None),
            )
            .await;
        assert_eq!(b["result"]["isError"], true, "{b}");
        let text = b["result"]["content"][0]["text"].as_str().unwrap();
        assert!(text.starts_with("ACCOUNT_NOT_FOUND"), "{text}");
    }

    // 2026-07-28 (stateless): an InputRequiredResult carrying the URL-mode elicitation.
    let (s, b) = env
        .mcp(
            &token,
            &[
                ("MCP-Protocol-Version", "2026-07-28"),
                ("Mcp-Method", "tools/call"),
                ("Mcp-Name", "zendesk_ticket_get"),
            ],
            call_declaring("zendesk_ticket_get", url_mode.clone(), Some("2026-07-28")),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["result"]["resultType"], "input_required", "{b}");
    let asked = &b["result"]["inputRequests"]["connect_account"];
    assert_eq!(asked["method"], "elicitation/create", "{b}");
    assert_eq!(asked["params"]["mode"], "url", "{b}");
    assert!(
        asked["params"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{}/connect/", env.base))),
        "{b}"
    );

    // A REVOKED account: the reconnect page the same way.
    env.connect("acme").await;
    let (_, minted) = env.mint(json!({"identifier": "acme"})).await;
    let acme = minted["token"].as_str().unwrap().to_string();
    let email = env
        .sim
        .tenant("acme")
        .unwrap()
        .agent()
        .unwrap()
        .email
        .clone();
    env.sim.rotate_token("acme", &email).unwrap();
    let (_, b) = env
        .mcp(
            &acme,
            &v2025,
            call_declaring("zendesk_ticket_get", url_mode, None),
        )
        .await;
    assert_eq!(b["error"]["code"], -32042, "{b}");
    let asked = &b["error"]["data"]["elicitations"][0];
    assert!(
        asked["message"]
            .as_str()
            .unwrap()
            .starts_with("ACCOUNT_REVOKED"),
        "{b}"
    );
    assert!(
        asked["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/connect/", env.base)),
        "{b}"
    );
}

#[tokio::test]
async fn an_expired_account_asks_a_client_to_open_the_reconnect_page() {
    let env = start().await;
    env.connect("acme").await;
    let (_, minted) = env.mint(json!({"identifier": "acme"})).await;
    let token = minted["token"].as_str().unwrap().to_string();
    // EXPIRED is what a refused OAuth refresh records; this API-token account cannot get
    // there against the simulator, so the row says it, as another replica's refresh would.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", env.db.display()))
        .await
        .unwrap();
    let changed = sqlx::query(
        "UPDATE accounts SET status = 'EXPIRED', status_reason = 'token_invalid', \
         version = version + 1 WHERE identifier = 'acme'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(changed.rows_affected(), 1);
    let url_mode = json!({"elicitation": {"url": {}}});
    let v2025 = [("MCP-Protocol-Version", "2025-11-25")];

    // A client that declared URL elicitation: -32042 with the reconnect page.
    let (s, b) = env
        .mcp(
            &token,
            &v2025,
            call_declaring("zendesk_ticket_get", url_mode.clone(), None),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["error"]["code"], -32042, "{b}");
    let asked = &b["error"]["data"]["elicitations"][0];
    assert_eq!(asked["mode"], "url", "{b}");
    assert!(
        asked["message"]
            .as_str()
            .unwrap()
            .starts_with("ACCOUNT_EXPIRED"),
        "{b}"
    );
    let url = asked["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/connect/", env.base)), "{b}");
    assert_eq!(
        env.http.get(url).send().await.unwrap().status().as_u16(),
        200
    );

    // 2026-07-28: the same page as an InputRequiredResult.
    let (_, b) = env
        .mcp(
            &token,
            &[
                ("MCP-Protocol-Version", "2026-07-28"),
                ("Mcp-Method", "tools/call"),
                ("Mcp-Name", "zendesk_ticket_get"),
            ],
            call_declaring("zendesk_ticket_get", url_mode, Some("2026-07-28")),
        )
        .await;
    assert_eq!(b["result"]["resultType"], "input_required", "{b}");
    let params = &b["result"]["inputRequests"]["connect_account"]["params"];
    assert_eq!(params["mode"], "url", "{b}");
    assert!(
        params["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("ACCOUNT_EXPIRED")),
        "{b}"
    );

    // A client that did not declare it: the error text with the link.
    let (_, b) = env
        .mcp(
            &token,
            &v2025,
            call_declaring("zendesk_ticket_get", json!({}), None),
        )
        .await;
    assert_eq!(b["result"]["isError"], true, "{b}");
    let text = b["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("ACCOUNT_EXPIRED") && text.contains("/connect/"),
        "{text}"
    );
}
