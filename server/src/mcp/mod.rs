//! The MCP server (rmcp): tools from `toolwire-codegen`'s MCP format (name, description,
//! inputSchema, outputSchema, annotations), calls through the runtime, tool errors as
//! `isError` results carrying the agent message. Two transports share one handler:
//!
//! - stdio ([`McpServer::serve_stdio`]): `toolwire mcp --identifier ID` acts for one account;
//! - streamable HTTP ([`http`]): `/mcp` on `toolwire serve`, where the identifier comes from
//!   the authenticated request (`X-Toolwire-Identifier`), never from the model.

pub mod http;
mod tools;

use std::path::Path;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt as _};
use serde_json::Value;
use toolwire_runtime::Toolwire;

use crate::error::{Result, ServerError};

/// The handler: one runtime, the tool list and — for stdio — one fixed identifier.
#[derive(Clone)]
pub struct McpServer {
    tw: Toolwire,
    identifier: Option<String>,
    tools: Arc<Vec<Tool>>,
}

impl McpServer {
    /// A server acting for `identifier`, with the tools of every spec in `connectors_dir`
    /// that the runtime loaded.
    pub fn new(tw: Toolwire, identifier: impl Into<String>, connectors_dir: &Path) -> Result<Self> {
        let files = tools::spec_files(connectors_dir)?;
        let tools = tools::load(&tw, files.iter().map(|p| p.as_path()))?;
        Ok(McpServer {
            tw,
            identifier: Some(identifier.into()),
            tools: Arc::new(tools),
        })
    }

    /// A server whose identifier comes with each request (streamable HTTP), with the tools of
    /// the given spec files.
    pub fn per_request<'a>(
        tw: Toolwire,
        spec_files: impl Iterator<Item = &'a Path>,
    ) -> Result<Self> {
        let tools = tools::load(&tw, spec_files)?;
        Ok(McpServer {
            tw,
            identifier: None,
            tools: Arc::new(tools),
        })
    }

    /// The tools offered.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Runs one tool for the server's fixed identifier (stdio).
    pub async fn call(
        &self,
        name: &str,
        arguments: Option<serde_json::Map<String, Value>>,
    ) -> CallToolResult {
        let identifier = self.identifier.clone().unwrap_or_default();
        self.call_as(&identifier, "mcp_stdio", name, arguments)
            .await
    }

    /// Runs one tool for `identifier`; failures become `isError` results
    /// (`CODE: agent message`, plus the reconnect link and retry hint when there is one).
    pub async fn call_as(
        &self,
        identifier: &str,
        surface: &str,
        name: &str,
        arguments: Option<serde_json::Map<String, Value>>,
    ) -> CallToolResult {
        let input = Value::Object(arguments.unwrap_or_default());
        match crate::metrics::instrument(&self.tw, surface, None, identifier, name, input).await {
            Ok(out) => {
                let mut result = CallToolResult::structured(out.data);
                if let Some(cursor) = out.next_cursor {
                    result.content.push(ContentBlock::text(format!("More results exist: call {name} again with next_cursor {cursor:?} as its page/cursor input.")));
                }
                result
            }
            Err(e) => CallToolResult::error(vec![ContentBlock::text(tools::error_text(&e))]),
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

    fn request_identifier(&self, context: &RequestContext<RoleServer>) -> Option<String> {
        if let Some(id) = &self.identifier {
            return Some(id.clone());
        }
        context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<http::Identifier>())
            .map(|i| i.0.clone())
    }
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        let who = match &self.identifier {
            Some(id) => format!("the connected SaaS account of `{id}`"),
            None => {
                "the connected SaaS account of the identifier this connection was authenticated for"
                    .into()
            }
        };
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("toolwire", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "Tools act on {who}. Errors name a code and what to do."
            ))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !self.tools.iter().any(|t| t.name == request.name) {
            return Err(ErrorData::invalid_params(
                format!("unknown tool `{}`", request.name),
                None,
            ));
        }
        let Some(identifier) = self.request_identifier(&context) else {
            return Err(ErrorData::invalid_request(
                "no identifier: send the X-Toolwire-Identifier header",
                None,
            ));
        };
        let surface = if self.identifier.is_some() {
            "mcp_stdio"
        } else {
            "mcp_http"
        };
        Ok(self
            .call_as(&identifier, surface, &request.name, request.arguments)
            .await
            .into())
    }
}
