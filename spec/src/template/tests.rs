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
