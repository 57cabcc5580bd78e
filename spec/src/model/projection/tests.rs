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

/// Applies `p` and returns the JSON text (key order included: `Value`'s `==` ignores it).
fn applied(p: &Projection, mut out: Value) -> String {
    p.apply(&mut out);
    out.to_string()
}

fn resolving(keep: Value, rename: Value) -> Projection {
    serde_json::from_value(json!({
        "records": [{"at": "/ticket", "keep": keep, "rename": rename, "resolve": {
            "assignee": {"id": "assignee_id", "from": "/users"},
            "requester": {"id": "requester_id", "from": "/users"}}}],
        "drop": ["users"]}))
    .unwrap()
}

#[test]
fn ids_match_by_type_string_integer_and_float_ids_differ() {
    let p = resolving(json!(["id"]), json!({}));
    let users = json!([{"id": "7", "name": "Text seven"}, {"id": 7, "name": "Seven"},
        {"id": -3, "name": "Minus three"}, {"id": 0.0, "name": "Float zero"}]);
    let out = json!({"ticket": {"id": 1, "assignee_id": 7, "requester_id": "7"}, "users": users});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"id":1,"assignee":"Seven","requester":"Text seven"}}"#
    );
    let out = json!({"ticket": {"id": 1, "assignee_id": 7.0, "requester_id": -3}, "users": users});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"id":1,"assignee":7.0,"requester":"Minus three"}}"#
    );
    let out =
        json!({"ticket": {"id": 1, "assignee_id": -0.0, "requester_id": 0.0}, "users": users});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"id":1,"assignee":-0.0,"requester":"Float zero"}}"#,
        "-0.0 is not the JSON text 0.0"
    );
}

#[test]
fn the_last_named_duplicate_in_a_sideload_wins() {
    let p = resolving(json!([]), json!({}));
    let out = json!({"ticket": {"assignee_id": 7, "requester_id": 8}, "users": [
        {"id": 7, "name": "First"}, {"id": 7, "name": "Second"}, {"id": 7, "name": null},
        {"id": 8, "name": "Eight"}, {"id": 8}]});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"assignee":"Second","requester":"Eight"}}"#,
        "a null or missing name does not shadow an earlier one"
    );
}

#[test]
fn null_ids_stay_null_unless_a_sideload_has_a_null_id() {
    let p = resolving(json!([]), json!({}));
    let out = json!({"ticket": {"assignee_id": null, "requester_id": 8},
        "users": [{"id": 8, "name": "Eight"}]});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"assignee":null,"requester":"Eight"}}"#
    );
    let out = json!({"ticket": {"assignee_id": null}, "users": [{"id": null, "name": "Nobody"}]});
    assert_eq!(applied(&p, out), r#"{"ticket":{"assignee":"Nobody"}}"#);
}

#[test]
fn a_field_kept_and_renamed_goes_to_the_first_and_leaves_null() {
    // What `apply` does with such a projection (the value goes to the first entry naming it);
    // `spec check` refuses it (`problems_name_a_field_used_twice_and_a_name_written_twice`).
    let p = resolving(
        json!(["subject", "id"]),
        json!({"title": "subject", "ref": "id"}),
    );
    let out = json!({"ticket": {"id": 1, "subject": "Printer", "assignee_id": 7}, "users": []});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"subject":"Printer","id":1,"title":null,"ref":null,"assignee":7}}"#
    );
    let p = resolving(json!(["id", "id"]), json!({"t": "subject", "u": "subject"}));
    let out = json!({"ticket": {"id": 1, "subject": "Printer"}});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"id":null,"t":"Printer","u":null}}"#
    );
}

