//! `GET /.well-known/oauth-protected-resource` (and its `/mcp` path variant; RFC 9728) and
//! `GET /.well-known/oauth-authorization-server` (RFC 8414). Both need the public URL, so they
//! answer 404 while the onboarding UI is off.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::resource;
use crate::error::{Result, ServerError};
use crate::ui::UiState;

fn ui_or_404(ui: Option<Arc<UiState>>) -> Result<Arc<UiState>> {
    ui.ok_or_else(|| {
        ServerError::NotFound("OAuth for MCP clients needs the onboarding UI (public URL)".into())
    })
}

/// The protected resource's metadata: `/mcp`, protected by this server.
#[utoipa::path(get, path = "/.well-known/oauth-protected-resource", tag = "mcp",
    responses((status = 200, description = "RFC 9728 metadata", body = Object)))]
pub async fn protected_resource(State(ui): State<Option<Arc<UiState>>>) -> Result<Json<Value>> {
    let ui = ui_or_404(ui)?;
    Ok(Json(json!({
        "resource": resource(&ui),
        "authorization_servers": [ui.links.public_url()],
        "bearer_methods_supported": ["header"],
        "scopes_supported": ["mcp"],
        "resource_name": "toolwire MCP",
    })))
}

/// The same, at the path-suffixed location RFC 9728 derives from `/mcp`.
#[utoipa::path(get, path = "/.well-known/oauth-protected-resource/mcp", tag = "mcp",
    responses((status = 200, description = "RFC 9728 metadata", body = Object)))]
pub async fn protected_resource_mcp(state: State<Option<Arc<UiState>>>) -> Result<Json<Value>> {
    protected_resource(state).await
}

/// The authorization server's metadata.
#[utoipa::path(get, path = "/.well-known/oauth-authorization-server", tag = "mcp",
    responses((status = 200, description = "RFC 8414 metadata", body = Object)))]
pub async fn authorization_server(State(ui): State<Option<Arc<UiState>>>) -> Result<Json<Value>> {
    let ui = ui_or_404(ui)?;
    let base = ui.links.public_url();
    Ok(Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "registration_endpoint": format!("{base}/register"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": ["mcp"],
        "client_id_metadata_document_supported": true,
    })))
}
