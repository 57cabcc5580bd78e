//! Auth schemes and the credential verify probe.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::errors::BodyMatch;
use super::tool::HttpMethod;

/// How requests authenticate; the map key in `auth:` names the scheme.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthScheme {
    /// HTTP Basic with composed username and password templates.
    Basic {
        /// Label for forms.
        title: String,
        /// Credential fields the user enters.
        fields: IndexMap<String, CredentialField>,
        /// Username template, e.g. `{{credentials.email}}/token`.
        username: String,
        /// Password template.
        password: String,
        /// The vendor retires this scheme on this date (`YYYY-MM-DD`).
        #[serde(default)]
        sunset: Option<String>,
        /// Accounts unused this many days are deactivated by the vendor.
        #[serde(default)]
        inactivity_days: Option<u32>,
    },
    /// `Authorization: Bearer {{credentials.<field>}}` with a static token.
    Bearer {
        /// Label for forms.
        title: String,
        /// Credential fields the user enters.
        fields: IndexMap<String, CredentialField>,
        /// Token template.
        token: String,
        /// Retirement date.
        #[serde(default)]
        sunset: Option<String>,
    },
    /// An API key in a header or query parameter.
    ApiKey {
        /// Label for forms.
        title: String,
        /// Credential fields the user enters.
        fields: IndexMap<String, CredentialField>,
        /// Where the key goes.
        #[serde(rename = "in")]
        location: ApiKeyLocation,
        /// Header or query parameter name.
        name: String,
        /// Value template.
        value: String,
        /// Retirement date.
        #[serde(default)]
        sunset: Option<String>,
    },
    /// OAuth 2.0 authorization code grant (with PKCE), bearer access tokens.
    Oauth2AuthorizationCode {
        /// Label for the connect button.
        title: String,
        /// Authorization endpoint template.
        authorize_url: String,
        /// Token endpoint template.
        token_url: String,
        /// PKCE method.
        #[serde(default)]
        pkce: Option<Pkce>,
        /// Scopes requested.
        scopes: Vec<String>,
        /// Scope separator in the authorize URL.
        #[serde(default = "default_scope_separator")]
        scope_separator: String,
        /// More scope lists, each sent under its own authorize-URL parameter (e.g. scopes for a
        /// second token the vendor issues alongside the first), joined with `scope_separator`.
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        scope_params: IndexMap<String, Vec<String>>,
        /// Where the token endpoint's answer keeps each stored value (absent = the standard
        /// RFC 6749 fields at the top level).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_response: Option<Box<TokenResponseMap>>,
        /// How the client authenticates at the token endpoint.
        #[serde(default, skip_serializing_if = "ClientAuth::is_body")]
        client_auth: ClientAuth,
        /// The `Accept` header sent to the token endpoint (absent: `application/json`). Some
        /// endpoints answer form-encoded unless asked for JSON; a form answer is read either way.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_accept: Option<String>,
        /// How refresh tokens behave.
        #[serde(default)]
        refresh: RefreshKind,
        /// Refresh this many seconds before the access token expires.
        #[serde(default = "default_refresh_skew")]
        refresh_skew_s: u64,
        /// Connection-level client fields (client id, secret), stored in the vault.
        client_fields: IndexMap<String, CredentialField>,
    },
    /// OAuth 2.0 client credentials grant.
    Oauth2ClientCredentials {
        /// Label for forms.
        title: String,
        /// Token endpoint template.
        token_url: String,
        /// Scopes requested.
        #[serde(default)]
        scopes: Vec<String>,
        /// Client fields entered per account.
        fields: IndexMap<String, CredentialField>,
    },
}

fn default_scope_separator() -> String {
    " ".into()
}

fn default_refresh_skew() -> u64 {
    60
}

