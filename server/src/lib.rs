//! `toolwire-server`: everything behind the `toolwire` binary — the CLI ([`cli`]), the
//! self-contained demo ([`demo`]) and the glue that builds a [`toolwire_runtime::Toolwire`]
//! from command-line options ([`setup`]); the app shell ([`app`]: state, router, serving,
//! the OpenAPI document) and the surfaces it puts together — the REST API ([`rest`]), the MCP
//! server ([`mcp`], stdio and streamable HTTP), Prometheus metrics ([`metrics`]), magic links
//! ([`links`]) and the onboarding UI ([`ui`]) — over the HTTP vocabulary they share ([`web`])
//! and the tool catalog of the loaded connectors ([`catalog`]); signed status-change webhooks
//! ([`webhooks`]).

pub mod app;
pub mod authz;
pub mod catalog;
pub mod cli;
pub mod demo;
pub mod error;
pub mod links;
pub mod mcp;
pub mod metrics;
pub mod rest;
pub mod setup;
pub mod telemetry;
pub mod ui;
pub mod web;
pub mod webhooks;

pub use error::{Result, ServerError};
