//! `/metrics`: behind the API key; counts calls and errors by code, a latency histogram by
//! tool and connection, and accounts by status — with bounded labels (an unknown tool name is
//! counted as `unknown`, never as itself).

mod common;

use common::{API_KEY, Harness};
use serde_json::json;

async fn scrape(h: &Harness) -> String {
    let resp = h
        .http
        .get(h.url("/metrics"))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    resp.text().await.unwrap()
}

/// The value of the sample line starting with `prefix` (metric name + exact label set).
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .map(|v| v.parse().unwrap())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn counts_calls_errors_latency_and_accounts() {
    let h = Harness::start().await;
    let resp = h.http.get(h.url("/metrics")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401, "metrics need the API key");

    assert_eq!(h.connect("acme").await.0, 200);
    // The registry is process-wide: compare before/after. The encoder sorts labels by name.
    let before = scrape(&h).await;
    let calls = r#"toolwire_tool_calls_total{connection="zendesk",surface="rest",tool="zendesk_ticket_get"}"#;
    let invalid = r#"toolwire_tool_errors_total{code="INVALID_INPUT",connection="zendesk",surface="rest",tool="zendesk_ticket_get"}"#;
    let latency = r#"toolwire_tool_call_duration_seconds_count{connection="zendesk",tool="zendesk_ticket_get"}"#;

    for input in [
        json!({"ticket_id": 1}),
        json!({"ticket_id": 2}),
        json!({"ticket_id": "x"}),
    ] {
        let body =
            json!({"identifier": "acme", "tool_name": "zendesk_ticket_get", "tool_input": input});
        h.send(h.http.post(h.url("/v1/execute_tool")).json(&body))
            .await;
    }
    let body = json!({"identifier": "acme", "tool_name": "no_such_tool_9f2c", "tool_input": {}});
    let (status, _) = h
        .send(h.http.post(h.url("/v1/execute_tool")).json(&body))
        .await;
    assert_eq!(status, 404);

    let after = scrape(&h).await;
    assert_eq!(
        sample(&after, calls) - sample(&before, calls),
        3.0,
        "{after}"
    );
    assert_eq!(
        sample(&after, invalid) - sample(&before, invalid),
        1.0,
        "{after}"
    );
    assert_eq!(
        sample(&after, latency) - sample(&before, latency),
        3.0,
        "{after}"
    );
    assert!(
        after.lines().any(
            |l| l.starts_with("toolwire_tool_call_duration_seconds_bucket{")
                && l.contains(r#"tool="zendesk_ticket_get""#)
                && l.contains(r#"le="0.5""#)
        ),
        "{after}"
    );
    assert!(
        !after.contains("no_such_tool_9f2c"),
        "client-chosen names never become labels"
    );
    assert!(after.contains(r#"code="UNKNOWN_TOOL""#), "{after}");
    assert!(after.contains(r#"tool="unknown""#), "{after}");

    // Accounts gauge (this harness has its own store: exactly one ACTIVE zendesk account).
    assert_eq!(
        sample(
            &after,
            r#"toolwire_accounts{connection="zendesk",status="ACTIVE"}"#
        ),
        1.0,
        "{after}"
    );
    assert_eq!(
        sample(
            &after,
            r#"toolwire_accounts{connection="zendesk",status="REVOKED"}"#
        ),
        0.0
    );
    assert!(
        after.contains(r#"toolwire_accounts{connection="zendesk",status="REVOKED"} 0"#),
        "{after}"
    );

    // A revoked token moves the gauge.
    let email = h.sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    h.sim.rotate_token("acme", &email).unwrap();
    let body = json!({"identifier": "acme", "tool_name": "zendesk_groups_list", "tool_input": {}});
    assert_eq!(
        h.send(h.http.post(h.url("/v1/execute_tool")).json(&body))
            .await
            .0,
        409
    );
    let last = scrape(&h).await;
    assert_eq!(
        sample(
            &last,
            r#"toolwire_accounts{connection="zendesk",status="REVOKED"}"#
        ),
        1.0,
        "{last}"
    );
    assert_eq!(
        sample(
            &last,
            r#"toolwire_accounts{connection="zendesk",status="ACTIVE"}"#
        ),
        0.0
    );
    let revoked = r#"toolwire_tool_errors_total{code="ACCOUNT_REVOKED",connection="zendesk",surface="rest",tool="zendesk_groups_list"}"#;
    assert!(sample(&last, revoked) >= 1.0, "{last}");

    // Scrapes share one grouped count for a few seconds: an account created without a status
    // change (PENDING_AUTH from the start) is not re-counted by the next, immediate scrape.
    let pending = r#"toolwire_accounts{connection="zendesk",status="PENDING_AUTH"}"#;
    let body = json!({"connection_name": "zendesk", "identifier": "later"});
    assert_eq!(
        h.send(h.http.post(h.url("/v1/connected_accounts")).json(&body))
            .await
            .0,
        200
    );
    let cached = scrape(&h).await;
    assert_eq!(sample(&cached, pending), sample(&last, pending), "{cached}");
}
