//! The typed connector spec. Field names follow the YAML keys; `connector.schema.json`
//! describes the same shape for editors, and the loader checks both agree.

mod auth;
mod errors;
mod graphql;
mod projection;
mod tool;
mod wire;

pub use auth::*;
pub use errors::*;
pub use graphql::*;
pub use projection::*;
pub use tool::*;
pub use wire::*;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::template::Template;

/// One connector: everything needed to call one SaaS API for many tenants.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorSpec {
    /// Format version; only `1` exists.
    pub spec_version: u32,
    /// Connector name (`zendesk`): lowercase, used as the default connection name.
    pub connector: String,
    /// Human name (`Zendesk Support`).
    pub title: String,
    /// What the connector is for, shown in catalogs.
    #[serde(default)]
    pub description: String,
    /// Base-URL template, e.g. `https://{{config.subdomain}}.zendesk.com/api/v2`.
    pub base_url: String,
    /// Per-account configuration (non-secret, used for routing), e.g. `subdomain`.
    #[serde(default)]
    pub config: IndexMap<String, ConfigVar>,
    /// Headers sent on every request (tools and the verify probe), e.g. an API version.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
    /// The hosts the base URL may name when its host comes from account config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Egress>,
    /// Auth schemes by name (`api_token`, `oauth2`).
    pub auth: IndexMap<String, AuthScheme>,
    /// The probe that proves credentials work.
    pub verify: Verify,
    /// Default retry policy for all tools.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// Error rules, first match wins.
    #[serde(default)]
    pub errors: Vec<ErrorRule>,
    /// Named output models (JSON Schemas), referenced as `{"$ref": "#/models/Name"}`.
    #[serde(default)]
    pub models: IndexMap<String, Value>,
    /// The tools.
    pub tools: Vec<ToolSpec>,
}

impl ConnectorSpec {
    /// The tool named `name`.
    pub fn tool(&self, name: &str) -> Option<&ToolSpec> {
        self.tools.iter().find(|t| t.name == name)
    }

    /// The parsed base-URL template.
    pub fn base_url_template(&self) -> Template {
        Template::parse(&self.base_url).expect("validated at load")
    }

    /// A tool's output schema with `#/models/..` references resolved into `$defs`: the
    /// projected shape when the tool declares a projection.
    pub fn output_schema(&self, tool: &ToolSpec) -> Option<Value> {
        Some(self.inline_models(&self.tool_output(tool)?))
    }

    /// A tool's output schema as declared (models still referenced), projected when the tool
    /// declares `response.project`: the shape callers receive by default.
    pub fn tool_output(&self, tool: &ToolSpec) -> Option<Value> {
        let output = tool.response.output.as_ref()?;
        Some(match &tool.response.project {
            Some(p) => p.schema(&self.models, output),
            None => output.clone(),
        })
    }

    /// `schema` with every `#/models/X` reference rewritten to `#/$defs/X` and the models it
    /// uses (transitively) placed in `$defs`.
    pub fn inline_models(&self, schema: &Value) -> Value {
        let mut used = Vec::new();
        let mut out = rewrite_refs(schema, &mut used);
        let mut defs = serde_json::Map::new();
        let mut i = 0;
        while i < used.len() {
            let name = used[i].clone();
            if let Some(model) = self.models.get(&name) {
                let rewritten = rewrite_refs(model, &mut used);
                defs.insert(name, rewritten);
            }
            i += 1;
        }
        if let (false, Value::Object(map)) = (defs.is_empty(), &mut out) {
            map.insert("$defs".into(), Value::Object(defs));
        }
        out
    }
}

fn rewrite_refs(schema: &Value, used: &mut Vec<String>) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    if let Some(name) = v
                        .as_str()
                        .and_then(|s| s.strip_prefix("#/models/"))
                        .filter(|_| k == "$ref")
                    {
                        if !used.iter().any(|u| u == name) {
                            used.push(name.to_string());
                        }
                        return (k.clone(), Value::String(format!("#/$defs/{name}")));
                    }
                    (k.clone(), rewrite_refs(v, used))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| rewrite_refs(v, used)).collect()),
        other => other.clone(),
    }
}

