//! The token endpoint: authorization-code exchange and refresh (RFC 6749 §4.1.3, §6).

use std::time::Duration;

use serde_json::Value;
use toolwire_spec::{AuthScheme, ClientAuth};

use super::answer::TokenAnswer;

use crate::error::Error;
use crate::vault::Credentials;

/// An OAuth client registered with the vendor (connection-level).
#[derive(Clone)]
pub struct OAuthClient {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: secrecy::SecretString,
}

impl std::fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Why a token request failed.
pub(crate) enum TokenError {
    /// The grant is dead (`invalid_grant`): the user must reconnect.
    InvalidGrant(String),
    /// Anything else.
    Other(Error),
}

/// Posts a token request for `scheme` and turns the answer into stored credentials and config
/// (see [`super::answer`]); `previous`: the credentials a refresh replaces.
pub(crate) async fn request(
    client: &reqwest::Client,
    token_url: &str,
    oauth: &OAuthClient,
    scheme: &AuthScheme,
    form: &[(&str, &str)],
    previous: Option<&Credentials>,
) -> std::result::Result<TokenAnswer, TokenError> {
    use secrecy::ExposeSecret;
    let basic = matches!(
        scheme,
        AuthScheme::Oauth2AuthorizationCode {
            client_auth: ClientAuth::Basic,
            ..
        }
    );
    let mut body: Vec<(&str, &str)> = form.to_vec();
    if !basic {
        body.push(("client_id", oauth.client_id.as_str()));
        body.push(("client_secret", oauth.client_secret.expose_secret()));
    }
    let mut post = client.post(token_url);
    if basic {
        post = post.basic_auth(&oauth.client_id, Some(oauth.client_secret.expose_secret()));
    }
    let response = post
        .timeout(Duration::from_secs(30))
        .header(reqwest::header::ACCEPT, accept(scheme))
        .form(&body)
        .send()
        .await
        .map_err(|e| {
            TokenError::Other(Error::Network {
                connector: "oauth".into(),
                message: if e.is_timeout() {
                    "token endpoint timed out".into()
                } else {
                    "token endpoint unreachable".into()
                },
            })
        })?;
    let status = response.status().as_u16();
    let json: Value = super::form_body::token_body(response).await;
    // Some token endpoints report errors at HTTP 200 (`{"ok": false, "error": ...}`).
    let error_at_success = json.get("error").is_some_and(Value::is_string)
        || json.get("ok") == Some(&Value::Bool(false));
    if !(200..300).contains(&status) || error_at_success {
        let code = json
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("unknown_error")
            .to_string();
        let description = json
            .get("error_description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let text = if description.is_empty() {
            code.clone()
        } else {
            format!("{code}: {description}")
        };
        return Err(if code == "invalid_grant" {
            TokenError::InvalidGrant(text)
        } else {
            TokenError::Other(Error::OAuth {
                message: format!("the token endpoint answered HTTP {status} ({text})"),
            })
        });
    }
    super::answer::read(
        &json,
        &super::answer::mapping(scheme),
        previous,
        chrono::Utc::now().timestamp(),
    )
    .map_err(|message| TokenError::Other(Error::OAuth { message }))
}

/// The `Accept` header a scheme's token requests carry (`token_accept`, else JSON).
fn accept(scheme: &AuthScheme) -> &str {
    match scheme {
        AuthScheme::Oauth2AuthorizationCode {
            token_accept: Some(accept),
            ..
        } => accept,
        _ => "application/json",
    }
}

/// True when the access token expires within `skew_s` seconds.
pub(crate) fn expiring(creds: &Credentials, skew_s: u64) -> bool {
    creds
        .expose_value("expires_at")
        .and_then(Value::as_i64)
        .is_some_and(|at| at - (skew_s as i64) <= chrono::Utc::now().timestamp())
}

/// The scopes the grant has (space-separated `scope`), when the vendor said.
pub(crate) fn granted_scopes(creds: &Credentials) -> Option<Vec<String>> {
    creds.expose_field("scope").map(|s| {
        s.split([' ', ','])
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
}

/// The refresh skew of a scheme.
pub(crate) fn skew(scheme: &AuthScheme) -> u64 {
    match scheme {
        AuthScheme::Oauth2AuthorizationCode { refresh_skew_s, .. } => *refresh_skew_s,
        _ => 60,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(extra: Value) -> AuthScheme {
        let mut v = serde_json::json!({"type": "oauth2_authorization_code", "title": "Connect",
            "authorize_url": "https://login.example/authorize", "token_url": "https://login.example/token",
            "scopes": ["read"], "client_fields": {}});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn token_requests_accept_the_declared_type_else_json() {
        let declared = scheme(serde_json::json!({"token_accept": "application/vnd.example+json"}));
        assert_eq!(accept(&declared), "application/vnd.example+json");
        assert_eq!(accept(&scheme(serde_json::json!({}))), "application/json");
    }
}
