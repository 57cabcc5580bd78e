//! The MCP surface (rmcp): tools from `toolwire-codegen`'s MCP format (name, description,
//! inputSchema, outputSchema, annotations) for every connector the runtime loaded, calls
//! through the runtime, tool errors as `isError` results carrying the agent message. Two
//! transports share one handler ([`McpServer`], in `server.rs`):
//!
//! - stdio ([`McpServer::serve_stdio`]): `toolwire mcp --identifier ID` acts for one account;
//! - streamable HTTP ([`http`]): `/mcp` on `toolwire serve`, where the identifier comes from
//!   the authenticated request — an end user's MCP token (minted over REST or issued by
//!   [`crate::authz::oauth`]), or the API key plus `X-Toolwire-Identifier` — never from the
//!   model. A token's holder sees the tools of the connections its identifier has, within
//!   the token's toolset and read-only flag (enforced again at call time), plus
//!   `toolwire_connect_account` for the others (`connect.rs`).
//!
//! `_meta["toolwire/full"]: true` on `tools/call` adds the whole (unprojected) output as the
//! result's `_meta["toolwire/full"]` (`tools.rs`), as REST's `"full": true` does.
//!
//! A call that needs an account that is missing, REVOKED or EXPIRED asks a client that
//! declared URL-mode elicitation to open the onboarding page (`elicitation.rs`); other
//! clients get the link as text.

mod connect;
mod elicitation;
pub mod http;
mod server;
mod tools;

pub use server::{McpServer, RequestIdentifier};
