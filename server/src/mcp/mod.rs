//! `toolwire mcp --identifier ID`: an MCP server over stdio (rmcp) acting for one connected
//! account. Tools and their schemas/annotations come from `toolwire-codegen`'s MCP format;
//! calls go through the runtime; tool errors are `isError` results carrying the agent message.

use std::path::PathBuf;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt as _};
use serde_json::Value;
use toolwire_runtime::Toolwire;

use crate::catalog::{self, Format};
use crate::error::{Result, ServerError};

/// The handler: one runtime, one identifier, the tool list.
#[derive(Clone)]
pub struct McpServer {
    tw: Toolwire,
    identifier: String,
    tools: Vec<Tool>,
}

impl McpServer {
    /// Builds the tool list from every spec in `connectors_dir` that the runtime loaded.
    pub fn new(
        tw: Toolwire,
        identifier: impl Into<String>,
        connectors_dir: &std::path::Path,
    ) -> Result<Self> {
        let mut tools = Vec::new();
        for path in spec_files(connectors_dir)? {
            let Value::Array(items) = catalog::tool_schemas_file(&path, Format::Mcp)? else {
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
        Ok(McpServer {
            tw,
            identifier: identifier.into(),
            tools,
        })
    }

    /// The tools offered.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Runs one tool; failures become `isError` results (`CODE: agent message`).
    pub async fn call(
        &self,
        name: &str,
        arguments: Option<serde_json::Map<String, Value>>,
    ) -> CallToolResult {
        let input = Value::Object(arguments.unwrap_or_default());
        match self.tw.execute_tool(&self.identifier, name, input).await {
            Ok(out) => {
                let mut result = CallToolResult::structured(out.data);
                if let Some(cursor) = out.next_cursor {
                    result.content.push(ContentBlock::text(format!("More results exist: call {name} again with next_cursor {cursor:?} as its page/cursor input.")));
                }
                result
            }
            Err(e) => {
                let mut text = format!("{}: {e}", e.code());
                if let Some(s) = e.retry_after_s() {
                    text.push_str(&format!(" (retry after {s} s)"));
                }
                if let Some(d) = e.details() {
                    text.push_str(&format!("\ndetails: {d}"));
                }
                CallToolResult::error(vec![ContentBlock::text(text)])
            }
        }
    }

    /// Serves MCP on stdin/stdout until the client disconnects.
    pub async fn serve_stdio(self) -> Result<()> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| ServerError::Usage(format!("MCP initialisation failed: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| ServerError::Usage(format!("MCP server stopped: {e}")))?;
        Ok(())
    }
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("toolwire", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!("Tools act on the connected SaaS account of `{}`. Errors name a code and what to do.", self.identifier))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.clone()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !self.tools.iter().any(|t| t.name == request.name) {
            return Err(ErrorData::invalid_params(
                format!("unknown tool `{}`", request.name),
                None,
            ));
        }
        Ok(self.call(&request.name, request.arguments).await.into())
    }
}

fn spec_files(dir: &std::path::Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ServerError::io(format!("read {}", dir.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}
