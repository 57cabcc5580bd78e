//! Loading a cassette file: the spec crate's located YAML loader, then a shape check that
//! reports every problem at once as `file:line:column: message` with a hint (unknown keys,
//! missing keys, wrong types, bad names), then the checks against the connector's spec
//! (connector name, tools, auth schemes).

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;
use toolwire_spec::load::Document;
use toolwire_spec::{ConnectorSpec, Diagnostic, Diagnostics};

use crate::error::{Result, TestkitError};
use crate::model::CassetteFile;

const STATUSES: [&str; 6] = [
    "PENDING_AUTH",
    "ACTIVE",
    "RESTRICTED",
    "EXPIRED",
    "REVOKED",
    "DISCONNECTED",
];

/// Loads and checks `path` against `spec`; every problem found is in the error.
pub fn load_file(path: &Path, spec: &ConnectorSpec) -> Result<CassetteFile> {
    let text = std::fs::read_to_string(path).map_err(|source| TestkitError::Read {
        path: path.display().to_string(),
        source,
    })?;
    load_str(&path.display().to_string(), &text, spec)
}

/// Loads and checks cassette text; `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str, spec: &ConnectorSpec) -> Result<CassetteFile> {
    let doc = Document::parse(file, text).map_err(TestkitError::Invalid)?;
    let mut c = Checker {
        doc: &doc,
        problems: Vec::new(),
    };
    c.file(&doc.value, spec);
    if !c.problems.is_empty() {
        return Err(TestkitError::Invalid(Diagnostics(c.problems)));
    }
    serde_json::from_value(doc.value.clone()).map_err(|e| {
        TestkitError::Invalid(Diagnostics(vec![doc.diagnostic(
            "",
            format!("the cassette file does not fit its format: {e}"),
            Some("see docs/cassettes.md".to_string()),
        )]))
    })
}

struct Checker<'a> {
    doc: &'a Document,
    problems: Vec<Diagnostic>,
}

/// What a key holds.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Str,
    Int,
    Bool,
    Obj,
    Arr,
    Any,
}

impl Kind {
    fn fits(self, v: &Value) -> bool {
        match self {
            Kind::Str => v.is_string(),
            Kind::Int => v.is_u64(),
            Kind::Bool => v.is_boolean(),
            Kind::Obj => v.is_object(),
            Kind::Arr => v.is_array(),
            Kind::Any => true,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Int => "a whole number ≥ 0",
            Kind::Bool => "true or false",
            Kind::Obj => "a mapping",
            Kind::Arr => "a list",
            Kind::Any => "a value",
        }
    }
}

