//! MCP over streamable HTTP at `/mcp`: auth (API key + `X-Toolwire-Identifier`), the tool
//! list, calls acting for the header's identifier, and tool errors as `isError` results with
//! the agent message (including the reconnect link once an account is revoked), the whole
//! output on request (`_meta["toolwire/full"]`). Raw JSON-RPC
//! over HTTP here; the official Python SDK and langchain-mcp-adapters are exercised by
//! `scripts/test-mcp-clients.sh`.

mod common;

use common::{API_KEY, Harness};
use serde_json::{Value, json};

async fn rpc(h: &Harness, identifier: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = h
        .http
        .post(h.url("/mcp"))
        .bearer_auth(API_KEY)
        .header("Accept", "application/json, text/event-stream")
        .json(&body);
    if let Some(id) = identifier {
        req = req.header("X-Toolwire-Identifier", id);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(json!({"raw": text})),
    )
}

fn call(id: u64, name: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": args}})
}

#[tokio::test]
async fn auth_is_required_and_identifier_comes_from_the_header() {
    let h = Harness::start().await;
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}});

    let resp = h.http.post(h.url("/mcp")).json(&init).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNAUTHORIZED");

    let resp = h
        .http
        .post(h.url("/mcp"))
        .bearer_auth("tw_wrong")
        .header("X-Toolwire-Identifier", "acme")
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);

    let (status, body) = rpc(&h, None, init.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("MISSING_IDENTIFIER")),
        "{body}"
    );

    let (status, body) = rpc(&h, Some("acme"), init).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["serverInfo"]["name"], "toolwire");
    assert!(
        body["result"]["capabilities"]["tools"].is_object(),
        "{body}"
    );
}

