//! OAuth 2.0 authorization code + PKCE, driven by a spec's `oauth2_authorization_code` scheme:
//! start (authorize URL with a single-use, expiring state bound to connection + identifier),
//! complete (code exchange, live verify, tokens sealed in the vault like any credential), and
//! refresh — before expiry and on `invalid_token` — single-flight per account across processes.

mod pkce;
mod token;

pub use token::OAuthClient;
pub(crate) use token::{expiring, granted_scopes, skew};

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};
use toolwire_spec::AuthScheme;
use toolwire_spec::template::Template;
use uuid::Uuid;

use crate::connector::Connector;
use crate::engine::{Engine, VerifyOutcome, probe};
use crate::error::{Error, Result};
use crate::store::{AccountRecord, AccountStatus, OAuthState, StatusChange};
use crate::vault::{Aad, Credentials};
use token::TokenError;

/// How long an authorization link stays valid.
const STATE_TTL_MIN: i64 = 10;

/// Where to send the user to authorize.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuthorizationRequest {
    /// The vendor's authorize URL with client id, scopes, state and PKCE challenge.
    pub url: String,
    /// When the state stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// The OAuth API of a [`crate::Toolwire`].
pub struct OAuth<'a> {
    pub(crate) engine: &'a Arc<Engine>,
}

fn verifier_aad(connection: &str, identifier: &str, config: &Map<String, Value>) -> Aad {
    Aad::new(
        connection,
        &format!("oauth-state:{identifier}"),
        Uuid::nil(),
        config,
    )
}

impl Engine {
    fn oauth_scheme(
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
        let found = connector
            .spec
            .auth
            .iter()
            .find(|(name, s)| {
                matches!(s, AuthScheme::Oauth2AuthorizationCode { .. })
                    && scheme.is_none_or(|want| want == name.as_str())
            })
            .map(|(n, s)| (n.clone(), s.clone()))
            .ok_or_else(|| Error::OAuth {
                message: format!(
                    "{} has no OAuth authorization-code scheme",
                    connector.spec.title
                ),
            })?;
        Ok((connector, found.0, found.1))
    }

    fn oauth_client(&self, connection: &str) -> Result<&OAuthClient> {
        self.oauth_clients
            .get(connection)
            .ok_or_else(|| Error::OAuth {
                message: format!(
                    "no OAuth client is configured for `{connection}`; set its client id and secret"
                ),
            })
    }

