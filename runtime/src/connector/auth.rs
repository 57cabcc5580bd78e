//! A connector's auth schemes with their templates parsed once, when the connector loads
//! ([`AuthTemplates`]), and how they attach an account's credentials to a request (the engine
//! calls [`AuthTemplates::apply`] for each attempt). Credentials go only into headers (or the
//! query parameter an `api_key` scheme names), never into logs.

use serde_json::{Map, Value};
use toolwire_spec::template::{Template, VarRef, lookup_path};
use toolwire_spec::{ApiKeyLocation, AuthScheme};

use crate::error::{Error, Result};
use crate::vault::Credentials;

/// An auth scheme with its templates parsed.
#[derive(Debug)]
pub(crate) enum AuthTemplates {
    /// HTTP Basic.
    Basic {
        username: Template,
        password: Template,
    },
    /// `Authorization: Bearer`.
    Bearer { token: Template },
    /// A key in a header or query parameter.
    ApiKey {
        location: ApiKeyLocation,
        name: String,
        value: Template,
    },
    /// OAuth: the stored access token as a bearer token.
    OAuth,
}

impl AuthTemplates {
    /// Parses a validated scheme's templates.
    pub(crate) fn new(scheme: &AuthScheme) -> std::result::Result<Self, String> {
        let parse = |t: &str| Template::parse(t).map_err(|e| e.message);
        Ok(match scheme {
            AuthScheme::Basic {
                username, password, ..
            } => AuthTemplates::Basic {
                username: parse(username)?,
                password: parse(password)?,
            },
            AuthScheme::Bearer { token, .. } => AuthTemplates::Bearer {
                token: parse(token)?,
            },
            AuthScheme::ApiKey {
                location,
                name,
                value,
                ..
            } => AuthTemplates::ApiKey {
                location: *location,
                name: name.clone(),
                value: parse(value)?,
            },
            AuthScheme::Oauth2AuthorizationCode { .. }
            | AuthScheme::Oauth2ClientCredentials { .. } => AuthTemplates::OAuth,
        })
    }

    /// Renders the scheme's templates with `creds` without sending anything, so credentials a
    /// request could not carry (a missing field, a line break in a header value) are refused
    /// before they are stored, with the error [`apply`](Self::apply) would give on every call.
    pub(crate) fn check(&self, creds: &Credentials, config: &Map<String, Value>) -> Result<()> {
        match self {
            AuthTemplates::Basic { username, password } => {
                render(username, creds, config)?;
                render(password, creds, config)?;
            }
            AuthTemplates::Bearer { token } => {
                header_text(render(token, creds, config)?)?;
            }
            AuthTemplates::ApiKey {
                location, value, ..
            } => {
                let value = render(value, creds, config)?;
                if *location == ApiKeyLocation::Header {
                    header_text(value)?;
                }
            }
            AuthTemplates::OAuth => {
                if let Some(token) = creds.expose_field("access_token") {
                    header_text(token.to_string())?;
                }
            }
        }
        Ok(())
    }

    /// Adds auth to `request`.
    pub(crate) fn apply(
        &self,
        creds: &Credentials,
        config: &Map<String, Value>,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder> {
        Ok(match self {
            AuthTemplates::Basic { username, password } => request.basic_auth(
                render(username, creds, config)?,
                Some(render(password, creds, config)?),
            ),
            AuthTemplates::Bearer { token } => {
                request.bearer_auth(header_text(render(token, creds, config)?)?)
            }
            AuthTemplates::ApiKey {
                location,
                name,
                value,
            } => {
                let value = render(value, creds, config)?;
                match location {
                    ApiKeyLocation::Header => request.header(name.as_str(), header_text(value)?),
                    ApiKeyLocation::Query => request.query(&[(name.as_str(), value.as_str())]),
                }
            }
            AuthTemplates::OAuth => {
                let token = creds.expose_field("access_token").ok_or_else(|| {
                    Error::InvalidCredentials {
                        message: "the OAuth connection has no access token; reconnect".into(),
                    }
                })?;
                request.bearer_auth(header_text(token.to_string())?)
            }
        })
    }
}

/// Renders a scheme template with `credentials.*` and `config.*`.
fn render(template: &Template, creds: &Credentials, config: &Map<String, Value>) -> Result<String> {
    let lookup = |v: &VarRef| match v.namespace.as_str() {
        "credentials" => creds
            .expose_value(&v.path[0])
            .and_then(|c| lookup_path(c, &v.path[1..])),
        "config" => config
            .get(&v.path[0])
            .and_then(|c| lookup_path(c, &v.path[1..])),
        _ => None,
    };
    template
        .render_string(&lookup)
        .ok_or_else(|| Error::InvalidCredentials {
            message:
                "the stored credentials are missing a field this auth scheme needs; re-enter them"
                    .into(),
        })
}

/// A credential that goes into a header as is must be a valid header value: a pasted token
/// with a line break is the user's to fix (`INVALID_CREDENTIALS`), not a network failure.
fn header_text(value: String) -> Result<String> {
    if reqwest::header::HeaderValue::from_str(&value).is_ok() {
        Ok(value)
    } else {
        Err(Error::InvalidCredentials {
            message: "a stored credential contains a line break or another character that cannot be sent in an HTTP header; re-enter it without one".into(),
        })
    }
}
