//! The REST API (`toolwire serve`, `toolwire demo`): the router, its shared state and the
//! server loop. One file per resource; auth, body parsing and error bodies have their own.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /healthz`, `GET /readyz` | liveness, readiness (store reachable); no auth |
//! | `POST /v1/connected_accounts` | get-or-create; with `config` + `credentials` also sets them (verified live) |
//! | `GET /v1/connected_accounts` | list (`connection_name`, `status`, `auth_scheme`, `page_token`, `limit`) |
//! | `GET/DELETE /v1/connected_accounts/{connection_name}/{identifier}` | one account (never credentials) |
//! | `PUT /v1/connected_accounts/{connection_name}/{identifier}/credentials` | replace credentials |
//! | `GET /v1/connected_accounts/{connection_name}/{identifier}/history` | status history |
//! | `GET /v1/tools` | tool definitions (`connection_name`, `format=mcp\|openai\|anthropic`) |
//! | `POST /v1/execute_tool` | run a tool for an identifier |
//! | `POST /mcp` | MCP over streamable HTTP (API key + `X-Toolwire-Identifier`, see [`crate::mcp::http`]) |
//! | `GET /metrics` | Prometheus metrics (API key; see [`crate::metrics`]) |
//! | `POST /v1/connected_accounts/{connection_name}/{identifier}/magic_link` | a signed, single-use onboarding link (see [`crate::links`]) |
//! | `POST /v1/connected_accounts/{connection_name}/{identifier}/oauth/authorize` | start OAuth → `{url, expires_at}` |
//! | `/connect/*`, `/oauth/callback`, `/admin` | the onboarding UI and admin page (see [`crate::ui`]) |
//! | `GET /openapi.json` | the OpenAPI 3.1 document of this API (no auth; see [`openapi`]) |
//!
//! Failed authentications are throttled per client address ([`throttle`]); every error,
//! including the router's and the extractors' own, is the JSON shape (`errors.rs`).

mod accounts;
pub mod auth;
mod body;
mod errors;
mod execute;
mod health;
pub mod openapi;
pub mod throttle;
mod tools;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};
use tokio::net::TcpListener;
use toolwire_runtime::Toolwire;

pub use auth::ApiKeys;
pub use body::BODY_LIMIT;

use crate::error::{Result, ServerError};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The runtime.
    pub tw: Toolwire,
    /// Accepted API keys (hashes only).
    pub keys: Arc<ApiKeys>,
    /// Spec file of each connection (for the tool catalog).
    pub spec_files: Arc<HashMap<String, PathBuf>>,
    /// The onboarding UI (links, pages); `None` disables it (see [`AppState::with_ui`]).
    pub ui: Option<Arc<crate::ui::UiState>>,
    /// Failed authentications by client address.
    pub throttle: Arc<throttle::AuthThrottle>,
}

impl AppState {
    /// State for `tw`, accepting `keys`; `connectors_dir` maps connections to spec files.
    pub fn new(tw: Toolwire, keys: ApiKeys, connectors_dir: &std::path::Path) -> Self {
        let mut spec_files = HashMap::new();
        if let Ok(entries) = std::fs::read_dir(connectors_dir) {
            for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
                if path.extension().is_some_and(|x| x == "yaml" || x == "yml")
                    && let Ok(spec) = toolwire_spec::load_file(&path)
                {
                    spec_files.insert(spec.connector, path);
                }
            }
        }
        AppState {
            tw,
            keys: Arc::new(keys),
            spec_files: Arc::new(spec_files),
            ui: None,
            throttle: Arc::default(),
        }
    }

    /// Enables magic links and the onboarding UI.
    pub fn with_ui(mut self, ui: crate::ui::UiState) -> Self {
        self.ui = Some(Arc::new(ui));
        self
    }
}

/// The full router.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(
            "/connected_accounts",
            post(accounts::create).get(accounts::list),
        )
        .route(
            "/connected_accounts/{connection_name}/{identifier}",
            get(accounts::get).delete(accounts::delete),
        )
        .route(
            "/connected_accounts/{connection_name}/{identifier}/credentials",
            put(accounts::put_credentials),
        )
        .route(
            "/connected_accounts/{connection_name}/{identifier}/history",
            get(accounts::history),
        )
        .route(
            "/connected_accounts/{connection_name}/{identifier}/magic_link",
            post(crate::links::rest::magic_link),
        )
        .route(
            "/connected_accounts/{connection_name}/{identifier}/oauth/authorize",
            post(crate::links::rest::oauth_authorize),
        )
        .route("/tools", get(tools::list))
        .route("/execute_tool", post(execute::execute))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_key,
        ));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/openapi.json", get(openapi::serve))
        .route(
            "/metrics",
            get(crate::metrics::handler).route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                auth::require_api_key,
            )),
        )
        .merge(crate::mcp::http::routes(&state))
        .nest("/v1", api)
        .merge(crate::ui::routes())
        .fallback(errors::not_found)
        .layer(axum::middleware::map_response(errors::json_errors))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Binds `addr` (port 0 picks a free one).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| ServerError::io(format!("bind {addr}"), e))
}

/// Serves `router` on `listener` until `shutdown` completes (handlers see the client address,
/// for [`throttle`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| ServerError::io("serve", e))
}

/// Serves `state` on `listener` until SIGINT (Ctrl-C) or SIGTERM, lets in-flight requests
/// finish, then waits until their audit rows are written (the usage ledger writes in the
/// background; without the flush, rows queued in the last moments would be lost on exit).
/// A second signal during that wait exits at once (status 130), for an operator who cannot wait.
pub async fn serve_until_signal(listener: TcpListener, state: AppState) -> Result<()> {
    let tw = state.tw.clone();
    let first = shutdown_signal();
    let stopping = async move {
        first.await;
        // Listen for the second signal before announcing that it is heard.
        let second = shutdown_signal();
        eprintln!("stopping: finishing in-flight requests (signal again to exit at once)");
        tokio::spawn(async move {
            second.await;
            eprintln!("second signal: exiting without waiting");
            std::process::exit(130);
        });
    };
    let served = serve(listener, router(state), stopping).await;
    tw.flush().await;
    // Closing the pool checkpoints SQLite's WAL into the database file.
    tw.store().close().await;
    served
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM (what `kill`, systemd and Kubernetes send
/// to stop a process). The handlers are installed when this is called, not when first polled.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .inspect_err(
            |e| tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C still stops"),
        )
        .ok();
    let interrupt = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        if let Some(mut terminate) = terminate {
            tokio::select! {
                _ = interrupt => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = interrupt.await;
    }
}

/// The tracing span of a request: method and the *route template* only. The raw URI is never
/// recorded, because some paths carry secrets (magic-link tokens in `/connect/{token}`, OAuth
/// codes in `/oauth/callback?code=`).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    tracing::debug_span!("request", method = %request.method(), route = %route)
}
