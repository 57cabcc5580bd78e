//! The REST API end to end: simulator, SQLite vault, axum server, HTTP client.

mod common;

use common::Harness;
use serde_json::json;

#[tokio::test]
async fn create_account_with_credentials_then_search() {
    let h = Harness::start().await;
    let (status, account) = h.connect("acme").await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["status"], "ACTIVE");
    assert_eq!(account["config"]["subdomain"], "acme");
    assert_eq!(account["auth_scheme"], "api_token");
    let token = h
        .sim
        .tenant("acme")
        .unwrap()
        .agent()
        .unwrap()
        .api_token
        .clone();
    assert!(
        !account.to_string().contains(&token),
        "credentials must never be returned"
    );
    assert!(account.get("credentials").is_none());

    let (status, got) = h
        .send(h.http.get(h.url("/v1/connected_accounts/zendesk/acme")))
        .await;
    assert_eq!(status, 200);
    assert_eq!(got["identifier"], "acme");
    assert!(!got.to_string().contains(&token));

    let (status, out) = h
        .send(h.http.post(h.url("/v1/execute_tool")).json(&json!({
            "identifier": "acme",
            "tool_name": "zendesk_search_tickets",
            "tool_input": {"query": "status:open priority:urgent assignee:me"}
        })))
        .await;
    assert_eq!(status, 200, "{out}");
    assert!(!out["data"]["results"].as_array().unwrap().is_empty());
    assert!(out["execution_id"].as_str().is_some_and(|s| s.len() == 36));

    let (status, list) = h
        .send(
            h.http
                .get(h.url("/v1/connected_accounts?connection_name=zendesk&status=active")),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["connected_accounts"].as_array().unwrap().len(), 1);

    let (status, hist) = h
        .send(
            h.http
                .get(h.url("/v1/connected_accounts/zendesk/acme/history")),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        hist["history"].as_array().unwrap().last().unwrap()["to"],
        "ACTIVE"
    );
}

