//! The onboarding UI: server-rendered HTML (handlebars, no JavaScript) on the REST server.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /connect/{token}` | the connect page of a magic link (config + credential fields from the spec, OAuth buttons) |
//! | `POST /connect/{token}` | save credentials (verified live) or start OAuth (303 to the vendor) |
//! | `GET /oauth/callback` | the vendor's redirect back (`state` + `code`, or `error`); only in the browser that started the flow |
//! | `GET /oauth/start/{ticket}` | the start link of `POST .../oauth/authorize`: binds the flow to this browser, 303 to the vendor |
//! | `GET /admin` | accounts by status (bearer API key or session cookie), `POST /admin/login`, `POST /admin/logout` |
//! | `GET /ui/style.css` | the one stylesheet |
//!
//! Every page carries strict security headers ([`headers`]); forms carry CSRF tokens
//! ([`csrf`]); links are checked by [`crate::links`].

mod admin;
pub mod binding;
mod connect;
mod csrf;
mod form;
mod headers;
mod oauth;
mod page;
mod templates;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{get, post};

use crate::links::LinkSigner;
use crate::rest::AppState;

pub use page::PageError;

/// What the UI needs besides the runtime: the link signer (secret + public URL) and which
/// connections have an OAuth client configured.
pub struct UiState {
    /// Signs links, CSRF tokens and admin sessions.
    pub links: LinkSigner,
    oauth_connections: HashSet<String>,
    attempts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl std::fmt::Debug for UiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UiState")
            .field("links", &self.links)
            .field("oauth_connections", &self.oauth_connections)
            .finish_non_exhaustive()
    }
}

impl UiState {
    /// UI state signing with `links`.
    pub fn new(links: LinkSigner) -> Self {
        UiState {
            links,
            oauth_connections: HashSet::new(),
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Shows "Connect with …" buttons for `connection` (it has an OAuth client).
    pub fn with_oauth_connection(mut self, connection: impl Into<String>) -> Self {
        self.oauth_connections.insert(connection.into());
        self
    }

    /// Whether `connection` can use OAuth here.
    pub fn has_oauth(&self, connection: &str) -> bool {
        self.oauth_connections.contains(connection)
    }

    /// Cookies get `Secure` when the public URL is https.
    pub(crate) fn secure_cookies(&self) -> bool {
        self.links.public_url().starts_with("https://")
    }

    /// Serializes attempts on one link within this process (a double-click waits, then sees
    /// the link used).
    pub(crate) fn attempt_lock(&self, link_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 1024 {
            map.retain(|_, m| Arc::strong_count(m) > 1);
        }
        map.entry(link_id.to_string()).or_default().clone()
    }
}

/// The UI routes (mounted by [`crate::rest::router`]).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connect/{token}", get(connect::show).post(connect::submit))
        .route("/oauth/callback", get(oauth::callback))
        .route("/oauth/start/{ticket}", get(oauth::start))
        .route("/admin", get(admin::show))
        .route("/admin/login", post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/ui/style.css", get(page::stylesheet))
        .layer(axum::middleware::map_response(headers::secure))
}

/// The UI state, or the "UI disabled" error.
pub(crate) fn require(s: &AppState) -> Result<Arc<UiState>, PageError> {
    s.ui.clone()
        .ok_or_else(|| PageError::from(crate::links::LinkError::Disabled))
}
