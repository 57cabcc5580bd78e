//! The public entry point: `Toolwire::builder()...build()`, the accounts API and tool calls.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::connector::Connector;
use crate::engine::{Engine, Ledger, LinkBuilder, ToolOutput, VerifyOutcome, probe};
use crate::error::{Error, Result};
use crate::events::{Events, StatusEvent};
use crate::http::HttpOptions;
use crate::store::{
    AccountFilter, AccountPage, AccountRecord, AccountStatus, CredentialsUpdate, StatusChange,
    StatusHistoryEntry, Store,
};
use crate::vault::{Aad, Credentials, MasterKey, Vault};

/// A running toolwire: loaded connectors, the store, the vault and the HTTP client.
#[derive(Clone)]
pub struct Toolwire {
    engine: Arc<Engine>,
}

/// Configures a [`Toolwire`].
#[derive(Default)]
pub struct ToolwireBuilder {
    store: Option<Store>,
    master_key: Option<MasterKey>,
    connector_files: Vec<PathBuf>,
    connector_dirs: Vec<PathBuf>,
    connectors: Vec<Connector>,
    http: HttpOptions,
    links: Option<LinkBuilder>,
    outbound_ip_hint: Option<String>,
    oauth_clients: HashMap<String, crate::oauth::OAuthClient>,
    account_cache_ttl: Option<std::time::Duration>,
}

impl ToolwireBuilder {
    /// How long an account and its decrypted credentials may be served from memory (default
    /// 1 s; zero disables). Changes made through this instance apply at once regardless.
    pub fn account_cache_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.account_cache_ttl = Some(ttl);
        self
    }

    /// The OAuth client (registered with the vendor) used by `connection`'s OAuth scheme.
    pub fn oauth_client(
        mut self,
        connection: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: secrecy::SecretString,
    ) -> Self {
        self.oauth_clients.insert(
            connection.into(),
            crate::oauth::OAuthClient {
                client_id: client_id.into(),
                client_secret,
            },
        );
        self
    }

    /// Where accounts and credentials live.
    pub fn store(mut self, store: Store) -> Self {
        self.store = Some(store);
        self
    }

    /// The vault's master key.
    pub fn master_key(mut self, key: MasterKey) -> Self {
        self.master_key = Some(key);
        self
    }

    /// Loads every `*.yaml` spec in `dir`.
    pub fn connectors_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.connector_dirs.push(dir.into());
        self
    }

    /// Loads one spec file.
    pub fn connector_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.connector_files.push(file.into());
        self
    }

    /// Adds an already prepared connector.
    pub fn connector(mut self, connector: Connector) -> Self {
        self.connectors.push(connector);
        self
    }

    /// Trusts an extra root CA (PEM), e.g. the simulator's.
    pub fn extra_root_pem(mut self, pem: impl Into<String>) -> Self {
        self.http.extra_roots_pem.push(pem.into());
        self
    }

    /// Sends every host under `suffix` (e.g. `zendesk.com`) to `addr`; TLS still checks names.
    pub fn resolve_suffix(mut self, suffix: impl Into<String>, addr: std::net::SocketAddr) -> Self {
        self.http.resolve_suffix = Some((suffix.into(), addr));
        self
    }

    /// Builds reconnect links shown to agents when an account needs its user.
    pub fn reconnect_links(
        mut self,
        f: impl Fn(&str, &str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.links = Some(Arc::new(f));
        self
    }

    /// The outbound IP named in RESTRICTED (IP allowlist) messages.
    pub fn outbound_ip_hint(mut self, ip: impl Into<String>) -> Self {
        self.outbound_ip_hint = Some(ip.into());
        self
    }

    /// Opens the vault (a wrong master key is refused here) and loads the connectors.
    pub async fn build(self) -> Result<Toolwire> {
        let store = self
            .store
            .ok_or_else(|| Error::Internal("a store is required".into()))?;
        let key = self
            .master_key
            .ok_or_else(|| Error::Internal("a master key is required".into()))?;
        let vault = Vault::open(&store, key).await?;
        let mut connectors = self.connectors;
        let mut files = self.connector_files;
        for dir in &self.connector_dirs {
            files.extend(spec_files(dir)?);
        }
        for file in files {
            connectors.push(Connector::load_file(&file)?);
        }
        let mut map = HashMap::new();
        let mut tool_owner = HashMap::new();
        for c in connectors {
            for t in &c.spec.tools {
                if let Some(other) = tool_owner.insert(t.name.clone(), c.spec.connector.clone()) {
                    return Err(Error::Internal(format!(
                        "tool `{}` is defined by both {other} and {}",
                        t.name, c.spec.connector
                    )));
                }
            }
            map.insert(c.spec.connector.clone(), Arc::new(c));
        }
        let engine = Engine {
            client: crate::http::client(&self.http)?,
            connectors: map,
            tool_owner,
            store: store.clone(),
            vault,
            links: self.links,
            events: Events::default(),
            outbound_ip_hint: self.outbound_ip_hint,
            ledger: Ledger::start(store.clone()),
            oauth_clients: self.oauth_clients,
            refresh_locks: Default::default(),
            cache: crate::engine::AccountCache::new(
                self.account_cache_ttl
                    .unwrap_or(std::time::Duration::from_secs(1)),
            ),
        };
        Ok(Toolwire {
            engine: Arc::new(engine),
        })
    }
}

