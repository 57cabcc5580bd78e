//! OAuth accounts on the engine: which scheme and client a connection uses, and token refresh
//! — before expiry and on `invalid_token` — once across all processes (an in-process lock per
//! account, then the store's credential row lock); a dead grant makes the account EXPIRED.
//! A refresh answer's `token_response.config` values (an org's `instance_url`) are re-read and
//! checked as at the exchange (config patterns, then the base URL's host and egress checks): a
//! moved address is saved with the new tokens (sealed under the new config), a refused one fails
//! the refresh with `INVALID_CONFIG` and the account keeps its old config and tokens.

use std::sync::Arc;

use toolwire_spec::AuthScheme;

use super::Engine;
use crate::connector::Connector;
use crate::error::{Error, Result};
use crate::oauth::{self, OAuthClient, TokenError};
use crate::store::{AccountConfig, AccountRecord, AccountStatus, StatusChange};
use crate::vault::{Aad, Credentials};

impl Engine {
    /// The connection's OAuth authorization-code scheme (`scheme`, or its first one).
    pub(crate) fn oauth_scheme(
        &self,
        connection: &str,
        scheme: Option<&str>,
    ) -> Result<(Arc<Connector>, String, AuthScheme)> {
        let connector =
            self.connectors
                .get(connection)
                .cloned()
                .ok_or_else(|| Error::UnknownConnection {
                    name: connection.into(),
                })?;
        let (name, scheme) = oauth::find_scheme(&connector, scheme)?;
        Ok((connector, name, scheme))
    }

    /// The OAuth client configured for the connection.
    pub(crate) fn oauth_client(&self, connection: &str) -> Result<&OAuthClient> {
        self.oauth_clients
            .get(connection)
            .ok_or_else(|| Error::OAuth {
                message: format!(
                    "no OAuth client is configured for `{connection}`; set its client id and secret"
                ),
            })
    }

    /// Refreshes an OAuth account's tokens, once across all processes; returns usable credentials.
    pub(crate) async fn refresh(
        &self,
        account: &AccountRecord,
        seen_access: Option<&str>,
        force: bool,
    ) -> Result<Credentials> {
        let (connector, _, scheme) =
            self.oauth_scheme(&account.connection, account.auth_scheme.as_deref())?;
        let AuthScheme::Oauth2AuthorizationCode { token_url, .. } = &scheme else {
            unreachable!("checked by oauth_scheme")
        };
        let local = {
            let mut locks = self.refresh_locks.lock().await;
            // Forget accounts nobody is refreshing, so the map stays as small as the work.
            locks.retain(|_, l| Arc::strong_count(l) > 1);
            locks.entry(account.id).or_default().clone()
        };
        let _in_process = local.lock().await;
        let lock = self.store.lock_credentials(account.id).await?;
        let current = self
            .vault
            .unseal_account(lock.account())?
            .ok_or_else(|| self.not_active(lock.account()))?;
        // Usable tokens are kept unless the caller saw them fail (`force`) and nobody has
        // replaced them since.
        let someone_else_did = current.expose_field("access_token") != seen_access;
        let usable = !oauth::expiring(&current, oauth::skew(&scheme));
        if usable && (someone_else_did || !force) {
            lock.release().await?;
            return Ok(current);
        }
        let Some(refresh_token) = current.expose_field("refresh_token").map(str::to_string) else {
            lock.release().await?;
            return Err(self
                .expire(account, "the OAuth grant has no refresh token")
                .await);
        };
        let url = oauth::render_url(&connector, token_url, &account.config)?;
        let client = self.oauth_client(&account.connection)?;
        match oauth::token_request(
            &self.client,
            &url,
            client,
            &scheme,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh_token),
            ],
            Some(&current),
        )
        .await
        {
            Ok(oauth::TokenAnswer {
                creds: fresh,
                config: answered,
            }) => {
                let held = lock.account();
                // Config the answer carries (the account's address) is re-read as at the
                // exchange, with the same checks; a refused value keeps everything as it was.
                let config = match moved_config(&connector, &held.config, answered) {
                    Ok(config) => config,
                    Err(e) => {
                        lock.release().await?;
                        return Err(e);
                    }
                };
                let aad = match &config {
                    Some(c) => Aad::new(&held.connection, &held.identifier, held.id, c),
                    None => Aad::for_account(held),
                };
                let sealed = self.vault.seal(&aad, &fresh)?;
                self.cache
                    .invalidate(&account.connection, &account.identifier);
                lock.replace(&sealed, config.as_ref(), None).await?;
                self.cache
                    .invalidate(&account.connection, &account.identifier);
                Ok(fresh)
            }
            Err(TokenError::InvalidGrant(why)) => {
                lock.release().await?;
                Err(self.expire(account, &why).await)
            }
            Err(TokenError::Other(e)) => {
                lock.release().await?;
                Err(e)
            }
        }
    }

    /// Marks the account EXPIRED (its grant ended) and returns the error a call reports.
    async fn expire(&self, account: &AccountRecord, why: &str) -> Error {
        let change = StatusChange::new(
            AccountStatus::Expired,
            "refresh_failed",
            format!("the OAuth authorization ended ({why}); the user must reconnect"),
        );
        match self.set_status(account, &change).await {
            Ok(updated) => self.not_active(&updated),
            Err(e) => e,
        }
    }
}

/// The account's config after a refresh answer carrying `answered` config values: `None` when
/// nothing changes, the checked new config when the answer moved a value, an error (naming the
/// field, never its value's secret parts) when the value is refused.
fn moved_config(
    connector: &Connector,
    current: &AccountConfig,
    answered: serde_json::Map<String, serde_json::Value>,
) -> Result<Option<AccountConfig>> {
    if answered.iter().all(|(k, v)| current.get(k) == Some(v)) {
        return Ok(None);
    }
    let mut merged = current.clone();
    merged.extend(answered);
    let config = connector.normalize_config(&merged)?;
    connector.route.base_url(&config)?;
    Ok((&config != current).then_some(config))
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;

    fn orgs() -> Connector {
        Connector::new(
            crate::testing::orgs_spec(),
            include_str!("../testing/orgs.yaml"),
        )
        .unwrap()
    }

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_refresh_answer_moves_the_address_only_to_a_checked_one() {
        let c = orgs();
        let current = map(json!({"region": "eu",
            "instance_url": "https://acme.orgs.example.com"}));
        let same = map(json!({"instance_url": "https://acme.orgs.example.com"}));
        assert_eq!(moved_config(&c, &current, same).unwrap(), None);
        let moved = map(json!({"instance_url": "https://acme-eu.orgs.example.com"}));
        let config = moved_config(&c, &current, moved).unwrap().unwrap();
        assert_eq!(config["instance_url"], "https://acme-eu.orgs.example.com");
        assert_eq!(config["region"], "eu");
        let hostile = map(json!({"instance_url": "https://evil.example.com"}));
        let err = moved_config(&c, &current, hostile).unwrap_err();
        assert_eq!(err.code(), "INVALID_CONFIG", "{err}");
    }
}
