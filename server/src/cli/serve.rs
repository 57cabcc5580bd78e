//! `toolwire serve`: the REST API on a data directory (master key, API key; the SQLite store,
//! or PostgreSQL with `--database-url`).

use std::net::{SocketAddr, ToSocketAddrs as _};
use std::path::{Path, PathBuf};

use crate::error::{Result, ServerError};
use crate::rest::{self, ApiKeys, AppState};
use crate::setup::{self, RuntimeOptions};

/// `toolwire serve` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Listen address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Data directory: toolwire.db, master.key and api.key (when not given by env) live here.
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
    /// POST every account status change here, signed with TOOLWIRE_WEBHOOK_SECRET
    /// (header `X-Toolwire-Signature: t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>`),
    /// retried with backoff.
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
    /// The URL people reach this server at (magic links, OAuth redirect URI
    /// `{public_url}/oauth/callback`); default `http://<listen address>`. OAuth clients come
    /// from TOOLWIRE_OAUTH_<CONNECTION>_CLIENT_ID / _CLIENT_SECRET.
    #[arg(long, env = "TOOLWIRE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// The store: `postgres://user@host/db` (for several replicas) or `sqlite://PATH`; default
    /// the data directory's toolwire.db. The master key stays in the data directory (or
    /// TOOLWIRE_MASTER_KEY), never in the database.
    #[arg(long, env = "TOOLWIRE_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Which tool calls leave an audit row: full (default), failures or off. Last-use times,
    /// which drive inactivity warnings, are kept either way.
    #[arg(
        long,
        env = "TOOLWIRE_AUDIT_LOG",
        default_value = "full",
        value_name = "full|failures|off"
    )]
    pub audit_log: toolwire_runtime::AuditLog,
}

/// Runs the server until Ctrl-C or SIGTERM (in-flight requests finish, audit rows are flushed).
pub async fn run(args: ServeArgs) -> Result<()> {
    let webhooks = args
        .webhook_url
        .as_deref()
        .map(|url| {
            let secret = std::env::var("TOOLWIRE_WEBHOOK_SECRET").unwrap_or_default();
            crate::webhooks::WebhookConfig::new(url, secret.into())
        })
        .transpose()?;
    let key = setup::master_key(&args.data_dir)?;
    let extra_root_pem = read_ca(args.sim_ca.as_deref())?;
    let resolve_zendesk = resolve(args.resolve_zendesk.as_deref())?;
    let listener = rest::bind(args.addr).await?;
    let local = listener
        .local_addr()
        .map_err(|e| ServerError::io("local address", e))?;
    let opts = RuntimeOptions {
        data_dir: args.data_dir.clone(),
        connectors: args.connectors.clone(),
        extra_root_pem,
        resolve_zendesk,
        link_base: Some(
            args.public_url
                .clone()
                .map(|u| u.trim_end_matches('/').to_string())
                .unwrap_or_else(|| format!("http://{local}")),
        ),
        database_url: args.database_url.clone(),
        audit_log: args.audit_log,
    };
    let clients = setup::oauth_clients_from_env();
    let tw = setup::build_with(&opts, key, &clients).await?;
    if let Some(config) = webhooks {
        eprintln!(
            "status-change webhooks go to {} (signed with TOOLWIRE_WEBHOOK_SECRET)",
            config.url
        );
        crate::webhooks::spawn(&tw, config)?;
    }
    let keys = ApiKeys::default().with_key(&api_key(&args.data_dir)?);
    let state = AppState::new(
        tw,
        keys,
        &setup::connectors_dir(args.connectors.as_deref())?,
    )
    .with_ui(setup::ui_state(&opts, &clients)?);
    eprintln!(
        "toolwire REST API on http://{local}  (Authorization: Bearer <api key>; Ctrl-C stops)"
    );
    eprintln!(
        "MCP (streamable HTTP) on http://{local}/mcp  (Bearer <api key> + X-Toolwire-Identifier: <id>); OpenAPI at /openapi.json; metrics at /metrics"
    );
    eprintln!(
        "onboarding UI: magic links from POST /v1/connected_accounts/{{connection}}/{{identifier}}/magic_link; admin page at {}/admin{}",
        opts.link_base.as_deref().unwrap_or_default(),
        if clients.is_empty() {
            String::new()
        } else {
            format!(
                "; OAuth for {}",
                clients
                    .iter()
                    .map(|c| c.connection.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    rest::serve_until_signal(listener, state).await
}

/// The PEM text of `--sim-ca`, if given.
pub fn read_ca(path: Option<&Path>) -> Result<Option<String>> {
    path.map(|p| {
        std::fs::read_to_string(p).map_err(|e| ServerError::io(format!("read {}", p.display()), e))
    })
    .transpose()
}

/// `--resolve-zendesk HOST:PORT` as a socket address.
pub fn resolve(host_port: Option<&str>) -> Result<Option<SocketAddr>> {
    let Some(hp) = host_port else { return Ok(None) };
    let mut addrs = hp
        .to_socket_addrs()
        .map_err(|e| ServerError::Usage(format!("--resolve-zendesk {hp}: {e}")))?;
    addrs
        .next()
        .map(Some)
        .ok_or_else(|| ServerError::Usage(format!("--resolve-zendesk {hp}: no address")))
}

/// The API key from `TOOLWIRE_API_KEY`, else `data_dir/api.key` (created, mode 0600, on first
/// start; its path is announced on stderr, the key itself never printed).
pub fn api_key(data_dir: &Path) -> Result<String> {
    if let Ok(k) = std::env::var("TOOLWIRE_API_KEY")
        && !k.trim().is_empty()
    {
        return Ok(k.trim().to_string());
    }
    let path = data_dir.join("api.key");
    if path.exists() {
        let k = std::fs::read_to_string(&path)
            .map_err(|e| ServerError::io(format!("read {}", path.display()), e))?;
        return Ok(k.trim().to_string());
    }
    let k = ApiKeys::generate_key();
    write_private(&path, &format!("{k}\n"))?;
    eprintln!(
        "generated an API key in {} (use: -H \"Authorization: Bearer $(cat {})\")",
        path.display(),
        path.display()
    );
    Ok(k)
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts
        .open(path)
        .map_err(|e| ServerError::io(format!("create {}", path.display()), e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| ServerError::io(format!("write {}", path.display()), e))
}