fn spec_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Internal(format!("cannot read connectors dir {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

impl Toolwire {
    /// Starts configuring.
    pub fn builder() -> ToolwireBuilder {
        ToolwireBuilder::default()
    }

    /// The loaded connectors, by name.
    pub fn connectors(&self) -> impl Iterator<Item = &Connector> {
        self.engine.connectors.values().map(|c| c.as_ref())
    }

    /// One loaded connector.
    pub fn connector(&self, name: &str) -> Option<&Connector> {
        self.engine.connectors.get(name).map(|c| c.as_ref())
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.engine.store
    }

    /// The vault (for key rotation and rewrap).
    pub fn vault(&self) -> &Vault {
        &self.engine.vault
    }

    /// Waits until queued audit rows and last-use times are written (call before shutdown).
    pub async fn flush(&self) {
        self.engine.ledger.flush().await;
    }

    /// Subscribes to account status changes.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<StatusEvent> {
        self.engine.events.subscribe()
    }

    pub(crate) async fn set_status_internal(
        &self,
        account: &AccountRecord,
        change: &StatusChange,
    ) -> Result<AccountRecord> {
        self.engine.set_status(account, change).await
    }

    /// The OAuth API (authorization code + PKCE).
    pub fn oauth(&self) -> crate::oauth::OAuth<'_> {
        crate::oauth::OAuth {
            engine: &self.engine,
        }
    }

    /// Accounts still on an auth scheme the vendor is retiring (e.g. Zendesk API tokens),
    /// with the sunset date: the list of customers to move to OAuth.
    pub async fn accounts_needing_migration(&self) -> Result<Vec<(AccountRecord, String)>> {
        let mut out = Vec::new();
        for connector in self.engine.connectors.values() {
            for (name, scheme) in &connector.spec.auth {
                let Some(sunset) = scheme.sunset() else {
                    continue;
                };
                let filter = AccountFilter {
                    connection: Some(connector.spec.connector.clone()),
                    status: None,
                    auth_scheme: Some(name.clone()),
                };
                let mut token = None;
                loop {
                    let page = self
                        .engine
                        .store
                        .list_accounts(&filter, token.as_deref(), 500)
                        .await?;
                    out.extend(
                        page.accounts
                            .into_iter()
                            .filter(|a| a.status != AccountStatus::Disconnected)
                            .map(|a| (a, sunset.to_string())),
                    );
                    match page.next_page_token {
                        Some(t) => token = Some(t),
                        None => break,
                    }
                }
            }
        }
        Ok(out)
    }

    /// The connected-accounts API.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { tw: self }
    }

    /// Runs a tool by name with JSON input (the dynamic path). The tool's connector is the
    /// connection unless `connection` names another.
    pub async fn execute_tool(
        &self,
        identifier: &str,
        tool_name: &str,
        input: Value,
    ) -> Result<ToolOutput> {
        self.engine
            .execute_tool(None, identifier, tool_name, input)
            .await
    }

    /// Like [`execute_tool`](Self::execute_tool) with an explicit connection name.
    pub async fn execute_tool_on(
        &self,
        connection: &str,
        identifier: &str,
        tool_name: &str,
        input: Value,
    ) -> Result<ToolOutput> {
        self.engine
            .execute_tool(Some(connection), identifier, tool_name, input)
            .await
    }

    /// Runs a generated, typed tool: the same engine as [`execute_tool`](Self::execute_tool).
    pub async fn execute<T: toolwire_spec::Tool>(
        &self,
        identifier: &str,
        input: T,
    ) -> Result<TypedOutput<T::Output>> {
        let connector = self
            .connector(T::CONNECTOR)
            .ok_or_else(|| Error::UnknownConnection {
                name: T::CONNECTOR.into(),
            })?;
        if connector.fingerprint != toolwire_spec::fingerprint(T::SPEC_SOURCE) {
            return Err(Error::SpecMismatch {
                connector: T::CONNECTOR.into(),
                tool: T::NAME.into(),
            });
        }
        let json = serde_json::to_value(&input)
            .map_err(|e| Error::Internal(format!("serialize input: {e}")))?;
        let out = self.execute_tool(identifier, T::NAME, json).await?;
        let data = serde_json::from_value(out.data.clone()).map_err(|e| {
            Error::Internal(format!(
                "the {} response did not match its output type: {e}",
                T::NAME
            ))
        })?;
        Ok(TypedOutput {
            data,
            execution_id: out.execution_id,
            next_cursor: out.next_cursor,
            has_more: out.has_more,
        })
    }
}

