//! Tools: input schema, request mapping, response selection, pagination and quirks.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One agent-callable operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolSpec {
    /// Tool name, `^[a-z][a-z0-9_]{0,63}$` (valid for MCP, OpenAI and Anthropic).
    pub name: String,
    /// Short human title.
    pub title: String,
    /// Written for an LLM choosing a tool: when to use it and what it returns.
    pub description: String,
    /// MCP annotations, always explicit.
    pub annotations: Annotations,
    /// OAuth scopes the tool needs (any one of the listed sets' members, all required).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// JSON Schema (draft 2020-12) of the input object.
    pub input: Value,
    /// How the input becomes an HTTP request.
    pub request: RequestSpec,
    /// How the response becomes the tool's output.
    #[serde(default)]
    pub response: ResponseSpec,
    /// How the tool pages; declared, never inferred.
    #[serde(default)]
    pub pagination: Pagination,
    /// Declarative write strategies run after (or instead of) the main request.
    #[serde(default)]
    pub quirks: Vec<Quirk>,
    /// Which stored credential the tool authenticates with, when not the scheme's default
    /// (e.g. an account holding two tokens, one of which only some tools use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<ToolCredential>,
}

/// The credential a tool sends instead of its auth scheme's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolCredential {
    /// The stored credential field sent as `Authorization: Bearer <value>`. An account without
    /// it cannot run the tool: the call fails before any request, asking for a reconnect.
    pub token: String,
    /// The stored credential field listing the scopes that token was granted (checked against
    /// the tool's `scopes` for OAuth accounts); absent = not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl ToolSpec {
    /// True when repeating the call cannot duplicate an effect: read-only or idempotent
    /// tools, or requests that carry an idempotency key.
    pub fn retry_safe(&self) -> bool {
        self.annotations.read_only
            || self.annotations.idempotent
            || self.request.idempotency.is_some()
    }

    /// Names of the input's top-level properties.
    pub fn input_properties(&self) -> Vec<&str> {
        self.input
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Names of the required inputs.
    pub fn required_inputs(&self) -> Vec<&str> {
        self.input
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// MCP tool annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotations {
    /// Does not change anything.
    pub read_only: bool,
    /// May destroy or overwrite data (only meaningful when not read-only).
    pub destructive: bool,
    /// Repeating the same call has no further effect.
    pub idempotent: bool,
    /// Talks to an external system.
    pub open_world: bool,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl HttpMethod {
    /// The method name.
    pub fn as_str(&self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// True for methods that must not change state.
    pub fn is_safe(&self) -> bool {
        matches!(self, HttpMethod::Get)
    }
}

/// The main request of a tool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path relative to the base URL; `{name}` is the percent-encoded input `name`.
    pub path: String,
    /// Query parameters: name → template; absent values are left out, arrays comma-joined.
    #[serde(default)]
    pub query: IndexMap<String, String>,
    /// Extra headers: name → template.
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// JSON body template (structured; keeps types; drops absent optionals).
    #[serde(default)]
    pub body: Option<Value>,
    /// A GraphQL document and its variables, sent as the JSON body
    /// `{"query", "variables", "operationName"}` (instead of `body`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphql: Option<super::GraphqlRequest>,
    /// How the rendered body is sent: JSON (default) or form-encoded.
    #[serde(default, skip_serializing_if = "BodyEncoding::is_json")]
    pub body_encoding: BodyEncoding,
    /// Skip this request when the body renders empty (a quirk does the work).
    #[serde(default)]
    pub skip_if_body_empty: bool,
    /// Send an idempotency key so retries cannot duplicate the effect.
    #[serde(default)]
    pub idempotency: Option<Idempotency>,
}

/// How a request body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// `application/json`: the rendered body as is.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`: the rendered body's top-level keys become pairs;
    /// strings go as they are, numbers and booleans as their JSON text, arrays and objects as
    /// JSON text (absent optional inputs are left out, as in a JSON body).
    Form,
}

impl BodyEncoding {
    /// True for the default (JSON).
    pub fn is_json(&self) -> bool {
        *self == BodyEncoding::Json
    }

    /// The form pairs of a rendered body object (`None` when it is not an object).
    pub fn form_pairs(body: &Value) -> Option<Vec<(String, String)>> {
        let map = body.as_object()?;
        Some(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect(),
        )
    }
}

/// Idempotency key handling.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Idempotency {
    /// Header carrying the key.
    pub header: String,
    /// Input whose value is the key when given; otherwise one key per execution.
    #[serde(default)]
    pub input: Option<String>,
}

