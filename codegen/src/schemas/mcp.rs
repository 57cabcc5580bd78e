//! MCP tool definitions (`tools/list`), with annotations and output schemas.

use serde_json::{Value, json};
use toolwire_spec::{ConnectorSpec, ToolSpec};

use super::io::{input_schema, output_schema};

/// One tool as an MCP `Tool` object.
pub fn tool(spec: &ConnectorSpec, tool: &ToolSpec) -> Value {
    let a = tool.annotations;
    let mut out = json!({
        "name": tool.name,
        "title": tool.title,
        "description": tool.description,
        "inputSchema": input_schema(spec, tool),
    });
    if let Some(output) = output_schema(spec, tool) {
        out["outputSchema"] = output;
    }
    out["annotations"] = json!({
        "title": tool.title,
        "readOnlyHint": a.read_only,
        "destructiveHint": a.destructive,
        "idempotentHint": a.idempotent,
        "openWorldHint": a.open_world,
    });
    out
}
