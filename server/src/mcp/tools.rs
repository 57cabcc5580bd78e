//! The MCP tool list (from `toolwire-codegen`'s MCP format, only tools the runtime loaded) and
//! the text of `isError` results.

use std::path::{Path, PathBuf};

use rmcp::model::Tool;
use serde_json::Value;
use toolwire_runtime::Toolwire;

use crate::catalog::{self, Format};
use crate::error::{Result, ServerError};

/// The MCP tools of `files` whose tool the runtime knows.
pub fn load<'a>(tw: &Toolwire, files: impl Iterator<Item = &'a Path>) -> Result<Vec<Tool>> {
    let mut files: Vec<&Path> = files.collect();
    files.sort();
    let mut tools = Vec::new();
    for path in files {
        let Value::Array(items) = catalog::tool_schemas_file(path, Format::Mcp)? else {
            return Err(ServerError::Codegen(format!(
                "{}: MCP tools are not a JSON array",
                path.display()
            )));
        };
        for item in items {
            let tool: Tool = serde_json::from_value(item).map_err(|e| {
                ServerError::Codegen(format!("{}: not an MCP tool: {e}", path.display()))
            })?;
            if tw.connectors().any(|c| c.tool(&tool.name).is_some()) {
                tools.push(tool);
            }
        }
    }
    Ok(tools)
}

/// The spec files (`*.yaml`, `*.yml`) in `dir`, sorted.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ServerError::io(format!("read {}", dir.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
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
