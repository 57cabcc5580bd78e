//! `toolwire-server`: everything behind the `toolwire` binary — the CLI ([`cli`]), the REST
//! API ([`rest`]), the self-contained demo ([`demo`]) and the glue that builds a
//! [`toolwire_runtime::Toolwire`] from command-line options ([`setup`]), the MCP server
//! ([`mcp`], stdio and streamable HTTP), Prometheus metrics ([`metrics`]) and signed
//! status-change webhooks ([`webhooks`]), magic links ([`links`]) and the onboarding UI
//! ([`ui`]).

pub mod catalog;
pub mod cli;
pub mod demo;
pub mod error;
pub mod links;
pub mod mcp;
pub mod metrics;
pub mod rest;
pub mod setup;
pub mod ui;
pub mod webhooks;

pub use error::{Result, ServerError};
