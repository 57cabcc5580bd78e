//! The connected-accounts API: get-or-create, credentials (verified live before ACTIVE),
//! listing, history, disconnect and delete.

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
        crate::identifier::check(identifier, ACCOUNT)?;
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
