//! MCP over streamable HTTP at `/mcp` (rmcp's server transport, mounted in the axum router).
//!
//! **Authentication.** Either a per-identifier access token (what an end user's MCP client
//! holds; minted over `POST /v1/mcp_tokens`, see [`crate::authz::token`]):
//!
//! ```text
//! Authorization: Bearer twm_...
//! ```
//!
//! — the identifier and the toolset / read-only [`Scope`] come from the token's row, read from
//! the store on every request (a revoked token fails on the next request; no header, argument
//! or `_meta` can change the identifier: `X-Toolwire-Identifier` is ignored) — or the REST API
//! key and the identifier the model acts for (the host app's backend):
//!
//! ```text
//! Authorization: Bearer <api key>
//! X-Toolwire-Identifier: <identifier>      (e.g. user_zd_123)
//! ```
//!
//! The identifier is read from this header on each request and handed to the tool call; it
//! is never a tool argument, so a model cannot switch accounts. A missing or wrong key gets
//! 401 `UNAUTHORIZED`, a missing or empty identifier 400 `MISSING_IDENTIFIER`, one breaking
//! the identifier rule ([`toolwire_runtime::identifier`]: too long, control characters)
//! 400 `INVALID_INPUT` (JSON error bodies, like the REST API). The API key already grants every identifier over REST,
//! so the header adds no power; a host app that wants to give an agent one account only
//! should run `toolwire mcp --identifier ID` (stdio) for it.
//!
//! **Transport.** Stateless mode with JSON responses: each POST is served on its own (no
//! in-memory sessions, so any replica can answer any request and shutdown never waits for
//! an open stream); GET (server-initiated streams) answers 405, which clients accept.
//! rmcp's `Host` allow-list (a DNS-rebinding guard for unauthenticated local servers) is
//! off: a browser lured by DNS rebinding cannot send the bearer key.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use toolwire_runtime::Toolwire;
use toolwire_runtime::store::Store;

use super::server::{McpServer, RequestIdentifier};
use crate::authz::{Scope, Toolsets, token};
use crate::catalog::Catalog;
use crate::error::ServerError;
use crate::web::throttle::ClientAddr;
use crate::web::{ApiAuth, BODY_LIMIT, ErrorBody};

/// The header that names the identifier an HTTP MCP request acts for.
pub const IDENTIFIER_HEADER: &str = "x-toolwire-identifier";

/// The `/mcp` route, on any app state that provides the runtime, the catalog and the API
/// keys. If the tool list cannot be built (a tool codegen's MCP form does not describe),
/// `/mcp` answers 500 with the reason instead.
pub fn routes<S>(state: &S) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Toolwire: FromRef<S>,
    Arc<Catalog>: FromRef<S>,
    ApiAuth: FromRef<S>,
    Arc<Toolsets>: FromRef<S>,
    Option<Arc<crate::ui::UiState>>: FromRef<S>,
{
    let tw = Toolwire::from_ref(state);
    let ui = Option::<Arc<crate::ui::UiState>>::from_ref(state);
    let mcp_auth = McpAuth {
        api: ApiAuth::from_ref(state),
        store: tw.store().clone(),
        resource: ui.as_deref().map(crate::authz::oauth::resource),
        resource_metadata: ui
            .as_deref()
            .map(crate::authz::oauth::resource_metadata_url),
    };
    let auth = axum::middleware::from_fn_with_state(mcp_auth, authorize);
    let catalog = Arc::<Catalog>::from_ref(state);
    match McpServer::per_request(tw, &catalog, Arc::<Toolsets>::from_ref(state), ui) {
        Ok(server) => {
            let config = StreamableHttpServerConfig::default()
                .with_legacy_session_mode(false)
                .with_json_response(true)
                .disable_allowed_hosts()
                .with_max_request_body_bytes(BODY_LIMIT);
            let service = StreamableHttpService::new(
                move || Ok(server.clone()),
                NeverSessionManager::default().into(),
                config,
            );
            Router::new()
                .route_service("/mcp", service)
                .route_layer(auth)
        }
        Err(e) => {
            let message = e.to_string();
            tracing::error!(error = %message, "MCP over HTTP is unavailable");
            Router::new()
                .route(
                    "/mcp",
                    axum::routing::any(move || {
                        let message = message.clone();
                        async move { ServerError::Codegen(message) }
                    }),
                )
                .route_layer(auth)
        }
    }
}

/// What `/mcp` checks a request with: the API keys (and the failure throttle) and the store
/// (access tokens).
#[derive(Clone)]
pub struct McpAuth {
    /// API keys and the throttle.
    pub api: ApiAuth,
    /// Where access tokens are.
    pub store: Store,
    /// This server's MCP URL: tokens bound to another audience are refused.
    pub resource: Option<String>,
    /// The RFC 9728 metadata URL a 401 names (`WWW-Authenticate: Bearer resource_metadata=`).
    pub resource_metadata: Option<String>,
}

