//! The OAuth routes for MCP clients and their OpenAPI description.

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use toolwire_runtime::Toolwire;

use super::{AuthzConfig, client, flow, metadata, token};
use crate::catalog::Catalog;
use crate::ui::UiState;

/// The routes (no API key: they are for MCP clients and browsers).
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Toolwire: FromRef<S>,
    Option<Arc<UiState>>: FromRef<S>,
    Arc<AuthzConfig>: FromRef<S>,
    Arc<Catalog>: FromRef<S>,
{
    Router::new()
        .route(
            "/.well-known/oauth-protected-resource",
            get(metadata::protected_resource),
        )
        .route(
            "/.well-known/oauth-protected-resource/mcp",
            get(metadata::protected_resource_mcp),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(metadata::authorization_server),
        )
        .route("/register", post(client::register))
        .route("/authorize", get(flow::authorize))
        .route("/authorize/login", get(flow::login))
        .route("/authorize/consent", post(flow::consent))
        .route("/token", post(token::token))
}

/// The OpenAPI paths of these routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    metadata::protected_resource,
    metadata::protected_resource_mcp,
    metadata::authorization_server,
    client::register,
    flow::authorize,
    flow::login,
    flow::consent,
    token::token,
))]
struct Doc;
