//! Options shared by the commands that open a data directory (`accounts`, `exec`, `keys`):
//! the same `--data-dir`, connectors and simulator flags as `toolwire serve`.

use std::path::PathBuf;

use toolwire_runtime::Toolwire;

use crate::error::Result;
use crate::setup::{self, RuntimeOptions};

/// Where the store, the master key and the connectors are.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Data directory (toolwire.db, master.key), as for `toolwire serve`.
    #[arg(long, default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Connectors directory (default: ./connectors, else the workspace's).
    #[arg(long, global = true)]
    pub connectors: Option<PathBuf>,
    /// Trust this extra root CA (PEM file), e.g. the one `toolwire sim` writes.
    #[arg(long, global = true)]
    pub sim_ca: Option<PathBuf>,
    /// Send every *.zendesk.com request to HOST:PORT (e.g. a running `toolwire sim`).
    #[arg(long, value_name = "HOST:PORT", global = true)]
    pub resolve_zendesk: Option<String>,
    /// The store, as for `toolwire serve` (`postgres://...` or `sqlite://PATH`; default the
    /// data directory's toolwire.db).
    #[arg(long, env = "TOOLWIRE_DATABASE_URL", value_name = "URL", global = true)]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// Opens the runtime on this data directory.
    pub async fn open(&self) -> Result<Toolwire> {
        let key = setup::master_key(&self.data_dir)?;
        let opts = RuntimeOptions {
            data_dir: self.data_dir.clone(),
            connectors: self.connectors.clone(),
            extra_root_pem: super::serve::read_ca(self.sim_ca.as_deref())?,
            resolve_zendesk: super::serve::resolve(self.resolve_zendesk.as_deref())?,
            link_base: None,
            database_url: self.database_url.clone(),
            ..Default::default()
        };
        setup::build(&opts, key).await
    }
}

/// Prints rows as an aligned table (first row is the header).
pub fn print_table(rows: &[Vec<String>]) {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}
