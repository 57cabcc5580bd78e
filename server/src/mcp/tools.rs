//! The MCP tool list (the MCP form of the [`Catalog`]: only connectors the runtime loaded) and
//! the text of `isError` results.

use rmcp::model::Tool;

use crate::catalog::{Catalog, Format};
use crate::error::{Result, ServerError};

/// The catalog's MCP tools as rmcp tools (connections by name, each in spec order).
pub fn from_catalog(catalog: &Catalog) -> Result<Vec<Tool>> {
    catalog
        .all(Format::Mcp)
        .map(|item| {
            serde_json::from_value(item.clone()).map_err(|e| {
                ServerError::Codegen(format!("{}: not an MCP tool: {e}", item["name"]))
            })
        })
        .collect()
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
