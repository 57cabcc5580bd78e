//! Tool input checking before any I/O: every bad field named with what was expected;
//! then the schema's top-level defaults filled in.

use serde_json::Value;

use super::CompiledTool;
use crate::error::{Error, FieldProblem, Result};

pub(super) fn top_level_defaults(schema: &Value) -> Vec<(String, Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter_map(|(k, p)| p.get("default").map(|d| (k.clone(), d.clone())))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn prepare(tool: &CompiledTool, name: &str, input: Value) -> Result<Value> {
    let mut input = match input {
        Value::Null => Value::Object(Default::default()),
        other => other,
    };
    let problems: Vec<FieldProblem> = tool
        .validator
        .iter_errors(&input)
        .map(|e| {
            let path = e
                .instance_path()
                .as_str()
                .trim_start_matches('/')
                .replace('/', ".");
            let message = match e.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    format!(
                        "unknown field(s) {}",
                        unexpected
                            .iter()
                            .map(|u| format!("`{u}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                _ => e.to_string(),
            };
            FieldProblem {
                field: path,
                message,
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(Error::InvalidInput {
            tool: name.to_string(),
            problems,
        });
    }
    if let Value::Object(map) = &mut input {
        for (k, v) in &tool.defaults {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Ok(input)
}