    fn render_oauth_url(
        connector: &Connector,
        template: &str,
        config: &Map<String, Value>,
    ) -> Result<String> {
        let t = Template::parse(template).map_err(|e| Error::Internal(e.message))?;
        let lookup = |v: &toolwire_spec::template::VarRef| {
            if v.namespace == "config" {
                config.get(&v.path[0])
            } else {
                None
            }
        };
        let url = t
            .render_string(&lookup)
            .ok_or_else(|| Error::InvalidConfig {
                field: "config".into(),
                message: "incomplete config".into(),
            })?;
        let parsed = url::Url::parse(&url).map_err(|e| Error::InvalidConfig {
            field: "config".into(),
            message: format!("bad OAuth URL: {e}"),
        })?;
        let base_host = url::Url::parse(&connector.route.base_url(config)?)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        if parsed.scheme() != "https"
            || parsed.port().is_some()
            || !parsed.username().is_empty()
            || parsed.host_str().map(str::to_string) != base_host
        {
            return Err(Error::InvalidConfig {
                field: "config".into(),
                message: "the OAuth URL is not https on the account's host".into(),
            });
        }
        Ok(url)
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
        let usable = !expiring(&current, skew(&scheme));
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
        let url = Self::render_oauth_url(&connector, token_url, &account.config)?;
        let client = self.oauth_client(&account.connection)?;
        match token::request(
            &self.client,
            &url,
            client,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh_token),
            ],
            Some(&refresh_token),
        )
        .await
        {
            Ok(fresh) => {
                let sealed = self.vault.seal(&Aad::for_account(lock.account()), &fresh)?;
                self.cache
                    .invalidate(&account.connection, &account.identifier);
                lock.replace(&sealed, None).await?;
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

impl OAuth<'_> {
    /// Starts an authorization for (connection, identifier): returns the vendor URL to send the
    /// user to. `config` is what the user typed (normalised and validated here).
    pub async fn start(
        &self,
        connection: &str,
        identifier: &str,
        config: &Map<String, Value>,
        redirect_uri: &str,
    ) -> Result<AuthorizationRequest> {
        crate::identifier::check(identifier, "OAuth authorization")?;
        let engine = self.engine;
        let (connector, scheme_name, scheme) = engine.oauth_scheme(connection, None)?;
        let AuthScheme::Oauth2AuthorizationCode {
            authorize_url,
            scopes,
            scope_separator,
            pkce,
            ..
        } = &scheme
        else {
            unreachable!()
        };
        let client = engine.oauth_client(connection)?;
        let config = connector.normalize_config(config)?;
        let mut url = url::Url::parse(&Engine::render_oauth_url(
            &connector,
            authorize_url,
            &config,
        )?)
        .map_err(|e| Error::Internal(e.to_string()))?;
        let state = pkce::random_token(32);
        let verifier = pkce::random_token(48);
        let expires_at = Utc::now() + Duration::minutes(STATE_TTL_MIN);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &client.client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("scope", &scopes.join(scope_separator))
                .append_pair("state", &state);
            if pkce.is_some() {
                q.append_pair("code_challenge", &pkce::challenge(&verifier))
                    .append_pair("code_challenge_method", "S256");
            }
        }
        let sealed = engine.vault.seal(
            &verifier_aad(connection, identifier, &config),
            &Credentials::from_fields([("verifier", verifier.as_str())]),
        )?;
        engine
            .store
            .insert_oauth_state(&OAuthState {
                state_hash: pkce::hash_hex(&state),
                connection: connection.into(),
                identifier: identifier.into(),
                scheme: scheme_name,
                config,
                redirect_uri: redirect_uri.into(),
                verifier: sealed.bytes,
                expires_at,
            })
            .await?;
        Ok(AuthorizationRequest {
            url: url.into(),
            expires_at,
        })
    }

    /// Completes an authorization from the vendor's callback (`state`, `code`): exchanges the
    /// code, verifies the tokens live and makes the account ACTIVE on the OAuth scheme (an
    /// existing API-token account moves in place, history kept). A state works once.
    pub async fn complete(&self, state: &str, code: &str) -> Result<AccountRecord> {
        let engine = self.engine;
        let pending = engine
            .store
            .take_oauth_state(&pkce::hash_hex(state))
            .await?
            .ok_or(Error::OAuthState)?;
        let (connector, _, scheme) =
            engine.oauth_scheme(&pending.connection, Some(&pending.scheme))?;
        let AuthScheme::Oauth2AuthorizationCode { token_url, .. } = &scheme else {
            unreachable!()
        };
        let verifier = engine.vault.unseal(
            &verifier_aad(&pending.connection, &pending.identifier, &pending.config),
            &pending.verifier,
        )?;
        let verifier = verifier
            .expose_field("verifier")
            .ok_or(Error::OAuthState)?
            .to_string();
        let url = Engine::render_oauth_url(&connector, token_url, &pending.config)?;
        let client = engine.oauth_client(&pending.connection)?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", pending.redirect_uri.as_str()),
            ("code_verifier", verifier.as_str()),
        ];
        let creds = match token::request(&engine.client, &url, client, &form, None).await {
            Ok(c) => c,
            Err(TokenError::InvalidGrant(why)) => {
                return Err(Error::OAuth {
                    message: format!("the authorization was refused ({why}); start again"),
                });
            }
            Err(TokenError::Other(e)) => return Err(e),
        };
        let base = connector.route.base_url(&pending.config)?;
        match probe(
            &engine.client,
            &connector.spec,
            &base,
            connector.auth_templates(&pending.scheme)?,
            &creds,
            &pending.config,
        )
        .await
        {
            VerifyOutcome::Valid => {}
            VerifyOutcome::Rejected => {
                return Err(Error::InvalidCredentials {
                    message: "the vendor did not accept the new access token".into(),
                });
            }
            VerifyOutcome::Restricted(v) => {
                return Err(Error::InvalidCredentials {
                    message: engine.restricted_message(v.as_deref()),
                });
            }
            VerifyOutcome::Unknown(e) => return Err(e),
        }
        engine
            .save_credentials(
                &pending.connection,
                &pending.identifier,
                &pending.scheme,
                pending.config.clone(),
                &creds,
                StatusChange::new(
                    AccountStatus::Active,
                    "oauth_connected",
                    "connected with OAuth",
                ),
            )
            .await
    }
}
