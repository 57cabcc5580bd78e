//! Pass 2: what JSON Schema cannot say. Every template variable is declared, every `{param}`
//! is a required input, annotations agree with the method, pointers and model references
//! resolve, input schemas compile and are closed, regexes compile, a nullable input is never
//! sent as text (path, query, header).

use std::collections::HashSet;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Document;
use crate::model::*;
use crate::template::{BodyTemplate, Template, VarRef};

mod graphql;
mod nulls;
mod transport;
mod wire;

/// Which variables a template may use where it stands.
struct Scope<'a> {
    config: Vec<&'a str>,
    credentials: Vec<&'a str>,
    inputs: Vec<&'a str>,
    delta: bool,
}

impl Scope<'_> {
    fn check(&self, var: &VarRef) -> Result<(), String> {
        let field = var.path[0].as_str();
        let (declared, what): (&[&str], &str) = match var.namespace.as_str() {
            "config" => (&self.config, "config variable (declare it under `config:`)"),
            "credentials" => (
                &self.credentials,
                "credential field (declare it under the scheme's `fields:`)",
            ),
            "input" => (
                &self.inputs,
                "input property (declare it under the tool's `input.properties`)",
            ),
            "delta" if self.delta => (
                &["items", "token"],
                "delta value (`delta.items` or `delta.token`)",
            ),
            other => {
                let allowed = self.namespaces().join(", ");
                return Err(format!(
                    "unknown namespace `{other}` in `{{{{{var}}}}}`; here you can use: {allowed}"
                ));
            }
        };
        if declared.contains(&field) {
            Ok(())
        } else {
            let known = if declared.is_empty() {
                "none are declared".to_string()
            } else {
                format!("known: {}", declared.join(", "))
            };
            Err(format!(
                "`{{{{{var}}}}}` names an undeclared {what}; {known}"
            ))
        }
    }

    fn namespaces(&self) -> Vec<&'static str> {
        let mut n = vec!["config"];
        if !self.credentials.is_empty() {
            n.push("credentials");
        }
        if !self.inputs.is_empty() {
            n.push("input");
        }
        if self.delta {
            n.push("delta");
        }
        n
    }
}

/// JSON Schema (draft 2020-12) keywords accepted in inputs, outputs and models.
const KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "$comment",
    "$anchor",
    "definitions",
    "type",
    "title",
    "description",
    "enum",
    "const",
    "default",
    "examples",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentEncoding",
    "contentMediaType",
    "unevaluatedProperties",
    "unevaluatedItems",
];

struct Checker<'a> {
    doc: &'a Document,
    spec: &'a ConnectorSpec,
    /// The index in the file of each tool in `spec.tools` (tools with shape errors are left out).
    tool_index: &'a [usize],
    out: Vec<Diagnostic>,
    /// Models already checked for unbounded strings (reached from some tool's input).
    bounded_models: HashSet<String>,
}

/// Checks meaning; returns every problem.
pub(super) fn check(doc: &Document, spec: &ConnectorSpec, tool_index: &[usize]) -> Diagnostics {
    let mut c = Checker {
        doc,
        spec,
        tool_index,
        out: Vec::new(),
        bounded_models: HashSet::new(),
    };
    c.config();
    c.auth();
    c.verify();
    c.verify_graphql();
    c.errors();
    c.models();
    c.tools();
    c.wire();
    c.transport();
    c.nulls();
    Diagnostics(c.out)
}

/// How a diagnostic names the input at `at`: `` `name` `` for a property, `in `name`` below one.
fn input_label(at: &str) -> String {
    let segments: Vec<&str> = at.split('/').collect();
    let named = segments
        .iter()
        .enumerate()
        .rev()
        .find(|(i, _)| *i > 0 && segments[i - 1] == "properties");
    match named {
        Some((i, name)) if i + 1 == segments.len() => format!("`{name}`"),
        Some((_, name)) => format!("in `{name}`"),
        None => "here".to_string(),
    }
}

impl<'a> Checker<'a> {
    fn err(&mut self, at: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.out
            .push(self.doc.diagnostic(at, message, Some(hint.into())));
    }

