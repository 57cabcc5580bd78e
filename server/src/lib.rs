//! `toolwire-server`: everything behind the `toolwire` binary — the CLI ([`cli`]), the REST
//! API ([`rest`]), the self-contained demo ([`demo`]) and the glue that builds a
//! [`toolwire_runtime::Toolwire`] from command-line options ([`setup`]), and the MCP server
//! ([`mcp`]).

pub mod catalog;
pub mod cli;
pub mod demo;
pub mod error;
pub mod mcp;
pub mod rest;
pub mod setup;

pub use error::{Result, ServerError};
