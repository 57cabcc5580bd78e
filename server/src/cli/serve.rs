//! `toolwire serve`: the REST API on a data directory (master key, API key; the SQLite store,
//! or PostgreSQL with `--database-url`).

use std::net::SocketAddr;

use super::runtime_args::RuntimeArgs;
use crate::app::{self, AppState};
use crate::error::{Result, ServerError};
use crate::setup::{self, RuntimeOptions};
use crate::web::ApiKeys;

/// `toolwire serve` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Listen address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The store, connectors and outbound HTTPS options (shared with `mcp`, `accounts`, `exec`).
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    /// POST every account status change here, signed with TOOLWIRE_WEBHOOK_SECRET
    /// (header `X-Toolwire-Signature: t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>`),
    /// retried with backoff from the store's outbox (at least once, in order per account;
    /// receivers de-duplicate on `X-Toolwire-Event-Id`).
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
    /// Per-attempt timeout of a webhook delivery; a delivery cut short by a crash is sent again
    /// (by any replica) once its lease, this plus 5 s, runs out.
    #[arg(long, env = "TOOLWIRE_WEBHOOK_TIMEOUT_S", value_name = "SECONDS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300))]
    pub webhook_timeout: u64,
    /// The URL people reach this server at (magic links, OAuth redirect URI
    /// `{public_url}/oauth/callback`); default `http://<listen address>`. OAuth clients come
    /// from TOOLWIRE_OAUTH_<CONNECTION>_CLIENT_ID / _CLIENT_SECRET.
    #[arg(long, env = "TOOLWIRE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Which tool calls leave an audit row: full (default), failures or off. Last-use times,
    /// which drive inactivity warnings, are kept either way.
    #[arg(
        long,
        env = "TOOLWIRE_AUDIT_LOG",
        default_value = "full",
        value_name = "full|failures|off"
    )]
    pub audit_log: toolwire_runtime::AuditLog,
    /// Delete audit rows older than this many days (in small background batches, hourly);
    /// default: keep everything.
    #[arg(long, env = "TOOLWIRE_AUDIT_RETENTION_DAYS", value_name = "DAYS",
        value_parser = clap::value_parser!(u32).range(1..))]
    pub audit_retention_days: Option<u32>,
    /// Declare a toolset MCP tokens may be limited to: NAME=SELECTOR[,SELECTOR...], each
    /// selector `tool:NAME`, `connection:NAME` or `read_only` (repeatable; e.g.
    /// `--mcp-toolset support=connection:zendesk --mcp-toolset reader=read_only`).
    #[arg(long, value_name = "NAME=SELECTORS")]
    pub mcp_toolset: Vec<String>,
    /// OAuth for MCP clients: where `/authorize` sends the browser to sign in. Your app signs
    /// the user in, then redirects to the `return_to` it was given with `request` (as given)
    /// and `assertion`: an HS256 JWS signed with TOOLWIRE_MCP_LOGIN_SECRET, claims
    /// `{sub: <identifier>, aud: <public URL>, iat, exp}` (at most 10 minutes).
    #[arg(long, env = "TOOLWIRE_MCP_LOGIN_URL", value_name = "URL")]
    pub mcp_login_url: Option<String>,
    /// Accept an API key shorter than 24 characters (a throwaway local setup only).
    #[arg(long, env = "TOOLWIRE_ALLOW_WEAK_API_KEY")]
    pub allow_weak_api_key: bool,
}

/// The OAuth settings for MCP clients: the login URL and the assertion secret (at least 32
/// characters) come together or not at all.
/// Client metadata documents are fetched like upstream APIs (`--extra-ca`, `--resolve`,
/// `--allow-private-egress`).
fn authz_config(
    login_url: Option<String>,
    opts: &RuntimeOptions,
) -> Result<crate::authz::oauth::AuthzConfig> {
    let secret = std::env::var("TOOLWIRE_MCP_LOGIN_SECRET").ok();
    let http = toolwire_runtime::http::HttpOptions {
        extra_roots_pem: opts.extra_root_pem.iter().cloned().collect(),
        resolve_suffixes: opts.resolve.clone(),
        connect_timeout: None,
    };
    let client_documents = std::sync::Arc::new(
        crate::authz::oauth::documents::ClientDocuments::new(&http, opts.allow_private_egress),
    );
    match (login_url, secret) {
        (None, None) => Ok(Default::default()),
        (Some(url), Some(secret)) if secret.len() >= 32 && url::Url::parse(&url).is_ok() => {
            Ok(crate::authz::oauth::AuthzConfig {
                login_url: Some(url),
                login_secret: Some(std::sync::Arc::new(secret.into_bytes())),
                client_documents,
            })
        }
        _ => Err(ServerError::Usage(
            "OAuth for MCP clients needs both --mcp-login-url URL and TOOLWIRE_MCP_LOGIN_SECRET \
             (at least 32 characters, e.g. `openssl rand -base64 32`)"
                .into(),
        )),
    }
}

