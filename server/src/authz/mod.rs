//! Access for end users' MCP clients: per-identifier access tokens ([`token`]: minted over
//! REST by the host app, hashed at rest, checked against the store on every request) and the
//! operator's toolsets ([`toolsets`]: which tools a token reaches, enforced when the list is
//! made and again when a tool is called), and which connections an identifier has ([`reach`]).

pub mod oauth;
pub mod reach;
pub mod token;
pub mod toolsets;

pub use toolsets::{Scope, Toolsets};
