//! The runtime options every command that opens the runtime takes (`serve`, `mcp`, `accounts`,
//! `exec`; `keys` takes the store part): one flattened set, so the same flags mean the same
//! thing everywhere. Nothing here knows a vendor: `--resolve SUFFIX=HOST:PORT` and
//! `--extra-ca` point any connector at a stand-in (e.g. `toolwire sim`).

use std::net::{SocketAddr, ToSocketAddrs as _};
use std::path::{Path, PathBuf};

use toolwire_runtime::{Store, Toolwire};

use crate::error::{Result, ServerError};
use crate::setup::{self, RuntimeOptions};

/// Where the store and the master key are.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Data directory: toolwire.db (unless --database-url), master.key (unless
    /// TOOLWIRE_MASTER_KEY), for `serve` api.key (unless TOOLWIRE_API_KEY), and for the
    /// onboarding links (`serve` with a public URL, `accounts link`) link.secret (unless
    /// TOOLWIRE_LINK_SECRET).
    #[arg(long, default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// The store: `postgres://user@host/db` (for several replicas) or `sqlite://PATH`; default
    /// the data directory's toolwire.db. The master key stays in the data directory (or
    /// TOOLWIRE_MASTER_KEY), never in the database.
    #[arg(long, env = "TOOLWIRE_DATABASE_URL", value_name = "URL", global = true)]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// Opens the store.
    pub async fn open_store(&self) -> Result<Store> {
        setup::open_store(&self.data_dir, self.database_url.as_deref()).await
    }
}

/// The store, the connectors and how outbound HTTPS reaches upstream APIs.
#[derive(Debug, Clone, clap::Args)]
pub struct RuntimeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Connectors directory (default: ./connectors, else the workspace's).
    #[arg(long, global = true)]
    pub connectors: Option<PathBuf>,
    /// Also trust this root CA (PEM file), e.g. the one `toolwire sim --ca-out` writes.
    /// Repeatable.
    #[arg(long, alias = "sim-ca", value_name = "PEM_FILE", global = true)]
    pub extra_ca: Vec<PathBuf>,
    /// Send every request for SUFFIX (the name itself and `*.SUFFIX`) to HOST:PORT instead of
    /// what DNS says; TLS still checks the real name. E.g. `--resolve
    /// zendesk.com=127.0.0.1:8443` for a running `toolwire sim`. Repeatable; the first match wins.
    #[arg(long, value_name = "SUFFIX=HOST:PORT", value_parser = parse_resolve, global = true)]
    pub resolve: Vec<(String, SocketAddr)>,
    /// The address(es) this deployment calls upstream APIs from (IPs or CIDR ranges,
    /// comma-separated), named in RESTRICTED messages so a customer knows what to add to an IP
    /// allowlist.
    #[arg(
        long,
        env = "TOOLWIRE_OUTBOUND_IP",
        value_name = "IP[,IP...]",
        value_parser = parse_outbound_ip,
        global = true
    )]
    pub outbound_ip: Option<String>,
    /// Let accounts reach hosts that are IP literals, `localhost` or resolve to loopback,
    /// private, link-local or unique-local addresses (refused by default, so a customer-chosen
    /// host such as a self-hosted server cannot reach this deployment's own network). Hosts
    /// under `--resolve` are always allowed.
    #[arg(long, env = "TOOLWIRE_ALLOW_PRIVATE_EGRESS", global = true)]
    pub allow_private_egress: bool,
    /// Share per-tenant budgets with every replica through this Redis (`redis://HOST:PORT`):
    /// a vendor's `Retry-After` seen by one replica stops all of them sending to that tenant,
    /// and the per-tenant in-flight cap holds over all replicas together. Without it, budgets
    /// are per process. If Redis stops answering, calls go on with this replica's own budgets
    /// (logged once per outage).
    #[arg(
        long,
        env = "TOOLWIRE_REDIS_URL",
        value_name = "URL",
        value_parser = parse_secret,
        hide_env_values = true,
        global = true
    )]
    pub redis_url: Option<secrecy::SecretString>,
    /// The prefix of every Redis key, so deployments can share one Redis.
    #[arg(
        long,
        env = "TOOLWIRE_REDIS_PREFIX",
        value_name = "PREFIX",
        default_value = "toolwire:",
        global = true
    )]
    pub redis_prefix: String,
    /// Export a trace span per tool call over OTLP/HTTP to this collector base URL (spans go to
    /// URL/v1/traces), e.g. `http://127.0.0.1:4318`. Also on when the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; off otherwise.
    #[arg(long, value_name = "URL", global = true)]
    pub otlp_endpoint: Option<String>,
}

