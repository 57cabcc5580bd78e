//! The onboarding UI: server-rendered HTML (handlebars, no JavaScript) on the REST server.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /connect/{token}` | the connect page of a magic link (config + credential fields from the spec, OAuth buttons) |
//! | `POST /connect/{token}` | save credentials (verified live) or start OAuth (303 to the vendor) |
//! | `GET /oauth/callback` | the vendor's redirect back (`state` + `code`, or `error`); only in the browser that started the flow |
//! | `GET /oauth/start/{ticket}` | the start link of `POST .../oauth/authorize`: a confirmation page naming the connection and identifier |
//! | `POST /oauth/start/{ticket}` | its form (CSRF-protected): binds the flow to this browser, 303 to the vendor |
//! | `GET /admin` | accounts by status (bearer API key or session cookie), `POST /admin/login`, `POST /admin/logout` |
//! | `GET /ui/style.css` | the one stylesheet |
//!
//! Every page carries strict security headers ([`headers`]); forms carry CSRF tokens
//! ([`csrf`]); links are checked by [`crate::links`]. [`routes`] mounts the pages on any app
//! state that provides the runtime, the UI state ([`UiState`], `None` when disabled) and the
//! API keys (the admin page); [`openapi`] documents them.

mod admin;
pub mod binding;
mod connect;
mod csrf;
mod form;
mod headers;
mod oauth;
mod page;
mod state;
mod templates;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use toolwire_runtime::Toolwire;

use crate::web::ApiAuth;

pub use page::PageError;
pub use state::UiState;

/// The UI routes.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Toolwire: FromRef<S>,
    Option<Arc<UiState>>: FromRef<S>,
    ApiAuth: FromRef<S>,
{
    Router::new()
        .route("/connect/{token}", get(connect::show).post(connect::submit))
        .route("/oauth/callback", get(oauth::callback))
        .route(
            "/oauth/start/{ticket}",
            get(oauth::start).post(oauth::confirm),
        )
        .route("/admin", get(admin::show))
        .route("/admin/login", post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/ui/style.css", get(page::stylesheet))
        .layer(axum::middleware::map_response(headers::secure))
}

/// The OpenAPI description of the UI's pages.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    connect::show,
    connect::submit,
    oauth::callback,
    oauth::start,
    oauth::confirm,
    admin::show,
    admin::login,
    admin::logout,
    page::stylesheet,
))]
struct Doc;
