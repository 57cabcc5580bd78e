//! [`UiState`]: what the UI needs besides the runtime — the link signer and which connections
//! have an OAuth client — shared as the sub-state `Option<Arc<UiState>>` (`None`: the UI is
//! disabled, and its routes say so).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::page::PageError;
use crate::links::{LinkError, LinkSigner};

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

/// The UI state, or the "UI disabled" error.
pub(crate) fn require(ui: Option<Arc<UiState>>) -> Result<Arc<UiState>, PageError> {
    ui.ok_or_else(|| PageError::from(LinkError::Disabled))
}
