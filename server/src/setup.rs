//! Turns command-line options into a running [`Toolwire`]: finds the connectors directory,
//! loads (or creates) the master key and the API key, opens the store (SQLite in the data
//! directory, or the database URL given).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::ExposeSecret as _;
use toolwire_runtime::secret_file::{SecretFile, SecretOrigin};
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
    candidates.into_iter().find(|p| p.is_dir()).ok_or_else(|| {
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

/// The API key from `TOOLWIRE_API_KEY`, else `data_dir/api.key` (created, mode 0600, on first
/// start; its path is announced on stderr, the key itself never printed).
pub fn api_key(data_dir: &Path) -> Result<String> {
    let file = SecretFile::new("TOOLWIRE_API_KEY", data_dir.join("api.key"));
    let (key, origin) = file.load_or_create(|| crate::web::ApiKeys::generate_key().into())?;
    if origin == SecretOrigin::Created {
        eprintln!(
            "generated an API key in {} (use: -H \"Authorization: Bearer $(cat {})\")",
            file.path().display(),
            file.path().display()
        );
    }
    Ok(key.expose_secret().to_string())
}

/// Options for [`build`].
#[derive(Debug, Clone, Default)]
pub struct RuntimeOptions {
    /// Data directory (SQLite file `toolwire.db` lives here).
    pub data_dir: PathBuf,
    /// Connectors directory (see [`connectors_dir`]).
    pub connectors: Option<PathBuf>,
    /// Extra trusted roots (PEM text, one or more certificates), e.g. a simulator's CA.
    pub extra_root_pem: Option<String>,
    /// Send every host under a suffix (`(suffix, address)`, e.g. a simulator's); first match wins.
    pub resolve: Vec<(String, SocketAddr)>,
    /// Public URL of the onboarding UI: reconnect links shown to agents are fresh magic links
    /// (`{base}/connect/{token}`, signed with the link secret, see [`crate::links`]).
    pub link_base: Option<String>,
    /// The store: `postgres://...` or `sqlite://PATH`; default `data_dir/toolwire.db`.
    pub database_url: Option<String>,
    /// Which tool calls leave an audit row.
    pub audit_log: toolwire_runtime::AuditLog,
    /// How long audit rows are kept (`None`: forever).
    pub audit_retention: Option<std::time::Duration>,
    /// The outbound IP(s) named in RESTRICTED (IP allowlist) messages.
    pub outbound_ip: Option<String>,
    /// Let accounts reach IP literals, local names and private addresses (default refused).
    pub allow_private_egress: bool,
    /// Share per-tenant budgets across replicas through this Redis (`redis://HOST:PORT`).
    pub redis_url: Option<secrecy::SecretString>,
    /// The prefix of every Redis key (default `toolwire:`).
    pub redis_prefix: Option<String>,
}

/// An OAuth client registered with a vendor, for one connection.
#[derive(Debug, Clone)]
pub struct OAuthClientConfig {
    /// The connection (`zendesk`).
    pub connection: String,
    /// Client identifier.
    pub client_id: String,
    /// Client secret (never printed).
    pub client_secret: secrecy::SecretString,
}

/// OAuth clients from `TOOLWIRE_OAUTH_<CONNECTION>_CLIENT_ID` / `..._CLIENT_SECRET` (the
/// connection name upper-cased; `TOOLWIRE_OAUTH_ZENDESK_CLIENT_ID` is `zendesk`'s).
pub fn oauth_clients_from_env() -> Vec<OAuthClientConfig> {
    let mut out: Vec<OAuthClientConfig> = std::env::vars()
        .filter_map(|(k, id)| {
            let conn = k
                .strip_prefix("TOOLWIRE_OAUTH_")?
                .strip_suffix("_CLIENT_ID")?;
            let secret = std::env::var(format!("TOOLWIRE_OAUTH_{conn}_CLIENT_SECRET")).ok()?;
            (!id.trim().is_empty()).then(|| OAuthClientConfig {
                connection: conn.to_ascii_lowercase(),
                client_id: id.trim().to_string(),
                client_secret: secret.trim().to_string().into(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.connection.cmp(&b.connection));
    out
}

/// The onboarding UI's state for a server built from `opts` (same link secret as the
/// reconnect links), with OAuth buttons for `clients`' connections.
pub fn ui_state(
    opts: &RuntimeOptions,
    clients: &[OAuthClientConfig],
) -> Result<crate::ui::UiState> {
    let base = opts
        .link_base
        .as_deref()
        .ok_or_else(|| ServerError::Usage("the onboarding UI needs a public URL".into()))?;
    let mut ui = crate::ui::UiState::new(crate::links::LinkSigner::load(&opts.data_dir, base)?);
    for c in clients {
        ui = ui.with_oauth_connection(c.connection.clone());
    }
    Ok(ui)
}

/// Opens the store and the vault and loads the connectors, with the OAuth clients of
/// [`oauth_clients_from_env`].
pub async fn build(opts: &RuntimeOptions, key: MasterKey) -> Result<Toolwire> {
    build_with(opts, key, &oauth_clients_from_env()).await
}

/// Like [`build`] with these OAuth clients.
pub async fn build_with(
    opts: &RuntimeOptions,
    key: MasterKey,
    clients: &[OAuthClientConfig],
) -> Result<Toolwire> {
    let store = open_store(&opts.data_dir, opts.database_url.as_deref()).await?;
    let mut b = Toolwire::builder()
        .store(store)
        .audit_log(opts.audit_log)
        .master_key(key)
        .connectors_dir(connectors_dir(opts.connectors.as_deref())?);
    if let Some(keep) = opts.audit_retention {
        b = b.audit_retention(keep);
    }
    if let Some(pem) = &opts.extra_root_pem {
        b = b.extra_root_pem(pem.clone());
    }
    for (suffix, addr) in &opts.resolve {
        b = b.resolve_suffix(suffix.clone(), *addr);
    }
    if let Some(ip) = &opts.outbound_ip {
        b = b.outbound_ip_hint(ip.clone());
    }
    b = b.allow_private_egress(opts.allow_private_egress);
    if let Some(url) = &opts.redis_url {
        use secrecy::ExposeSecret as _;
        b = b.redis_url(url.expose_secret());
        if let Some(prefix) = &opts.redis_prefix {
            b = b.redis_key_prefix(prefix.clone());
        }
    }
    for c in clients {
        b = b.oauth_client(&c.connection, &c.client_id, c.client_secret.clone());
    }
    if let Some(base) = opts.link_base.as_deref() {
        let links = crate::links::LinkSigner::load(&opts.data_dir, base)?;
        b = b.reconnect_links(move |conn, ident| {
            Some(links.mint(conn, ident, crate::links::DEFAULT_TTL).url)
        });
    }
    Ok(b.build().await?)
}

/// The store: `database_url` (`postgres://...` or `sqlite://PATH`) if given, else SQLite in
/// `data_dir/toolwire.db` (the directory is created).
pub async fn open_store(data_dir: &Path, database_url: Option<&str>) -> Result<Store> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| ServerError::io(format!("create {}", data_dir.display()), e))?;
    Ok(match database_url {
        Some(url) => Store::connect(url).await?,
        None => Store::sqlite(data_dir.join("toolwire.db")).await?,
    })
}