/// How the response body becomes the output.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// A pointer (`/ticket`) or an object of name → pointer; absent = whole body.
    #[serde(default)]
    pub select: Option<Selection>,
    /// JSON Schema of the output (may `$ref` `#/models/Name`).
    #[serde(default)]
    pub output: Option<Value>,
    /// How the selected output is reshaped for a model (absent: returned as selected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<super::Projection>,
    /// The body used when the vendor answers with none (e.g. `204 No Content` to an update):
    /// a body template over the inputs (`{id: "{{input.id}}", updated: true}`), then selected
    /// like any body. Absent: such an answer is `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_content: Option<Value>,
}

/// What to keep of a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Selection {
    /// One JSON pointer.
    Pointer(String),
    /// Output field → JSON pointer; missing pointers are left out.
    Fields(IndexMap<String, String>),
}

impl Selection {
    /// Applies the selection to a body, moving the selected values out of it (no copies).
    pub fn take_from(&self, body: &mut Value) -> Value {
        match self {
            Selection::Pointer(p) => body.pointer_mut(p).map(Value::take).unwrap_or(Value::Null),
            // Every field keeps a top-level key under its own name: drop the other keys in
            // place instead of building a new object.
            Selection::Fields(fields) if body.is_object() && fields.iter().all(keeps_own_key) => {
                if let Value::Object(map) = body {
                    map.retain(|key, _| fields.contains_key(key));
                }
                body.take()
            }
            Selection::Fields(fields) => Value::Object(
                fields
                    .iter()
                    .filter_map(|(name, p)| body.pointer_mut(p).map(|v| (name.clone(), v.take())))
                    .collect(),
            ),
        }
    }
}

/// Whether a selected field is the body's top-level key of the same name (`ticket: /ticket`).
fn keeps_own_key((name, pointer): (&String, &String)) -> bool {
    pointer.strip_prefix('/') == Some(name.as_str()) && !name.contains(['/', '~'])
}

/// Pagination style.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum Pagination {
    /// One page only.
    #[default]
    None,
    /// Page numbers: the next call passes `page_input` = current + 1.
    Offset {
        /// Input holding the page number.
        page_input: String,
        /// Pointer that is non-null when a next page exists.
        next: String,
        /// Pointer to the total count, when the API gives one.
        #[serde(default)]
        count: Option<String>,
    },
    /// Opaque cursors: the next call passes `cursor_input` = the returned cursor.
    Cursor {
        /// Input holding the cursor.
        cursor_input: String,
        /// Pointer to the next cursor.
        next_cursor: String,
        /// Pointer to a has-more flag.
        #[serde(default)]
        has_more: Option<String>,
    },
    /// The next page is the `rel="next"` URL of the response's `Link` header (RFC 8288): it is
    /// returned as the cursor, and passing it back as `cursor_input` requests that URL exactly
    /// (its path may differ), provided it has the base URL's scheme, host and port.
    LinkHeader {
        /// Input holding the next-page URL.
        cursor_input: String,
    },
    /// Relay connections (GraphQL): the next call passes `cursor_input` (the `after`
    /// variable's input) = the connection's `pageInfo.endCursor`; more pages exist while
    /// `pageInfo.hasNextPage` is true.
    Relay {
        /// Input holding the cursor (mapped to the document's `after` variable).
        cursor_input: String,
        /// Pointer to the connection's `pageInfo` object (`/data/issues/pageInfo`).
        page_info: String,
    },
    /// The next page's URL is in the response body at `next_url`: a path on the base URL's
    /// server (`/api/v1/query/42-2000`) or a whole URL. It is returned as the cursor, and
    /// passing it back as `cursor_input` requests it, provided it resolves to the base URL's
    /// scheme, host and port. Paging stops when `done` is true or `next_url` is absent.
    NextUrl {
        /// Input holding the next-page URL.
        cursor_input: String,
        /// Pointer to the next page's URL.
        next_url: String,
        /// Pointer to a flag that is true on the last page.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done: Option<String>,
    },
}

