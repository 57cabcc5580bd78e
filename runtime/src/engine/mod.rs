//! The execution engine: one tool call from input to output, for any connector spec.
//!
//! `execute_tool` → find tool → validate input (before any I/O) → load account (must be usable;
//! REVOKED/EXPIRED make no network call) → decrypt credentials → route (base URL from validated
//! config) → build request from the spec → send (safe retries) → classify errors → account
//! status effects (verify probe on 401/403; a 401 the probe does not confirm is retried once
//! when safe; a success lifts an IP-allowlist RESTRICTED) → select output and next cursor.

mod budget;
mod cache;
mod call;
mod credentials;
mod header_rules;
mod ledger;
mod output;
mod paging;
mod perform;
mod refresh;
mod retention;
mod send;
mod status;
mod tool_credential;
mod verify;

pub(crate) use budget::{Budgets, SharedBudgetConfig};
pub(crate) use cache::{AccountCache, Cached};
pub use ledger::AuditLog;
pub(crate) use ledger::Ledger;
pub use output::ToolOutput;
pub(crate) use retention::Retention;
pub(crate) use verify::{VerifyOutcome, probe};

use std::collections::HashMap;
use std::sync::Arc;

use crate::connector::Connector;
use crate::events::Events;
use crate::store::Store;
use crate::vault::Vault;

/// Builds reconnect links for accounts that need their user (set by the server).
pub type LinkBuilder = Arc<dyn Fn(&str, &str) -> Option<String> + Send + Sync>;

/// Shared state of a running toolwire.
pub(crate) struct Engine {
    pub client: reqwest::Client,
    pub connectors: HashMap<String, Arc<Connector>>,
    pub tool_owner: HashMap<String, String>,
    pub store: Store,
    pub vault: Vault,
    pub links: Option<LinkBuilder>,
    pub events: Events,
    pub outbound_ip_hint: Option<String>,
    pub ledger: Ledger,
    pub audit_log: AuditLog,
    pub cache: Arc<AccountCache>,
    pub account_counts: crate::accounts::CountCache,
    pub _retention: Retention,
    pub budgets: Budgets,
    pub oauth_clients: HashMap<String, crate::oauth::OAuthClient>,
    pub refresh_locks: tokio::sync::Mutex<HashMap<uuid::Uuid, Arc<tokio::sync::Mutex<()>>>>,
}

impl Engine {
    pub fn reconnect_url(&self, connection: &str, identifier: &str) -> Option<String> {
        self.links.as_ref().and_then(|f| f(connection, identifier))
    }
}
