//! Which auth scheme credentials are for, and whether they fill it: every field of the scheme
//! present and non-blank, no field it does not have, email fields shaped like an address; for
//! an OAuth authorization-code scheme, the token fields the OAuth flow stores (`access_token`
//! required). Pure checks on the spec, before anything is sealed or sent.

use serde_json::Value;
use toolwire_spec::{AuthScheme, ConnectorSpec};

use crate::error::{Error, Result};
use crate::vault::Credentials;

/// The scheme `credentials` are for (`scheme`, or the one whose fields they fill), checked:
/// returns its name, or `INVALID_CREDENTIALS` naming what is missing or unknown.
pub(super) fn scheme_of(
    spec: &ConnectorSpec,
    scheme: Option<&str>,
    credentials: &Credentials,
) -> Result<String> {
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
                message: missing_fields_message(spec, credentials),
            })?,
    };
    if matches!(auth, AuthScheme::Oauth2AuthorizationCode { .. }) {
        // Extra tokens the spec maps from the token answer (a second token) may be imported too.
        let extra: Vec<String> = crate::oauth::token_mapping(auth)
            .credentials
            .into_keys()
            .filter(|k| k != "expires_in" && !OAUTH_TOKEN_FIELDS.contains(&k.as_str()))
            .collect();
        check_oauth_tokens(auth.title(), credentials, &extra)?;
    }
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
    Ok(scheme_name)
}

/// The fields the OAuth flow stores for an authorization-code grant (see `oauth::token`):
/// `access_token` (required), `refresh_token` and `scope` strings, `expires_at` unix seconds.
const OAUTH_TOKEN_FIELDS: [&str; 4] = ["access_token", "refresh_token", "expires_at", "scope"];

/// Tokens for an authorization-code scheme (e.g. imported from another system): the fields the
/// OAuth flow would have stored, with `access_token` present and non-blank.
fn check_oauth_tokens(title: &str, credentials: &Credentials, extra: &[String]) -> Result<()> {
    let mut parts = vec![];
    if credentials
        .expose_field("access_token")
        .is_none_or(|v| v.trim().is_empty())
    {
        parts.push("missing: access_token".to_string());
    }
    let unknown: Vec<&str> = credentials
        .field_names()
        .filter(|k| !OAUTH_TOKEN_FIELDS.contains(k) && !extra.iter().any(|e| e == k))
        .collect();
    if !unknown.is_empty() {
        parts.push(format!(
            "not token fields of {title} (expected {}): {}",
            OAUTH_TOKEN_FIELDS.join(", "),
            unknown.join(", ")
        ));
    }
    let mistyped: Vec<&str> = OAUTH_TOKEN_FIELDS
        .iter()
        .copied()
        .filter(|k| match credentials.expose_value(k) {
            None => false,
            Some(Value::Number(n)) => *k != "expires_at" || !n.is_i64(),
            Some(Value::String(_)) => *k == "expires_at",
            Some(_) => true,
        })
        .collect();
    if !mistyped.is_empty() {
        parts.push(format!(
            "wrong type (expires_at is unix seconds, the others text): {}",
            mistyped.join(", ")
        ));
    }
    if parts.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidCredentials {
            message: format!("credentials for {title}: {}", parts.join("; ")),
        })
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
