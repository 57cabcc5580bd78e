//! Bounded fuzzing (proptest) of tool input validation: `Connector::tool(..).1.prepare_input`
//! for every zendesk.yaml tool, on arbitrary JSON values and on valid-looking inputs with
//! fields of the wrong type, out of range, unknown or missing. Property: no panic; an accepted
//! input is a JSON object without unknown fields; the known-good inputs are accepted.
//! `PROPTEST_CASES` overrides the case counts.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use toolwire_runtime::connector::Connector;

fn connector() -> Connector {
    Connector::load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../connectors/zendesk.yaml"))
        .expect("zendesk.yaml loads")
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop::sample::select(vec![0i64, 1, -1, 1000, 1001, 100, 101, i64::MAX, i64::MIN])
            .prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "",
            " ",
            "open",
            "urgent",
            "a@b.co",
            "not-an-email",
            "users",
            "asc",
            "x".repeat(300).leak() as &str,
            "2024-01-01",
            "{{input.x}}",
            "\u{0}",
            "é",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An object whose keys are (mostly) the tool's own property names, with arbitrary values.
fn shaped_input(props: Vec<String>) -> impl Strategy<Value = Value> {
    let keys = if props.is_empty() {
        vec!["x".to_string()]
    } else {
        props
    };
    prop::collection::vec(
        (
            prop_oneof![
                9 => prop::sample::select(keys),
                1 => "[a-z_]{1,10}".prop_map(String::from),
            ],
            any_json(),
        ),
        0..6,
    )
    .prop_map(|kv| Value::Object(kv.into_iter().collect()))
}

fn tool_names() -> Vec<String> {
    connector()
        .spec
        .tools
        .iter()
        .map(|t| t.name.clone())
        .collect()
}

fn properties(c: &Connector, tool: &str) -> Vec<String> {
    let (spec, _) = c.tool(tool).expect("tool");
    let schema = serde_json::to_value(&spec.input).expect("schema serialises");
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn check(c: &Connector, tool: &str, input: Value) {
    let (_, compiled) = c.tool(tool).expect("tool");
    if let Ok(out) = compiled.prepare_input(tool, input) {
        let obj = out.as_object().expect("an accepted input is an object");
        let props = properties(c, tool);
        for k in obj.keys() {
            assert!(props.contains(k), "{tool}: accepted unknown field {k}");
        }
    }
}

#[test]
fn known_good_inputs_are_accepted() {
    let c = connector();
    assert!(properties(&c, "zendesk_ticket_get").contains(&"ticket_id".to_string()));
    for (tool, input) in [
        ("zendesk_ticket_get", json!({"ticket_id": 1})),
        (
            "zendesk_ticket_get",
            json!({"ticket_id": 1, "include": ["users"]}),
        ),
        (
            "zendesk_search_tickets",
            json!({"query": "status:open", "per_page": 100}),
        ),
        (
            "zendesk_ticket_reply",
            json!({"ticket_id": 3, "body": "hi", "public": false}),
        ),
    ] {
        let (_, compiled) = c.tool(tool).expect("tool");
        compiled
            .prepare_input(tool, input.clone())
            .unwrap_or_else(|e| panic!("{tool} {input}: {e}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(8192), failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary JSON (any type at the top) to any tool.
    #[test]
    fn arbitrary_json_never_panics(pick in any::<prop::sample::Index>(), input in any_json()) {
        let c = connector_cached();
        let names = tool_names_cached();
        check(c, &names[pick.index(names.len())], input);
    }

    /// Objects built from the tool's own field names with arbitrary values.
    #[test]
    fn shaped_inputs_never_panic(
        (tool, input) in (0..tool_names_cached().len()).prop_flat_map(|i| {
            let tool = tool_names_cached()[i].clone();
            let props = properties(connector_cached(), &tool);
            (Just(tool), shaped_input(props))
        })
    ) {
        check(connector_cached(), &tool, input);
    }
}

fn connector_cached() -> &'static Connector {
    static C: std::sync::OnceLock<Connector> = std::sync::OnceLock::new();
    C.get_or_init(connector)
}

fn tool_names_cached() -> &'static [String] {
    static N: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    N.get_or_init(tool_names)
}
