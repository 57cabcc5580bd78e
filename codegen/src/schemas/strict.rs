//! JSON Schema → the subset OpenAI accepts with `strict: true`.
//!
//! Strict mode requires every property to be listed in `required` and
//! `additionalProperties: false` on every object; an optional property is expressed as
//! nullable (`type: [T, "null"]`, or `anyOf [.., {type: null}]` for references). Only
//! structural keywords are kept (`type`, `description`, `enum`, `const`, `anyOf`,
//! `properties`, `required`, `additionalProperties`, `items`, `$ref`, `$defs`); validation
//! keywords some models reject (`format`, `minLength`, `minimum`, `default`, ...) move into
//! the description as notes, so the agent still sees them and the runtime still enforces them
//! against the full schema. `oneOf` becomes `anyOf`.
//!
//! Strict mode cannot express "any JSON": a schema without a type becomes a scalar or a list
//! of scalars, and a free-form object becomes an empty object. Both are approximations.

use serde_json::{Map, Value, json};

use super::notes::all_notes;

/// The strict form of a tool's parameters (an object schema).
pub fn strict(schema: &Value) -> Value {
    node(schema)
}

fn node(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return any(None);
    };
    if let Some(target) = map.get("$ref") {
        return json!({"$ref": target});
    }
    let mut out = Map::new();
    let types = type_names(map.get("type"));
    let is_object =
        types.contains(&"object") || (types.is_empty() && map.contains_key("properties"));
    let is_array = types.contains(&"array");
    match map.get("type") {
        Some(t) => {
            out.insert("type".into(), t.clone());
        }
        None if is_object => {
            out.insert("type".into(), json!("object"));
        }
        None => {}
    }
    if let Some(description) = describe(
        map.get("description").and_then(Value::as_str),
        &all_notes(schema),
    ) {
        out.insert("description".into(), Value::String(description));
    }
    for key in ["enum", "const"] {
        if let Some(v) = map.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(Value::Array(options)) = map.get("anyOf").or_else(|| map.get("oneOf")) {
        out.insert(
            "anyOf".into(),
            Value::Array(options.iter().map(node).collect()),
        );
    }
    if is_object {
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut properties = Map::new();
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let strict = node(prop);
                let strict = if required.contains(&name.as_str()) {
                    strict
                } else {
                    nullable(strict)
                };
                properties.insert(name.clone(), strict);
            }
        }
        let all: Vec<Value> = properties
            .keys()
            .map(|k| Value::String(k.clone()))
            .collect();
        out.insert("properties".into(), Value::Object(properties));
        out.insert("required".into(), Value::Array(all));
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    if is_array {
        out.insert(
            "items".into(),
            map.get("items").map(node).unwrap_or_else(|| any(None)),
        );
    }
    if let Some(Value::Object(defs)) = map.get("$defs") {
        let defs = defs.iter().map(|(k, v)| (k.clone(), node(v))).collect();
        out.insert("$defs".into(), Value::Object(defs));
    }
    let constrained = ["type", "enum", "const", "anyOf"]
        .iter()
        .any(|k| out.contains_key(*k));
    if !constrained {
        let description = out.remove("description");
        return any(description);
    }
    Value::Object(out)
}

/// The closest strict schema to "any JSON value": a scalar or a list of scalars.
fn any(description: Option<Value>) -> Value {
    let mut out = Map::new();
    if let Some(d) = description {
        out.insert("description".into(), d);
    }
    out.insert(
        "anyOf".into(),
        json!([
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "array", "items": {"type": ["string", "number", "boolean"]}}
        ]),
    );
    Value::Object(out)
}

/// `schema` also accepting `null`.
fn nullable(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    if map.contains_key("$ref") {
        return json!({"anyOf": [Value::Object(map), {"type": "null"}]});
    }
    match map.get_mut("type") {
        Some(Value::String(t)) if t != "null" => {
            let t = t.clone();
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(ts)) if !ts.contains(&json!("null")) => ts.push(json!("null")),
        Some(_) => {}
        None => {
            if let Some(Value::Array(options)) = map.get_mut("anyOf")
                && !options
                    .iter()
                    .any(|o| o.get("type") == Some(&json!("null")))
            {
                options.push(json!({"type": "null"}));
            }
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    Value::Object(map)
}

fn type_names(t: Option<&Value>) -> Vec<&str> {
    match t {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

fn describe(description: Option<&str>, notes: &[String]) -> Option<String> {
    match (description, notes.is_empty()) {
        (d, true) => d.map(str::to_string),
        (None, false) => Some(format!("({})", notes.join(", "))),
        (Some(d), false) => Some(format!("{d} ({})", notes.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_properties_become_required_and_nullable() {
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "status": {"type": "string", "enum": ["open", "closed"]},
                "owner": {"$ref": "#/$defs/User"}
            }
        });
        assert_eq!(
            strict(&schema),
            json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "description": "(minimum 1)"},
                    "status": {"type": ["string", "null"], "enum": ["open", "closed", null]},
                    "owner": {"anyOf": [{"$ref": "#/$defs/User"}, {"type": "null"}]}
                },
                "required": ["id", "status", "owner"],
                "additionalProperties": false
            })
        );
    }

    #[test]
    fn nested_objects_are_closed_and_untyped_values_approximated() {
        let schema = json!({
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {
                "type": "object", "required": ["value"], "properties": {"value": {"description": "Any."}}
            }}}
        });
        let out = strict(&schema);
        let item = &out["properties"]["items"]["items"];
        assert_eq!(item["additionalProperties"], json!(false));
        assert_eq!(item["properties"]["value"]["description"], json!("Any."));
        assert!(item["properties"]["value"]["anyOf"].is_array());
    }
}
