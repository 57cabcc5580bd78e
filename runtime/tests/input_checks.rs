//! Tool inputs the vendor could never take are refused before any I/O as `INVALID_INPUT`,
//! naming every bad field, instead of failing on the way out as if the vendor were down:
//! header values with line breaks or NUL, integers written as `1.0`, `1e300` or beyond 64
//! bits, and strings over the spec's `maxLength`. Against the simulator over HTTPS.

mod e2e;

use serde_json::{Value, json};
use toolwire_runtime::Error;

fn fields(err: &Error) -> Vec<String> {
    assert_eq!(err.code(), "INVALID_INPUT", "{err}");
    let mut fields: Vec<String> = err
        .details()
        .expect("field problems")
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_string())
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

#[tokio::test]
async fn an_idempotency_key_that_cannot_be_a_header_is_bad_input() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim.clear_request_log();
    for key in ["a\r\nX-Injected: 1", "line\nbreak", "nul\u{0}byte"] {
        let err = env
            .tw
            .execute_tool(
                "c1",
                "zendesk_ticket_create",
                json!({"comment_body": "hi", "idempotency_key": key}),
            )
            .await
            .unwrap_err();
        assert_eq!(fields(&err), ["idempotency_key"], "{err}");
        assert!(err.to_string().contains("Idempotency-Key header"), "{err}");
    }
    assert!(env.sim.request_log().is_empty(), "nothing was sent");
    env.tw
        .execute_tool(
            "c1",
            "zendesk_ticket_create",
            json!({"comment_body": "hi", "idempotency_key": "order-42 é"}),
        )
        .await
        .expect("a printable key is sent");
}

#[tokio::test]
async fn integers_must_be_whole_numbers_in_range_every_bad_one_named() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim.clear_request_log();
    // As a host app's JSON parser reads them: 2^64 and 1e300 become floats.
    let input: Value = serde_json::from_str(
        r#"{"ticket_id": 1e300, "group_id": 9223372036854775808, "assignee_id": 1.0, "subject": "x"}"#,
    )
    .unwrap();
    let err = env
        .tw
        .execute_tool("c1", "zendesk_ticket_update", input)
        .await
        .unwrap_err();
    assert_eq!(
        fields(&err),
        ["assignee_id", "group_id", "ticket_id"],
        "{err}"
    );
    assert!(err.to_string().contains("whole number"), "{err}");
    let big: Value = serde_json::from_str(r#"{"ticket_id": 18446744073709551616}"#).unwrap();
    let err = env
        .tw
        .execute_tool("c1", "zendesk_ticket_get", big)
        .await
        .unwrap_err();
    assert_eq!(fields(&err), ["ticket_id"], "2^64: {err}");
    let err = env
        .tw
        .execute_tool("c1", "zendesk_ticket_get", json!({"ticket_id": 1.0}))
        .await
        .unwrap_err();
    assert_eq!(fields(&err), ["ticket_id"], "1.0: {err}");
    assert!(env.sim.request_log().is_empty(), "nothing was sent");
    let out = env
        .tw
        .execute_tool("c1", "zendesk_ticket_get", json!({"ticket_id": 1}))
        .await
        .expect("an integer as written works");
    assert_eq!(out.data["ticket"]["id"], 1);
}

#[tokio::test]
async fn oversized_free_text_is_bad_input_and_nothing_is_sent() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim.clear_request_log();
    let err = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_search_tickets",
            json!({"query": "x".repeat(100 * 1024)}),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(&err), ["query"], "{err}");
    let err = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_update",
            json!({"ticket_id": 1, "subject": "s".repeat(256), "add_tags": ["ok", "t".repeat(256)]}),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(&err), ["add_tags.1", "subject"], "{err}");
    assert!(env.sim.request_log().is_empty(), "nothing was sent");
    env.tw
        .execute_tool(
            "c1",
            "zendesk_search_tickets",
            json!({"query": "é".repeat(1000)}),
        )
        .await
        .expect("the declared maximum (in characters) is accepted");
}

#[tokio::test]
async fn every_tool_call_path_applies_the_identifier_rule() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim.clear_request_log();
    for bad in [" c1", "c1\n", ""] {
        let by_name = env
            .tw
            .execute_tool(bad, "zendesk_groups_list", json!({}))
            .await
            .unwrap_err();
        assert_eq!(fields(&by_name), ["identifier"], "{bad:?}: {by_name}");
        let on = env
            .tw
            .execute_tool_on("zendesk", bad, "zendesk_groups_list", json!({}))
            .await
            .unwrap_err();
        assert_eq!(fields(&on), ["identifier"], "{bad:?}: {on}");
    }
    assert!(env.sim.request_log().is_empty(), "nothing was sent");
}
