use indexmap::IndexMap;
use serde_json::{Value, json};

use super::*;

fn models() -> IndexMap<String, Value> {
    let mut m = IndexMap::new();
    m.insert(
        "Ticket".into(),
        json!({"type": "object", "description": "A ticket.", "required": ["id", "status"], "properties": {
            "id": {"type": "integer"}, "url": {"type": "string"}, "status": {"type": "string"},
            "subject": {"type": ["string", "null"]},
            "assignee_id": {"type": ["integer", "null"], "description": "Assigned agent."},
            "group_id": {"type": ["integer", "null"]}}}),
    );
    m.insert(
        "User".into(),
        json!({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}),
    );
    m
}

fn output() -> Value {
    json!({"type": "object", "required": ["results", "users"], "properties": {
        "results": {"type": "array", "items": {"$ref": "#/models/Ticket"}},
        "count": {"type": "integer"},
        "users": {"type": "array", "items": {"$ref": "#/models/User"}}}})
}

fn projection() -> Projection {
    serde_json::from_value(json!({
        "records": [{"at": "/results", "keep": ["id", "status"], "rename": {"title": "subject"},
            "resolve": {"assignee": {"id": "assignee_id", "from": "/users"}}}],
        "drop": ["users"]}))
    .unwrap()
}

#[test]
fn keeps_renames_resolves_and_drops() {
    let mut out = json!({
        "results": [
            {"id": 1, "url": "https://x/1", "status": "open", "subject": "Printer", "assignee_id": 7, "group_id": 3},
            {"id": 2, "url": "https://x/2", "status": "new", "subject": null, "assignee_id": null}],
        "count": 2,
        "users": [{"id": 7, "name": "Jane Agent"}]});
    projection().apply(&mut out);
    assert_eq!(
        out,
        json!({"results": [
            {"id": 1, "status": "open", "title": "Printer", "assignee": "Jane Agent"},
            {"id": 2, "status": "new", "title": null, "assignee": null}],
            "count": 2})
    );
}

#[test]
fn a_missing_sideload_keeps_the_id() {
    let mut out = json!({"results": [{"id": 1, "status": "open", "assignee_id": 7}], "count": 1});
    projection().apply(&mut out);
    assert_eq!(out["results"][0]["assignee"], json!(7));
    let mut out = json!({"results": [{"id": 1, "status": "open", "assignee_id": 8}],
        "users": [{"id": 7, "name": "Jane Agent"}]});
    projection().apply(&mut out);
    assert_eq!(
        out["results"][0]["assignee"],
        json!(8),
        "no user 8 sideloaded"
    );
}

#[test]
fn a_single_record_is_reshaped_too() {
    let p: Projection = serde_json::from_value(json!({"records": [{"keep": ["id"]}]})).unwrap();
    let mut out = json!({"id": 1, "url": "u", "status": "open"});
    p.apply(&mut out);
    assert_eq!(out, json!({"id": 1}));
}

#[test]
fn the_schema_describes_the_projected_shape() {
    let schema = projection().schema(&models(), &output());
    assert_eq!(
        schema,
        json!({"type": "object", "required": ["results"], "properties": {
            "results": {"type": "array", "items": {"type": "object", "description": "A ticket.",
                "required": ["id", "status"], "properties": {
                "id": {"type": "integer"}, "status": {"type": "string"},
                "title": {"type": ["string", "null"]},
                "assignee": {"type": ["string", "integer", "null"],
                    "description": "Assigned agent: name (the id if not sideloaded)."}}}},
            "count": {"type": "integer"}}})
    );
    let mut data = json!({"results": [{"id": 1, "status": "open", "subject": "s", "assignee_id": 7}],
        "users": [{"id": 7, "name": "Jane"}]});
    projection().apply(&mut data);
    assert!(jsonschema::is_valid(&schema, &data), "{data}");
}

#[test]
fn problems_name_every_unknown_field_and_pointer() {
    let p: Projection = serde_json::from_value(json!({
        "records": [
            {"at": "/results", "keep": ["id", "nope"], "rename": {"t": "subjekt"},
             "resolve": {"a": {"id": "assignee", "from": "/users", "name": "full_name"},
                         "g": {"id": "group_id", "from": "/groups"}}},
            {"at": "/count"}],
        "drop": ["sideloads"]}))
    .unwrap();
    let got: Vec<String> = p
        .problems(&models(), &output())
        .into_iter()
        .map(|x| x.at)
        .collect();
    assert_eq!(
        got,
        [
            "/records/0/keep/1",
            "/records/0/rename/t",
            "/records/0/resolve/a/id",
            "/records/0/resolve/a/name",
            "/records/0/resolve/g/from",
            "/records/1/at",
            "/drop/0"
        ]
    );
    assert!(projection().problems(&models(), &output()).is_empty());
}
