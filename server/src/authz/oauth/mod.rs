//! toolwire as an OAuth 2.1 authorization server and protected resource for MCP clients (the
//! MCP authorization spec): metadata ([`metadata`]: RFC 9728 and RFC 8414), dynamic client
//! registration ([`client`]: RFC 7591, stateless signed client ids) with client ID metadata
//! documents first ([`documents`]: an https `client_id` names the client's own JSON), the browser flow
//! ([`flow`]: `/authorize` → the operator's login URL → a signed assertion naming the
//! identifier → a consent page bound to the browser that started it), and the token endpoint
//! ([`token`]: authorization code + PKCE S256, rotating refresh tokens). Access tokens are the
//! per-identifier tokens of [`crate::authz::token`], bound to this server's MCP URL (RFC 8707).
//!
//! toolwire keeps no user passwords: the host app signs users in at `--mcp-login-url` and
//! sends the browser back with a short-lived HS256 assertion (compact JWS, shared secret
//! `TOOLWIRE_MCP_LOGIN_SECRET`) whose `sub` is the identifier ([`assertion`]).
//!
//! Everything in flight is signed with the link secret (the onboarding UI's
//! [`crate::links::LinkSigner`]) rather than stored: requests, consent forms, codes and
//! refresh tokens are sealed blobs ([`seal`]); codes and refresh tokens are single use through
//! the store's `used_tokens` (across replicas), and a reused refresh token revokes that
//! client's tokens for the identifier.

pub mod assertion;
pub mod client;
pub mod documents;
pub mod fetch_limit;
pub mod flow;
pub mod metadata;
mod routes;
pub mod seal;
pub mod token;

pub use routes::{openapi, routes};

use std::sync::Arc;

use crate::ui::UiState;

/// The operator's OAuth settings for MCP clients.
#[derive(Clone, Default)]
pub struct AuthzConfig {
    /// Where `/authorize` sends the browser to sign in (`--mcp-login-url`).
    pub login_url: Option<String>,
    /// The HS256 secret of login assertions (`TOOLWIRE_MCP_LOGIN_SECRET`).
    pub login_secret: Option<Arc<Vec<u8>>>,
    /// Where clients' metadata documents are fetched and cached.
    pub client_documents: Arc<documents::ClientDocuments>,
}

impl std::fmt::Debug for AuthzConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthzConfig")
            .field("login_url", &self.login_url)
            .field(
                "login_secret",
                &self.login_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("client_documents", &self.client_documents)
            .finish()
    }
}

/// The MCP URL of a server reached at `ui`'s public URL (the resource tokens are bound to).
pub fn resource(ui: &UiState) -> String {
    format!("{}/mcp", ui.links.public_url())
}

/// The RFC 9728 metadata URL `/mcp`'s 401 names.
pub fn resource_metadata_url(ui: &UiState) -> String {
    format!(
        "{}/.well-known/oauth-protected-resource/mcp",
        ui.links.public_url()
    )
}
