//! Turns command-line options into a running [`Toolwire`]: finds the connectors directory,
//! loads (or creates) the master key, opens the SQLite store.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use toolwire_runtime::{MasterKey, Store, Toolwire};

use crate::error::{Result, ServerError};

/// Where connector specs live: `dir` if given, else `./connectors`, else the workspace's
/// `connectors/` next to this crate's sources.
pub fn connectors_dir(dir: Option<&Path>) -> Result<PathBuf> {
    if let Some(d) = dir {
        return if d.is_dir() {
            Ok(d.to_path_buf())
        } else {
            Err(ServerError::Usage(format!(
                "connectors directory {} does not exist",
                d.display()
            )))
        };
    }
    let candidates = [
        PathBuf::from("connectors"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../connectors"),
    ];
    candidates
        .into_iter()
        .find(|p| p.join("zendesk.yaml").is_file() || p.is_dir())
        .ok_or_else(|| {
            ServerError::Usage("no connectors directory found; pass --connectors DIR".into())
        })
}

/// The master key from `TOOLWIRE_MASTER_KEY`, else `data_dir/master.key`, created on first
/// start (announced on stderr, never printed).
pub fn master_key(data_dir: &Path) -> Result<MasterKey> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| ServerError::io(format!("create {}", data_dir.display()), e))?;
    let path = data_dir.join("master.key");
    let (key, generated) = MasterKey::load_or_generate(&path)?;
    if generated {
        eprintln!(
            "generated a new master key in {} (keep it safe: without it the vault cannot be read)",
            path.display()
        );
    }
    Ok(key)
}

/// Options for [`build`].
#[derive(Debug, Clone, Default)]
pub struct RuntimeOptions {
    /// Data directory (SQLite file `toolwire.db` lives here).
    pub data_dir: PathBuf,
    /// Connectors directory (see [`connectors_dir`]).
    pub connectors: Option<PathBuf>,
    /// Extra trusted root (PEM text), e.g. the simulator's CA.
    pub extra_root_pem: Option<String>,
    /// Send every `*.zendesk.com` host here (simulator).
    pub resolve_zendesk: Option<SocketAddr>,
    /// Base of reconnect links shown to agents (`{base}/v1/connected_accounts/{conn}/{id}/credentials`).
    pub link_base: Option<String>,
}

/// Opens the store and the vault and loads the connectors.
pub async fn build(opts: &RuntimeOptions, key: MasterKey) -> Result<Toolwire> {
    std::fs::create_dir_all(&opts.data_dir)
        .map_err(|e| ServerError::io(format!("create {}", opts.data_dir.display()), e))?;
    let store = Store::sqlite(opts.data_dir.join("toolwire.db")).await?;
    let mut b = Toolwire::builder()
        .store(store)
        .master_key(key)
        .connectors_dir(connectors_dir(opts.connectors.as_deref())?);
    if let Some(pem) = &opts.extra_root_pem {
        b = b.extra_root_pem(pem.clone());
    }
    if let Some(addr) = opts.resolve_zendesk {
        b = b.resolve_suffix("zendesk.com", addr);
    }
    if let Some(base) = opts.link_base.clone() {
        b = b.reconnect_links(move |conn, ident| {
            Some(format!(
                "{base}/v1/connected_accounts/{conn}/{ident}/credentials"
            ))
        });
    }
    Ok(b.build().await?)
}
