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
