//! Anthropic tool definitions (`tools` of the Messages API).

use serde_json::{Value, json};
use toolwire_spec::{ConnectorSpec, ToolSpec};

/// One tool as an Anthropic tool object.
pub fn tool(spec: &ConnectorSpec, tool: &ToolSpec) -> Value {
    json!({
        "name": tool.name,
        "description": tool.description,
        "input_schema": super::input_schema(spec, tool),
    })
}
