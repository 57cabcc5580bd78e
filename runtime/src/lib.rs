//! The toolwire engine: spec interpreter, encrypted vault, connected accounts, tenant routing,
//! status tracking and safe execution, for any connector spec.
//!
//! ```no_run
//! # async fn demo() -> toolwire_runtime::error::Result<()> {
//! use toolwire_runtime::{Toolwire, store::Store, vault::MasterKey};
//! let tw = Toolwire::builder()
//!     .store(Store::sqlite("data/toolwire.db").await?)
//!     .master_key(MasterKey::generate())
//!     .connectors_dir("connectors")
//!     .build()
//!     .await?;
//! let out = tw.execute_tool("user_zd_123", "zendesk_search_tickets", serde_json::json!({"query": "status:open"})).await?;
//! # Ok(()) }
//! ```

// `Error` carries agent-facing messages and upstream details by value; calls are I/O-bound, so
// the size of the error path does not matter and boxing would only add noise.
#![allow(clippy::result_large_err)]

mod accounts;
mod builder;
pub mod connector;
mod engine;
pub mod error;
pub mod events;
pub mod http;
pub mod identifier;
pub mod lifecycle;
pub mod oauth;
mod oauth_flow;
pub mod secret_file;
pub mod store;
#[cfg(test)]
mod testing;
mod toolwire;
pub mod trace;
pub mod vault;

pub use accounts::{AccountCounts, Accounts};
pub use builder::ToolwireBuilder;
pub use engine::{AuditLog, LinkBuilder, ToolOutput};
pub use error::{Error, ErrorKind, FieldProblem, Result};
pub use events::StatusEvent;
pub use oauth_flow::OAuth;
pub use store::{AccountFilter, AccountRecord, AccountStatus, Store};
pub use toolwire::{Toolwire, TypedOutput};
pub use vault::{Credentials, MasterKey, Vault};