impl McpAuth {
    /// 401 `UNAUTHORIZED`, naming the protected resource metadata (how an MCP client finds
    /// the authorization server).
    fn unauthorized(&self, e: ServerError) -> Response {
        let mut resp = e.into_response();
        if resp.status() == axum::http::StatusCode::UNAUTHORIZED
            && let Some(url) = &self.resource_metadata
            && let Ok(v) =
                axum::http::HeaderValue::from_str(&format!("Bearer resource_metadata=\"{url}\""))
        {
            resp.headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, v);
        }
        resp
    }
}

/// Middleware: a live access token (identifier and scope from its row), or a valid API key
/// and an identifier header; else a JSON error.
pub async fn authorize(State(auth): State<McpAuth>, mut req: Request, next: Next) -> Response {
    let client = ClientAddr::of(req.extensions());
    let presented = crate::web::auth::bearer(req.headers()).map(str::to_string);
    if let Some(presented) = presented.as_deref().filter(|p| token::is_access_token(p)) {
        if let Some(retry_after_s) = auth.api.throttle().wait(client) {
            return ServerError::Throttled { retry_after_s }.into_response();
        }
        return match token::verify(&auth.store, presented).await {
            // Bound to another resource (RFC 8707): not for this server's MCP.
            Ok(Some(record))
                if record
                    .audience
                    .as_ref()
                    .is_some_and(|a| Some(a) != auth.resource.as_ref()) =>
            {
                auth.unauthorized(ServerError::Unauthorized)
            }
            Ok(Some(record)) => {
                req.extensions_mut().insert(Scope {
                    toolset: record.toolset,
                    read_only: record.read_only,
                });
                req.extensions_mut()
                    .insert(RequestIdentifier(record.identifier));
                next.run(req).await
            }
            Ok(None) => {
                auth.api.throttle().failed(client);
                auth.unauthorized(ServerError::Unauthorized)
            }
            Err(e) => ServerError::from(e).into_response(),
        };
    }
    if let Err(e) = auth.api.check(client, presented.as_deref()) {
        return auth.unauthorized(e);
    }
    let identifier = req
        .headers()
        .get(IDENTIFIER_HEADER)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    let Some(id) = identifier else {
        return ServerError::MissingIdentifier.into_response();
    };
    // The same rule as every other surface (400 INVALID_INPUT naming `identifier`).
    if let Err(e) = toolwire_runtime::identifier::check(&id, "MCP request") {
        return ServerError::from(e).into_response();
    }
    req.extensions_mut().insert(RequestIdentifier(id));
    next.run(req).await
}

/// The OpenAPI description of `/mcp` (served by rmcp, so described by the stub below).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(mcp), modifiers(&McpTokenAuth))]
struct Doc;

/// The `mcp_token` bearer security scheme (an end user's access token).
struct McpTokenAuth;

impl utoipa::Modify for McpTokenAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "mcp_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "An end user's MCP access token (`twm_...`) for one identifier: \
                             issued by the MCP sign-in (OAuth 2.1 with PKCE at `/authorize` and \
                             `/token`, found from `/.well-known/oauth-protected-resource/mcp`) \
                             or minted with `POST /v1/mcp_tokens`",
                        ))
                        .build(),
                ),
            );
    }
}

/// `POST /mcp` (documented by this stub; served by rmcp's streamable HTTP transport).
#[utoipa::path(post, path = "/mcp", tag = "mcp",
    description = "MCP JSON-RPC over streamable HTTP (stateless; JSON responses). Two ways \
        in: an end user's MCP access token (`mcp_token`: from the MCP sign-in, whose 401 names \
        the resource metadata in `WWW-Authenticate`, or from `POST /v1/mcp_tokens`) — the \
        identifier and toolset come from the token and `X-Toolwire-Identifier` is ignored — \
        or the API key (`api_key`) with the identifier in `X-Toolwire-Identifier`. Never from \
        the model. `_meta[\"toolwire/full\"]: true` on `tools/call` adds the tool's whole output \
        as the result's `_meta[\"toolwire/full\"]`.",
    params(("X-Toolwire-Identifier" = Option<String>, Header, description = "The identifier the tools act for (required with the API key; ignored with an access token)")),
    request_body(content = Object, description = "A JSON-RPC 2.0 message (initialize, tools/list, tools/call, ...)"),
    responses(
        (status = 200, description = "A JSON-RPC response", body = Object),
        (status = 202, description = "A notification was accepted"),
        (status = 400, description = "MISSING_IDENTIFIER (API key without X-Toolwire-Identifier)", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED (with `WWW-Authenticate: Bearer resource_metadata=...` when sign-in is set up)", body = ErrorBody),
    ),
    security(("mcp_token" = []), ("api_key" = [])))]
#[allow(dead_code)]
fn mcp() {}
