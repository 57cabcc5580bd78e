//! `GET /v1/tools?connection_name=zendesk&format=mcp|openai|anthropic`: the tool catalog of
//! the loaded connectors, made once at start-up ([`Catalog`]; no disk I/O per request).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::catalog::{Catalog, Format};
use crate::error::Result;
use crate::web::ErrorBody;

/// Query parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ToolsQuery {
    /// Only this connection's tools (default: every loaded connection).
    connection_name: Option<String>,
    /// `mcp` (default), `openai` or `anthropic`.
    #[param(value_type = Option<String>)]
    format: Option<Format>,
}

/// `GET /v1/tools` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToolList {
    /// Tool definitions in the requested format (MCP, OpenAI or Anthropic).
    #[schema(value_type = Vec<Object>)]
    tools: Vec<Value>,
}

/// Tool definitions of one connection (default: every loaded connection).
#[utoipa::path(get, path = "/v1/tools", operation_id = "list_tools", tag = "tools", security(("api_key" = [])), params(ToolsQuery),
    responses((status = 200, description = "Tool definitions", body = ToolList),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Unknown connection", body = ErrorBody)))]
pub async fn list(
    State(catalog): State<Arc<Catalog>>,
    Query(q): Query<ToolsQuery>,
) -> Result<Json<ToolList>> {
    let format = q.format.unwrap_or(Format::Mcp);
    let tools = match &q.connection_name {
        Some(c) => catalog
            .tools(c, format)
            .ok_or_else(|| toolwire_runtime::Error::UnknownConnection { name: c.clone() })?
            .to_vec(),
        None => catalog.all(format).cloned().collect(),
    };
    Ok(Json(ToolList { tools }))
}
