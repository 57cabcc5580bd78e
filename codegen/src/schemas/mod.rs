//! Tool definitions as JSON, in the forms agents consume: MCP ([`mcp`]), OpenAI function
//! calling in strict mode ([`openai`], via [`strict`]) and Anthropic tool use ([`anthropic`]).
//! Model references are inlined into `$defs` ([`io`]) so each definition stands alone.

pub mod anthropic;
pub mod io;
pub mod mcp;
pub mod notes;
pub mod openai;
pub mod strict;

pub use io::{input_schema, output_schema};

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use toolwire_spec::{ConnectorSpec, ToolSpec};

/// The JSON shape of a tool definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemaFormat {
    /// MCP `tools/list` entries: `{name, title, description, inputSchema, outputSchema, annotations}`.
    Mcp,
    /// OpenAI function tools, strict mode: `{type: "function", function: {.., strict: true}}`.
    OpenAi,
    /// Anthropic tools: `{name, description, input_schema}`.
    Anthropic,
}

impl SchemaFormat {
    /// Every format, in a fixed order.
    pub const ALL: [SchemaFormat; 3] = [
        SchemaFormat::Mcp,
        SchemaFormat::OpenAi,
        SchemaFormat::Anthropic,
    ];

    /// The format's name on the command line (`mcp`, `openai`, `anthropic`).
    pub fn as_str(&self) -> &'static str {
        match self {
            SchemaFormat::Mcp => "mcp",
            SchemaFormat::OpenAi => "openai",
            SchemaFormat::Anthropic => "anthropic",
        }
    }
}

impl fmt::Display for SchemaFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SchemaFormat {
    type Err = crate::CodegenError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SchemaFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| crate::CodegenError::UnknownFormat(s.to_string()))
    }
}

/// Every tool of `spec` in `format`, in spec order.
pub fn tool_schemas(spec: &ConnectorSpec, format: SchemaFormat) -> Value {
    Value::Array(
        spec.tools
            .iter()
            .map(|tool| tool_schema(spec, tool, format))
            .collect(),
    )
}

/// One tool in `format`.
pub fn tool_schema(spec: &ConnectorSpec, tool: &ToolSpec, format: SchemaFormat) -> Value {
    match format {
        SchemaFormat::Mcp => mcp::tool(spec, tool),
        SchemaFormat::OpenAi => openai::tool(spec, tool),
        SchemaFormat::Anthropic => anthropic::tool(spec, tool),
    }
}
