//! `toolwire mcp --identifier ID`: the MCP stdio server on a data directory or database (stdout
//! is the protocol; everything else goes to stderr).

use super::runtime_args::RuntimeArgs;
use crate::error::Result;
use crate::mcp::McpServer;

/// `toolwire mcp` options.
#[derive(Debug, Clone, clap::Args)]
pub struct McpArgs {
    /// The connected account's identifier (the host app's id for its user or customer).
    #[arg(long, value_parser = identifier)]
    pub identifier: String,
    /// The store, connectors and outbound HTTPS options, as for `toolwire serve`.
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

/// `--identifier` follows the identifier rule ([`toolwire_runtime::identifier`]): a bad one is
/// a usage error at start, not a server whose every call fails.
fn identifier(value: &str) -> std::result::Result<String, String> {
    match toolwire_runtime::identifier::problem(value) {
        None => Ok(value.to_string()),
        Some(problem) => Err(format!("the identifier {problem}")),
    }
}

/// Serves MCP on stdio until the client disconnects.
pub async fn run(args: McpArgs) -> Result<()> {
    let tw = args.runtime.open().await?;
    let mut connected = false;
    for name in tw
        .connectors()
        .map(|c| c.name().to_string())
        .collect::<Vec<_>>()
    {
        connected |= tw.accounts().get(&name, &args.identifier).await?.is_some();
    }
    if !connected {
        eprintln!(
            "note: no account is connected for `{}` yet; tool calls will say so",
            args.identifier
        );
    }
    let served = McpServer::new(tw.clone(), args.identifier)?
        .serve_stdio()
        .await;
    // The client hung up: write the audit rows of its last calls before exiting.
    tw.flush().await;
    served
}
