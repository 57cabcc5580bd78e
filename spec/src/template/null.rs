//! Explicit nulls: which tool inputs may be sent as JSON `null` (to clear a field upstream).
//!
//! An input whose schema names `null` — `type: [string, "null"]`, `type: "null"`, or a
//! `{type: "null"}` branch of `anyOf` / `oneOf` — and that a caller passes as `null` is sent as
//! `null` where a value template places it (a JSON body member, a GraphQL variable). Any other
//! null (an input whose schema allows null only by saying nothing, e.g. no `type`) stays absent,
//! as before explicit nulls existed. Query, path and header values are text and cannot carry a
//! null: `spec check` refuses a nullable input there.

use serde_json::Value;

/// True when `schema` names `null` itself (see the module docs); `$ref`s are not followed.
pub fn schema_names_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(types)) if types.iter().any(|t| t == "null") => return true,
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|k| {
        schema
            .get(*k)
            .and_then(Value::as_array)
            .is_some_and(|branches| branches.iter().any(schema_names_null))
    })
}

/// The top-level inputs of an object schema that name `null`, in declaration order.
pub fn nullable_inputs(input_schema: &Value) -> Vec<&str> {
    input_schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter(|(_, s)| schema_names_null(s))
                .map(|(k, _)| k.as_str())
                .collect()
        })
        .unwrap_or_default()
}