#[test]
fn problems_name_a_field_used_twice_and_a_name_written_twice() {
    let at = |p: Projection| -> Vec<String> {
        p.problems(&models(), &output())
            .into_iter()
            .map(|x| format!("{}: {}", x.at, x.message))
            .collect()
    };
    let p: Projection = serde_json::from_value(json!({"records": [{"at": "/results",
        "keep": ["id", "id"], "rename": {"t": "id", "subject": "subject"},
        "resolve": {"t": {"id": "assignee_id", "from": "/users"}}}]}))
    .unwrap();
    assert_eq!(
        at(p),
        [
            "/records/0/keep/1: the record field `id` is used twice (keep / rename)",
            "/records/0/rename/t: the record field `id` is used twice (keep / rename)",
            "/records/0: the projected record has two fields named `id`",
            "/records/0: the projected record has two fields named `t`",
        ]
    );
}

#[test]
fn a_resolved_id_that_is_also_kept_keeps_its_value() {
    let p = resolving(json!(["assignee_id"]), json!({"who": "requester_id"}));
    let out = json!({"ticket": {"assignee_id": 7, "requester_id": 8},
        "users": [{"id": 7, "name": "Seven"}, {"id": 8, "name": "Eight"}]});
    assert_eq!(
        applied(&p, out),
        r#"{"ticket":{"assignee_id":7,"who":8,"assignee":"Seven","requester":"Eight"}}"#
    );
}

#[test]
fn many_records_against_a_long_sideload_resolve_like_a_short_one() {
    // 40 users and 10 tickets: the sorted lookup; user 5 twice (the later name wins).
    let p: Projection = serde_json::from_value(json!({"records": [{"at": "/results",
        "keep": ["id"], "resolve": {"assignee": {"id": "assignee_id", "from": "/users"}}}],
        "drop": ["users"]}))
    .unwrap();
    let mut users: Vec<Value> = (0..40)
        .map(|i| json!({"id": i, "name": format!("u{i}")}))
        .collect();
    users.push(json!({"id": 5, "name": "five"}));
    users.push(json!({"id": "3", "name": "text three"}));
    let results: Vec<Value> = [3, 5, 39, 40, -1]
        .iter()
        .map(|&i| json!({"id": i, "assignee_id": i}))
        .chain([
            json!({"id": 0, "assignee_id": "3"}),
            json!({"id": 0}),
            json!("x"),
        ])
        .chain((0..2).map(|i| json!({"id": i, "assignee_id": i})))
        .collect();
    let out = json!({"results": results, "users": users});
    assert_eq!(
        applied(&p, out),
        concat!(
            r#"{"results":[{"id":3,"assignee":"u3"},{"id":5,"assignee":"five"},"#,
            r#"{"id":39,"assignee":"u39"},{"id":40,"assignee":40},{"id":-1,"assignee":-1},"#,
            r#"{"id":0,"assignee":"text three"},{"id":0},"x","#,
            r#"{"id":0,"assignee":"u0"},{"id":1,"assignee":"u1"}]}"#
        )
    );
}

/// The straightforward reading of the model (the implementation before the fast paths): ids
/// keyed by their JSON text in a map per resolve, fields taken from the record (leaving null).
fn reference_apply(p: &Projection, output: &mut Value) {
    use std::collections::HashMap;
    for record in &p.records {
        let lookups: Vec<HashMap<String, Value>> = record
            .resolve
            .values()
            .map(|r| {
                output
                    .pointer(&r.from)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|s| Some((s.get("id")?.to_string(), s.get(&r.name)?.clone())))
                    .filter(|(_, name)| !name.is_null())
                    .collect()
            })
            .collect();
        let reshape = |item: &mut Value| {
            let Value::Object(rec) = item else { return };
            let resolved: Vec<(String, Value)> = record
                .resolve
                .iter()
                .zip(&lookups)
                .filter_map(|((new, r), names)| {
                    let id = rec.get(&r.id)?;
                    Some((
                        new.clone(),
                        names.get(&id.to_string()).unwrap_or(id).clone(),
                    ))
                })
                .collect();
            let mut out = serde_json::Map::new();
            for f in &record.keep {
                if let Some(v) = rec.get_mut(f) {
                    out.insert(f.clone(), v.take());
                }
            }
            for (new, old) in &record.rename {
                if let Some(v) = rec.get_mut(old) {
                    out.insert(new.clone(), v.take());
                }
            }
            out.extend(resolved);
            *rec = out;
        };
        match output.pointer_mut(&record.at) {
            Some(Value::Array(items)) => items.iter_mut().for_each(reshape),
            Some(item @ Value::Object(_)) => reshape(item),
            _ => {}
        }
    }
    if let Value::Object(map) = output {
        for key in &p.drop {
            map.shift_remove(key);
        }
    }
}

