//! The command line: the [`Cli`] definition (clap) and [`main`], which runs one command and
//! turns its outcome into an exit code. Each command family lives in its own file.

mod keys;
mod mcp;
mod serve;
mod spec;
mod tools;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use serve::{ServeArgs, api_key};

use crate::demo::DemoArgs;

/// toolwire — let AI agents act on your users' SaaS accounts, safely.
///
/// A connector is one YAML spec (connectors/zendesk.yaml). From it toolwire serves tools to
/// agents (REST, MCP), keeps each customer's credentials in an encrypted vault, routes every
/// call to that customer's own account and tracks when credentials stop working.
///
/// Start here:  toolwire demo          (a simulated Zendesk, two customers, the whole story)
#[derive(Debug, Parser)]
#[command(
    name = "toolwire",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Log filter (also RUST_LOG), e.g. `info` or `toolwire_runtime=debug`.
    #[arg(long, global = true, env = "TOOLWIRE_LOG", default_value = "warn")]
    pub log: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the support-assistant story against a built-in Zendesk simulator, then serve REST.
    ///
    /// Needs nothing running and no account anywhere: it starts the simulator (HTTPS, seeded
    /// data), a local vault, connects two customers (acme, globex), lets an assistant triage
    /// urgent tickets, then shows a revoked token being detected and fixed.
    Demo(DemoArgs),
    /// Serve the REST API (connected accounts, tool catalog, execute_tool).
    ///
    /// The master key comes from TOOLWIRE_MASTER_KEY or DATA_DIR/master.key (created on first
    /// start); the API key from TOOLWIRE_API_KEY or DATA_DIR/api.key (created on first start).
    /// Clients send `Authorization: Bearer <api key>`.
    Serve(ServeArgs),
    /// Serve the tools to an MCP client over stdio, acting for one connected account.
    ///
    /// Example (Claude Desktop / any MCP client): toolwire mcp --identifier user_zd_123
    Mcp(mcp::McpArgs),
    /// Check connector specs and generate documentation from them.
    #[command(subcommand)]
    Spec(spec::SpecCommand),
    /// Inspect the tools a connector spec defines and export their definitions for agents.
    #[command(subcommand)]
    Tools(tools::ToolsCommand),
    /// Manage the vault's master key.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Run the Zendesk simulator alone (for trying the API with curl or your own client).
    Sim(toolwire_sim::SimArgs),
}

/// Runs one command; errors go to stderr with their code, and the exit code is 1.
pub fn main(cli: Cli) -> ExitCode {
    init_tracing(&cli.log);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => crate::demo::run(args).await,
            Command::Serve(args) => serve::run(args).await,
            Command::Mcp(args) => mcp::run(args).await,
            Command::Spec(cmd) => spec::run(cmd),
            Command::Tools(cmd) => tools::run(cmd),
            Command::Keys(cmd) => keys::run(cmd),
            Command::Sim(args) => toolwire_sim::run(args).await.map_err(Into::into),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(crate::ServerError::Spec(e)) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| filter.to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(filter)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .try_init();
}
