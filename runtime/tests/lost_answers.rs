//! A write whose answer is lost after the vendor committed it (the sim's `drop_after` fault):
//! without an idempotency key it is never repeated and fails with `OUTCOME_UNKNOWN` (the agent
//! must check before repeating it), and it was applied exactly once; with a key it is retried
//! with the same key and the vendor replays its first answer, so there is still one ticket.

mod e2e;

use serde_json::json;
use toolwire_sim::{FaultKind, FaultSpec};

fn requests(env: &e2e::Env, method: &str, path_prefix: &str) -> usize {
    env.sim
        .request_log()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(path_prefix))
        .count()
}

#[tokio::test]
async fn a_note_whose_answer_was_lost_is_outcome_unknown_and_applied_once() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim
        .inject_fault(FaultSpec::next(FaultKind::DropAfter, 1).method("PUT"));
    env.sim.clear_request_log();
    let err = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_reply",
            json!({"ticket_id": 1, "body": "lost-answer-note-7f3a", "public": false}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "OUTCOME_UNKNOWN", "{err}");
    assert!(
        err.to_string().contains("check") && err.to_string().contains("before repeating"),
        "tells the agent what to do: {err}"
    );
    assert_eq!(
        requests(&env, "PUT", "/api/v2/tickets/1"),
        1,
        "never repeated"
    );
    let comments = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_comments_list",
            json!({"ticket_id": 1}),
        )
        .await
        .expect("comments")
        .data;
    let notes = comments["comments"]
        .as_array()
        .expect("comments array")
        .iter()
        .filter(|c| c["body"] == "lost-answer-note-7f3a")
        .count();
    assert_eq!(notes, 1, "the vendor applied it once: {comments}");
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_retried_with_its_key_and_made_once() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim
        .inject_fault(FaultSpec::next(FaultKind::DropAfter, 1).method("POST"));
    env.sim.clear_request_log();
    let out = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_create",
            json!({"subject": "lost-answer-create-7f3a", "comment_body": "x", "idempotency_key": "k-7f3a"}),
        )
        .await
        .expect("retried with the same key");
    assert_eq!(requests(&env, "POST", "/api/v2/tickets"), 2, "one retry");
    let found = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_search_tickets",
            json!({"query": "subject:lost-answer-create-7f3a"}),
        )
        .await
        .expect("search")
        .data;
    let ids: Vec<_> = found["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(
        ids,
        vec![out.data["id"].clone()],
        "exactly one ticket: {found}"
    );
}
