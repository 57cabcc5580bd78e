//! [`McpServer`]: the rmcp handler both transports share — the tool list from the catalog
//! of the loaded connectors, calls through the runtime (counted by [`crate::metrics`]), tool
//! errors as `isError` results carrying the agent message — except an account the user must
//! connect, which a client that declared URL-mode elicitation gets as `-32042`
//! ([`super::elicitation`]).

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt as _};
use serde_json::Value;
use toolwire_runtime::{AccountStatus, Toolwire};
use tracing::Instrument as _;

use super::connect;
use super::elicitation::{self, Ask};
use super::tools::{self, McpTool};
use crate::authz::{Scope, Toolsets, reach};
use crate::catalog::Catalog;
use crate::error::{Result, ServerError};
use crate::ui::UiState;

/// The identifier an HTTP request acts for: a request extension the transport sets once the
/// request is authenticated (see [`super::http`]); never a tool argument.
#[derive(Debug, Clone)]
pub struct RequestIdentifier(pub String);

/// The handler: one runtime, the tool list, the operator's toolsets and — for stdio — one
/// fixed identifier.
#[derive(Clone)]
pub struct McpServer {
    tw: Toolwire,
    identifier: Option<String>,
    tools: Arc<Vec<McpTool>>,
    plain: Arc<Vec<Tool>>,
    toolsets: Arc<Toolsets>,
    ui: Option<Arc<UiState>>,
}

/// The loaded connections by name (the catalog's order).
fn connection_names(tw: &Toolwire) -> Vec<String> {
    let mut names: Vec<String> = tw.connectors().map(|c| c.name().to_string()).collect();
    names.sort();
    names
}

impl McpServer {
    /// A server acting for `identifier` (stdio), with the tools of every connector the
    /// runtime loaded.
    pub fn new(tw: Toolwire, identifier: impl Into<String>) -> Result<Self> {
        let names = connection_names(&tw);
        let tools = tools::from_catalog(
            &Catalog::new(tw.connectors()),
            names.iter().map(String::as_str),
        )?;
        Ok(McpServer {
            tw,
            identifier: Some(identifier.into()),
            plain: Arc::new(tools.iter().map(|t| t.tool.clone()).collect()),
            tools: Arc::new(tools),
            toolsets: Arc::default(),
            ui: None,
        })
    }

    /// A server whose identifier (and, for an access token, its [`Scope`]) comes with each
    /// request (streamable HTTP), with the tools of `catalog` (the loaded connectors'), the
    /// operator's `toolsets` and the onboarding UI (`toolwire_connect_account` links).
    pub fn per_request(
        tw: Toolwire,
        catalog: &Catalog,
        toolsets: Arc<Toolsets>,
        ui: Option<Arc<UiState>>,
    ) -> Result<Self> {
        let names = connection_names(&tw);
        let tools = tools::from_catalog(catalog, names.iter().map(String::as_str))?;
        Ok(McpServer {
            tw,
            identifier: None,
            plain: Arc::new(tools.iter().map(|t| t.tool.clone()).collect()),
            tools: Arc::new(tools),
            toolsets,
            ui,
        })
    }

    /// The tools offered (to a caller without a [`Scope`]).
    pub fn tools(&self) -> &[Tool] {
        &self.plain
    }

    /// What an access token's holder is offered: the tools its `scope` reaches on the
    /// connections `identifier` has, and the connections its scope reaches that are not
    /// connected yet (offered through `toolwire_connect_account`).
    async fn offer(
        &self,
        identifier: &str,
        scope: &Scope,
    ) -> Result<(Vec<Tool>, Vec<String>), toolwire_runtime::Error> {
        let connected = reach::connected(&self.tw, identifier).await?;
        let mut tools = Vec::new();
        let mut missing = Vec::<String>::new();
        for t in self.tools.iter() {
            if self.toolsets.allows(scope, &t.facts()).is_err() {
                continue;
            }
            if connected.contains(&t.connection) {
                tools.push(t.tool.clone());
            } else if !missing.contains(&t.connection) {
                missing.push(t.connection.clone());
            }
        }
        if !missing.is_empty() && self.ui.is_some() {
            tools.push(connect::tool(&missing));
        }
        Ok((tools, missing))
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
        self.run(identifier, surface, name, arguments, false)
            .await
            .unwrap_or_else(|e| {
                CallToolResult::error(vec![ContentBlock::text(tools::error_text(&e))])
            })
    }

