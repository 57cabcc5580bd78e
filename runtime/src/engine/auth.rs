//! Attaches an account's credentials to a request, as its auth scheme says. Credentials go
//! only into headers (or the query parameter an `api_key` scheme names), never into logs.

use serde_json::{Map, Value};
use toolwire_spec::AuthScheme;
use toolwire_spec::template::{Template, VarRef, lookup_path};

use crate::error::{Error, Result};
use crate::vault::Credentials;

/// Renders a scheme template with `credentials.*` and `config.*`.
pub(crate) fn render(
    template: &str,
    creds: &Credentials,
    config: &Map<String, Value>,
) -> Result<String> {
    let t = Template::parse(template).map_err(|e| Error::Internal(e.message))?;
    let lookup = |v: &VarRef| match v.namespace.as_str() {
        "credentials" => creds
            .expose_value(&v.path[0])
            .and_then(|c| lookup_path(c, &v.path[1..])),
        "config" => config
            .get(&v.path[0])
            .and_then(|c| lookup_path(c, &v.path[1..])),
        _ => None,
    };
    t.render_string(&lookup)
        .ok_or_else(|| Error::InvalidCredentials {
            message:
                "the stored credentials are missing a field this auth scheme needs; re-enter them"
                    .into(),
        })
}

/// Adds auth to `request`.
pub(crate) fn apply(
    scheme: &AuthScheme,
    creds: &Credentials,
    config: &Map<String, Value>,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::RequestBuilder> {
    Ok(match scheme {
        AuthScheme::Basic {
            username, password, ..
        } => request.basic_auth(
            render(username, creds, config)?,
            Some(render(password, creds, config)?),
        ),
        AuthScheme::Bearer { token, .. } => request.bearer_auth(render(token, creds, config)?),
        AuthScheme::ApiKey {
            location,
            name,
            value,
            ..
        } => {
            let value = render(value, creds, config)?;
            match location {
                toolwire_spec::ApiKeyLocation::Header => request.header(name.as_str(), value),
                toolwire_spec::ApiKeyLocation::Query => {
                    request.query(&[(name.as_str(), value.as_str())])
                }
            }
        }
        AuthScheme::Oauth2AuthorizationCode { .. } | AuthScheme::Oauth2ClientCredentials { .. } => {
            let token =
                creds
                    .expose_field("access_token")
                    .ok_or_else(|| Error::InvalidCredentials {
                        message: "the OAuth connection has no access token; reconnect".into(),
                    })?;
            request.bearer_auth(token)
        }
    })
}
