//! The connected-accounts handle ([`Accounts`], over the engine): get-or-create, credentials
//! (verified live before ACTIVE, or imported when verified elsewhere), listing, history,
//! disconnect and delete. The checks on credentials themselves are in `fit.rs`.

mod counts;
mod fit;

pub use counts::AccountCounts;
pub(crate) use counts::CountCache;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::connector::Connector;
use crate::engine::{Engine, VerifyOutcome, probe};
use crate::error::{Error, Result};
use crate::store::{
    AccountFilter, AccountPage, AccountRecord, AccountStatus, StatusChange, StatusHistoryEntry,
};
use crate::vault::Credentials;

/// What an identifier error names as the operation.
const ACCOUNT: &str = "connected account";

/// Credentials' connection, scheme and config, checked (see `Accounts::check_credentials`).
struct Checked {
    connector: Arc<Connector>,
    /// The auth scheme's name.
    scheme: String,
    /// The config, normalised.
    config: Map<String, Value>,
    /// The account's base URL.
    base: String,
}

/// Connected accounts: (connection, identifier) → config, encrypted credentials, status.
/// Creating or crediting an account checks the identifier ([`crate::identifier`]).
pub struct Accounts<'a> {
    engine: &'a Arc<Engine>,
}

impl<'a> Accounts<'a> {
    pub(crate) fn new(engine: &'a Arc<Engine>) -> Self {
        Self { engine }
    }
}

impl Accounts<'_> {
    fn connector(&self, connection: &str) -> Result<&Arc<Connector>> {
        self.engine
            .connectors
            .get(connection)
            .ok_or_else(|| Error::UnknownConnection {
                name: connection.into(),
            })
    }

    /// Returns the account, creating it as PENDING_AUTH when new (idempotent, race-free).
    pub async fn get_or_create(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        crate::identifier::check(identifier, ACCOUNT)?;
        self.connector(connection)?;
        Ok(self
            .engine
            .store
            .get_or_create_account(connection, identifier)
            .await?
            .0)
    }

    /// The account, if any.
    pub async fn get(&self, connection: &str, identifier: &str) -> Result<Option<AccountRecord>> {
        Ok(self
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
            .engine
            .store
            .list_accounts(filter, page_token, limit)
            .await?)
    }

    /// How many accounts each (connection, status) pair has (absent pairs: none), from one
    /// grouped count in the store, reused for up to 5 s (a status change made
    /// through this `Toolwire` is seen at once).
    pub async fn count_by_status(&self) -> Result<AccountCounts> {
        self.engine
            .account_counts
            .get(&self.engine.store, &self.engine.events)
            .await
    }

    /// Status history, oldest first.
    pub async fn history(
        &self,
        connection: &str,
        identifier: &str,
    ) -> Result<Vec<StatusHistoryEntry>> {
        let account = self.require(connection, identifier).await?;
        Ok(self.engine.store.status_history(account.id).await?)
    }

    async fn require(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        self.get(connection, identifier)
            .await?
            .ok_or_else(|| Error::AccountNotFound {
                connection: connection.into(),
                identifier: identifier.into(),
            })
    }

    /// The checks every way of storing credentials makes before anything is sealed: the
    /// identifier rule, the connection, the scheme the credentials fill (all its fields, no
    /// others; for OAuth, the token fields), the config normalised, validated and routable,
    /// and the scheme's templates rendered (not sent) so values no request could carry are
    /// refused.
    fn check_credentials(
        &self,
        connection: &str,
        identifier: &str,
        config: &Map<String, Value>,
        scheme: Option<&str>,
        credentials: &Credentials,
    ) -> Result<Checked> {
        crate::identifier::check(identifier, ACCOUNT)?;
        let connector = self.connector(connection)?.clone();
        let scheme = fit::scheme_of(&connector.spec, scheme, credentials)?;
        let config = connector.normalize_config(config)?;
        let base = connector.route.base_url(&config)?;
        connector
            .auth_templates(&scheme)?
            .check(credentials, &config)?;
        Ok(Checked {
            connector,
            scheme,
            config,
            base,
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
        let Checked {
            connector,
            scheme: scheme_name,
            config,
            base,
        } = self.check_credentials(connection, identifier, config, scheme, &credentials)?;
        let spec = &connector.spec;
        match probe(
            &self.engine.client,
            spec,
            &base,
            connector.auth_templates(&scheme_name)?,
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
                    message: self.engine.restricted_message(vendor.as_deref()),
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
        self.engine
            .save_credentials(
                connection,
                identifier,
                &scheme_name,
                config,
                &credentials,
                StatusChange::new(
                    AccountStatus::Active,
                    "credentials_verified",
                    "credentials verified",
                ),
            )
            .await
    }

    /// Imports credentials verified elsewhere, e.g. by a migration from another system: the
    /// same checks as [`set_credentials`](Self::set_credentials) (identifier rule; the scheme's
    /// fields, or for an OAuth authorization-code scheme `access_token` with optional
    /// `refresh_token`, `expires_at` (unix seconds) and `scope`; config normalised and
    /// validated; auth templates rendered), then sealed and stored, and the account is
    /// ACTIVE — but no live probe runs. The first call that fails verifies them (a rejection
    /// the probe confirms makes the account REVOKED, as for any account). Use
    /// `set_credentials` for credentials a user just typed.
    pub async fn import_credentials(
        &self,
        connection: &str,
        identifier: &str,
        config: &Map<String, Value>,
        scheme: Option<&str>,
        credentials: Credentials,
    ) -> Result<AccountRecord> {
        let checked =
            self.check_credentials(connection, identifier, config, scheme, &credentials)?;
        self.engine
            .save_credentials(
                connection,
                identifier,
                &checked.scheme,
                checked.config,
                &credentials,
                StatusChange::new(
                    AccountStatus::Active,
                    "credentials_imported",
                    "credentials imported (verified elsewhere; not checked live)",
                ),
            )
            .await
    }

    /// Marks the account DISCONNECTED and deletes its credentials' use (keeps history).
    pub async fn disconnect(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        let account = self.require(connection, identifier).await?;
        self.engine
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
                self.engine.cache.invalidate(connection, identifier);
                let deleted = self.engine.store.delete_account(a.id).await?;
                self.engine.cache.invalidate(connection, identifier);
                Ok(deleted)
            }
            None => Ok(false),
        }
    }
}
