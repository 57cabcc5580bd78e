//! OpenAI function tools in strict mode (`strict: true`); parameters go through
//! [`super::strict`] so OpenAI accepts them.
//!
//! In strict mode a model sends `null` for every optional field it leaves alone, so such
//! arguments are a distinct input form (`toolwire_spec::template::strict_args`): a `null` is
//! absent, and a tool with clearable inputs (schema names `null`) gets one more property,
//! `clear_fields`, listing the inputs to set to `null` ([`with_clear_fields`]). Callers pass the
//! model's arguments in that form (REST `"input_form": "openai_strict"`).

use serde_json::{Map, Value, json};
use toolwire_spec::template::{nullable_inputs, strict_args};
use toolwire_spec::{ConnectorSpec, ToolSpec};

use super::io::input_schema;

/// One tool as an OpenAI function tool.
pub fn tool(spec: &ConnectorSpec, tool: &ToolSpec) -> Value {
    let parameters = super::strict::strict(&input_schema(spec, tool));
    json!({
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": with_clear_fields(parameters, &tool.input),
            "strict": true,
        },
    })
}

/// Strict `parameters` plus the clear property for the clearable inputs of `declared` (the
/// tool's input schema as the spec wrote it, as the runtime reads it); each clearable input's
/// description says how to clear it. Unchanged when no input is clearable.
pub fn with_clear_fields(mut parameters: Value, declared: &Value) -> Value {
    let clearable = nullable_inputs(declared);
    if clearable.is_empty() {
        return parameters;
    }
    let clear_name = strict_args::clear_fields_name(declared);
    let Some(props) = parameters
        .get_mut("properties")
        .and_then(Value::as_object_mut)
    else {
        return parameters;
    };
    let note = strict_args::clearable_note(&clear_name);
    for name in &clearable {
        if let Some(Value::Object(prop)) = props.get_mut(*name) {
            add_note(prop, &note);
        }
    }
    props.insert(
        clear_name.clone(),
        json!({
            "type": ["array", "null"],
            "items": {"type": "string", "enum": clearable},
            "description": strict_args::CLEAR_FIELDS_DESCRIPTION,
        }),
    );
    if let Some(Value::Array(required)) = parameters.get_mut("required") {
        required.push(Value::String(clear_name));
    }
    parameters
}

fn add_note(prop: &mut Map<String, Value>, note: &str) {
    let description = match prop.get("description").and_then(Value::as_str) {
        Some(d) => format!("{} ({note})", d.trim_end()),
        None => format!("({note})"),
    };
    prop.insert("description".into(), Value::String(description));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearable_inputs_get_a_clear_property_and_a_note() {
        let declared = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "due": {"type": ["string", "null"], "description": "Due date."},
            "clear_fields": {"type": "boolean"}
        }});
        let out = with_clear_fields(super::super::strict::strict(&declared), &declared);
        assert_eq!(
            out["properties"]["clear_fields_"]["items"],
            json!({"type": "string", "enum": ["due"]})
        );
        assert_eq!(
            out["properties"]["due"]["description"],
            json!(
                "Due date. (in strict mode null leaves it unchanged; list it in clear_fields_ to clear it)"
            )
        );
        assert_eq!(
            out["required"],
            json!(["id", "due", "clear_fields", "clear_fields_"])
        );
        let plain = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let strict = super::super::strict::strict(&plain);
        assert_eq!(with_clear_fields(strict.clone(), &plain), strict);
    }
}
