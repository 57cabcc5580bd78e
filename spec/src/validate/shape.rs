//! Pass 1: the document against the format's JSON Schema, every violation reported once,
//! at the offending node, with a hint.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Document;
use crate::pointer;

fn format_schema() -> &'static (Value, jsonschema::Validator) {
    static SCHEMA: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(crate::format::CONNECTOR_SCHEMA)
            .expect("connector.schema.json is JSON");
        let validator =
            jsonschema::draft202012::new(&schema).expect("connector.schema.json is a valid schema");
        (schema, validator)
    })
}

/// What the shape pass found.
pub(super) struct Shape {
    /// Every problem.
    pub problems: Diagnostics,
    /// The pointer of each unknown key (also among `problems`): the document without them may
    /// still be checked for meaning.
    pub unknown_keys: Vec<String>,
}

/// Checks the shape; returns every problem.
pub(super) fn check(doc: &Document) -> Shape {
    let (schema, validator) = format_schema();
    let mut out = Vec::new();
    let mut unknown_keys = Vec::new();
    for error in validator.iter_errors(&doc.value) {
        let at = error.instance_path().as_str().to_string();
        let schema_path = error.schema_path().as_str().to_string();
        let diagnostic = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected.iter().skip(1) {
                    let child = pointer::push(&at, key);
                    out.push(unknown_key(doc, schema, &schema_path, &child, key));
                    unknown_keys.push(child);
                }
                let key = unexpected.first().map(String::as_str).unwrap_or("");
                let child = pointer::push(&at, key);
                unknown_keys.push(child.clone());
                unknown_key(doc, schema, &schema_path, &child, key)
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("?");
                doc.diagnostic(
                    &at,
                    format!("missing required key `{name}`"),
                    Some(format!("add `{name}:` here")),
                )
            }
            ValidationErrorKind::Enum { options } => doc.diagnostic(
                &at,
                format!("{} is not allowed here", short(error.instance())),
                Some(format!("use one of: {}", list(options))),
            ),
            ValidationErrorKind::Constant { expected_value } => doc.diagnostic(
                &at,
                format!("{} is not allowed here", short(error.instance())),
                Some(format!("the only valid value is {expected_value}")),
            ),
            ValidationErrorKind::Type { .. } => doc.diagnostic(
                &at,
                error.to_string(),
                Some("change the value to the expected type".into()),
            ),
            ValidationErrorKind::Pattern { pattern } => doc.diagnostic(
                &at,
                format!(
                    "{} does not match the required pattern",
                    short(error.instance())
                ),
                Some(pattern_hint(&schema_path, pattern)),
            ),
            _ => doc.diagnostic(
                &at,
                error.to_string(),
                Some("see connectors/connector.schema.json for this key".into()),
            ),
        };
        out.push(diagnostic);
    }
    Shape {
        problems: Diagnostics(out),
        unknown_keys,
    }
}

fn unknown_key(
    doc: &Document,
    schema: &Value,
    schema_path: &str,
    child: &str,
    key: &str,
) -> Diagnostic {
    let allowed = allowed_keys(schema, schema_path);
    let hint = match closest(key, &allowed) {
        Some(best) => format!(
            "did you mean `{best}`? allowed keys here: {}",
            allowed.join(", ")
        ),
        None if allowed.is_empty() => "remove this key".to_string(),
        None => format!("remove it; allowed keys here: {}", allowed.join(", ")),
    };
    doc.key_diagnostic(child, format!("unknown key `{key}`"), Some(hint))
}

/// Follows the schema path of an `additionalProperties` error back to the object schema and
/// lists its `properties`.
fn allowed_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    let mut node = schema;
    let segments: Vec<&str> = schema_path.trim_start_matches('/').split('/').collect();
    let last = segments.len().saturating_sub(1);
    for segment in &segments[..last] {
        if *segment == "$ref" {
            let target = node.get("$ref").and_then(Value::as_str).unwrap_or("#");
            node = schema
                .pointer(target.trim_start_matches('#'))
                .unwrap_or(node);
            continue;
        }
        let key = segment.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(m) => m.get(&key).unwrap_or(node),
            Value::Array(a) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i))
                .unwrap_or(node),
            _ => node,
        };
    }
    node.get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn closest<'a>(key: &str, options: &'a [String]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (strsim::damerau_levenshtein(key, o), o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o.as_str())
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 60 {
        format!("{}…", &text[..text.floor_char_boundary(57)])
    } else {
        text
    }
}

fn list(options: &Value) -> String {
    options
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn pattern_hint(schema_path: &str, pattern: &str) -> String {
    if schema_path.contains("/name/") {
        "tool names are lowercase letters, digits and `_`, start with a letter, at most 64 characters (valid for MCP, OpenAI and Anthropic)".into()
    } else if schema_path.contains("base_url") {
        "base_url must start with https:// (or with `{{config.<name>}}` when that config value is a whole https origin)".into()
    } else if schema_path.contains("path") {
        "paths are relative to base_url and start with `/`".into()
    } else {
        format!("the value must match `{pattern}`")
    }
}
