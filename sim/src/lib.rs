#![recursion_limit = "256"]
//! `toolwire-sim`: a faithful, multi-tenant, local Zendesk Support API for tests, demos and
//! benchmarks. It shares no code with other toolwire crates.
//!
//! ```no_run
//! # async fn demo() -> Result<(), toolwire_sim::SimError> {
//! let sim = toolwire_sim::Sim::builder().http(false).seed(42).tickets_per_tenant(50).start().await?;
//! let acme = sim.tenant("acme")?;
//! println!("{} {} {}", sim.addr(), acme.agents[0].email, acme.agents[0].api_token);
//! # Ok(()) }
//! ```
//!
//! OAuth (authorization code + PKCE, refresh rotation, client credentials) lives under
//! `/oauth/*`; see `sim/README.md` for the admin API, OAuth and the seed data.

pub mod admin;
mod api;
mod auth;
mod cli;
mod error;
pub mod faults;
mod handlers;
pub mod log;
mod oauth;
mod search;
mod seed;
mod server;
mod sim;
mod state;
mod tenants;

pub use admin::oauth::{RevokedGrants, TokenTtl};
pub use admin::ops::{AgentCredentials, MintedBearer, NewTenant, NewUser, TenantInfo};
pub use cli::{SimArgs, run};
pub use error::SimError;
pub use faults::{FaultKind, FaultSpec};
pub use log::LoggedRequest;
pub use oauth::clients::{DEMO_CLIENT_ID, NewOAuthClient, OAuthClientInfo, OAuthClientKind};
pub use oauth::store::OAuthStats;
pub use sim::{Sim, SimBuilder};
