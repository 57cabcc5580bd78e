//! [`AppState`]: what the whole app holds — the runtime, the API keys, the tool catalog made
//! once from the loaded connectors, and the onboarding UI's state. Surfaces never see it: each
//! takes the parts it needs (`State<Toolwire>`, `State<ApiAuth>`, `State<Arc<Catalog>>`,
//! `State<Option<Arc<UiState>>>`) through axum's `FromRef`, derived here.

use std::sync::Arc;

use axum::extract::FromRef;
use toolwire_runtime::Toolwire;

use crate::catalog::Catalog;
use crate::ui::UiState;
use crate::web::{ApiAuth, ApiKeys};

/// The app's state (cheap to clone).
#[derive(Clone, FromRef)]
pub struct AppState {
    /// The runtime.
    pub tw: Toolwire,
    /// Accepted API keys (hashes only) and failed authentications by client address.
    pub auth: ApiAuth,
    /// The tools of every connector the runtime loaded, in each format (made once).
    pub catalog: Arc<Catalog>,
    /// The onboarding UI (links, pages); `None` disables it (see [`AppState::with_ui`]).
    pub ui: Option<Arc<UiState>>,
    /// The operator's toolsets (what MCP tokens may be limited to); see [`AppState::with_toolsets`].
    pub toolsets: Arc<crate::authz::Toolsets>,
    /// OAuth for MCP clients: the operator's login URL and assertion secret.
    pub authz: Arc<crate::authz::oauth::AuthzConfig>,
}

impl AppState {
    /// State for `tw` accepting `keys`; the catalog is made now from `tw`'s connectors.
    pub fn new(tw: Toolwire, keys: ApiKeys) -> Self {
        let catalog = Arc::new(Catalog::new(tw.connectors()));
        AppState {
            tw,
            auth: ApiAuth::new(keys),
            catalog,
            ui: None,
            toolsets: Arc::default(),
            authz: Arc::default(),
        }
    }

    /// Enables OAuth for MCP clients (with the UI's public URL and link secret).
    pub fn with_authz(mut self, authz: crate::authz::oauth::AuthzConfig) -> Self {
        self.authz = Arc::new(authz);
        self
    }

    /// Declares the operator's toolsets.
    pub fn with_toolsets(mut self, toolsets: crate::authz::Toolsets) -> Self {
        self.toolsets = Arc::new(toolsets);
        self
    }

    /// Enables magic links and the onboarding UI.
    pub fn with_ui(mut self, ui: UiState) -> Self {
        self.ui = Some(Arc::new(ui));
        self
    }
}