/// One per-account configuration variable.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigVar {
    /// Label for forms.
    pub title: String,
    /// Help text for forms and errors.
    #[serde(default)]
    pub description: String,
    /// Always `string` in v1.
    #[serde(rename = "type")]
    pub kind: ConfigType,
    /// The normalised value must match this regex (anchored).
    pub pattern: String,
    /// Steps applied, in order, to what a user typed before the pattern check.
    #[serde(default)]
    pub normalize: Vec<Normalize>,
    /// An example value for forms and docs.
    #[serde(default)]
    pub example: Option<String>,
    /// False when the value may be absent (e.g. one the OAuth token answer fills in, shown as
    /// information); such a field may not appear in `base_url`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The type of a config variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigType {
    /// Text.
    String,
}

/// A normalisation step for a config value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalize {
    /// Remove surrounding whitespace.
    Trim,
    /// ASCII-lowercase.
    Lowercase,
    /// Drop a leading `http://` or `https://` (any other scheme is left, so the pattern refuses it).
    StripScheme,
    /// Drop everything from the first `/`, `?` or `#` — unless what would be dropped holds a
    /// dot-segment (`..`, `%2e`): no pasted URL has one, so the value is left as typed and the
    /// config pattern refuses it.
    StripPath,
    /// Drop this suffix when present (case-insensitive).
    StripSuffix(String),
}

impl Normalize {
    /// Applies the step.
    pub fn apply(&self, value: &str) -> String {
        match self {
            Normalize::Trim => value.trim().to_string(),
            Normalize::Lowercase => value.to_ascii_lowercase(),
            Normalize::StripScheme => {
                let lower = value.to_ascii_lowercase();
                ["https://", "http://"]
                    .iter()
                    .find(|scheme| lower.starts_with(*scheme))
                    .map_or_else(
                        || value.to_string(),
                        |scheme| value[scheme.len()..].to_string(),
                    )
            }
            Normalize::StripPath => match value.find(['/', '?', '#']) {
                Some(i) if !has_dot_segment(&value[i..]) => value[..i].to_string(),
                _ => value.to_string(),
            },
            Normalize::StripSuffix(suffix) => {
                let lower = value.to_ascii_lowercase();
                if lower.ends_with(&suffix.to_ascii_lowercase()) && value.len() > suffix.len() {
                    value[..value.len() - suffix.len()].to_string()
                } else {
                    value.to_string()
                }
            }
        }
    }
}

/// Default retry behaviour; tools may only be retried when safe (see [`ToolSpec::retry_safe`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Total attempts including the first.
    #[serde(default = "RetryPolicy::default_attempts")]
    pub max_attempts: u32,
    /// Backoff base in milliseconds (full jitter).
    #[serde(default = "RetryPolicy::default_base")]
    pub base_delay_ms: u64,
    /// Backoff cap in milliseconds.
    #[serde(default = "RetryPolicy::default_max")]
    pub max_delay_ms: u64,
    /// The longest `Retry-After` honoured by waiting; longer ones fail fast with `retry_after_s`.
    #[serde(default = "RetryPolicy::default_retry_after_cap")]
    pub retry_after_cap_s: u64,
    /// Per-request timeout in milliseconds.
    #[serde(default = "RetryPolicy::default_timeout")]
    pub timeout_ms: u64,
}

impl RetryPolicy {
    fn default_attempts() -> u32 {
        3
    }
    fn default_base() -> u64 {
        200
    }
    fn default_max() -> u64 {
        5_000
    }
    fn default_retry_after_cap() -> u64 {
        10
    }
    fn default_timeout() -> u64 {
        30_000
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: Self::default_attempts(),
            base_delay_ms: Self::default_base(),
            max_delay_ms: Self::default_max(),
            retry_after_cap_s: Self::default_retry_after_cap(),
            timeout_ms: Self::default_timeout(),
        }
    }
}

/// Whether a URL tail holds a dot-segment, plain or percent-encoded.
fn has_dot_segment(tail: &str) -> bool {
    let lower = tail.to_ascii_lowercase();
    lower.contains("..") || lower.contains("%2e")
}
