//! `GET /v1/tools?connection_name=zendesk&format=mcp|openai|anthropic&identifier=`: the tool
//! catalog of the loaded connectors, made once at start-up ([`Catalog`]; no disk I/O per
//! request). With `identifier`, only the tools of the connections that identifier has
//! connected, and the others in `not_connected` (connect them with a magic link).

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
    /// Only the tools of the connections this identifier has connected.
    identifier: Option<String>,
}

/// `GET /v1/tools` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToolList {
    /// Tool definitions in the requested format (MCP, OpenAI or Anthropic).
    #[schema(value_type = Vec<Object>)]
    tools: Vec<Value>,
    /// With `identifier`: the connections it has not connected (their tools are left out;
    /// `POST /v1/connected_accounts/{connection_name}/{identifier}/magic_link` connects one).
    #[serde(skip_serializing_if = "Option::is_none")]
    not_connected: Option<Vec<String>>,
}

/// Tool definitions of one connection (default: every loaded connection).
#[utoipa::path(get, path = "/v1/tools", operation_id = "list_tools", tag = "tools", security(("api_key" = [])), params(ToolsQuery),
    responses((status = 200, description = "Tool definitions", body = ToolList),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Unknown connection", body = ErrorBody)))]
pub async fn list(
    State(catalog): State<Arc<Catalog>>,
    State(tw): State<toolwire_runtime::Toolwire>,
    Query(q): Query<ToolsQuery>,
) -> Result<Json<ToolList>> {
    let format = q.format.unwrap_or(Format::Mcp);
    let Some(identifier) = &q.identifier else {
        let tools = match &q.connection_name {
            Some(c) => catalog
                .tools(c, format)
                .ok_or_else(|| toolwire_runtime::Error::UnknownConnection { name: c.clone() })?
                .to_vec(),
            None => catalog.all(format).cloned().collect(),
        };
        return Ok(Json(ToolList {
            tools,
            not_connected: None,
        }));
    };
    toolwire_runtime::identifier::check(identifier, "tool list")?;
    if let Some(c) = &q.connection_name
        && catalog.tools(c, format).is_none()
    {
        return Err(toolwire_runtime::Error::UnknownConnection { name: c.clone() }.into());
    }
    let connected = crate::authz::reach::connected(&tw, identifier).await?;
    let mut names: Vec<String> = tw.connectors().map(|c| c.name().to_string()).collect();
    names.sort();
    names.retain(|n| q.connection_name.as_ref().is_none_or(|c| c == n));
    let (mut tools, mut not_connected) = (Vec::new(), Vec::new());
    for name in names {
        if connected.contains(&name) {
            tools.extend(
                catalog
                    .tools(&name, format)
                    .unwrap_or_default()
                    .iter()
                    .cloned(),
            );
        } else {
            not_connected.push(name);
        }
    }
    Ok(Json(ToolList {
        tools,
        not_connected: Some(not_connected),
    }))
}