    /// Runs one tool for `identifier`; the result, or the runtime's error. With `full`, the
    /// result's `_meta` also carries the whole output ([`tools::FULL_META`]).
    async fn run(
        &self,
        identifier: &str,
        surface: &str,
        name: &str,
        arguments: Option<serde_json::Map<String, Value>>,
        full: bool,
    ) -> Result<CallToolResult, toolwire_runtime::Error> {
        let input = Value::Object(arguments.unwrap_or_default());
        let out =
            crate::metrics::instrument_with(&self.tw, surface, None, identifier, name, input, full)
                .await?;
        let mut result = if full {
            tools::with_full(&self.tw, name, out.data)
        } else {
            CallToolResult::structured(out.data)
        };
        if let Some(cursor) = out.next_cursor {
            result.content.push(ContentBlock::text(format!("More results exist: call {name} again with next_cursor {cursor:?} as its page/cursor input.")));
        }
        Ok(result)
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

    /// The access token's scope of an HTTP request, if it came with one.
    fn request_scope(context: &RequestContext<RoleServer>) -> Option<Scope> {
        context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<Scope>())
            .cloned()
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
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let Some(scope) = Self::request_scope(&context) else {
            return Ok(ListToolsResult::with_all_items(self.plain.to_vec()));
        };
        let identifier = self.request_identifier(&context).unwrap_or_default();
        let (tools, _) = self
            .offer(&identifier, &scope)
            .await
            .map_err(|e| ErrorData::internal_error(tools::error_text(&e), None))?;
        Ok(ListToolsResult::with_all_items(tools))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools
            .iter()
            .find(|t| t.tool.name == name)
            .map(|t| t.tool.clone())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if request.name == connect::TOOL
            && let (Some(scope), Some(identifier)) = (
                Self::request_scope(&context),
                self.request_identifier(&context),
            )
        {
            let (_, missing) = self
                .offer(&identifier, &scope)
                .await
                .map_err(|e| ErrorData::internal_error(tools::error_text(&e), None))?;
            let args = request.arguments.unwrap_or_default();
            return Ok(
                connect::call(&self.tw, self.ui.as_deref(), &identifier, &missing, &args)
                    .await
                    .into(),
            );
        }
        let Some(tool) = self.tools.iter().find(|t| t.tool.name == request.name) else {
            return Err(ErrorData::invalid_params(
                format!("unknown tool `{}`", request.name),
                None,
            ));
        };
        // Enforced here too, not only by hiding the tool from the list.
        if let Some(scope) = Self::request_scope(&context)
            && let Err(why) = self.toolsets.allows(&scope, &tool.facts())
        {
            let refused = ServerError::ToolNotAllowed(why);
            return Ok(CallToolResult::error(vec![ContentBlock::text(format!(
                "{}: {refused}",
                refused.code()
            ))])
            .into());
        }
        let Some(identifier) = self.request_identifier(&context) else {
            return Err(ErrorData::invalid_request(
                "no identifier: send the X-Toolwire-Identifier header",
                None,
            ));
        };
        // An end user calling a tool of a connection they have not connected: a link to do so.
        if Self::request_scope(&context).is_some()
            && let Some(ui) = &self.ui
        {
            let connected = reach::connected(&self.tw, &identifier)
                .await
                .map_err(|e| ErrorData::internal_error(tools::error_text(&e), None))?;
            if !connected.contains(&tool.connection) {
                let ask = Ask::of(&context, &request);
                if ask != Ask::Text {
                    let link = connect::link(&self.tw, ui, &tool.connection, &identifier)
                        .await
                        .map_err(|e| ErrorData::internal_error(tools::error_text(&e), None))?;
                    return elicitation::connect_required(
                        ask,
                        &link.url,
                        &tool.connection,
                        &request.name,
                        &format!(
                            "No {} account is connected for this user yet.",
                            tool.connection
                        ),
                    );
                }
                return Ok(connect::not_connected(
                    &self.tw,
                    ui,
                    &identifier,
                    &tool.connection,
                    &request.name,
                )
                .await
                .into());
            }
        }
        let surface = if self.identifier.is_some() {
            "mcp_stdio"
        } else {
            "mcp_http"
        };
        // The caller's `_meta.traceparent` (else the HTTP header) makes this call part of its trace.
        let parent = crate::telemetry::from_mcp(request.meta.as_ref(), &context);
        let span = crate::telemetry::mcp_span(surface, &request.name, parent);
        let ask = Ask::of(&context, &request);
        // `_meta["toolwire/full"]: true`: the whole output too (REST's `"full": true`).
        let full = tools::wants_full(request.meta.as_deref(), &context.meta);
        match self
            .run(&identifier, surface, &request.name, request.arguments, full)
            .instrument(span)
            .await
        {
            Ok(result) => Ok(result.into()),
            // A REVOKED or EXPIRED account: the reconnect page, opened by the client.
            Err(
                e @ toolwire_runtime::Error::AccountNotActive {
                    status: AccountStatus::Revoked | AccountStatus::Expired,
                    reconnect_url: Some(_),
                    ..
                },
            ) if ask != Ask::Text => elicitation::connect_required(
                ask,
                e.reconnect_url().unwrap_or_default(),
                &tool.connection,
                &request.name,
                &format!("{}: {e}", e.code()),
            ),
            Err(e) => {
                Ok(CallToolResult::error(vec![ContentBlock::text(tools::error_text(&e))]).into())
            }
        }
    }
}
