//! The cassette file as typed data: a default account, then named cassettes, each a list of
//! steps (a tool call, an OAuth code exchange or a forced refresh) with the exact HTTP
//! exchanges the step must make and what it must produce. `load.rs` checks the shape (with
//! locations) before these types are filled.

use serde::Deserialize;
use serde_json::{Map, Value};

/// The value that matches anything in a request (`"{{any}}"`), for parts the engine makes up
/// at run time (a PKCE verifier, an idempotency key).
pub const ANY: &str = "{{any}}";

/// One `connectors/cassettes/<name>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CassetteFile {
    /// Always 1.
    pub spec_version: u32,
    /// Must equal the spec's `connector`.
    pub connector: String,
    /// The account every cassette starts from (each may override parts).
    #[serde(default)]
    pub account: AccountSpec,
    /// The OAuth client the runner configures (defaults: [`DEFAULT_CLIENT_ID`] / [`DEFAULT_CLIENT_SECRET`]).
    #[serde(default)]
    pub oauth_client: Option<OAuthClientSpec>,
    /// The cassettes, run in order, each on a fresh store.
    pub cassettes: Vec<Cassette>,
}

/// The OAuth client id the runner registers unless the file names one.
pub const DEFAULT_CLIENT_ID: &str = "cassette_client_id";
/// The OAuth client secret the runner registers unless the file names one.
pub const DEFAULT_CLIENT_SECRET: &str = "cassette_client_secret";
/// The redirect URI of OAuth exchanges unless the step names one.
pub const DEFAULT_REDIRECT_URI: &str = "https://app.example.com/oauth/callback";

/// An OAuth client (fake values).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthClientSpec {
    /// Client id sent to the token endpoint.
    pub client_id: String,
    /// Client secret sent to the token endpoint.
    pub client_secret: String,
}

/// An account: auth scheme, config and credentials; every part optional so a cassette can
/// override just one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// Auth scheme name from the spec.
    #[serde(default)]
    pub auth: Option<String>,
    /// Account config values.
    #[serde(default)]
    pub config: Option<Map<String, Value>>,
    /// Credential fields of the scheme (fake values only).
    #[serde(default)]
    pub credentials: Option<Map<String, Value>>,
}

impl AccountSpec {
    /// `over` merged over `self`: config key by key; credentials, when given, replace the
    /// default ones whole (they belong to one auth scheme).
    pub fn merged(&self, over: Option<&AccountSpec>) -> AccountSpec {
        let Some(over) = over else {
            return self.clone();
        };
        let merge = |a: &Option<Map<String, Value>>, b: &Option<Map<String, Value>>| match (a, b) {
            (Some(a), Some(b)) => {
                let mut m = a.clone();
                m.extend(b.clone());
                Some(m)
            }
            (a, None) => a.clone(),
            (None, b) => b.clone(),
        };
        AccountSpec {
            auth: over.auth.clone().or_else(|| self.auth.clone()),
            config: merge(&self.config, &over.config),
            // Credentials belong to one scheme: an override replaces them whole.
            credentials: over
                .credentials
                .clone()
                .or_else(|| self.credentials.clone()),
        }
    }
}

/// One named scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// Unique, `[a-z0-9_]+`.
    pub name: String,
    /// Where the recorded data comes from (a reference file or a doc URL).
    pub source: String,
    /// Overrides of the file's default account.
    #[serde(default)]
    pub account: Option<AccountSpec>,
    /// Run in order against one fresh account.
    pub steps: Vec<Step>,
}

/// One step: what it does, the exchanges it must make, what it must produce.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A tool call.
    #[serde(default)]
    pub call: Option<Call>,
    /// An OAuth code exchange or a forced refresh.
    #[serde(default)]
    pub oauth: Option<OAuthStep>,
    /// Every HTTP exchange the step makes, in order.
    #[serde(default)]
    pub exchanges: Vec<Exchange>,
    /// What the step must produce.
    #[serde(default)]
    pub expect: Expect,
}

/// A tool call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// The tool's name.
    pub tool: String,
    /// Its input.
    #[serde(default = "empty_object")]
    pub input: Value,
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// `oauth: refresh` or `oauth: {exchange: {code: ...}}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OAuthStep {
    /// `refresh`: force a refresh of the stored token.
    Refresh(String),
    /// An authorization-code exchange.
    Exchange {
        /// The code and optional redirect URI.
        exchange: CodeExchange,
    },
}

/// The code the vendor's callback carried.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeExchange {
    /// The authorization code.
    pub code: String,
    /// The redirect URI registered for the flow (default [`DEFAULT_REDIRECT_URI`]).
    #[serde(default)]
    pub redirect_uri: Option<String>,
}

/// One request the engine must send and the answer it gets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// What must be sent.
    pub request: ExpectedRequest,
    /// What the stand-in answers.
    pub response: Response,
}

/// The request as it must arrive.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRequest {
    /// HTTP method.
    pub method: String,
    /// Path only, percent-encoded as sent.
    pub path: String,
    /// Host, checked when given.
    #[serde(default)]
    pub host: Option<String>,
    /// The exact set of query pairs (omitted = none).
    #[serde(default)]
    pub query: Option<Map<String, Value>>,
    /// Headers that must be present with these values.
    #[serde(default)]
    pub headers: Map<String, Value>,
    /// The exact JSON body.
    #[serde(default)]
    pub json: Option<Value>,
    /// The exact form-encoded body.
    #[serde(default)]
    pub form: Option<Map<String, Value>>,
}

/// The stand-in's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers.
    #[serde(default)]
    pub headers: Map<String, Value>,
    /// A JSON body.
    #[serde(default)]
    pub json: Option<Value>,
    /// A non-JSON body.
    #[serde(default)]
    pub text: Option<String>,
}

/// What a step must produce.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The tool's `data`.
    #[serde(default)]
    pub output: Option<Value>,
    /// The output's next cursor.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// The output's `has_more`.
    #[serde(default)]
    pub has_more: Option<bool>,
    /// The error the step fails with.
    #[serde(default)]
    pub error: Option<ExpectedError>,
    /// The account's status afterwards.
    #[serde(default)]
    pub account_status: Option<String>,
    /// A subset of the stored credential fields afterwards.
    #[serde(default)]
    pub credentials: Option<Map<String, Value>>,
}

/// An expected error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedError {
    /// The stable code.
    pub code: String,
    /// Seconds the caller is told to wait.
    #[serde(default)]
    pub retry_after_s: Option<u64>,
    /// A subset of the error's details.
    #[serde(default)]
    pub details: Option<Value>,
    /// Text the message must contain.
    #[serde(default)]
    pub message_contains: Option<String>,
}
