//! `"input_form": "openai_strict"` end to end: a model's strict-mode arguments for Linear's
//! `linear_issue_update` (every field sent, `null` when unset) through the real REST server,
//! runtime and a local HTTPS stand-in for api.linear.app (the testkit's): the nulls it left
//! unset never reach the GraphQL variables; `clear_fields` sends `null` for the listed inputs.

mod common;

use serde_json::{Value, json};
use toolwire_runtime::connector::Connector;
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_testkit::model::Response;
use toolwire_testkit::standin::StandIn;

const KEY: &str = "lin_api_strict00000000000000000000000000000000";

/// What a strict-mode model sends to change only the title: every other field `null`.
fn strict_args(clear: Value) -> Value {
    json!({
        "id": "ENG-123", "title": "Renamed", "description": null, "state_id": null,
        "assignee_id": null, "priority": null, "due_date": null, "estimate": null,
        "project_id": null, "label_ids": null, "added_label_ids": null,
        "removed_label_ids": null, "clear_fields": clear
    })
}

fn answer() -> Response {
    let issue = json!({"id": "a1b2c3d4-0000-4000-8000-000000000001", "identifier": "ENG-123",
        "title": "Renamed", "description": null, "url": "https://linear.app/acme/issue/ENG-123",
        "priority": 2, "priorityLabel": "High", "estimate": null, "dueDate": null,
        "createdAt": "2026-11-20T09:14:03.511Z", "updatedAt": "2026-11-28T09:30:00.000Z",
        "completedAt": null, "canceledAt": null, "archivedAt": null,
        "state": {"id": "e7b6c5d4-1111-4222-8333-444455556666", "name": "In Progress", "type": "started"},
        "team": {"id": "9cfb482a-81e3-4154-b5b9-2c805e70a02d", "key": "ENG", "name": "Engineering"},
        "assignee": null, "creator": null, "project": null, "parent": null, "labels": {"nodes": []}});
    Response {
        status: 200,
        headers: Default::default(),
        json: Some(json!({"data": {"issueUpdate": {"success": true, "issue": issue}}})),
        text: None,
    }
}

async fn linear_server() -> (
    StandIn,
    String,
    tokio::task::JoinHandle<()>,
    tempfile::TempDir,
) {
    let path = common::connectors().join("linear.yaml");
    let spec = toolwire_spec::load_file(&path).unwrap();
    let source = std::fs::read_to_string(&path).unwrap();
    let stand_in = StandIn::start(&["api.linear.app".to_string()])
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = Toolwire::builder()
        .store(Store::sqlite(dir.path().join("t.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connector(Connector::new(spec, &source).unwrap())
        .extra_root_pem(stand_in.ca_pem())
        .resolve_suffix("api.linear.app".to_string(), stand_in.addr())
        .build()
        .await
        .unwrap();
    tw.accounts()
        .import_credentials(
            "linear",
            "acme",
            &Default::default(),
            None,
            Credentials::from_value(json!({"api_key": KEY})).unwrap(),
        )
        .await
        .unwrap();
    let listener = common::bind().await;
    let base = format!("http://{}", listener.local_addr().unwrap());
    (stand_in, base, common::serve(listener, tw), dir)
}

async fn execute(base: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/v1/execute_tool"))
        .bearer_auth(common::API_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// The GraphQL `variables.input` of the one request the stand-in received.
fn sent_input(stand_in: &StandIn) -> Value {
    let received = stand_in.received();
    assert_eq!(received.len(), 1, "one request upstream");
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    body["variables"]["input"].clone()
}

#[tokio::test]
async fn strict_nulls_leave_fields_alone_and_clear_fields_clears() {
    let (stand_in, base, _server, _dir) = linear_server().await;
    let call = |args: Value| {
        json!({"identifier": "acme", "tool_name": "linear_issue_update",
            "input_form": "openai_strict", "tool_input": args})
    };

    stand_in.script(vec![answer()]);
    let (status, out) = execute(&base, call(strict_args(Value::Null))).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(sent_input(&stand_in), json!({"title": "Renamed"}));

    stand_in.script(vec![answer()]);
    let (status, out) = execute(&base, call(strict_args(json!(["assignee_id", "due_date"])))).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        sent_input(&stand_in),
        json!({"title": "Renamed", "assigneeId": null, "dueDate": null})
    );

    // A name that cannot be cleared is refused before any request, naming it.
    stand_in.script(vec![answer()]);
    let (status, out) = execute(&base, call(strict_args(json!(["title"])))).await;
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["error"]["code"], "INVALID_INPUT", "{out}");
    assert!(
        out.to_string().contains("`title` cannot be cleared"),
        "{out}"
    );
    assert!(stand_in.received().is_empty());

    // The ordinary form is unchanged: a null on `title` (its schema does not name null) is
    // refused there.
    let (status, out) = execute(
        &base,
        json!({"identifier": "acme", "tool_name": "linear_issue_update",
            "tool_input": {"id": "ENG-123", "title": null}}),
    )
    .await;
    assert_eq!(status, 400, "{out}");
    assert!(stand_in.received().is_empty());
}
