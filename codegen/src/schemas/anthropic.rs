//! Anthropic tool definitions (`tools` of the Messages API).

use serde_json::{Value, json};
use toolwire_spec::{ConnectorSpec, ToolSpec};

use super::io::input_schema;

/// One tool as an Anthropic tool object.
pub fn tool(spec: &ConnectorSpec, tool: &ToolSpec) -> Value {
    json!({
        "name": tool.name,
        "description": tool.description,
        "input_schema": input_schema(spec, tool),
    })
}