mod same_as_the_reference {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{Projection, applied, reference_apply};

    fn id() -> impl Strategy<Value = Value> {
        prop_oneof![
            (0i64..6).prop_map(|i| json!(i)),
            (0i64..6).prop_map(|i| json!(i.to_string())),
            (-2i64..0).prop_map(|i| json!(i)),
            Just(json!(1.0)),
            Just(json!(0.0)),
            Just(json!(-0.0)),
            Just(json!(null)),
            Just(json!(true)),
            Just(json!([1])),
            Just(json!({"a": 1})),
        ]
    }

    fn sideload() -> impl Strategy<Value = Value> {
        let entry = (
            proptest::option::weighted(0.95, id()),
            proptest::option::weighted(0.95, proptest::option::weighted(0.9, 0u8..9)),
        )
            .prop_map(|(id, name)| {
                let mut m = serde_json::Map::new();
                m.insert("url".into(), json!("u"));
                if let Some(id) = id {
                    m.insert("id".into(), id);
                }
                match name {
                    Some(Some(n)) => m.insert("name".into(), json!(format!("n{n}"))),
                    Some(None) => m.insert("name".into(), Value::Null),
                    None => None,
                };
                Value::Object(m)
            });
        proptest::collection::vec(entry, 0..40).prop_map(Value::Array)
    }

    fn record() -> impl Strategy<Value = Value> {
        let fields = ["a", "b", "c", "x_id", "y_id"];
        proptest::collection::vec((0usize..5, id()), 0..6).prop_map(move |fs| {
            Value::Object(
                fs.into_iter()
                    .map(|(i, v)| (fields[i].to_string(), v))
                    .collect(),
            )
        })
    }

    fn field() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("a"), Just("b"), Just("c"), Just("x_id"), Just("nope")]
    }

    fn projection() -> impl Strategy<Value = Projection> {
        (
            proptest::collection::vec(field(), 0..4),
            proptest::collection::vec(field(), 0..3),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(keep, rename, one_record, same_from)| {
                let rename: serde_json::Map<String, Value> = rename
                    .iter()
                    .enumerate()
                    .map(|(i, old)| (format!("r{i}"), json!(old)))
                    .collect();
                let at = if one_record { "/one" } else { "/many" };
                let y_from = if same_from { "/users" } else { "/groups" };
                serde_json::from_value(json!({"records": [{"at": at, "keep": keep,
                    "rename": rename, "resolve": {
                        "x": {"id": "x_id", "from": "/users"},
                        "y": {"id": "y_id", "from": y_from},
                        "a": {"id": "a", "from": "/users"}}}],
                    "drop": ["users"]}))
                .unwrap()
            })
    }

    proptest! {
        // Up to 40 sideloaded records and 8 records: both the scan and the sorted lookup.
        #[test]
        fn projects_byte_for_byte_like_the_reference(
            p in projection(),
            one in record(),
            many in proptest::collection::vec(record(), 0..8),
            users in sideload(),
            groups in sideload(),
        ) {
            let output = json!({"one": one, "many": many, "users": users, "groups": groups});
            let mut expected = output.clone();
            reference_apply(&p, &mut expected);
            prop_assert_eq!(applied(&p, output), expected.to_string());
        }
    }
}