impl AuthScheme {
    /// The form label.
    pub fn title(&self) -> &str {
        match self {
            AuthScheme::Basic { title, .. }
            | AuthScheme::Bearer { title, .. }
            | AuthScheme::ApiKey { title, .. }
            | AuthScheme::Oauth2AuthorizationCode { title, .. }
            | AuthScheme::Oauth2ClientCredentials { title, .. } => title,
        }
    }

    /// The credential fields a user enters for this scheme (none for the authorization code
    /// grant, whose tokens come from the vendor).
    pub fn fields(&self) -> Option<&IndexMap<String, CredentialField>> {
        match self {
            AuthScheme::Basic { fields, .. }
            | AuthScheme::Bearer { fields, .. }
            | AuthScheme::ApiKey { fields, .. }
            | AuthScheme::Oauth2ClientCredentials { fields, .. } => Some(fields),
            AuthScheme::Oauth2AuthorizationCode { .. } => None,
        }
    }

    /// The retirement date, when the vendor announced one.
    pub fn sunset(&self) -> Option<&str> {
        match self {
            AuthScheme::Basic { sunset, .. }
            | AuthScheme::Bearer { sunset, .. }
            | AuthScheme::ApiKey { sunset, .. } => sunset.as_deref(),
            _ => None,
        }
    }

    /// True for OAuth schemes (tokens that expire and refresh).
    pub fn is_oauth(&self) -> bool {
        matches!(
            self,
            AuthScheme::Oauth2AuthorizationCode { .. } | AuthScheme::Oauth2ClientCredentials { .. }
        )
    }
}

/// Where the token endpoint's answer keeps what is stored: credential fields and account
/// config values, each by JSON pointer into the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenResponseMap {
    /// Stored credential field → pointer. `access_token` (required), `refresh_token`,
    /// `expires_in` (seconds; stored as `expires_at`) and `scope` drive the OAuth machinery;
    /// any other name is stored as an extra secret token field (e.g. a second token a tool may
    /// declare as its `credential`).
    #[serde(default)]
    pub credentials: IndexMap<String, String>,
    /// Account config field → pointer: the value is saved in the account's config and checked
    /// like any config value (normalised, pattern). Each name must be a declared config field.
    #[serde(default)]
    pub config: IndexMap<String, String>,
}

impl TokenResponseMap {
    /// The standard mapping: RFC 6749 fields at the top level of the answer.
    pub fn standard() -> Self {
        TokenResponseMap {
            credentials: [
                ("access_token", "/access_token"),
                ("refresh_token", "/refresh_token"),
                ("expires_in", "/expires_in"),
                ("scope", "/scope"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            config: IndexMap::new(),
        }
    }
}

/// How an OAuth client proves itself at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body.
    #[default]
    Body,
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1).
    Basic,
}

impl ClientAuth {
    /// True for the default.
    pub fn is_body(&self) -> bool {
        *self == ClientAuth::Body
    }
}

/// A credential field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialField {
    /// Label for forms.
    pub title: String,
    /// Help text.
    #[serde(default)]
    pub description: String,
    /// Secret fields are vaulted, never shown, never logged.
    #[serde(default)]
    pub secret: bool,
    /// A well-known format checked on entry (`email`).
    #[serde(default)]
    pub format: Option<String>,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
}

/// PKCE challenge method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pkce {
    /// SHA-256 challenge.
    S256,
}

/// Refresh-token behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshKind {
    /// Each refresh returns a new refresh token and invalidates the old one.
    #[default]
    Rotating,
    /// The refresh token stays valid.
    Reusable,
    /// No refresh tokens.
    None,
}

/// The request that proves credentials work, and what its response must contain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path relative to the base URL.
    pub path: String,
    /// A GraphQL probe: its document (no variables from inputs), sent as the JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphql: Option<super::GraphqlRequest>,
    /// Every expectation must hold on a 2xx response.
    #[serde(default)]
    pub expect: Vec<BodyMatch>,
    /// Shown when an expectation fails.
    #[serde(default)]
    pub failure_message: Option<String>,
}