impl Checker<'_> {
    fn problem(&mut self, at: &str, message: impl Into<String>, hint: &str) {
        self.problems
            .push(self.doc.diagnostic(at, message, Some(hint.to_string())));
    }

    /// Checks an object's keys: required ones present, none unknown, each of its kind.
    /// Returns the object when `v` is one.
    fn object<'v>(
        &mut self,
        at: &str,
        v: &'v Value,
        what: &str,
        keys: &[(&str, Kind, bool)],
    ) -> Option<&'v serde_json::Map<String, Value>> {
        let Some(map) = v.as_object() else {
            self.problem(
                at,
                format!("{what} must be a mapping"),
                "write `key: value` lines",
            );
            return None;
        };
        for (key, value) in map {
            let child = format!("{at}/{}", escape(key));
            match keys.iter().find(|(k, _, _)| k == key) {
                None => {
                    let known: Vec<&str> = keys.iter().map(|(k, _, _)| *k).collect();
                    let d = self.doc.key_diagnostic(
                        &child,
                        format!("unknown key `{key}` in {what}"),
                        Some(format!("known keys: {}", known.join(", "))),
                    );
                    self.problems.push(d);
                }
                Some((_, kind, _)) if !kind.fits(value) => {
                    self.problem(
                        &child,
                        format!("`{key}` in {what} must be {}", kind.name()),
                        "see docs/cassettes.md for the format",
                    );
                }
                Some(_) => {}
            }
        }
        for (key, _, required) in keys {
            if *required && !map.contains_key(*key) {
                self.problem(
                    at,
                    format!("{what} lacks the required key `{key}`"),
                    "add it (see docs/cassettes.md)",
                );
            }
        }
        Some(map)
    }

    fn file(&mut self, v: &Value, spec: &ConnectorSpec) {
        use Kind::*;
        let Some(map) = self.object(
            "",
            v,
            "the cassette file",
            &[
                ("spec_version", Int, true),
                ("connector", Str, true),
                ("account", Obj, false),
                ("oauth_client", Obj, false),
                ("cassettes", Arr, true),
            ],
        ) else {
            return;
        };
        if let Some(n) = map.get("spec_version")
            && n.as_u64().is_some_and(|n| n != 1)
        {
            self.problem(
                "/spec_version",
                "spec_version must be 1",
                "write `spec_version: 1`",
            );
        }
        if let Some(name) = map.get("connector").and_then(Value::as_str)
            && name != spec.connector
        {
            self.problem(
                "/connector",
                format!("`connector: {name}` but the spec is `{}`", spec.connector),
                &format!("write `connector: {}`", spec.connector),
            );
        }
        if let Some(a) = map.get("account") {
            self.account("/account", a, spec);
        }
        if let Some(c) = map.get("oauth_client") {
            self.object(
                "/oauth_client",
                c,
                "oauth_client",
                &[("client_id", Str, true), ("client_secret", Str, true)],
            );
        }
        let Some(list) = map.get("cassettes").and_then(Value::as_array) else {
            return;
        };
        if list.is_empty() {
            self.problem("/cassettes", "no cassettes", "add at least one cassette");
        }
        let mut names = HashSet::new();
        for (i, c) in list.iter().enumerate() {
            self.cassette(&format!("/cassettes/{i}"), c, spec, &mut names);
        }
    }

    fn account(&mut self, at: &str, v: &Value, spec: &ConnectorSpec) {
        use Kind::*;
        let Some(map) = self.object(
            at,
            v,
            "an account",
            &[
                ("auth", Str, false),
                ("config", Obj, false),
                ("credentials", Obj, false),
            ],
        ) else {
            return;
        };
        if let Some(auth) = map.get("auth").and_then(Value::as_str)
            && !spec.auth.contains_key(auth)
        {
            let known: Vec<&str> = spec.auth.keys().map(String::as_str).collect();
            self.problem(
                &format!("{at}/auth"),
                format!("the spec has no auth scheme `{auth}`"),
                &format!("use one of: {}", known.join(", ")),
            );
        }
    }

    fn cassette(&mut self, at: &str, v: &Value, spec: &ConnectorSpec, names: &mut HashSet<String>) {
        use Kind::*;
        let Some(map) = self.object(
            at,
            v,
            "a cassette",
            &[
                ("name", Str, true),
                ("source", Str, true),
                ("account", Obj, false),
                ("steps", Arr, true),
            ],
        ) else {
            return;
        };
        if let Some(name) = map.get("name").and_then(Value::as_str) {
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !ok {
                self.problem(
                    &format!("{at}/name"),
                    format!("cassette name `{name}` is not [a-z0-9_]+"),
                    "use lowercase letters, digits and _",
                );
            } else if !names.insert(name.to_string()) {
                self.problem(
                    &format!("{at}/name"),
                    format!("a second cassette is named `{name}`"),
                    "give each cassette its own name",
                );
            }
        }
        if map
            .get("source")
            .and_then(Value::as_str)
            .is_some_and(|s| s.trim().is_empty())
        {
            self.problem(
                &format!("{at}/source"),
                "source is empty",
                "name the reference file or doc URL the data comes from",
            );
        }
        if let Some(a) = map.get("account") {
            self.account(&format!("{at}/account"), a, spec);
        }
        if let Some(steps) = map.get("steps").and_then(Value::as_array) {
            if steps.is_empty() {
                self.problem(&format!("{at}/steps"), "no steps", "add at least one step");
            }
            for (i, s) in steps.iter().enumerate() {
                self.step(&format!("{at}/steps/{i}"), s, spec);
            }
        }
    }

    fn step(&mut self, at: &str, v: &Value, spec: &ConnectorSpec) {
        use Kind::*;
        let Some(map) = self.object(
            at,
            v,
            "a step",
            &[
                ("call", Obj, false),
                ("oauth", Any, false),
                ("exchanges", Arr, false),
                ("expect", Obj, false),
            ],
        ) else {
            return;
        };
        match (map.get("call"), map.get("oauth")) {
            (Some(_), Some(_)) | (None, None) => self.problem(
                at,
                "a step needs exactly one of `call` or `oauth`",
                "write `call: {tool: ..., input: {...}}`, `oauth: {exchange: {code: ...}}` or `oauth: refresh`",
            ),
            (Some(call), None) => {
                if let Some(c) = self.object(
                    &format!("{at}/call"),
                    call,
                    "a call",
                    &[("tool", Str, true), ("input", Obj, false)],
                ) && let Some(tool) = c.get("tool").and_then(Value::as_str)
                    && !spec.tools.iter().any(|t| t.name == tool)
                {
                    self.problem(
                        &format!("{at}/call/tool"),
                        format!("the spec has no tool `{tool}`"),
                        "use a tool name from the spec's `tools`",
                    );
                }
            }
            (None, Some(oauth)) => {
                if oauth.as_str() == Some("refresh") {
                } else if oauth.is_object() {
                    if let Some(o) =
                        self.object(&format!("{at}/oauth"), oauth, "oauth", &[("exchange", Obj, true)])
                        && let Some(e) = o.get("exchange")
                    {
                        self.object(
                            &format!("{at}/oauth/exchange"),
                            e,
                            "an OAuth exchange",
                            &[("code", Str, true), ("redirect_uri", Str, false)],
                        );
                    }
                } else {
                    self.problem(
                        &format!("{at}/oauth"),
                        "oauth must be `refresh` or `{exchange: {code: ...}}`",
                        "write `oauth: refresh` or `oauth: {exchange: {code: abc}}`",
                    );
                }
            }
        }
        if let Some(list) = map.get("exchanges").and_then(Value::as_array) {
            for (i, x) in list.iter().enumerate() {
                self.exchange(&format!("{at}/exchanges/{i}"), x);
            }
        }
        if let Some(e) = map.get("expect") {
            self.expect(&format!("{at}/expect"), e, map.contains_key("call"));
        }
    }

    fn exchange(&mut self, at: &str, v: &Value) {
        use Kind::*;
        let Some(map) = self.object(
            at,
            v,
            "an exchange",
            &[("request", Obj, true), ("response", Obj, true)],
        ) else {
            return;
        };
        if let Some(r) = map.get("request")
            && let Some(req) = self.object(
                &format!("{at}/request"),
                r,
                "a request",
                &[
                    ("method", Str, true),
                    ("path", Str, true),
                    ("host", Str, false),
                    ("query", Obj, false),
                    ("headers", Obj, false),
                    ("json", Any, false),
                    ("form", Obj, false),
                ],
            )
        {
            if let Some(m) = req.get("method").and_then(Value::as_str)
                && !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains(&m)
            {
                self.problem(
                    &format!("{at}/request/method"),
                    format!("unknown method `{m}`"),
                    "use GET, POST, PUT, PATCH, DELETE or HEAD (upper case)",
                );
            }
            if let Some(p) = req.get("path").and_then(Value::as_str)
                && (!p.starts_with('/') || p.contains('?'))
            {
                self.problem(
                    &format!("{at}/request/path"),
                    format!("path `{p}` must start with / and carry no query"),
                    "put query pairs under `query:`",
                );
            }
            if req.contains_key("json") && req.contains_key("form") {
                self.problem(
                    &format!("{at}/request"),
                    "a request has either `json` or `form`, not both",
                    "keep the one the engine sends",
                );
            }
        }
        if let Some(r) = map.get("response")
            && let Some(resp) = self.object(
                &format!("{at}/response"),
                r,
                "a response",
                &[
                    ("status", Int, true),
                    ("headers", Obj, false),
                    ("json", Any, false),
                    ("text", Str, false),
                ],
            )
        {
            if let Some(s) = resp.get("status").and_then(Value::as_u64)
                && !(100..=599).contains(&s)
            {
                self.problem(
                    &format!("{at}/response/status"),
                    format!("status {s} is not an HTTP status"),
                    "use 100..599",
                );
            }
            if resp.contains_key("json") && resp.contains_key("text") {
                self.problem(
                    &format!("{at}/response"),
                    "a response has either `json` or `text`, not both",
                    "keep one body",
                );
            }
        }
    }

    fn expect(&mut self, at: &str, v: &Value, is_call: bool) {
        use Kind::*;
        let Some(map) = self.object(
            at,
            v,
            "expect",
            &[
                ("output", Any, false),
                ("next_cursor", Str, false),
                ("has_more", Bool, false),
                ("error", Obj, false),
                ("account_status", Str, false),
                ("credentials", Obj, false),
            ],
        ) else {
            return;
        };
        if is_call && (map.contains_key("output") == map.contains_key("error")) {
            self.problem(
                at,
                "a call's expect needs exactly one of `output` or `error`",
                "write `output: {...}` for a result or `error: {code: ...}` for a failure",
            );
        }
        if let Some(e) = map.get("error") {
            self.object(
                &format!("{at}/error"),
                e,
                "an expected error",
                &[
                    ("code", Str, true),
                    ("retry_after_s", Int, false),
                    ("details", Any, false),
                    ("message_contains", Str, false),
                ],
            );
        }
        if let Some(s) = map.get("account_status").and_then(Value::as_str)
            && !STATUSES.contains(&s)
        {
            self.problem(
                &format!("{at}/account_status"),
                format!("unknown account status `{s}`"),
                &format!("use one of: {}", STATUSES.join(", ")),
            );
        }
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
