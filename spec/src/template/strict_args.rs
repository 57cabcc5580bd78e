//! Strict-form arguments: the input form of a model calling a tool exported in OpenAI strict
//! mode, and its decoding into an ordinary tool input ([`from_strict_arguments`]).
//!
//! In strict mode every property is required and an optional one is nullable, so a model sends
//! every field and `null` for each it does not mean to set. Taken as ordinary input, those nulls
//! would clear every clearable input ([`nullable_inputs`]) the model left alone. In the strict
//! form a `null` therefore means "absent", and clearing is said explicitly: the tool's strict
//! schema carries an extra array property, [`CLEAR_FIELDS`], whose items are the clearable
//! inputs; each listed input is set to `null`.
//!
//! Name rule: the extra property is [`CLEAR_FIELDS`] (`clear_fields`) unless the tool already
//! has a top-level input of that name; then underscores are appended until the name is free
//! (`clear_fields_`, `clear_fields__`, ...). [`clear_fields_name`] applies it; the schema
//! export and the decoding both call it, so they agree.
//!
//! Strict mode makes nested optional members nullable too, so a `null` member of a nested
//! object (inside arrays as well) is dropped the same way; array elements are kept. Only
//! top-level inputs can be cleared.

use serde_json::Value;

use super::null::nullable_inputs;

/// The preferred name of the strict-form property listing inputs to clear.
pub const CLEAR_FIELDS: &str = "clear_fields";

/// The description of the [`CLEAR_FIELDS`] property in a strict schema.
pub const CLEAR_FIELDS_DESCRIPTION: &str =
    "Inputs to clear (set to null); a null field is left unchanged.";

/// What a clearable input's strict description adds, for a clear property named `clear_name`
/// (it overrides what the spec's description may say about null in the ordinary form).
pub fn clearable_note(clear_name: &str) -> String {
    format!("in strict mode null leaves it unchanged; list it in {clear_name} to clear it")
}

/// One problem with strict-form arguments: the top-level member and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictArgumentProblem {
    /// The member (the clear property's name for problems with its list).
    pub field: String,
    /// What is wrong, naming the offending input.
    pub message: String,
}

/// The name of the clear property for a tool whose input schema is `input_schema` (see the
/// module docs' name rule).
pub fn clear_fields_name(input_schema: &Value) -> String {
    let props = input_schema.get("properties").and_then(Value::as_object);
    let mut name = CLEAR_FIELDS.to_string();
    while props.is_some_and(|p| p.contains_key(&name)) {
        name.push('_');
    }
    name
}

/// Decodes strict-form `args` for a tool whose declared input schema is `input_schema`: every
/// `null` object member is dropped (absent), at the top level and nested, then each input listed in the clear property (see
/// [`clear_fields_name`]) is set to `null`. Listing an input that is not clearable (its schema
/// does not name `null`), one that is also given a value, or anything but an array of names is
/// refused, every problem named. Arguments that are not an object are returned unchanged (the
/// input check refuses them); `null` arguments are an empty input.
pub fn from_strict_arguments(
    input_schema: &Value,
    args: Value,
) -> Result<Value, Vec<StrictArgumentProblem>> {
    let mut map = match args {
        Value::Null => return Ok(Value::Object(Default::default())),
        Value::Object(map) => map,
        other => return Ok(other),
    };
    let clear_name = clear_fields_name(input_schema);
    let clear = map.remove(&clear_name);
    map.retain(|_, v| !v.is_null());
    map.values_mut().for_each(drop_nested_nulls);
    let names = match clear {
        None | Some(Value::Null) => return Ok(Value::Object(map)),
        Some(Value::Array(names)) => names,
        Some(other) => {
            return Err(vec![StrictArgumentProblem {
                field: clear_name,
                message: format!("{other} is not a list of input names"),
            }]);
        }
    };
    let clearable = nullable_inputs(input_schema);
    let mut problems = Vec::new();
    for name in names {
        let Some(name) = name.as_str() else {
            problems.push(StrictArgumentProblem {
                field: clear_name.clone(),
                message: format!("{name} is not an input name"),
            });
            continue;
        };
        if !clearable.contains(&name) {
            let can = if clearable.is_empty() {
                "this tool has no input that can be cleared".to_string()
            } else {
                format!("only {} can be", clearable.join(", "))
            };
            problems.push(StrictArgumentProblem {
                field: clear_name.clone(),
                message: format!("`{name}` cannot be cleared: {can}"),
            });
        } else if map.contains_key(name) {
            problems.push(StrictArgumentProblem {
                field: name.to_string(),
                message: format!(
                    "`{name}` is given a value and listed in {clear_name}: send null or leave it out of {clear_name}"
                ),
            });
        } else {
            map.insert(name.to_string(), Value::Null);
        }
    }
    if problems.is_empty() {
        Ok(Value::Object(map))
    } else {
        Err(problems)
    }
}