/// Runs the server until Ctrl-C or SIGTERM (in-flight requests finish, audit rows are flushed).
pub async fn run(args: ServeArgs) -> Result<()> {
    let toolsets = crate::authz::Toolsets::parse(args.mcp_toolset.iter().map(String::as_str))
        .map_err(|e| ServerError::Usage(format!("--mcp-toolset: {e}")))?;
    let webhooks = args
        .webhook_url
        .as_deref()
        .map(|url| {
            let secret = std::env::var("TOOLWIRE_WEBHOOK_SECRET").unwrap_or_default();
            crate::webhooks::WebhookConfig::new(url, secret.into()).map(|c| {
                crate::webhooks::WebhookConfig {
                    timeout: std::time::Duration::from_secs(args.webhook_timeout),
                    ..c
                }
            })
        })
        .transpose()?;
    let data_dir = args.runtime.data_dir().to_path_buf();
    let base_opts = args.runtime.options()?;
    let key = setup::master_key(&data_dir)?;
    let bearer_key = strong_enough(setup::api_key(&data_dir)?, args.allow_weak_api_key)?;
    let listener = app::bind(args.addr).await?;
    let local = listener
        .local_addr()
        .map_err(|e| ServerError::io("local address", e))?;
    let opts = RuntimeOptions {
        link_base: Some(
            args.public_url
                .clone()
                .map(|u| u.trim_end_matches('/').to_string())
                .unwrap_or_else(|| format!("http://{local}")),
        ),
        audit_log: args.audit_log,
        audit_retention: args
            .audit_retention_days
            .map(|d| std::time::Duration::from_secs(u64::from(d) * 86_400)),
        ..base_opts
    };
    let clients = setup::oauth_clients_from_env();
    let tw = setup::build_with(&opts, key, &clients).await?;
    let webhooks = match webhooks {
        Some(config) => {
            eprintln!(
                "status-change webhooks go to {} (signed with TOOLWIRE_WEBHOOK_SECRET)",
                without_password(&config.url)
            );
            Some(crate::webhooks::spawn(&tw, config)?)
        }
        None => None,
    };
    let keys = ApiKeys::default().with_key(&bearer_key);
    let state = AppState::new(tw, keys)
        .with_ui(setup::ui_state(&opts, &clients)?)
        .with_toolsets(toolsets)
        .with_authz(authz_config(args.mcp_login_url.clone(), &opts)?);
    eprintln!(
        "toolwire REST API on http://{local}  (Authorization: Bearer <api key>; Ctrl-C stops)"
    );
    eprintln!(
        "MCP (streamable HTTP) on http://{local}/mcp  (Bearer <MCP token from POST /v1/mcp_tokens>, or Bearer <api key> + X-Toolwire-Identifier: <id>); OpenAPI at /openapi.json; metrics at /metrics"
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
    // Once requests are drained, the dispatcher hands back its claims before the store closes.
    let stop_webhooks = async move {
        if let Some(w) = webhooks {
            w.stop().await;
        }
    };
    app::serve_until_signal_then(listener, state, stop_webhooks).await
}

/// `url` for printing: a `user:pass@` keeps the user, the password becomes `***`.
fn without_password(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

/// Refuses an API key shorter than [`MIN_KEY_LEN`](crate::web::auth::MIN_KEY_LEN) characters
/// unless `allow_weak` (`--allow-weak-api-key`): a short key is guessable, and it opens every
/// account.
pub fn strong_enough(key: String, allow_weak: bool) -> Result<String> {
    let min = crate::web::auth::MIN_KEY_LEN;
    let len = key.chars().count();
    if len < min && !allow_weak {
        return Err(ServerError::Usage(format!(
            "the API key (TOOLWIRE_API_KEY or api.key) is {len} characters; use at least {min} \
             random ones (e.g. `openssl rand -base64 32`), or pass --allow-weak-api-key for a \
             throwaway local setup"
        )));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_webhook_url_is_printed_without_its_password() {
        let url = url::Url::parse("https://hook:s3cr3t-canary@example.com/tw?x=1").unwrap();
        let shown = super::without_password(&url);
        assert!(!shown.contains("s3cr3t-canary"), "{shown}");
        assert_eq!(shown, "https://hook:***@example.com/tw?x=1");
        let plain = url::Url::parse("https://example.com/tw").unwrap();
        assert_eq!(super::without_password(&plain), "https://example.com/tw");
    }
}
