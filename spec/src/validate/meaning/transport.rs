//! Meaning checks of the transport features: headers sent on every request, the egress policy
//! a customer-chosen host needs, error rules reading response headers (waits, missing scopes)
//! and `Link`-header paging.

use serde_json::Value;

use super::Checker;
use crate::model::*;

/// Headers toolwire sets itself (or that would change how a request is framed).
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "cookie",
];

impl Checker<'_> {
    /// Runs every transport check.
    pub(super) fn transport(&mut self) {
        self.spec_headers();
        self.egress();
        self.header_rules();
        self.link_paging();
    }

    fn spec_headers(&mut self) {
        for (name, value) in &self.spec.headers {
            let at = crate::pointer::push("/headers", name);
            if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                self.err(
                    &at,
                    format!("`{name}` is set by toolwire and cannot be declared here"),
                    "credentials go in an auth scheme; remove this header",
                );
            }
            if value.contains(['\r', '\n']) || value.contains("{{") {
                self.err(
                    &at,
                    format!("the value of `{name}` must be plain text on one line"),
                    "write the literal value the API expects (templates are not allowed here)",
                );
            }
        }
    }

    /// A base URL whose host comes from account config needs declared egress patterns, and
    /// each pattern must be a host name pattern.
    fn egress(&mut self) {
        // A base URL starting with a config value (a whole origin) takes its host from it.
        let host = if self.spec.base_url.starts_with("{{") {
            self.spec.base_url.split('/').next().unwrap_or_default()
        } else {
            self.spec
                .base_url
                .strip_prefix("https://")
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
        };
        // `{{config.sub}}.example.com` stays under the spec's own domain; a host that ends in
        // a config value (`{{config.host}}`) can be any server.
        let fixed_suffix = host
            .rsplit_once("}}")
            .map(|(_, rest)| rest.starts_with('.') && rest.len() > 1);
        if fixed_suffix == Some(false) && self.spec.egress.is_none() {
            self.err(
                "/base_url",
                "the base URL's host comes from account config, so an account could point the connector at any server",
                "declare the hosts it may reach, e.g. `egress: {hosts: [\"api.example.com\", \"*\"]}` (`*` = any public name; IP literals and private addresses are always refused)",
            );
        }
        if let Some(egress) = &self.spec.egress {
            for (i, pattern) in egress.hosts.iter().enumerate() {
                if pattern.parse::<std::net::IpAddr>().is_ok() || pattern.contains("localhost") {
                    self.err(
                        &format!("/egress/hosts/{i}"),
                        format!("`{pattern}` names an address, not a public host name"),
                        "list DNS names (`api.example.com`, `*.example.com`); operators allow private addresses with --allow-private-egress",
                    );
                }
            }
        }
    }

    fn header_rules(&mut self) {
        for (i, rule) in self.spec.errors.iter().enumerate() {
            if let Some(m) = &rule.when_header
                && m.equals.is_some() == m.present.is_some()
            {
                self.err(
                    &format!("/errors/{i}/when_header"),
                    format!("`when_header` on `{}` needs exactly one test", m.header),
                    "use `equals: \"0\"` (the trimmed value) or `present: true`",
                );
            }
            if !rule.wait.is_empty() && rule.retry == RetryKind::Never {
                self.err(
                    &format!("/errors/{i}/wait"),
                    "`wait` says how long to wait, but the rule never retries",
                    "set `retry: after_header` (the call is retried when the wait is within retry_after_cap_s, else fails with retry_after_s)",
                );
            }
            if let Some(scopes) = &rule.missing_scopes
                && scopes.accepted.eq_ignore_ascii_case(&scopes.granted)
            {
                self.err(
                    &format!("/errors/{i}/missing_scopes"),
                    "`accepted` and `granted` name the same header",
                    "name the header listing the scopes the endpoint accepts and the one listing the token's scopes",
                );
            }
        }
    }

    /// `link_header` and `next_url` paging: the cursor input carries a URL, so it must be a
    /// string.
    fn link_paging(&mut self) {
        for (i, tool) in self.spec.tools.iter().enumerate() {
            let (Pagination::LinkHeader { cursor_input }
            | Pagination::NextUrl { cursor_input, .. }) = &tool.pagination
            else {
                continue;
            };
            let at = format!("/tools/{}", self.tool_index[i]);
            let kind = tool
                .input
                .pointer(&format!(
                    "/properties/{}/type",
                    cursor_input.replace('~', "~0").replace('/', "~1")
                ))
                .and_then(Value::as_str);
            if kind.is_some_and(|k| k != "string") {
                self.err(
                    &format!("{at}/pagination/cursor_input"),
                    format!("`{cursor_input}` carries the next page's URL, so it must be a string"),
                    format!(
                        "declare `{cursor_input}: {{type: string, maxLength: 2048, description: ...}}`"
                    ),
                );
            }
        }
    }
}
