//! A tool's input and output schemas with models inlined into `$defs`: what every tool
//! definition format ([`super::mcp`], [`super::openai`], [`super::anthropic`]) starts from.

use serde_json::Value;
use toolwire_spec::{ConnectorSpec, ToolSpec};

/// The tool's input schema with models inlined.
pub fn input_schema(spec: &ConnectorSpec, tool: &ToolSpec) -> Value {
    spec.inline_models(&tool.input)
}

/// The tool's output schema with models inlined, when it describes an object (MCP requires
/// an object at the root, so a bare `$ref` to a model becomes that model); the projected
/// shape when the tool declares `response.project`.
pub fn output_schema(spec: &ConnectorSpec, tool: &ToolSpec) -> Option<Value> {
    let output = &spec.tool_output(tool)?;
    let model = output
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/models/"))
        .and_then(|name| spec.models.get(name));
    let schema = spec.inline_models(model.unwrap_or(output));
    (schema.get("type").and_then(Value::as_str) == Some("object")).then_some(schema)
}
