//! Validation keywords that some consumers cannot take as schema (OpenAI strict mode) but an
//! agent or a reader still needs: rendered as short notes for descriptions and docs.

use serde_json::Value;

/// Keywords noted, in the order notes are written.
const NOTED: &[&str] = &[
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// `minimum 1`, `format email`, ... for each constraint keyword in `schema` (not `default`).
pub fn keyword_notes(schema: &Value) -> Vec<String> {
    NOTED
        .iter()
        .filter_map(|k| schema.get(*k).map(|v| format!("{k} {}", render(v))))
        .collect()
}

/// The schema's `default`, rendered as JSON.
pub fn default_note(schema: &Value) -> Option<String> {
    schema.get("default").map(Value::to_string)
}

/// Every note, `default` last (for one-line descriptions).
pub fn all_notes(schema: &Value) -> Vec<String> {
    let mut notes = keyword_notes(schema);
    notes.extend(default_note(schema).map(|d| format!("default {d}")));
    notes
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn notes_follow_a_fixed_order() {
        let schema = json!({"type": "integer", "maximum": 100, "minimum": 1, "default": 100});
        assert_eq!(
            all_notes(&schema),
            ["minimum 1", "maximum 100", "default 100"]
        );
        assert_eq!(keyword_notes(&json!({"format": "email"})), ["format email"]);
    }
}
