//! toolwire: typed, safe SaaS tools for AI agents.
//!
//! A connector is a YAML spec (`connectors/zendesk.yaml`). From it, toolwire gives Rust apps
//! typed tools ([`connector!`]) and any agent the same tools at run time, all run by one
//! engine. This crate is the facade: it re-exports the spec format, the `Tool` contract, the
//! macro and the runtime (vault, accounts, routing, execution).
//!
//! ```
//! toolwire::connector!("connectors/zendesk.yaml");
//!
//! # fn main() {
//! let input = zendesk::TicketCreate {
//!     comment_body: "The printer is on fire".into(),
//!     priority: Some(zendesk::Priority::Urgent),
//!     ..Default::default()
//! };
//! assert_eq!(<zendesk::TicketCreate as toolwire::Tool>::NAME, "zendesk_ticket_create");
//! # }
//! ```

pub use toolwire_macros::connector;
pub use toolwire_spec as spec;
pub use toolwire_spec::{ConnectorSpec, SpecError, Tool, fingerprint};

pub use toolwire_runtime as runtime;
pub use toolwire_runtime::{
    AccountFilter, AccountRecord, AccountStatus, AuditLog, Credentials, Error, ErrorKind,
    FieldProblem, MasterKey, Result, StatusEvent, Store, ToolOutput, Toolwire, ToolwireBuilder,
    TypedOutput,
};

/// What generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use schemars;
    pub use serde;
    pub use serde_json;
}
