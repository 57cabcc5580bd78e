//! `toolwire mcp --identifier ID`: the MCP stdio server on a data directory (stdout is the
//! protocol; everything else goes to stderr).

use std::path::PathBuf;

use crate::error::Result;
use crate::mcp::McpServer;
use crate::setup::{self, RuntimeOptions};

/// `toolwire mcp` options.
#[derive(Debug, Clone, clap::Args)]
pub struct McpArgs {
    /// The connected account's identifier (the host app's id for its user or customer).
    #[arg(long)]
    pub identifier: String,
    /// Data directory (toolwire.db, master.key), as for `toolwire serve`.
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// Connectors directory (default: ./connectors, else the workspace's).
    #[arg(long)]
    pub connectors: Option<PathBuf>,
    /// Trust this extra root CA (PEM file), e.g. the one `toolwire sim` writes.
    #[arg(long)]
    pub sim_ca: Option<PathBuf>,
    /// Send every *.zendesk.com request to HOST:PORT (e.g. a running `toolwire sim`).
    #[arg(long, value_name = "HOST:PORT")]
    pub resolve_zendesk: Option<String>,
}

/// Serves MCP on stdio until the client disconnects.
pub async fn run(args: McpArgs) -> Result<()> {
    let key = setup::master_key(&args.data_dir)?;
    let opts = RuntimeOptions {
        data_dir: args.data_dir.clone(),
        connectors: args.connectors.clone(),
        extra_root_pem: super::serve::read_ca(args.sim_ca.as_deref())?,
        resolve_zendesk: super::serve::resolve(args.resolve_zendesk.as_deref())?,
        link_base: None,
        ..Default::default()
    };
    let tw = setup::build(&opts, key).await?;
    let dir = setup::connectors_dir(args.connectors.as_deref())?;
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
    let served = McpServer::new(tw.clone(), args.identifier, &dir)?
        .serve_stdio()
        .await;
    // The client hung up: write the audit rows of its last calls before exiting.
    tw.flush().await;
    served
}
