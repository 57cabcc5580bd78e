//! Output projections end to end: `POST /v1/execute_tool` through the real router, engine and
//! HTTPS client against the simulator returns each tool's projection (kept fields only, ids
//! resolved to names through the sideloads the request asked for), and the full selected
//! output with `"full": true`.

mod common;

use common::Harness;
use serde_json::{Value, json};

async fn execute(h: &Harness, tool: &str, input: Value, full: bool) -> Value {
    let mut body = json!({"identifier": "acme", "tool_name": tool, "tool_input": input});
    if full {
        body["full"] = json!(true);
    }
    let (status, out) = h
        .send(h.http.post(h.url("/v1/execute_tool")).json(&body))
        .await;
    assert_eq!(status, 200, "{out}");
    out["data"].clone()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The `name` of the record with `id` in the sideloaded array `list`.
fn name_in(list: &Value, id: &Value) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| &r["id"] == id)
        .map(|r| r["name"].clone())
        .unwrap_or_else(|| panic!("{id} sideloaded in {list}"))
}

#[tokio::test]
async fn search_results_are_projected_and_full_on_request() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let input = json!({"query": "status:open"});
    let projected = execute(&h, "zendesk_search_tickets", input.clone(), false).await;
    let full = execute(&h, "zendesk_search_tickets", input, true).await;
    let (short, long) = (
        projected["results"].as_array().unwrap(),
        full["results"].as_array().unwrap(),
    );
    assert!(!short.is_empty());
    assert_eq!(short.len(), long.len());
    assert_eq!(projected["count"], full["count"]);
    for (p, f) in short.iter().zip(long) {
        assert_eq!(p["id"], f["id"]);
        assert!(
            f.get("url").is_some() && f.get("custom_fields").is_some(),
            "{f}"
        );
        assert!(
            p.get("url").is_none() && p.get("custom_fields").is_none(),
            "{p}"
        );
        assert_eq!(p["subject"], f["subject"]);
        assert_eq!(p["assignee_id"], f["assignee_id"]);
        assert!(keys(p).len() < keys(f).len() / 2, "{p}");
    }
    assert!(projected.to_string().len() * 3 < full.to_string().len());
}

#[tokio::test]
async fn ticket_get_resolves_sideloaded_names_and_keeps_ids_without_them() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let all = execute(
        &h,
        "zendesk_search_tickets",
        json!({"query": "status:open"}),
        true,
    )
    .await;
    let ticket = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| !t["assignee_id"].is_null() && !t["group_id"].is_null())
        .expect("an open ticket with an assignee and a group")
        .clone();
    let id = ticket["id"].clone();

    let full = execute(&h, "zendesk_ticket_get", json!({"ticket_id": id}), true).await;
    let got = execute(&h, "zendesk_ticket_get", json!({"ticket_id": id}), false).await;
    assert_eq!(keys(&got), ["ticket"], "sideloads dropped once resolved");
    assert!(full.get("users").is_some() && full.get("groups").is_some());
    let t = &got["ticket"];
    let assignee = name_in(&full["users"], &ticket["assignee_id"]);
    assert!(assignee.is_string(), "{assignee}");
    assert_eq!(t["assignee"], assignee);
    assert_eq!(
        t["requester"],
        name_in(&full["users"], &ticket["requester_id"])
    );
    assert_eq!(t["group"], name_in(&full["groups"], &ticket["group_id"]));
    assert_eq!(t["subject"], full["ticket"]["subject"]);
    assert!(
        t.get("assignee_id").is_none() && t.get("url").is_none(),
        "{t}"
    );

    // Only groups sideloaded: the group gets its name, the people keep their ids.
    let partial = execute(
        &h,
        "zendesk_ticket_get",
        json!({"ticket_id": id, "include": ["groups"]}),
        false,
    )
    .await;
    let t = &partial["ticket"];
    assert_eq!(t["assignee"], ticket["assignee_id"]);
    assert_eq!(t["requester"], ticket["requester_id"]);
    assert_eq!(t["group"], name_in(&full["groups"], &ticket["group_id"]));
}

#[tokio::test]
async fn comments_carry_author_names() {
    let h = Harness::start().await;
    assert_eq!(h.connect("acme").await.0, 200);
    let input = json!({"ticket_id": 1});
    let full = execute(&h, "zendesk_ticket_comments_list", input.clone(), true).await;
    let got = execute(&h, "zendesk_ticket_comments_list", input, false).await;
    let (short, long) = (
        got["comments"].as_array().unwrap(),
        full["comments"].as_array().unwrap(),
    );
    assert!(!short.is_empty());
    for (p, f) in short.iter().zip(long) {
        assert_eq!(p["author"], name_in(&full["users"], &f["author_id"]));
        assert_eq!(p["body"], f["plain_body"]);
        assert!(p.get("html_body").is_none(), "{p}");
    }
}
