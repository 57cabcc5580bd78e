//! OpenAI function tools in strict mode (`strict: true`); parameters go through
//! [`super::strict`] so OpenAI accepts them.

use serde_json::{Value, json};
use toolwire_spec::{ConnectorSpec, ToolSpec};

use super::io::input_schema;

/// One tool as an OpenAI function tool.
pub fn tool(spec: &ConnectorSpec, tool: &ToolSpec) -> Value {
    json!({
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": super::strict::strict(&input_schema(spec, tool)),
            "strict": true,
        },
    })
}