impl RuntimeArgs {
    /// These options as [`RuntimeOptions`] (reads the CA files); `link_base` and the audit log
    /// are the caller's.
    pub fn options(&self) -> Result<RuntimeOptions> {
        Ok(RuntimeOptions {
            data_dir: self.store.data_dir.clone(),
            connectors: self.connectors.clone(),
            extra_root_pem: read_cas(&self.extra_ca)?,
            resolve: self.resolve.clone(),
            database_url: self.store.database_url.clone(),
            outbound_ip: self.outbound_ip.clone(),
            allow_private_egress: self.allow_private_egress,
            redis_url: self.redis_url.clone(),
            redis_prefix: Some(self.redis_prefix.clone()),
            ..Default::default()
        })
    }

    /// Opens the runtime (master key from TOOLWIRE_MASTER_KEY or the data directory).
    pub async fn open(&self) -> Result<Toolwire> {
        let opts = self.options()?;
        let key = setup::master_key(&self.store.data_dir)?;
        setup::build(&opts, key).await
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.store.data_dir
    }
}

/// The PEM text of every `--extra-ca` file, concatenated (`None` without any).
fn read_cas(paths: &[PathBuf]) -> Result<Option<String>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut pem = String::new();
    for p in paths {
        let text = std::fs::read_to_string(p)
            .map_err(|e| ServerError::io(format!("read {}", p.display()), e))?;
        pem.push_str(text.trim_end());
        pem.push('\n');
    }
    Ok(Some(pem))
}

/// A value kept out of `Debug` output (a URL that may carry a password).
fn parse_secret(s: &str) -> std::result::Result<secrecy::SecretString, String> {
    Ok(s.trim().to_string().into())
}

/// `SUFFIX=HOST:PORT` (HOST may be a name; it is resolved once, here).
fn parse_resolve(s: &str) -> std::result::Result<(String, SocketAddr), String> {
    let (suffix, target) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not SUFFIX=HOST:PORT"))?;
    let suffix = suffix
        .trim()
        .trim_start_matches("*.")
        .trim_start_matches('.');
    if suffix.is_empty() || suffix.contains(['/', ':', ' ']) {
        return Err(format!("`{suffix}` is not a host name suffix"));
    }
    let addr = target
        .trim()
        .to_socket_addrs()
        .map_err(|e| format!("`{target}`: {e}"))?
        .next()
        .ok_or_else(|| format!("`{target}`: no address"))?;
    Ok((suffix.to_ascii_lowercase(), addr))
}

/// `--outbound-ip`: IP addresses or CIDR ranges, comma-separated; normalised to `a, b`.
fn parse_outbound_ip(s: &str) -> std::result::Result<String, String> {
    let items: Vec<String> = s
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|item| {
            let (ip, prefix) = match item.split_once('/') {
                Some((ip, prefix)) => (ip, Some(prefix)),
                None => (item, None),
            };
            let ip: std::net::IpAddr = ip
                .parse()
                .map_err(|_| format!("`{item}` is not an IP address or CIDR range"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            match prefix.map(str::parse::<u8>) {
                None => Ok(ip.to_string()),
                Some(Ok(p)) if p <= max => Ok(format!("{ip}/{p}")),
                Some(_) => Err(format!("`{item}`: the prefix length must be 0 to {max}")),
            }
        })
        .collect::<std::result::Result<_, _>>()?;
    if items.is_empty() {
        return Err("give at least one IP address".into());
    }
    Ok(items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::{parse_outbound_ip, parse_resolve};

    #[test]
    fn outbound_ips_parse_and_name_what_is_wrong() {
        assert_eq!(parse_outbound_ip("203.0.113.7").unwrap(), "203.0.113.7");
        assert_eq!(
            parse_outbound_ip(" 203.0.113.0/28,2001:db8::1 ").unwrap(),
            "203.0.113.0/28, 2001:db8::1"
        );
        assert!(
            parse_outbound_ip("toolwire.example")
                .unwrap_err()
                .contains("toolwire.example")
        );
        assert!(
            parse_outbound_ip("10.0.0.0/33")
                .unwrap_err()
                .contains("0 to 32")
        );
        assert!(parse_outbound_ip(" , ").is_err());
    }

    #[test]
    fn resolve_rules_parse_and_name_what_is_wrong() {
        assert_eq!(
            parse_resolve("*.Example.com=127.0.0.1:8443").unwrap(),
            ("example.com".to_string(), "127.0.0.1:8443".parse().unwrap())
        );
        assert!(
            parse_resolve("127.0.0.1:8443")
                .unwrap_err()
                .contains("SUFFIX=HOST:PORT")
        );
        assert!(parse_resolve("=127.0.0.1:1").is_err());
        assert!(parse_resolve("example.com=127.0.0.1").is_err());
    }
}
