//! [`McpServer`]: the rmcp handler both transports share — the tool list from the catalog
//! of the loaded connectors, calls through the runtime (counted by [`crate::metrics`]), tool
//! errors as `isError` results carrying the agent message.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt as _};
use serde_json::Value;
use toolwire_runtime::Toolwire;

use super::tools;
use crate::catalog::Catalog;
use crate::error::{Result, ServerError};

/// The identifier an HTTP request acts for: a request extension the transport sets once the
/// request is authenticated (see [`super::http`]); never a tool argument.
#[derive(Debug, Clone)]
pub struct RequestIdentifier(pub String);

/// The handler: one runtime, the tool list and — for stdio — one fixed identifier.
#[derive(Clone)]
pub struct McpServer {
    tw: Toolwire,
    identifier: Option<String>,
    tools: Arc<Vec<Tool>>,
}

impl McpServer {
    /// A server acting for `identifier` (stdio), with the tools of every connector the
    /// runtime loaded.
    pub fn new(tw: Toolwire, identifier: impl Into<String>) -> Result<Self> {
        let tools = tools::from_catalog(&Catalog::new(tw.connectors()))?;
        Ok(McpServer {
            tw,
            identifier: Some(identifier.into()),
            tools: Arc::new(tools),
        })
    }

    /// A server whose identifier comes with each request (streamable HTTP), with the tools of
    /// `catalog` (the loaded connectors').
    pub fn per_request(tw: Toolwire, catalog: &Catalog) -> Result<Self> {
        let tools = tools::from_catalog(catalog)?;
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
            .and_then(|p| p.extensions.get::<RequestIdentifier>())
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
