use serde_json::{Value, json};

use super::*;

fn lookup_in<'v>(root: &'v Value) -> impl Fn(&VarRef) -> Option<&'v Value> + 'v {
    move |v: &VarRef| {
        root.get(&v.namespace)
            .and_then(|ns| lookup_path(ns, &v.path))
    }
}

#[test]
fn single_variable_keeps_type() {
    let ctx = json!({"input": {"n": 5, "tags": ["a", "b"], "flag": false}});
    let look = lookup_in(&ctx);
    assert_eq!(
        Template::parse("{{input.n}}").unwrap().render_value(&look),
        Some(json!(5))
    );
    assert_eq!(
        Template::parse("{{ input.tags }}")
            .unwrap()
            .render_value(&look),
        Some(json!(["a", "b"]))
    );
    assert_eq!(
        Template::parse("{{input.flag}}")
            .unwrap()
            .render_value(&look),
        Some(json!(false))
    );
}

#[test]
fn mixed_text_renders_string_and_absent_drops() {
    let ctx = json!({"credentials": {"email": "a@b.c"}});
    let look = lookup_in(&ctx);
    let t = Template::parse("{{credentials.email}}/token").unwrap();
    assert_eq!(t.render_string(&look).as_deref(), Some("a@b.c/token"));
    let missing = Template::parse("x-{{credentials.nope}}").unwrap();
    assert_eq!(missing.render_string(&look), None);
}

#[test]
fn parse_errors_point_at_the_problem() {
    assert_eq!(Template::parse("ab {{input.x").unwrap_err().offset, 3);
    assert!(Template::parse("{{input}}").is_err());
    assert!(Template::parse("{{input.a-b}}").is_err());
    assert!(Template::parse("a }} b").is_err());
}

#[test]
fn body_drops_absent_optionals_and_empty_objects() {
    let body = BodyTemplate::parse(&json!({
        "ticket": {
            "comment": {"body": "{{input.body}}", "public": "{{input.public}}"},
            "requester": {"name": "{{input.requester.name}}", "email": "{{input.requester.email}}"},
            "priority": "{{input.priority}}",
            "safe_update": true
        }
    }))
    .unwrap();
    let ctx = json!({"input": {"body": "hi", "public": false}});
    let out = body.render(&lookup_in(&ctx)).unwrap();
    assert_eq!(
        out,
        json!({"ticket": {"comment": {"body": "hi", "public": false}, "safe_update": true}})
    );
}

#[test]
fn an_explicit_null_is_sent_in_a_body_and_an_absent_input_is_not() {
    let body = BodyTemplate::parse(&json!({
        "id": "{{input.id}}",
        "input": {
            "assigneeId": "{{input.assignee_id}}",
            "dueDate": "{{input.due_date}}",
            "title": "{{input.title}}",
            "note": "due {{input.due_date}}"
        }
    }))
    .unwrap();
    let ctx = json!({"input": {"id": "ENG-1", "assignee_id": null, "due_date": null}});
    assert_eq!(
        body.render(&lookup_in(&ctx)).unwrap(),
        json!({"id": "ENG-1", "input": {"assigneeId": null, "dueDate": null}}),
        "nulls kept in value templates, dropped from text, absent inputs left out"
    );
    let only_absent = json!({"input": {"id": "ENG-1"}});
    assert_eq!(
        body.render(&lookup_in(&only_absent)).unwrap(),
        json!({"id": "ENG-1"})
    );
}

#[test]
fn a_null_is_absent_in_text_templates() {
    let ctx = json!({"input": {"q": null}});
    let look = lookup_in(&ctx);
    assert_eq!(
        Template::parse("{{input.q}}").unwrap().render_value(&look),
        Some(Value::Null)
    );
    assert_eq!(
        Template::parse("{{input.q}}").unwrap().render_string(&look),
        None
    );
    assert_eq!(
        Template::parse("q={{input.q}}")
            .unwrap()
            .render_value(&look),
        None
    );
}

#[test]
fn nullable_inputs_are_those_whose_schema_names_null() {
    let schema = json!({"type": "object", "properties": {
        "a": {"type": ["string", "null"]},
        "b": {"type": "string"},
        "c": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "d": {"description": "anything"},
        "e": {"type": "null"},
        "f": {"enum": ["x", null]}
    }});
    assert_eq!(nullable_inputs(&schema), vec!["a", "c", "e"]);
    assert!(!schema_names_null(&json!({"oneOf": [{"type": "string"}]})));
}

proptest::proptest! {
    #[test]
    fn literal_text_round_trips(text in "[^{}]*") {
        let t = Template::parse(&text).unwrap();
        let empty = json!({});
        proptest::prop_assert_eq!(t.render_string(&lookup_in(&empty)), Some(text));
    }

    #[test]
    fn parse_never_panics(text in ".*") {
        let _ = Template::parse(&text);
    }
}