#[tokio::test]
async fn bad_inputs_get_their_codes_and_change_nothing() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    h.sim.clear_request_log();
    let (_, before) = h.send(h.http.get(h.url("/v1/connected_accounts"))).await;
    let exec = h.url("/v1/execute_tool");

    // Malformed JSON.
    let (status, body) = h
        .send(
            h.http
                .post(&exec)
                .header("content-type", "application/json")
                .body("{\"identifier\": "),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_JSON")),
        "{body}"
    );

    // Unknown tool.
    let (status, body) = h
        .send(
            h.http.post(&exec).json(
                &json!({"identifier": "acme", "tool_name": "zendesk_nope", "tool_input": {}}),
            ),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("UNKNOWN_TOOL")),
        "{body}"
    );

    // Wrong types: every bad field is named.
    let (status, body) = h
        .send(h.http.post(&exec).json(&json!({
            "identifier": "acme",
            "tool_name": "zendesk_ticket_update",
            "tool_input": {"ticket_id": "abc", "priority": "super"}
        })))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_INPUT")),
        "{body}"
    );
    let fields: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["field"].as_str())
        .collect();
    assert!(
        fields.iter().any(|f| f.contains("ticket_id"))
            && fields.iter().any(|f| f.contains("priority")),
        "{body}"
    );

    // Wrong request shape.
    let (status, body) = h
        .send(
            h.http
                .post(&exec)
                .json(&json!({"tool_name": "zendesk_ticket_get"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_REQUEST")),
        "{body}"
    );

    // Missing and wrong API key.
    let resp = h
        .http
        .post(&exec)
        .json(&json!({"identifier": "acme", "tool_name": "zendesk_groups_list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNAUTHORIZED");
    let resp = h
        .http
        .get(h.url("/v1/connected_accounts"))
        .bearer_auth("tw_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);

    // Oversized body.
    let big = json!({"identifier": "acme", "tool_name": "zendesk_ticket_reply", "tool_input": {"ticket_id": 1, "body": "x".repeat(1024 * 1024 + 10)}});
    let (status, body) = h.send(h.http.post(&exec).json(&big)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("BODY_TOO_LARGE")),
        "{body}"
    );

    // Credentials Zendesk rejects: not stored, no account created.
    let (status, body) = h
        .send(h.http.post(h.url("/v1/connected_accounts")).json(&json!({
            "connection_name": "zendesk", "identifier": "mallory",
            "config": {"subdomain": "acme"},
            "credentials": {"email": "alex.agent@acme.example.com", "api_token": "not-the-token"}
        })))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_CREDENTIALS")),
        "{body}"
    );
    let (status, body) = h
        .send(h.http.get(h.url("/v1/connected_accounts/zendesk/mallory")))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("ACCOUNT_NOT_FOUND")),
        "{body}"
    );

    // Nothing changed: same accounts, and only the credential probe reached Zendesk.
    let (_, after) = h.send(h.http.get(h.url("/v1/connected_accounts"))).await;
    assert_eq!(before, after);
    let log = h.sim.request_log();
    assert!(
        log.iter().all(|r| r.method == "GET"),
        "no write reached Zendesk: {log:?}"
    );
}

#[tokio::test]
async fn rotated_token_gives_409_with_reconnect_url_then_put_credentials_fixes_it() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let email = h.sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    let new_token = h.sim.rotate_token("acme", &email).unwrap();
    let call = json!({"identifier": "acme", "tool_name": "zendesk_groups_list", "tool_input": {}});
    let (status, body) = h
        .send(h.http.post(h.url("/v1/execute_tool")).json(&call))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("ACCOUNT_REVOKED")),
        "{body}"
    );
    let (_, account) = h
        .send(h.http.get(h.url("/v1/connected_accounts/zendesk/acme")))
        .await;
    assert_eq!(account["status"], "REVOKED");
    let (status, body) = h
        .send(h.http.post(h.url("/v1/execute_tool")).json(&call))
        .await;
    assert_eq!(status, 409);
    assert!(
        body["error"]["reconnect_url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&h.url("/connect/"))),
        "{body}"
    );

    let (status, account) = h
        .send(
            h.http
                .put(h.url("/v1/connected_accounts/zendesk/acme/credentials"))
                .json(&json!({"credentials": {"email": email, "api_token": new_token}})),
        )
        .await;
    assert_eq!(
        (status, account["status"].as_str()),
        (200, Some("ACTIVE")),
        "{account}"
    );
    let (status, _) = h
        .send(h.http.post(h.url("/v1/execute_tool")).json(&call))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn health_and_unknown_routes() {
    let h = Harness::start().await;
    assert_eq!(
        h.http
            .get(h.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        h.http
            .get(h.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let (status, body) = h.send(h.http.get(h.url("/v1/nope"))).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );
    let (status, body) = h
        .send(h.http.delete(h.url("/v1/connected_accounts/zendesk/ghost")))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("ACCOUNT_NOT_FOUND"))
    );
}

#[tokio::test]
async fn tool_catalog_in_each_format() {
    let h = Harness::start().await;
    let (status, body) = h
        .send(
            h.http
                .get(h.url("/v1/tools?connection_name=zendesk&format=anthropic")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let tools = body["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 14);
    assert!(tools.iter().all(|t| t["input_schema"].is_object()));
    let (status, body) = h.send(h.http.get(h.url("/v1/tools?format=mcp"))).await;
    assert_eq!(status, 200);
    assert!(body["tools"][0]["inputSchema"].is_object(), "{body}");
    let (status, body) = h
        .send(h.http.get(h.url("/v1/tools?connection_name=nope")))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("UNKNOWN_CONNECTION"))
    );
}

#[tokio::test]
async fn every_error_is_the_json_shape_with_a_code() {
    let h = Harness::start().await;
    let is_json_error = |status: u16, body: &serde_json::Value, code: &str| {
        assert_eq!(body["error"]["code"], code, "{status}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    };
    // A query string the extractor rejects (a number too large for the field).
    let (status, body) = h
        .send(
            h.http
                .get(h.url("/v1/connected_accounts?limit=99999999999")),
        )
        .await;
    assert_eq!(status, 400);
    is_json_error(status, &body, "INVALID_REQUEST");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("limit"),
        "{body}"
    );
    // A path segment that is not UTF-8.
    let (status, body) = h
        .send(h.http.get(h.url("/v1/connected_accounts/zendesk/%FF%FE")))
        .await;
    assert_eq!(status, 400);
    is_json_error(status, &body, "INVALID_REQUEST");
    // A method the route does not have (the `Allow` header is kept).
    let resp = h
        .http
        .delete(h.url("/v1/tools"))
        .bearer_auth(common::API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert!(resp.headers().get("allow").is_some());
    let body: serde_json::Value = resp.json().await.expect("JSON body");
    is_json_error(405, &body, "METHOD_NOT_ALLOWED");
    // JSON bodies: not JSON, not an object, wrong field types, unknown fields, too large.
    let create = h.url("/v1/connected_accounts");
    for (body, status, code) in [
        ("not json", 400, "INVALID_JSON"),
        ("[1, 2]", 400, "INVALID_REQUEST"),
        (
            r#"{"connection_name": 1, "identifier": "a"}"#,
            400,
            "INVALID_REQUEST",
        ),
        (
            r#"{"connection_name": "zendesk", "identifier": "a", "x": 1}"#,
            400,
            "INVALID_REQUEST",
        ),
        ("", 400, "INVALID_JSON"),
        // A credential in a malformed body is never quoted back.
        (
            r#"{"connection_name": "zendesk", "identifier": "a", "credentials": "canary-s3cret"}"#,
            400,
            "INVALID_REQUEST",
        ),
        (
            r#"{"connection_name": "zendesk", "identifier": "a", "auth_scheme": ["canary-s3cret"], "extra": "canary-s3cret"}"#,
            400,
            "INVALID_REQUEST",
        ),
    ] {
        let (got, answer) = h
            .send(
                h.http
                    .post(&create)
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        assert_eq!(got, status, "{body}: {answer}");
        is_json_error(got, &answer, code);
        assert!(!answer.to_string().contains("canary"), "{answer}");
    }
    let (status, body) = h
        .send(
            h.http
                .post(&create)
                .header("content-type", "application/json")
                .body(format!("\"{}\"", "x".repeat(2 * 1024 * 1024))),
        )
        .await;
    assert_eq!(status, 413);
    is_json_error(status, &body, "BODY_TOO_LARGE");
}

#[tokio::test]
async fn identifiers_follow_one_rule_on_rest() {
    let h = Harness::start().await;
    let huge = "u".repeat(900 * 1024);
    for (identifier, why) in [
        (huge.as_str(), "at most 256 bytes"),
        ("a\0b", "control characters"),
        ("line\nbreak", "control characters"),
        (" padded ", "whitespace"),
        ("", "empty"),
    ] {
        let (status, body) = h
            .send(h.http.post(h.url("/v1/connected_accounts")).json(&json!({
                "connection_name": "zendesk", "identifier": identifier})))
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "INVALID_INPUT", "{body}");
        assert_eq!(body["error"]["details"][0]["field"], "identifier", "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(why),
            "{why}: {body}"
        );
        assert!(
            body.to_string().len() < 2048,
            "the identifier is not echoed"
        );
        // The same rule for credentials and tool calls.
        let (status, body) = h
            .send(h.http.post(h.url("/v1/execute_tool")).json(&json!({
                "identifier": identifier, "tool_name": "zendesk_groups_list"})))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("INVALID_INPUT")),
            "{body}"
        );
    }
    let (_, list) = h.send(h.http.get(h.url("/v1/connected_accounts"))).await;
    assert_eq!(list["connected_accounts"], json!([]), "nothing stored");
    let (status, body) = h
        .send(h.http.post(h.url("/v1/connected_accounts")).json(&json!({
            "connection_name": "zendesk", "identifier": "u".repeat(256)})))
        .await;
    assert_eq!(status, 200, "{body}");
}
