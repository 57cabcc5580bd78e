//! The authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636): the vendor URL with the
//! client id, scopes, a random state and the S256 challenge, and how the PKCE verifier is kept
//! until the callback (sealed, bound to the connection, identifier and config).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};
use toolwire_spec::AuthScheme;
use uuid::Uuid;

use super::pkce;
use super::token::OAuthClient;
use crate::error::{Error, Result};
use crate::vault::Aad;

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

/// A new authorization: the request to hand out, and the secrets to keep until the callback.
pub(crate) struct NewAuthorization {
    /// The URL and its expiry.
    pub request: AuthorizationRequest,
    /// The state value (stored only as its hash).
    pub state: String,
    /// The PKCE verifier (stored sealed).
    pub verifier: String,
}

/// Builds the authorize request for `scheme` (an `oauth2_authorization_code` scheme) on
/// `authorize_url` (already rendered for the account).
pub(crate) fn new_authorization(
    authorize_url: &str,
    scheme: &AuthScheme,
    client: &OAuthClient,
    redirect_uri: &str,
) -> Result<NewAuthorization> {
    let AuthScheme::Oauth2AuthorizationCode {
        scopes,
        scope_separator,
        scope_params,
        pkce,
        ..
    } = scheme
    else {
        return Err(Error::Internal(
            "an authorization needs an OAuth authorization-code scheme".into(),
        ));
    };
    let mut url = url::Url::parse(authorize_url).map_err(|e| Error::Internal(e.to_string()))?;
    let state = pkce::random_token(32);
    let verifier = pkce::random_token(48);
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &scopes.join(scope_separator))
            .append_pair("state", &state);
        for (param, extra) in scope_params {
            q.append_pair(param, &extra.join(scope_separator));
        }
        if pkce.is_some() {
            q.append_pair("code_challenge", &pkce::challenge(&verifier))
                .append_pair("code_challenge_method", "S256");
        }
    }
    Ok(NewAuthorization {
        request: AuthorizationRequest {
            url: url.into(),
            expires_at: Utc::now() + Duration::minutes(STATE_TTL_MIN),
        },
        state,
        verifier,
    })
}

/// What a pending authorization's sealed verifier is bound to.
pub(crate) fn verifier_aad(connection: &str, identifier: &str, config: &Map<String, Value>) -> Aad {
    Aad::new(
        connection,
        &format!("oauth-state:{identifier}"),
        Uuid::nil(),
        config,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_scope_lists_go_under_their_own_parameter_with_the_declared_separator() {
        let spec = crate::testing::chat_spec();
        let client = OAuthClient {
            client_id: "cid".into(),
            client_secret: secrecy::SecretString::from("s".to_string()),
        };
        let auth = new_authorization(
            "https://chat.example.com/oauth/authorize",
            &spec.auth["oauth2"],
            &client,
            "https://app.example.com/cb",
        )
        .unwrap();
        let url = url::Url::parse(&auth.request.url).unwrap();
        let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(q["scope"], "channels:read,chat:write,users:read");
        assert_eq!(q["user_scope"], "search:read");
        assert_eq!(q["state"], auth.state);
        // No PKCE declared: no challenge is sent.
        assert!(!q.contains_key("code_challenge"));
    }
}