/// A declarative write strategy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Quirk {
    /// Change only some members of a collection (e.g. tags) through dedicated add/remove
    /// endpoints guarded by a concurrency token, re-reading and retrying on conflict.
    CollectionDelta {
        /// Input listing members to add.
        add_input: String,
        /// Input listing members to remove.
        remove_input: String,
        /// Request adding `{{delta.items}}` with `{{delta.token}}`.
        add: StepRequest,
        /// Request removing `{{delta.items}}` with `{{delta.token}}`.
        remove: StepRequest,
        /// Where the concurrency token comes from.
        token: TokenSource,
        /// The status meaning "stale token".
        conflict_status: u16,
        /// Re-read and retry this many times on conflict.
        #[serde(default = "default_conflict_retries")]
        conflict_retries: u32,
        /// After the deltas, copy the collection from the step response into the result.
        #[serde(default)]
        merge: Option<Merge>,
    },
}

fn default_conflict_retries() -> u32 {
    1
}

/// A request made by a quirk.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path relative to the base URL (`{name}` = percent-encoded input).
    pub path: String,
    /// JSON body template; may use `delta.items` and `delta.token`.
    #[serde(default)]
    pub body: Option<Value>,
}

/// Reads a concurrency token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSource {
    /// HTTP method (GET).
    pub method: HttpMethod,
    /// Path relative to the base URL.
    pub path: String,
    /// Pointer to the token in the response.
    pub pointer: String,
}

/// Copies a value from a step's response into the tool's result body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// Pointer in the step response.
    pub from: String,
    /// Pointer in the result body.
    pub into: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(pairs: &[(&str, &str)]) -> Selection {
        Selection::Fields(
            pairs
                .iter()
                .map(|(n, p)| (n.to_string(), p.to_string()))
                .collect(),
        )
    }

    #[test]
    fn same_named_top_level_fields_keep_only_those_keys() {
        let mut body = json!({"ticket": {"id": 1}, "users": [], "count": 3, "next_page": null});
        let out = fields(&[
            ("ticket", "/ticket"),
            ("users", "/users"),
            ("groups", "/groups"),
        ])
        .take_from(&mut body);
        assert_eq!(out, json!({"ticket": {"id": 1}, "users": []}));
    }

    #[test]
    fn renamed_or_nested_fields_build_a_new_object() {
        let mut body = json!({"ticket": {"id": 1, "subject": "s"}, "count": 3});
        let out = fields(&[("id", "/ticket/id"), ("total", "/count"), ("gone", "/nope")])
            .take_from(&mut body);
        assert_eq!(out, json!({"id": 1, "total": 3}));
    }

    #[test]
    fn form_pairs_keep_strings_and_json_encode_the_rest() {
        let body = json!({"channel": "C1", "text": "a&b=c", "unfurl_links": false, "n": 3,
            "blocks": [{"type": "section"}], "gone": null});
        let pairs = BodyEncoding::form_pairs(&body).unwrap();
        assert_eq!(
            pairs,
            vec![
                ("channel".to_string(), "C1".to_string()),
                ("text".into(), "a&b=c".into()),
                ("unfurl_links".into(), "false".into()),
                ("n".into(), "3".into()),
                ("blocks".into(), r#"[{"type":"section"}]"#.into()),
            ]
        );
        assert!(BodyEncoding::form_pairs(&json!(["not", "an", "object"])).is_none());
    }

    #[test]
    fn a_pointer_moves_one_value_out() {
        let mut body = json!({"ticket": {"id": 1}});
        let out = Selection::Pointer("/ticket".into()).take_from(&mut body);
        assert_eq!(out, json!({"id": 1}));
        let out = Selection::Pointer("/missing".into()).take_from(&mut body);
        assert_eq!(out, Value::Null);
    }
}
