//! Bounded fuzzing (proptest) of the spec loader and the templates: `load_str` on arbitrary
//! text and on mutated copies of zendesk.yaml (lines dropped / duplicated / swapped, bytes
//! replaced, inserted or deleted, truncation), and `Template::parse` / `BodyTemplate::parse` +
//! rendering on arbitrary text. The property is "no panic": every input yields `Ok` or a
//! diagnostic. Case counts: `PROPTEST_CASES` (default below); each test runs a few seconds in
//! a debug build.

use proptest::prelude::*;
use serde_json::{Value, json};
use toolwire_spec::template::{BodyTemplate, Template};

const ZENDESK: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../connectors/zendesk.yaml"
));

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Characters YAML and the templates care about, plus arbitrary ones.
fn spicy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(vec![
                ":", " ", "  ", "\n", "- ", "{", "}", "[", "]", "\"", "'", "#", "&a", "*a", "!!str ",
                "|", ">", "? ", ",", "{{", "}}", "{{input.x}}", "{{config.subdomain}}", "{{ }}",
                "{{credentials.", "$ref: ", "#/models/Ticket", "tools:", "name: ", "type: ",
                "object", "integer", "\t", "\r\n", "%", "\\", "\u{FEFF}", "é", "\u{0}", "<<: ",
            ]).prop_map(String::from),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..120,
    )
    .prop_map(|parts| parts.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    DropLine(usize),
    DupLine(usize),
    SwapLines(usize, usize),
    Replace(usize, String),
    Insert(usize, String),
    Delete(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = ZENDESK.len();
    let lines = ZENDESK.lines().count();
    prop_oneof![
        (0..lines).prop_map(Mutation::DropLine),
        (0..lines).prop_map(Mutation::DupLine),
        (0..lines, 0..lines).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (0..n, spicy_text()).prop_map(|(i, s)| Mutation::Replace(i, s)),
        (0..n, spicy_text()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (0..n, 1usize..200).prop_map(|(i, l)| Mutation::Delete(i, l)),
        (0..n).prop_map(Mutation::Truncate),
    ]
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    match m {
        Mutation::DropLine(i) => {
            lines.remove(*i % lines.len());
            lines.join("\n")
        }
        Mutation::DupLine(i) => {
            let i = *i % lines.len();
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
        Mutation::SwapLines(a, b) => {
            let len = lines.len();
            lines.swap(*a % len, *b % len);
            lines.join("\n")
        }
        Mutation::Replace(i, s) => {
            let a = floor_char(text, *i);
            let b = floor_char(text, a + s.len().max(1));
            format!("{}{s}{}", &text[..a], &text[b..])
        }
        Mutation::Insert(i, s) => {
            let a = floor_char(text, *i);
            format!("{}{s}{}", &text[..a], &text[a..])
        }
        Mutation::Delete(i, l) => {
            let a = floor_char(text, *i);
            let b = floor_char(text, a + l);
            format!("{}{}", &text[..a], &text[b..])
        }
        Mutation::Truncate(i) => text[..floor_char(text, *i)].to_string(),
    }
}

#[test]
fn zendesk_yaml_itself_loads() {
    toolwire_spec::load_str("zendesk.yaml", ZENDESK).expect("the real spec loads");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1024), failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary text never panics the loader.
    #[test]
    fn loader_survives_arbitrary_text(text in spicy_text()) {
        let _ = toolwire_spec::load_str("fuzz.yaml", &text);
    }

    /// Arbitrary text after a valid header (so the loader gets past the first checks).
    #[test]
    fn loader_survives_arbitrary_tools(text in spicy_text()) {
        let head = ZENDESK.split("\ntools:").next().unwrap();
        let _ = toolwire_spec::load_str("fuzz.yaml", &format!("{head}\ntools:\n{text}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    /// One to three mutations of zendesk.yaml: `Ok` or diagnostics, never a panic.
    #[test]
    fn loader_survives_mutated_zendesk_yaml(ms in prop::collection::vec(mutation(), 1..4)) {
        let mut text = ZENDESK.to_string();
        for m in &ms {
            text = apply(&text, m);
        }
        if let Err(e) = toolwire_spec::load_str("zendesk.yaml", &text) {
            // Diagnostics render without panicking too.
            let _ = e.to_string();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(4096), failure_persistence: None, ..ProptestConfig::default() })]

    /// Templates: parse arbitrary text; when it parses, render it against values of every
    /// JSON type.
    #[test]
    fn templates_survive_arbitrary_text(text in spicy_text(), pick in 0usize..6) {
        let values = [json!("acme"), json!(42), json!(true), json!(["a", "b"]), json!({"k": [1, {"z": null}]}), Value::Null];
        if let Ok(t) = Template::parse(&text) {
            let v = &values[pick];
            let lookup = |_: &_| Some(v);
            let _ = t.render_string(&lookup);
            let _ = t.render_value(&lookup);
            let _ = t.vars().count();
        }
        let body = json!({"ticket": {"comment": {"body": text.clone(), "public": "{{input.public}}"}}, "tags": [text.clone()]});
        if let Ok(b) = BodyTemplate::parse(&body) {
            let v = &values[pick];
            let _ = b.render(&|_: &_| Some(v));
        }
    }
}
