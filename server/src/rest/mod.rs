//! The REST API surface: connected accounts, the tool catalog and tool execution under `/v1`
//! (API key), liveness and readiness (no auth). One file per resource; [`routes`] mounts them
//! on any app state that provides their sub-states (`Toolwire`, [`ApiAuth`], the
//! [`Catalog`]), [`openapi`] documents them. Auth, bodies and error bodies are shared with
//! the other surfaces ([`crate::web`]); the whole app is put together in [`crate::app`].
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
//! | `POST/GET /v1/mcp_tokens`, `DELETE /v1/mcp_tokens/{id}` | per-identifier MCP tokens: mint (shown once), list, revoke |

mod accounts;
mod execute;
mod health;
mod mcp_tokens;
mod status;
mod tools;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post, put};
use toolwire_runtime::Toolwire;
use utoipa::OpenApi as _;

use crate::catalog::Catalog;
use crate::web::ApiAuth;
use crate::web::auth::require_api_key;

pub use status::Status;

/// The routes of this surface (`/v1/*` behind the API key).
pub fn routes<S>(state: &S) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Toolwire: FromRef<S>,
    ApiAuth: FromRef<S>,
    Arc<Catalog>: FromRef<S>,
    Arc<crate::authz::Toolsets>: FromRef<S>,
{
    let v1 = Router::new()
        .route(
            "/v1/connected_accounts",
            post(accounts::create).get(accounts::list),
        )
        .route(
            "/v1/connected_accounts/{connection_name}/{identifier}",
            get(accounts::get).delete(accounts::delete),
        )
        .route(
            "/v1/connected_accounts/{connection_name}/{identifier}/credentials",
            put(accounts::put_credentials),
        )
        .route(
            "/v1/connected_accounts/{connection_name}/{identifier}/history",
            get(accounts::history),
        )
        .route("/v1/tools", get(tools::list))
        .route("/v1/execute_tool", post(execute::execute))
        .route(
            "/v1/mcp_tokens",
            post(mcp_tokens::mint).get(mcp_tokens::list),
        )
        .route(
            "/v1/mcp_tokens/{id}",
            axum::routing::delete(mcp_tokens::revoke),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            ApiAuth::from_ref(state),
            require_api_key,
        ));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(v1)
}

/// The OpenAPI paths and schemas of this surface.
pub fn openapi() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    health::healthz,
    health::readyz,
    accounts::create,
    accounts::list,
    accounts::get,
    accounts::delete,
    accounts::put_credentials,
    accounts::history,
    tools::list,
    execute::execute,
    mcp_tokens::mint,
    mcp_tokens::list,
    mcp_tokens::revoke,
))]
struct Doc;