/// Removes the `null` members of every object inside `value` (array elements stay).
fn drop_nested_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nested_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nested_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "assignee_id": {"type": ["string", "null"]},
                "estimate": {"anyOf": [{"type": "integer"}, {"type": "null"}]}
            }
        })
    }

    #[test]
    fn nulls_are_absent_and_listed_inputs_are_cleared() {
        let args = json!({"id": "1", "title": "T", "assignee_id": null, "estimate": null,
            "clear_fields": null});
        assert_eq!(
            from_strict_arguments(&schema(), args).unwrap(),
            json!({"id": "1", "title": "T"})
        );
        let args = json!({"id": "1", "title": null, "assignee_id": null, "estimate": null,
            "clear_fields": ["estimate"]});
        assert_eq!(
            from_strict_arguments(&schema(), args).unwrap(),
            json!({"id": "1", "estimate": null})
        );
        let args = json!({"id": "1", "requester": {"name": null, "email": "a@b.c",
            "org": {"id": null}}, "tags": [null, {"k": null}]});
        assert_eq!(
            from_strict_arguments(&schema(), args).unwrap(),
            json!({"id": "1", "requester": {"email": "a@b.c", "org": {}}, "tags": [null, {}]})
        );
        assert_eq!(
            from_strict_arguments(&schema(), Value::Null).unwrap(),
            json!({})
        );
    }

    #[test]
    fn unknown_non_clearable_and_contradictory_names_are_refused() {
        let args = json!({"id": "1", "assignee_id": "u1",
            "clear_fields": ["title", "nope", "assignee_id", 3]});
        let problems = from_strict_arguments(&schema(), args).unwrap_err();
        let messages: Vec<_> = problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        assert_eq!(problems.len(), 4, "{messages:?}");
        assert!(
            messages[0]
                .starts_with("clear_fields: `title` cannot be cleared: only assignee_id, estimate")
        );
        assert!(messages[1].contains("`nope` cannot be cleared"));
        assert!(messages[2].starts_with("assignee_id: `assignee_id` is given a value"));
        assert!(messages[3].contains("3 is not an input name"));
        let refused = from_strict_arguments(&schema(), json!({"clear_fields": "estimate"}));
        assert_eq!(refused.unwrap_err()[0].field, "clear_fields");
        let plain = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let refused = from_strict_arguments(&plain, json!({"clear_fields": ["a"]})).unwrap_err();
        assert!(refused[0].message.contains("no input that can be cleared"));
    }

    #[test]
    fn an_input_named_clear_fields_moves_the_clear_property() {
        let schema = json!({"type": "object", "properties": {
            "clear_fields": {"type": ["boolean", "null"]},
            "clear_fields_": {"type": "string"},
            "note": {"type": ["string", "null"]}
        }});
        assert_eq!(clear_fields_name(&schema), "clear_fields__");
        let args = json!({"clear_fields": true, "clear_fields_": null, "note": null,
            "clear_fields__": ["note"]});
        assert_eq!(
            from_strict_arguments(&schema, args).unwrap(),
            json!({"clear_fields": true, "note": null})
        );
        let args = json!({"clear_fields__": ["clear_fields"]});
        assert_eq!(
            from_strict_arguments(&schema, args).unwrap(),
            json!({"clear_fields": null})
        );
    }
}
