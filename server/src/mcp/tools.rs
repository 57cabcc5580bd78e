//! The MCP tool list (the MCP form of the [`Catalog`]: only connectors the runtime loaded), the
//! text of `isError` results, and the full-output request: `_meta["toolwire/full"]: true` on
//! `tools/call` (REST's `"full": true`, the CLI's `--full`) keeps `structuredContent` the
//! projection its `outputSchema` describes and adds the whole output as the result's
//! `_meta["toolwire/full"]` — for the client application; models normally never see `_meta`.

use rmcp::model::{CallToolResult, MetaObject, Tool};
use serde_json::Value;
use toolwire_runtime::Toolwire;

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

/// The `_meta` key that asks for (on `tools/call`) and carries (on its result) a tool's whole
/// output. One label and a slash: a prefix MCP leaves to implementations.
pub const FULL_META: &str = "toolwire/full";

/// Whether the call's `_meta` (the params', else the one rmcp lifted into the request
/// context) asks for the whole output: `true` only, nothing else counts.
pub fn wants_full(params: Option<&MetaObject>, context: &MetaObject) -> bool {
    params
        .into_iter()
        .chain(std::iter::once(context))
        .any(|m| m.get(FULL_META) == Some(&Value::Bool(true)))
}

/// The result of a call run with `full`: `structuredContent` is the projection of `data` (as
/// without the flag, so it fits `outputSchema`), `_meta["toolwire/full"]` the whole `data`.
pub fn with_full(tw: &Toolwire, name: &str, data: Value) -> CallToolResult {
    let projection = tw
        .connectors()
        .find_map(|c| c.tool(name))
        .and_then(|(spec, _)| spec.response.project.as_ref());
    let mut projected = data.clone();
    if let Some(p) = projection {
        p.apply(&mut projected);
    }
    let mut result = CallToolResult::structured(projected);
    let mut meta = MetaObject::default();
    meta.insert(FULL_META.to_string(), data);
    result.meta = Some(meta);
    result
}
