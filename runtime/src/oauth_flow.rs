//! The OAuth flow handle ([`OAuth`], from `Toolwire::oauth()`): start an authorization for a
//! (connection, identifier) and complete it from the vendor's callback — code exchange, live
//! verify, tokens sealed in the vault like any credential, account ACTIVE. The protocol pieces
//! are in [`crate::oauth`]; refresh is the engine's.

mod refresh;

use std::sync::Arc;

use serde_json::{Map, Value};
use toolwire_spec::AuthScheme;

use crate::engine::{Engine, VerifyOutcome, probe};
use crate::error::{Error, Result};
use crate::oauth::{self, AuthorizationRequest, TokenError};
use crate::store::{AccountRecord, AccountStatus, OAuthState, StatusChange};
use crate::vault::Credentials;

/// The OAuth API of a [`Toolwire`](crate::Toolwire) (authorization code + PKCE).
pub struct OAuth<'a> {
    engine: &'a Arc<Engine>,
}

impl<'a> OAuth<'a> {
    pub(crate) fn new(engine: &'a Arc<Engine>) -> Self {
        Self { engine }
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
        let AuthScheme::Oauth2AuthorizationCode { authorize_url, .. } = &scheme else {
            unreachable!("checked by oauth_scheme")
        };
        let client = engine.oauth_client(connection)?;
        let config = connector.normalize_config(config)?;
        let authorize_url = oauth::render_url(&connector, authorize_url, &config)?;
        let oauth::NewAuthorization {
            request,
            state,
            verifier,
        } = oauth::new_authorization(&authorize_url, &scheme, client, redirect_uri)?;
        let sealed = engine.vault.seal(
            &oauth::verifier_aad(connection, identifier, &config),
            &Credentials::from_fields([("verifier", verifier.as_str())]),
        )?;
        engine
            .store
            .insert_oauth_state(&OAuthState {
                state_hash: oauth::hash_hex(&state),
                connection: connection.into(),
                identifier: identifier.into(),
                scheme: scheme_name,
                config,
                redirect_uri: redirect_uri.into(),
                verifier: sealed.bytes,
                expires_at: request.expires_at,
            })
            .await?;
        Ok(request)
    }

    /// Completes an authorization from the vendor's callback (`state`, `code`): exchanges the
    /// code, verifies the tokens live and makes the account ACTIVE on the OAuth scheme (an
    /// existing API-token account moves in place, history kept). A state works once.
    pub async fn complete(&self, state: &str, code: &str) -> Result<AccountRecord> {
        let engine = self.engine;
        let pending = engine
            .store
            .take_oauth_state(&oauth::hash_hex(state))
            .await?
            .ok_or(Error::OAuthState)?;
        let (connector, _, scheme) =
            engine.oauth_scheme(&pending.connection, Some(&pending.scheme))?;
        let AuthScheme::Oauth2AuthorizationCode { token_url, .. } = &scheme else {
            unreachable!("checked by oauth_scheme")
        };
        let verifier = engine.vault.unseal(
            &oauth::verifier_aad(&pending.connection, &pending.identifier, &pending.config),
            &pending.verifier,
        )?;
        let verifier = verifier
            .expose_field("verifier")
            .ok_or(Error::OAuthState)?
            .to_string();
        let url = oauth::render_url(&connector, token_url, &pending.config)?;
        let client = engine.oauth_client(&pending.connection)?;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", pending.redirect_uri.as_str()),
        ];
        // The verifier goes only to a vendor the spec says takes PKCE.
        if matches!(
            scheme,
            AuthScheme::Oauth2AuthorizationCode { pkce: Some(_), .. }
        ) {
            form.push(("code_verifier", verifier.as_str()));
        }
        let answer =
            match oauth::token_request(&engine.client, &url, client, &scheme, &form, None).await {
                Ok(a) => a,
                Err(TokenError::InvalidGrant(why)) => {
                    return Err(Error::OAuth {
                        message: format!("the authorization was refused ({why}); start again"),
                    });
                }
                Err(TokenError::Other(e)) => return Err(e),
            };
        let creds = answer.creds;
        // Config values the answer carries (the workspace, or the address the account lives
        // at) are checked like typed ones — pattern, then the base URL's host checks and egress
        // policy — before anything is sent with the new token; a refused one saves nothing.
        let config = if answer.config.is_empty() {
            pending.config.clone()
        } else {
            let mut merged = pending.config.clone();
            merged.extend(answer.config);
            connector.normalize_config(&merged)?
        };
        let base = connector.route.base_url(&config)?;
        match probe(
            &engine.client,
            &connector.spec,
            &base,
            connector.auth_templates(&pending.scheme)?,
            &creds,
            &config,
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
                config,
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