/// A typed tool's result.
#[derive(Debug, Clone)]
pub struct TypedOutput<T> {
    /// The output.
    pub data: T,
    /// Execution id.
    pub execution_id: Uuid,
    /// Next page cursor.
    pub next_cursor: Option<String>,
    /// More pages exist.
    pub has_more: bool,
}

/// Connected accounts: (connection, identifier) → config, encrypted credentials, status.
pub struct Accounts<'a> {
    tw: &'a Toolwire,
}

impl Accounts<'_> {
    fn connector(&self, connection: &str) -> Result<&Arc<Connector>> {
        self.tw
            .engine
            .connectors
            .get(connection)
            .ok_or_else(|| Error::UnknownConnection {
                name: connection.into(),
            })
    }

    /// Returns the account, creating it as PENDING_AUTH when new (idempotent, race-free).
    pub async fn get_or_create(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        self.connector(connection)?;
        Ok(self
            .tw
            .engine
            .store
            .get_or_create_account(connection, identifier)
            .await?
            .0)
    }

    /// The account, if any.
    pub async fn get(&self, connection: &str, identifier: &str) -> Result<Option<AccountRecord>> {
        Ok(self
            .tw
            .engine
            .store
            .get_account(connection, identifier)
            .await?)
    }

    /// A page of accounts.
    pub async fn list(
        &self,
        filter: &AccountFilter,
        page_token: Option<&str>,
        limit: u32,
    ) -> Result<AccountPage> {
        Ok(self
            .tw
            .engine
            .store
            .list_accounts(filter, page_token, limit)
            .await?)
    }

    /// Status history, oldest first.
    pub async fn history(
        &self,
        connection: &str,
        identifier: &str,
    ) -> Result<Vec<StatusHistoryEntry>> {
        let account = self.require(connection, identifier).await?;
        Ok(self.tw.engine.store.status_history(account.id).await?)
    }

    async fn require(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        self.get(connection, identifier)
            .await?
            .ok_or_else(|| Error::AccountNotFound {
                connection: connection.into(),
                identifier: identifier.into(),
            })
    }

    /// Sets (or replaces) credentials: config is normalised and validated, the credentials are
    /// verified live with the spec's probe, and only then sealed and stored; the account
    /// becomes ACTIVE. `scheme` defaults to the scheme whose fields the credentials fill.
    pub async fn set_credentials(
        &self,
        connection: &str,
        identifier: &str,
        config: &Map<String, Value>,
        scheme: Option<&str>,
        credentials: Credentials,
    ) -> Result<AccountRecord> {
        let connector = self.connector(connection)?.clone();
        let spec = &connector.spec;
        let (scheme_name, auth) = match scheme {
            Some(name) => (
                name.to_string(),
                spec.auth
                    .get(name)
                    .ok_or_else(|| Error::InvalidCredentials {
                        message: format!("{} has no auth scheme `{name}`", spec.title),
                    })?,
            ),
            None => spec
                .auth
                .iter()
                .find(|(_, s)| {
                    s.fields()
                        .is_some_and(|f| f.keys().all(|k| credentials.has_field(k)))
                })
                .map(|(n, s)| (n.clone(), s))
                .ok_or_else(|| Error::InvalidCredentials {
                    message: missing_fields_message(spec, &credentials),
                })?,
        };
        if let Some(fields) = auth.fields() {
            let missing: Vec<&str> = fields
                .keys()
                .filter(|k| {
                    credentials
                        .expose_field(k)
                        .is_none_or(|v| v.trim().is_empty())
                })
                .map(String::as_str)
                .collect();
            let unknown: Vec<&str> = credentials
                .field_names()
                .filter(|k| !fields.contains_key(*k))
                .collect();
            if !missing.is_empty() || !unknown.is_empty() {
                let mut parts = vec![];
                if !missing.is_empty() {
                    parts.push(format!("missing: {}", missing.join(", ")));
                }
                if !unknown.is_empty() {
                    parts.push(format!(
                        "not fields of {}: {}",
                        auth.title(),
                        unknown.join(", ")
                    ));
                }
                return Err(Error::InvalidCredentials {
                    message: format!("credentials for {}: {}", auth.title(), parts.join("; ")),
                });
            }
            for (name, field) in fields {
                if field.format.as_deref() == Some("email")
                    && !credentials.expose_field(name).is_some_and(looks_like_email)
                {
                    return Err(Error::InvalidCredentials {
                        message: format!("{} must be an email address", field.title),
                    });
                }
            }
        }
        let config = connector.normalize_config(config)?;
        let base = connector.route.base_url(&config)?;
        match probe(
            &self.tw.engine.client,
            spec,
            &base,
            auth,
            &credentials,
            &config,
        )
        .await
        {
            VerifyOutcome::Valid => {}
            VerifyOutcome::Rejected => {
                return Err(Error::InvalidCredentials {
                    message: spec
                        .verify
                        .failure_message
                        .clone()
                        .unwrap_or_else(|| "the credentials were not accepted".into())
                        .trim()
                        .to_string(),
                });
            }
            VerifyOutcome::Restricted(vendor) => {
                return Err(Error::InvalidCredentials {
                    message: self.tw.engine.restricted_message(vendor.as_deref()),
                });
            }
            VerifyOutcome::Unknown(Error::Upstream { status: 404, .. }) => {
                return Err(Error::InvalidConfig {
                    field: spec.config.keys().next().cloned().unwrap_or_default(),
                    message: format!(
                        "no {} account was found at that address; check it",
                        spec.title
                    ),
                });
            }
            VerifyOutcome::Unknown(e) => return Err(e),
        }
        let account = self
            .tw
            .engine
            .store
            .get_or_create_account(connection, identifier)
            .await?
            .0;
        let aad = Aad::new(connection, identifier, account.id, &config);
        let sealed = self.tw.engine.vault.seal(&aad, &credentials)?;
        let update = CredentialsUpdate {
            expected_version: account.version,
            auth_scheme: scheme_name,
            config,
            sealed,
            status: StatusChange::new(
                AccountStatus::Active,
                "credentials_verified",
                "credentials verified",
            ),
        };
        self.tw.engine.cache.invalidate(connection, identifier);
        let updated = self
            .tw
            .engine
            .store
            .store_credentials(account.id, &update)
            .await?;
        if account.status != updated.status {
            self.tw.engine.events.emit(&account, &updated);
        }
        Ok(updated)
    }

    /// Marks the account DISCONNECTED and deletes its credentials' use (keeps history).
    pub async fn disconnect(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        let account = self.require(connection, identifier).await?;
        self.tw
            .engine
            .set_status(
                &account,
                &StatusChange::new(
                    AccountStatus::Disconnected,
                    "disconnected",
                    "disconnected by the host app",
                ),
            )
            .await
    }

    /// Deletes the account and its credentials.
    pub async fn delete(&self, connection: &str, identifier: &str) -> Result<bool> {
        match self.get(connection, identifier).await? {
            Some(a) => {
                self.tw.engine.cache.invalidate(connection, identifier);
                Ok(self.tw.engine.store.delete_account(a.id).await?)
            }
            None => Ok(false),
        }
    }
}

fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    matches!(s.split_once('@'), Some((user, domain)) if !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !s.contains(char::is_whitespace))
}

fn missing_fields_message(spec: &toolwire_spec::ConnectorSpec, creds: &Credentials) -> String {
    let schemes: Vec<String> = spec
        .auth
        .iter()
        .filter_map(|(name, s)| {
            s.fields().map(|f| {
                format!(
                    "{name} ({})",
                    f.keys().cloned().collect::<Vec<_>>().join(", ")
                )
            })
        })
        .collect();
    let given: Vec<&str> = creds.field_names().collect();
    format!(
        "the credentials ({}) fit no auth scheme of {}; expected one of: {}",
        given.join(", "),
        spec.title,
        schemes.join("; ")
    )
}
