//! Meaning checks of the wire-format features: error rules that read the body at a success
//! status, form-encoded bodies, per-tool credentials, the OAuth token-answer mapping and its
//! extra scope parameters, and optional config fields.

use super::Checker;
use crate::model::*;

/// Authorize-URL parameters toolwire sets itself: a scope list may not take their name.
const RESERVED_PARAMS: &[&str] = &[
    "scope",
    "client_id",
    "redirect_uri",
    "response_type",
    "state",
    "code_challenge",
    "code_challenge_method",
];

impl Checker<'_> {
    /// Runs every wire-format check.
    pub(super) fn wire(&mut self) {
        self.success_rules();
        self.optional_config();
        self.token_answers();
        self.tool_wire();
    }

    /// A rule that can match a 2xx must say which bodies are errors, or every success fails.
    fn success_rules(&mut self) {
        for (i, rule) in self.spec.errors.iter().enumerate() {
            if rule.status.covers_success() && rule.when.is_none() {
                self.err(
                    &format!("/errors/{i}/status"),
                    "this rule matches successful answers (2xx) but has no `when`: every success would become an error",
                    "add `when:` naming the body that reports the error, e.g. `{pointer: /ok, equals: false}`",
                );
            }
            if let Some(w) = &rule.when {
                self.pointer(&format!("/errors/{i}/when/pointer"), &w.pointer);
            }
        }
    }

    /// An optional config field cannot build the base URL, unless it is the base URL's whole
    /// origin and an OAuth token response fills it (the address the vendor names when the
    /// account connects; other schemes must be given it).
    fn optional_config(&mut self) {
        let from_token: Vec<&String> = self
            .spec
            .auth
            .values()
            .filter_map(|scheme| match scheme {
                AuthScheme::Oauth2AuthorizationCode {
                    token_response: Some(map),
                    ..
                } => Some(map.config.keys()),
                _ => None,
            })
            .flatten()
            .collect();
        for (name, var) in &self.spec.config {
            let origin_from_token = from_token.contains(&name)
                && self
                    .spec
                    .base_url
                    .starts_with(&format!("{{{{config.{name}}}}}"));
            if !var.required
                && !origin_from_token
                && self.spec.base_url.contains(&format!("config.{name}}}"))
            {
                self.err(
                    &format!("/config/{name}/required"),
                    format!("config `{name}` is optional but `base_url` uses it"),
                    "remove `required: false`, or do not use it in `base_url`",
                );
            }
        }
    }

    /// Credential fields any of the connector's schemes can store.
    fn storable_credentials(&self) -> Vec<String> {
        let mut out = Vec::new();
        for scheme in self.spec.auth.values() {
            if let Some(fields) = scheme.fields() {
                out.extend(fields.keys().cloned());
            }
            if let AuthScheme::Oauth2AuthorizationCode { token_response, .. } = scheme {
                let map = token_response
                    .as_deref()
                    .cloned()
                    .unwrap_or_else(TokenResponseMap::standard);
                out.extend(map.credentials.keys().cloned());
            }
            if matches!(scheme, AuthScheme::Oauth2ClientCredentials { .. }) {
                out.extend(["access_token".to_string(), "scope".to_string()]);
            }
        }
        out
    }

    fn token_answers(&mut self) {
        for (name, scheme) in &self.spec.auth {
            let AuthScheme::Oauth2AuthorizationCode {
                scope_params,
                token_response,
                ..
            } = scheme
            else {
                continue;
            };
            let at = format!("/auth/{name}");
            for param in scope_params.keys() {
                if RESERVED_PARAMS.contains(&param.as_str()) || param.is_empty() {
                    self.err(
                        &format!("{at}/scope_params/{param}"),
                        format!("`{param}` is a parameter toolwire sets itself"),
                        "name the vendor's own parameter for the second scope list, e.g. `user_scope`",
                    );
                }
            }
            let Some(map) = token_response else { continue };
            if !map.credentials.contains_key("access_token") {
                self.err(
                    &format!("{at}/token_response/credentials"),
                    "the token answer mapping has no `access_token`",
                    "add `access_token: /access_token` (the pointer to the token calls send)",
                );
            }
            for (field, p) in &map.credentials {
                self.pointer(&format!("{at}/token_response/credentials/{field}"), p);
                if field == "expires_at" {
                    self.err(
                        &format!("{at}/token_response/credentials/{field}"),
                        "`expires_at` is computed by toolwire",
                        "map the answer's lifetime in seconds as `expires_in`",
                    );
                }
            }
            for (field, p) in &map.config {
                self.pointer(&format!("{at}/token_response/config/{field}"), p);
                if !self.spec.config.contains_key(field) {
                    let known = self.config_names().join(", ");
                    self.err(
                        &format!("{at}/token_response/config/{field}"),
                        format!("`{field}` is not a declared config field (known: {known})"),
                        "declare it under `config:` with a pattern, so the value is checked like any config value",
                    );
                }
            }
        }
    }

    fn tool_wire(&mut self) {
        let storable = self.storable_credentials();
        for (i, tool) in self.spec.tools.iter().enumerate() {
            let at = format!("/tools/{}", self.tool_index[i]);
            let r = &tool.request;
            if r.body_encoding == BodyEncoding::Form {
                match &r.body {
                    Some(b) if b.is_object() => {}
                    _ => self.err(
                        &format!("{at}/request/body_encoding"),
                        "a form-encoded body must be an object of field → template",
                        "write `body: {channel: \"{{input.channel}}\"}` or drop `body_encoding: form`",
                    ),
                }
            }
            let Some(cred) = &tool.credential else {
                continue;
            };
            for (key, field) in [("token", Some(&cred.token)), ("scope", cred.scope.as_ref())] {
                let Some(field) = field else { continue };
                if !storable.iter().any(|s| s == field) {
                    self.err(
                        &format!("{at}/credential/{key}"),
                        format!("no auth scheme stores a credential field `{field}`"),
                        format!(
                            "name a field a scheme declares or maps from its token answer (known: {})",
                            storable.join(", ")
                        ),
                    );
                }
            }
        }
    }
}
