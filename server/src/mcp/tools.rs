//! The MCP tool list (the MCP form of the [`Catalog`]: only connectors the runtime loaded) and
//! the text of `isError` results.

use rmcp::model::Tool;

use crate::authz::toolsets::ToolFacts;
use crate::catalog::{Catalog, Format};
use crate::error::{Result, ServerError};

/// One MCP tool and the connection it belongs to.
#[derive(Debug, Clone)]
pub struct McpTool {
    /// The connection (what toolsets and per-identifier lists select by).
    pub connection: String,
    /// The rmcp tool.
    pub tool: Tool,
}

impl McpTool {
    /// What a toolset check needs.
    pub fn facts(&self) -> ToolFacts<'_> {
        ToolFacts {
            name: &self.tool.name,
            connection: &self.connection,
            read_only: self
                .tool
                .annotations
                .as_ref()
                .and_then(|a| a.read_only_hint)
                .unwrap_or(false),
        }
    }
}

/// The catalog's MCP tools of `connections` as rmcp tools (in the order given, each in spec
/// order).
pub fn from_catalog<'a>(
    catalog: &Catalog,
    connections: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<McpTool>> {
    let mut out = Vec::new();
    for connection in connections {
        for item in catalog.tools(connection, Format::Mcp).unwrap_or_default() {
            let tool = serde_json::from_value(item.clone()).map_err(|e| {
                ServerError::Codegen(format!("{}: not an MCP tool: {e}", item["name"]))
            })?;
            out.push(McpTool {
                connection: connection.to_string(),
                tool,
            });
        }
    }
    Ok(out)
}

/// `CODE: agent message`, then the reconnect link (when the message lacks it), the retry
/// hint and details — what a model needs to act.
pub fn error_text(e: &toolwire_runtime::Error) -> String {
    let mut text = format!("{}: {e}", e.code());
    if let Some(url) = e.reconnect_url()
        && !text.contains(url)
    {
        text.push_str(&format!(" Ask the user to reconnect at {url}"));
    }
    if let Some(s) = e.retry_after_s() {
        text.push_str(&format!(" (retry after {s} s)"));
    }
    if let Some(d) = e.details() {
        text.push_str(&format!("\ndetails: {d}"));
    }
    text
}
