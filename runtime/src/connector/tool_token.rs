//! A tool's own credential: a tool may declare (`credential: {token: <field>}`) that it sends
//! another stored token than its auth scheme's default, e.g. the second token of an account
//! that holds two. The token goes only into the `Authorization` header, never into logs.

use crate::error::{Error, Result};
use crate::vault::Credentials;

/// Adds `Authorization: Bearer <creds[field]>` to `request`.
pub(crate) fn bearer_from_field(
    creds: &Credentials,
    field: &str,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::RequestBuilder> {
    let token = creds
        .expose_field(field)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::InvalidCredentials {
            message: format!(
                "this connection holds no `{field}` credential, which this tool sends; reconnect granting it"
            ),
        })?;
    if reqwest::header::HeaderValue::from_str(token).is_err() {
        return Err(Error::InvalidCredentials {
            message: format!(
                "the stored `{field}` credential cannot be sent in an HTTP header; reconnect"
            ),
        });
    }
    Ok(request.bearer_auth(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "xoxp-CANARY-7f3a9c";

    fn get() -> reqwest::RequestBuilder {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new().get("https://x.test/")
    }

    #[test]
    fn the_named_token_is_sent_as_a_bearer_token() {
        let creds = Credentials::from_fields([("token", "xoxb-bot"), ("user_token", CANARY)]);
        let request = bearer_from_field(&creds, "user_token", get())
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(
            request.headers()["authorization"],
            format!("Bearer {CANARY}").as_str()
        );
    }

    #[test]
    fn errors_name_the_field_never_the_value() {
        let none = Credentials::from_fields([("token", CANARY)]);
        let err = bearer_from_field(&none, "user_token", get()).unwrap_err();
        assert_eq!(err.code(), "INVALID_CREDENTIALS");
        assert!(err.to_string().contains("user_token"), "{err}");
        let broken = format!("{CANARY}\nx");
        let bad = Credentials::from_fields([("user_token", broken.as_str())]);
        let err = bearer_from_field(&bad, "user_token", get()).unwrap_err();
        assert!(!err.to_string().contains(CANARY), "{err}");
        assert!(!format!("{err:?}").contains(CANARY), "{err:?}");
    }
}