    fn config_names(&self) -> Vec<&'a str> {
        self.spec.config.keys().map(String::as_str).collect()
    }

    fn template(&mut self, at: &str, text: &str, scope: &Scope) -> Option<Template> {
        match Template::parse(text) {
            Ok(t) => {
                for var in t.vars() {
                    if let Err(msg) = scope.check(var) {
                        self.err(at, msg, "fix the variable name or declare it");
                    }
                }
                Some(t)
            }
            Err(e) => {
                self.err(
                    at,
                    format!("bad template at character {}: {}", e.offset + 1, e.message),
                    "templates look like `{{input.field}}`",
                );
                None
            }
        }
    }

    fn body(&mut self, at: &str, body: &Value, scope: &Scope) {
        match BodyTemplate::parse(body) {
            Ok(t) => {
                for (rel, var) in t.vars() {
                    if let Err(msg) = scope.check(var) {
                        self.err(
                            &format!("{at}{rel}"),
                            msg,
                            "fix the variable name or declare it",
                        );
                    }
                }
            }
            Err((rel, e)) => self.err(
                &format!("{at}{rel}"),
                format!("bad template at character {}: {}", e.offset + 1, e.message),
                "templates look like `{{input.field}}`",
            ),
        }
    }

    fn path_params(&mut self, at: &str, path: &str, tool: Option<&ToolSpec>) {
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.err(
                    at,
                    format!("unclosed `{{` in path `{path}`"),
                    "path parameters look like `{ticket_id}`",
                );
                return;
            };
            let name = &rest[open + 1..open + close];
            match tool {
                None => self.err(
                    at,
                    format!("path parameter `{{{name}}}` is not allowed here"),
                    "this path takes no parameters",
                ),
                Some(tool) => {
                    if !tool.input_properties().contains(&name) {
                        self.err(
                            at,
                            format!(
                                "path parameter `{{{name}}}` is not an input of `{}`",
                                tool.name
                            ),
                            format!(
                                "add `{name}` to the tool's input.properties (and to `required`)"
                            ),
                        );
                    } else if !tool.required_inputs().contains(&name) {
                        self.err(
                            at,
                            format!("path parameter `{{{name}}}` must be a required input"),
                            format!("add `{name}` to the tool's input.required"),
                        );
                    }
                }
            }
            rest = &rest[open + close + 1..];
        }
        if path.contains("{{") {
            self.err(
                at,
                "paths use `{name}` for inputs, not `{{...}}` templates",
                "write `/tickets/{ticket_id}.json`",
            );
        }
    }

    fn pointer(&mut self, at: &str, p: &str) {
        if !(p.is_empty() || p.starts_with('/')) {
            self.err(
                at,
                format!("`{p}` is not a JSON pointer"),
                "JSON pointers start with `/`, e.g. `/ticket/id`",
            );
        }
    }

    fn config(&mut self) {
        for (name, var) in &self.spec.config {
            let at = format!("/config/{name}/pattern");
            if let Err(e) = regex::Regex::new(&var.pattern) {
                self.err(
                    &at,
                    format!("pattern does not compile: {e}"),
                    "write a Rust `regex` pattern",
                );
            } else if !(var.pattern.starts_with('^') && var.pattern.ends_with('$')) {
                self.err(&at, "config patterns must be anchored", "start the pattern with `^` and end it with `$`, so nothing else can ride along");
            }
        }
        let scope = Scope {
            config: self.config_names(),
            credentials: vec![],
            inputs: vec![],
            delta: false,
        };
        if let Some(t) = self.template("/base_url", &self.spec.base_url.clone(), &scope) {
            let host_part = t
                .source()
                .trim_start_matches("https://")
                .split('/')
                .next()
                .unwrap_or("")
                .to_string();
            if host_part.contains('@') || host_part.contains(':') {
                self.err(
                    "/base_url",
                    "base_url must not carry a port or userinfo",
                    "write `https://{{config.subdomain}}.example.com/api`",
                );
            }
        }
    }

    fn auth(&mut self) {
        let config = self.config_names();
        for (name, scheme) in &self.spec.auth {
            let at = format!("/auth/{name}");
            let creds: Vec<&str> = scheme
                .fields()
                .map(|f| f.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let scope = Scope {
                config: config.clone(),
                credentials: creds,
                inputs: vec![],
                delta: false,
            };
            let templates: Vec<(&str, &String)> = match scheme {
                AuthScheme::Basic {
                    username, password, ..
                } => vec![("username", username), ("password", password)],
                AuthScheme::Bearer { token, .. } => vec![("token", token)],
                AuthScheme::ApiKey { value, .. } => vec![("value", value)],
                AuthScheme::Oauth2AuthorizationCode {
                    authorize_url,
                    token_url,
                    ..
                } => {
                    vec![("authorize_url", authorize_url), ("token_url", token_url)]
                }
                AuthScheme::Oauth2ClientCredentials { token_url, .. } => {
                    vec![("token_url", token_url)]
                }
            };
            for (key, text) in templates {
                self.template(&format!("{at}/{key}"), text, &scope);
            }
            if let Some(s) = scheme.sunset() {
                let ok = s.len() == 10
                    && s.split('-')
                        .map(|p| p.parse::<u32>().ok())
                        .collect::<Option<Vec<_>>>()
                        .is_some_and(|p| (1..=12).contains(&p[1]) && (1..=31).contains(&p[2]));
                if !ok {
                    self.err(
                        &format!("{at}/sunset"),
                        format!("`{s}` is not a date"),
                        "write YYYY-MM-DD",
                    );
                }
            }
            if scheme
                .fields()
                .is_some_and(|f| !f.values().any(|f| f.secret))
            {
                self.err(&format!("{at}/fields"), format!("auth scheme `{name}` has no secret field"), "mark the token or password field `secret: true` so it is vaulted and never shown");
            }
        }
    }

    fn verify(&mut self) {
        let path = self.spec.verify.path.clone();
        self.path_params("/verify/path", &path, None);
        for (i, m) in self.spec.verify.expect.iter().enumerate() {
            self.pointer(&format!("/verify/expect/{i}/pointer"), &m.pointer);
        }
        if self.spec.verify.expect.is_empty() {
            self.err("/verify", "verify has no `expect`", "a 200 alone proves little (some APIs answer 200 to anonymous callers); expect e.g. `{pointer: /user/id, not_null: true}`");
        }
    }

    fn errors(&mut self) {
        for (i, rule) in self.spec.errors.iter().enumerate() {
            if let Some(p) = &rule.upstream_message {
                self.pointer(&format!("/errors/{i}/upstream_message"), p);
            }
            match &rule.details {
                Some(Selection::Pointer(p)) => self.pointer(&format!("/errors/{i}/details"), p),
                Some(Selection::Fields(fields)) => {
                    for (name, p) in fields {
                        self.pointer(&format!("/errors/{i}/details/{name}"), p);
                    }
                }
                None => {}
            }
            // A rule that declares where its wait comes from (`wait`) may be any status.
            if rule.retry == RetryKind::AfterHeader
                && rule.wait.is_empty()
                && !matches!(
                    rule.status,
                    StatusMatch::Exact(429) | StatusMatch::Exact(503) | StatusMatch::Class(_)
                )
            {
                self.err(
                    &format!("/errors/{i}/retry"),
                    "`after_header` only makes sense for 429 and 503",
                    "use `backoff` or `never`",
                );
            }
        }
    }

    fn model_refs(&mut self, at: &str, schema: &Value) {
        match schema {
            Value::Object(map) => {
                for (k, v) in map {
                    let child = crate::pointer::push(at, k);
                    if k == "$ref" {
                        let target = v.as_str().unwrap_or("");
                        match target.strip_prefix("#/models/") {
                            Some(name) if self.spec.models.contains_key(name) => {}
                            Some(name) => {
                                let known: Vec<_> = self.spec.models.keys().cloned().collect();
                                self.err(
                                    &child,
                                    format!("model `{name}` is not defined"),
                                    format!(
                                        "define it under `models:` (known: {})",
                                        known.join(", ")
                                    ),
                                );
                            }
                            None if target.starts_with("#/$defs/")
                                || target.starts_with("#/definitions/") => {}
                            None => self.err(
                                &child,
                                format!("`{target}` is not a model reference"),
                                "write `$ref: \"#/models/Name\"`",
                            ),
                        }
                    } else {
                        self.model_refs(&child, v);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.model_refs(&format!("{at}/{i}"), v);
                }
            }
            _ => {}
        }
    }

    /// Flags keys that are not JSON Schema keywords (typos, or YAML flow text split at a comma:
    /// `{description: a, b}` becomes `description: a` plus a stray key `b`).
    fn keywords(&mut self, at: &str, schema: &Value) {
        let Value::Object(map) = schema else { return };
        for (key, value) in map {
            let child = crate::pointer::push(at, key);
            if !KEYWORDS.contains(&key.as_str()) {
                self.out.push(self.doc.key_diagnostic(
                    &child,
                    format!("`{key}` is not a JSON Schema keyword"),
                    Some("fix the spelling; if it is text from a description, quote the description (`description: \"a, b\"`): in `{...}` an unquoted comma ends the value".to_string()),
                ));
                continue;
            }
            match (key.as_str(), value) {
                (
                    "properties" | "patternProperties" | "$defs" | "definitions",
                    Value::Object(m),
                ) => {
                    for (name, sub) in m {
                        self.keywords(&crate::pointer::push(&child, name), sub);
                    }
                }
                (
                    "items"
                    | "additionalProperties"
                    | "not"
                    | "if"
                    | "then"
                    | "else"
                    | "propertyNames"
                    | "contains",
                    sub @ Value::Object(_),
                ) => self.keywords(&child, sub),
                ("anyOf" | "oneOf" | "allOf" | "prefixItems", Value::Array(items)) => {
                    for (i, sub) in items.iter().enumerate() {
                        self.keywords(&format!("{child}/{i}"), sub);
                    }
                }
                _ => {}
            }
        }
    }

    fn compiles(&mut self, at: &str, schema: &Value, what: &str) {
        let inlined = self.spec.inline_models(schema);
        if let Err(e) = jsonschema::draft202012::new(&inlined) {
            self.err(
                at,
                format!("{what} is not a valid JSON Schema: {e}"),
                "fix the schema (draft 2020-12)",
            );
        }
    }

    fn models(&mut self) {
        for (name, model) in &self.spec.models {
            let at = format!("/models/{name}");
            self.model_refs(&at, model);
            self.keywords(&at, model);
            self.compiles(&at, model, &format!("model `{name}`"));
        }
    }

    fn tools(&mut self) {
        let mut seen = HashSet::new();
        let config = self.config_names();
        for (i, tool) in self.spec.tools.iter().enumerate() {
            let at = format!("/tools/{}", self.tool_index[i]);
            if !seen.insert(tool.name.as_str()) {
                self.err(
                    &format!("{at}/name"),
                    format!("tool `{}` is defined twice", tool.name),
                    "tool names must be unique within a connector",
                );
            }
            if !tool.name.starts_with(&format!("{}_", self.spec.connector)) {
                self.err(&format!("{at}/name"), format!("tool `{}` does not start with `{}_`", tool.name, self.spec.connector), "prefix tool names with the connector name so they stay unique across connectors");
            }
            self.input_schema(&at, tool);
            let inputs = tool.input_properties();
            let scope = Scope {
                config: config.clone(),
                credentials: vec![],
                inputs: inputs.clone(),
                delta: false,
            };
            let r = &tool.request;
            self.path_params(&format!("{at}/request/path"), &r.path, Some(tool));
            for (k, v) in &r.query {
                self.template(
                    &format!(
                        "{at}/request/query/{}",
                        crate::pointer::push("", k).trim_start_matches('/')
                    ),
                    v,
                    &scope,
                );
            }
            for (k, v) in &r.headers {
                if k.eq_ignore_ascii_case("authorization") {
                    self.err(
                        &format!("{at}/request/headers"),
                        "tools may not set Authorization",
                        "auth comes from the account's auth scheme",
                    );
                }
                self.template(&format!("{at}/request/headers/{k}"), v, &scope);
            }
            if let Some(body) = &r.body {
                if r.method == HttpMethod::Get {
                    self.err(
                        &format!("{at}/request/body"),
                        "GET requests cannot have a body",
                        "move the values to `query:`",
                    );
                }
                self.body(&format!("{at}/request/body"), body, &scope);
            }
            self.tool_graphql(&at, tool, &scope);
            if let Some(empty) = &tool.response.no_content {
                self.body(&format!("{at}/response/no_content"), empty, &scope);
            }
            if let Some(input) = r
                .idempotency
                .as_ref()
                .and_then(|i| i.input.as_ref())
                .filter(|i| !inputs.contains(&i.as_str()))
            {
                self.err(
                    &format!("{at}/request/idempotency/input"),
                    format!("`{input}` is not an input"),
                    "name an input property or drop `input:`",
                );
            }
            self.annotations(&at, tool);
            if let Some(sel) = &tool.response.select {
                match sel {
                    Selection::Pointer(p) => self.pointer(&format!("{at}/response/select"), p),
                    Selection::Fields(f) => {
                        for (k, p) in f {
                            self.pointer(&format!("{at}/response/select/{k}"), p);
                        }
                    }
                }
            }
            if let Some(output) = &tool.response.output {
                self.model_refs(&format!("{at}/response/output"), output);
                self.keywords(&format!("{at}/response/output"), output);
                self.compiles(&format!("{at}/response/output"), output, "the output");
            }
            for (pointer, message, hint) in super::projection::problems(self.spec, tool, &at) {
                self.err(&pointer, message, hint);
            }
            match &tool.pagination {
                // Checked with the GraphQL request (`graphql.rs`).
                Pagination::None | Pagination::Relay { .. } => {}
                Pagination::Offset {
                    page_input,
                    next,
                    count,
                } => {
                    self.input_named(&format!("{at}/pagination/page_input"), tool, page_input);
                    self.pointer(&format!("{at}/pagination/next"), next);
                    if let Some(c) = count {
                        self.pointer(&format!("{at}/pagination/count"), c);
                    }
                }
                Pagination::LinkHeader { cursor_input } => {
                    self.input_named(&format!("{at}/pagination/cursor_input"), tool, cursor_input);
                }
                Pagination::NextUrl {
                    cursor_input,
                    next_url,
                    done,
                } => {
                    self.input_named(&format!("{at}/pagination/cursor_input"), tool, cursor_input);
                    self.pointer(&format!("{at}/pagination/next_url"), next_url);
                    if let Some(d) = done {
                        self.pointer(&format!("{at}/pagination/done"), d);
                    }
                }
                Pagination::Cursor {
                    cursor_input,
                    next_cursor,
                    has_more,
                } => {
                    self.input_named(&format!("{at}/pagination/cursor_input"), tool, cursor_input);
                    self.pointer(&format!("{at}/pagination/next_cursor"), next_cursor);
                    if let Some(h) = has_more {
                        self.pointer(&format!("{at}/pagination/has_more"), h);
                    }
                }
            }
            for (q, quirk) in tool.quirks.iter().enumerate() {
                self.quirk(&format!("{at}/quirks/{q}"), tool, quirk, &config);
            }
            if r.skip_if_body_empty && tool.quirks.is_empty() {
                self.err(
                    &format!("{at}/request/skip_if_body_empty"),
                    "`skip_if_body_empty` without a quirk would make the tool do nothing",
                    "remove it, or add the quirk that does the work",
                );
            }
        }
    }

    fn input_named(&mut self, at: &str, tool: &ToolSpec, name: &str) {
        if !tool.input_properties().contains(&name) {
            self.err(
                at,
                format!("`{name}` is not an input of `{}`", tool.name),
                format!("add `{name}` to input.properties"),
            );
        }
    }

    fn input_schema(&mut self, at: &str, tool: &ToolSpec) {
        let input_at = format!("{at}/input");
        if tool.input.get("additionalProperties") != Some(&Value::Bool(false)) {
            self.err(&input_at, "tool inputs must be closed", "add `additionalProperties: false` so a misspelt field is an error, not silently ignored");
        }
        for req in tool.required_inputs() {
            if !tool.input_properties().contains(&req) {
                self.err(
                    &format!("{input_at}/required"),
                    format!("required input `{req}` is not in properties"),
                    format!("add `{req}` to properties or remove it from required"),
                );
            }
        }
        if let Some(props) = tool.input.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.err(
                        &format!("{input_at}/properties/{name}"),
                        format!("input name `{name}` is not a valid identifier"),
                        "use letters, digits and `_` (names become Rust fields and MCP arguments)",
                    );
                }
                if prop
                    .get("description")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    self.err(
                        &format!("{input_at}/properties/{name}"),
                        format!("input `{name}` has no description"),
                        "describe every input: the model reads it to fill the field",
                    );
                }
            }
        }
        self.model_refs(&input_at, &tool.input);
        self.keywords(&input_at, &tool.input);
        self.compiles(&input_at, &tool.input, "the input");
        self.bounded_strings(&input_at, &tool.input);
    }

    /// Every string an input can carry declares `maxLength` (unless `enum` or `const` fixes
    /// its values): an oversized value is then refused as bad input, naming the field, instead
    /// of failing at (or on the way to) the vendor as if it were an outage. Models an input
    /// references are checked where they are defined.
    fn bounded_strings(&mut self, at: &str, schema: &Value) {
        let Value::Object(map) = schema else { return };
        let admits_string = match map.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
            _ => false,
        };
        if admits_string
            && !["maxLength", "enum", "const"]
                .iter()
                .any(|k| map.contains_key(*k))
        {
            self.err(
                at,
                format!("string input {} has no `maxLength`", input_label(at)),
                "declare `maxLength:`, the most characters the API takes here (e.g. 255 for a name or an id, 1000 for search text, 65536 for a message body)",
            );
        }
        for (key, sub) in map {
            let child = crate::pointer::push(at, key);
            match (key.as_str(), sub) {
                (
                    "properties" | "patternProperties" | "$defs" | "definitions",
                    Value::Object(m),
                ) => {
                    for (name, s) in m {
                        self.bounded_strings(&crate::pointer::push(&child, name), s);
                    }
                }
                (
                    "items"
                    | "additionalProperties"
                    | "unevaluatedProperties"
                    | "unevaluatedItems"
                    | "then"
                    | "else",
                    s @ Value::Object(_),
                ) => self.bounded_strings(&child, s),
                ("anyOf" | "oneOf" | "allOf" | "prefixItems", Value::Array(items)) => {
                    for (i, s) in items.iter().enumerate() {
                        self.bounded_strings(&crate::pointer::push_index(&child, i), s);
                    }
                }
                ("$ref", Value::String(target)) => {
                    let Some(name) = target.strip_prefix("#/models/") else {
                        continue;
                    };
                    if let Some(model) = self.spec.models.get(name)
                        && self.bounded_models.insert(name.to_string())
                    {
                        self.bounded_strings(&crate::pointer::push("/models", name), model);
                    }
                }
                _ => {}
            }
        }
    }

    fn annotations(&mut self, at: &str, tool: &ToolSpec) {
        let a = tool.annotations;
        let m = tool.request.method;
        let at = format!("{at}/annotations");
        // A GraphQL request is always a POST: its operation (query or mutation) says whether
        // it changes anything.
        let graphql_query = tool
            .request
            .graphql
            .as_ref()
            .and_then(|g| g.operation().ok())
            .map(|op| op.kind == OperationKind::Query);
        let safe = graphql_query.unwrap_or(m.is_safe());
        let sends = match graphql_query {
            Some(true) => "only runs a GraphQL query".to_string(),
            Some(false) => "runs a GraphQL mutation".to_string(),
            None if safe => format!("only sends {}", m.as_str()),
            None => format!("sends {}", m.as_str()),
        };
        if safe && !a.read_only {
            self.err(
                &at,
                format!("`{}` {sends} but is not read_only", tool.name),
                "set `read_only: true`",
            );
        }
        if !safe && a.read_only {
            self.err(
                &at,
                format!("`{}` {sends} but claims read_only", tool.name),
                "set `read_only: false`",
            );
        }
        if a.read_only && (a.destructive || !a.idempotent) {
            self.err(
                &at,
                "read-only tools are idempotent and not destructive",
                "set `destructive: false, idempotent: true`",
            );
        }
        if m == HttpMethod::Delete && !a.destructive {
            self.err(
                &at,
                "DELETE requests are destructive",
                "set `destructive: true`",
            );
        }
        if m == HttpMethod::Post && !safe && a.idempotent && tool.request.idempotency.is_none() {
            self.err(
                &at,
                "a POST is only idempotent with an idempotency key",
                "add `request.idempotency` or set `idempotent: false`",
            );
        }
    }

    fn quirk(&mut self, at: &str, tool: &ToolSpec, quirk: &Quirk, config: &[&'a str]) {
        let Quirk::CollectionDelta {
            add_input,
            remove_input,
            add,
            remove,
            token,
            merge,
            ..
        } = quirk;
        for (key, name) in [("add_input", add_input), ("remove_input", remove_input)] {
            self.input_named(&format!("{at}/{key}"), tool, name);
        }
        let scope = Scope {
            config: config.to_vec(),
            credentials: vec![],
            inputs: tool.input_properties(),
            delta: true,
        };
        for (key, step) in [("add", add), ("remove", remove)] {
            self.path_params(&format!("{at}/{key}/path"), &step.path, Some(tool));
            if let Some(body) = &step.body {
                self.body(&format!("{at}/{key}/body"), body, &scope);
            }
        }
        self.path_params(&format!("{at}/token/path"), &token.path, Some(tool));
        self.pointer(&format!("{at}/token/pointer"), &token.pointer);
        if let Some(m) = merge {
            self.pointer(&format!("{at}/merge/from"), &m.from);
            self.pointer(&format!("{at}/merge/into"), &m.into);
        }
    }
}
