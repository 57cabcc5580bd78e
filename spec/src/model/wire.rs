//! What a spec declares about the wire beyond one request: headers sent on every request, the
//! hosts a connector may reach (egress policy), and error-rule conditions read from response
//! headers (rate-limit waits, missing OAuth scopes).

use serde::{Deserialize, Serialize};

/// The hosts a connector may reach when its base URL's host comes from account config (a
/// customer-chosen server). Whatever the patterns say, IP literals, `localhost` and names that
/// resolve to loopback, link-local, private or unique-local addresses are refused unless the
/// operator allows private egress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Egress {
    /// Allowed host names: `api.example.com` (exactly), `*.example.com` (any name under it) or
    /// `*` (any public DNS name).
    pub hosts: Vec<String>,
}

impl Egress {
    /// True when `host` (lowercase, no port) matches one of the patterns.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts
            .iter()
            .any(|pattern| host_matches(pattern, &host))
    }
}

/// `*` matches any name; `*.x.y` any name strictly under `x.y`; anything else matches exactly.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    if pattern == "*" {
        return !host.is_empty();
    }
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.')),
        None => pattern == host,
    }
}

/// A condition on a response header (names are case-insensitive); exactly one test is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMatch {
    /// Header name (`x-ratelimit-remaining`).
    pub header: String,
    /// The header's value, trimmed, equals this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// The header is present (`true`) or absent (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<bool>,
}

impl HeaderMatch {
    /// Whether the condition holds for the header's value (`None`: absent).
    pub fn holds(&self, value: Option<&str>) -> bool {
        match (&self.equals, self.present) {
            (Some(expected), _) => value.map(str::trim) == Some(expected.as_str()),
            (None, Some(present)) => value.is_some() == present,
            (None, None) => false,
        }
    }
}

/// Where a rule's wait (`retry_after_s`) comes from; the first source present wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitSource {
    /// Header name (`retry-after`, `x-ratelimit-reset`).
    pub header: String,
    /// How to read it.
    pub format: WaitFormat,
}

/// How a wait header is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitFormat {
    /// Seconds to wait (`Retry-After: 30`).
    Seconds,
    /// A UTC epoch time in seconds when the limit resets; the wait is the time left (at least 1 s).
    Epoch,
    /// A UTC epoch time in milliseconds when the limit resets; the wait is the time left (at
    /// least 1 s).
    EpochMs,
}

/// Response headers listing the OAuth scopes an endpoint accepts and the scopes the token was
/// granted. A rule carrying this matches only when the token holds none of the accepted scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeHeaders {
    /// Header listing the scopes the endpoint accepts (comma or space separated).
    pub accepted: String,
    /// Header listing the scopes the token has.
    pub granted: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_patterns_match_whole_labels() {
        let egress = Egress {
            hosts: vec!["api.example.com".into(), "*.corp.example".into()],
        };
        assert!(egress.allows("API.example.com"));
        assert!(egress.allows("git.corp.example"));
        assert!(egress.allows("a.b.corp.example."));
        assert!(!egress.allows("corp.example"));
        assert!(!egress.allows("evilcorp.example"));
        assert!(!egress.allows("api.example.com.evil.test"));
        assert!(host_matches("*", "anything.test"));
        assert!(!host_matches("*", ""));
    }
}