#[tokio::test]
async fn lists_tools_and_calls_them_for_the_header_identifier() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);

    let (status, body) = rpc(
        &h,
        Some("acme"),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let tools = body["result"]["tools"].as_array().expect("tools");
    // Every loaded connector's tools, Zendesk's 14 among them.
    assert_eq!(tools.len(), common::all_tools(), "{body}");
    let zendesk = tools
        .iter()
        .filter(|t| {
            t["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("zendesk_"))
        })
        .count();
    assert_eq!(zendesk, 14, "{body}");
    for t in tools {
        assert!(t["name"].is_string() && t["description"].is_string(), "{t}");
        assert_eq!(t["inputSchema"]["type"], "object", "{t}");
        assert!(
            t["outputSchema"].is_object(),
            "outputSchema on {}",
            t["name"]
        );
        assert!(t["annotations"].is_object(), "annotations on {}", t["name"]);
    }
    let get = tools
        .iter()
        .find(|t| t["name"] == "zendesk_ticket_get")
        .unwrap();
    assert_eq!(get["annotations"]["readOnlyHint"], true);

    let (status, body) = rpc(
        &h,
        Some("acme"),
        call(3, "zendesk_ticket_get", json!({"ticket_id": 1})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["isError"], false, "{body}");
    assert_eq!(
        body["result"]["structuredContent"]["ticket"]["id"], 1,
        "{body}"
    );

    let (_, body) = rpc(
        &h,
        Some("acme"),
        call(4, "zendesk_ticket_get", json!({"ticket_id": "one"})),
    )
    .await;
    assert_eq!(body["result"]["isError"], true, "{body}");
    let text = body["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("INVALID_INPUT") && text.contains("ticket_id"),
        "{text}"
    );

    // Another identifier, same key: the header decides whose account is used.
    let (_, body) = rpc(
        &h,
        Some("nobody"),
        call(5, "zendesk_ticket_get", json!({"ticket_id": 1})),
    )
    .await;
    assert_eq!(body["result"]["isError"], true, "{body}");
    let text = body["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("ACCOUNT_NOT_FOUND"), "{text}");

    // An unknown tool is a protocol error, not a call.
    let (_, body) = rpc(&h, Some("acme"), call(6, "zendesk_nope", json!({}))).await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("zendesk_nope"),
        "{body}"
    );
}

#[tokio::test]
async fn meta_full_adds_the_whole_output_beside_the_projection() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let args = json!({"query": "status:open"});
    let (_, plain) = rpc(
        &h,
        Some("acme"),
        call(1, "zendesk_search_tickets", args.clone()),
    )
    .await;
    let mut asked = call(2, "zendesk_search_tickets", args);
    asked["params"]["_meta"] = json!({"toolwire/full": true});
    let (status, body) = rpc(&h, Some("acme"), asked).await;
    assert_eq!(status, 200, "{body}");
    let (plain, result) = (&plain["result"], &body["result"]);
    assert_eq!(result["isError"], false, "{body}");
    // Without the flag: no `_meta`; with it, structuredContent is still the projection.
    assert!(plain.get("_meta").is_none(), "{plain}");
    assert_eq!(
        result["structuredContent"], plain["structuredContent"],
        "{body}"
    );
    let full = &result["_meta"]["toolwire/full"];
    let (short, long) = (
        result["structuredContent"]["results"].as_array().unwrap(),
        full["results"]
            .as_array()
            .expect("the whole output in _meta"),
    );
    assert!(!short.is_empty());
    assert_eq!(short.len(), long.len());
    for (p, f) in short.iter().zip(long) {
        assert_eq!(p["id"], f["id"]);
        assert!(p.get("url").is_none() && f.get("url").is_some(), "{f}");
    }
    // Only `true` asks.
    let mut other = call(3, "zendesk_search_tickets", json!({"query": "status:open"}));
    other["params"]["_meta"] = json!({"toolwire/full": "yes"});
    let (_, body) = rpc(&h, Some("acme"), other).await;
    assert!(body["result"].get("_meta").is_none(), "{body}");
}

#[tokio::test]
async fn revoked_account_is_an_is_error_result_with_the_reconnect_link() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let email = h.sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    h.sim.rotate_token("acme", &email).unwrap();
    let (_, body) = rpc(&h, Some("acme"), call(7, "zendesk_groups_list", json!({}))).await;
    assert_eq!(body["result"]["isError"], true, "{body}");
    let text = body["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("ACCOUNT_REVOKED"), "{text}");
    assert!(
        text.contains(&h.base),
        "reconnect link to this server in: {text}"
    );
}

#[tokio::test]
async fn transport_errors_are_json_with_a_code() {
    let h = Harness::start().await;
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}});
    let send = |req: reqwest::RequestBuilder| async move {
        let resp = req
            .bearer_auth(API_KEY)
            .header("X-Toolwire-Identifier", "acme")
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = resp.text().await.unwrap();
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("JSON body, got {status} {ct}: {text}"));
        (status, body)
    };
    let accept = "application/json, text/event-stream";
    // Not JSON: 415.
    let (status, body) = send(
        h.http
            .post(h.url("/mcp"))
            .header("Accept", accept)
            .header("Content-Type", "text/plain")
            .body(init.to_string()),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (415, Some("UNSUPPORTED_MEDIA_TYPE")),
        "{body}"
    );
    // Too large: 413.
    let big = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"pad": "x".repeat(1024 * 1024 + 10)}});
    let (status, body) = send(
        h.http
            .post(h.url("/mcp"))
            .header("Accept", accept)
            .json(&big),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("BODY_TOO_LARGE")),
        "{body}"
    );
    // No acceptable response type: 406.
    let (status, body) = send(
        h.http
            .post(h.url("/mcp"))
            .header("Accept", "text/html")
            .json(&init),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (406, Some("NOT_ACCEPTABLE")),
        "{body}"
    );
    // An identifier header breaking the identifier rule: the runtime's INVALID_INPUT.
    let resp = h
        .http
        .post(h.url("/mcp"))
        .bearer_auth(API_KEY)
        .header("Accept", accept)
        .header("X-Toolwire-Identifier", "x".repeat(300))
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "INVALID_INPUT", "{body}");
    assert_eq!(body["error"]["details"][0]["field"], "identifier", "{body}");
}
