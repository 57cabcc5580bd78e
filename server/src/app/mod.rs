//! The app shell (`toolwire serve`, `toolwire demo`): the state ([`AppState`]), the router that
//! puts the surfaces together ([`router`]), serving and shutdown ([`serve_until_signal`]) and
//! the OpenAPI document ([`openapi`]). Dependencies run one way: the shell imports the
//! surfaces — [`crate::rest`], [`crate::links`], [`crate::mcp`], [`crate::metrics`],
//! [`crate::ui`] — each exposing its own `routes()` on any state that provides its sub-states
//! (axum's `FromRef`); they never import the shell. Below them lie [`crate::web`] and the
//! runtime. The surfaces are not fully apart: [`crate::links`] and [`crate::ui`] share the
//! onboarding state (links are opened and spent by the UI; `links::rest` starts OAuth through
//! `ui::binding`), and [`crate::metrics::instrument`] wraps every tool call (REST and MCP).
//!
//! | route | what | surface |
//! | --- | --- | --- |
//! | `GET /healthz`, `GET /readyz` | liveness, readiness (store reachable); no auth | [`crate::rest`] |
//! | `/v1/connected_accounts...`, `GET /v1/tools`, `POST /v1/execute_tool` | accounts, tool catalog, tool execution (API key) | [`crate::rest`] |
//! | `POST /v1/connected_accounts/{connection_name}/{identifier}/magic_link` | a signed, single-use onboarding link | [`crate::links::rest`] |
//! | `POST /v1/connected_accounts/{connection_name}/{identifier}/oauth/authorize` | start OAuth → `{url, expires_at}` | [`crate::links::rest`] |
//! | `POST /mcp` | MCP over streamable HTTP (an MCP token, or API key + `X-Toolwire-Identifier`) | [`crate::mcp::http`] |
//! | `POST/GET /v1/mcp_tokens`, `DELETE /v1/mcp_tokens/{id}` | per-identifier MCP tokens (API key) | [`crate::rest`] |
//! | `/.well-known/oauth-*`, `/register`, `/authorize*`, `/token` | OAuth 2.1 for MCP clients | [`crate::authz::oauth`] |
//! | `GET /metrics` | Prometheus metrics (API key) | [`crate::metrics`] |
//! | `/connect/*`, `/oauth/callback`, `/oauth/start/*`, `/admin`, `/ui/style.css` | the onboarding UI and admin page | [`crate::ui`] |
//! | `GET /openapi.json` | the OpenAPI 3.1 document of this API (no auth) | [`openapi`] |
//!
//! Failed authentications are throttled per client address ([`crate::web::throttle`]); every
//! error, including the router's and the extractors' own, is the JSON shape
//! ([`crate::web::errors`]).

pub mod openapi;
mod router;
mod serve;
mod state;

pub use router::router;
pub use serve::{bind, serve, serve_until_signal, serve_until_signal_then, shutdown_signal};
pub use state::AppState;
