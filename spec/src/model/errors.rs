//! Error rules: an upstream response (status + optional body match) → a stable error code,
//! an account status effect, an agent-facing message and a retry policy.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One rule; the first rule whose status and body match wins.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRule {
    /// A status (`401`), a class (`"5xx"`) or `"any"` (an error reported in the body at any
    /// status, e.g. `{"ok": false}` at HTTP 200: such a rule needs a `when`).
    pub status: StatusMatch,
    /// Optional body condition.
    #[serde(default)]
    pub when: Option<BodyMatch>,
    /// Optional response-header condition (e.g. `x-ratelimit-remaining` equals `"0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_header: Option<super::HeaderMatch>,
    /// Matches only when these headers show the token lacks every scope the endpoint accepts;
    /// the error then names the missing scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_scopes: Option<super::ScopeHeaders>,
    /// Where the wait (`retry_after_s`) comes from, first present wins (default: `Retry-After`
    /// in seconds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wait: Vec<super::WaitSource>,
    /// The stable error code reported to callers.
    pub code: UpstreamErrorCode,
    /// What the agent should be told (plain text, actionable).
    pub message: String,
    /// Effect on the connected account.
    #[serde(default)]
    pub account: AccountEffect,
    /// Whether and how the call may be retried.
    #[serde(default)]
    pub retry: RetryKind,
    /// JSON pointer to the vendor's human message, appended to ours.
    #[serde(default)]
    pub upstream_message: Option<String>,
    /// Structured details (field errors) passed to the agent: a JSON pointer, or an object of
    /// name → pointer (`{needed: /needed, provided: /provided}`; missing ones left out).
    #[serde(default)]
    pub details: Option<super::Selection>,
}

/// A status or class of statuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StatusMatch {
    /// One status.
    Exact(u16),
    /// `"4xx"` or `"5xx"`, or `"any"`.
    Class(String),
}

impl StatusMatch {
    /// True when `status` matches.
    pub fn matches(&self, status: u16) -> bool {
        match self {
            StatusMatch::Exact(s) => *s == status,
            StatusMatch::Class(c) if c == "any" => true,
            StatusMatch::Class(c) => {
                c.len() == 3 && c.ends_with("xx") && c.as_bytes()[0] == b'0' + (status / 100) as u8
            }
        }
    }

    /// True when the rule can match a success status (2xx): the body then decides.
    pub fn covers_success(&self) -> bool {
        (200..300).any(|s| self.matches(s))
    }
}

/// A condition on a JSON body at `pointer`; exactly one test is set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyMatch {
    /// JSON pointer into the body (`/user/id`).
    pub pointer: String,
    /// The value equals this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    /// The value is a string containing this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// The value is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Value>>,
    /// The value is present and not null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null: Option<bool>,
}

impl BodyMatch {
    /// How many tests are set (valid specs have exactly one).
    pub fn test_count(&self) -> usize {
        [
            self.equals.is_some(),
            self.contains.is_some(),
            self.one_of.is_some(),
            self.not_null.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }

    /// Evaluates the condition against a parsed body (`None` when the body is not JSON).
    pub fn matches(&self, body: Option<&Value>) -> bool {
        let found = body.and_then(|b| b.pointer(&self.pointer));
        if let Some(expected) = &self.equals {
            return found == Some(expected);
        }
        if let Some(needle) = &self.contains {
            return found
                .and_then(Value::as_str)
                .is_some_and(|s| s.contains(needle.as_str()));
        }
        if let Some(options) = &self.one_of {
            return found.is_some_and(|f| options.contains(f));
        }
        if let Some(want) = self.not_null {
            return found.is_some_and(|f| !f.is_null()) == want;
        }
        false
    }
}

/// Stable error codes an upstream response can map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UpstreamErrorCode {
    /// Credentials rejected.
    AccountRevoked,
    /// OAuth grant expired or revoked.
    AccountExpired,
    /// IP allowlist, missing scope or permission.
    AccountRestricted,
    /// The caller may not do this.
    Forbidden,
    /// The record does not exist.
    NotFound,
    /// A concurrent change won.
    Conflict,
    /// The vendor rejected the input; details say which fields.
    UpstreamValidation,
    /// The vendor rejected the request shape.
    UpstreamBadRequest,
    /// Too many requests.
    RateLimited,
    /// A daily or monthly API quota is used up: retrying soon cannot help (not retried).
    QuotaExceeded,
    /// The vendor is down or overloaded.
    UpstreamUnavailable,
    /// Anything else.
    UpstreamError,
}

impl UpstreamErrorCode {
    /// The code as reported (`RATE_LIMITED`).
    pub fn as_str(&self) -> &'static str {
        match self {
            UpstreamErrorCode::AccountRevoked => "ACCOUNT_REVOKED",
            UpstreamErrorCode::AccountExpired => "ACCOUNT_EXPIRED",
            UpstreamErrorCode::AccountRestricted => "ACCOUNT_RESTRICTED",
            UpstreamErrorCode::Forbidden => "FORBIDDEN",
            UpstreamErrorCode::NotFound => "NOT_FOUND",
            UpstreamErrorCode::Conflict => "CONFLICT",
            UpstreamErrorCode::UpstreamValidation => "UPSTREAM_VALIDATION",
            UpstreamErrorCode::UpstreamBadRequest => "UPSTREAM_BAD_REQUEST",
            UpstreamErrorCode::RateLimited => "RATE_LIMITED",
            UpstreamErrorCode::QuotaExceeded => "QUOTA_EXCEEDED",
            UpstreamErrorCode::UpstreamUnavailable => "UPSTREAM_UNAVAILABLE",
            UpstreamErrorCode::UpstreamError => "UPSTREAM_ERROR",
        }
    }
}

/// What an error does to the connected account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountEffect {
    /// Nothing.
    #[default]
    None,
    /// Run the verify probe; if it fails with this status too, mark REVOKED.
    VerifyThenRevoke,
    /// Run the verify probe; a 403 there marks RESTRICTED.
    VerifyThenRestrict,
    /// Mark RESTRICTED at once (e.g. a missing OAuth scope).
    Restrict,
    /// For OAuth: refresh the access token once and retry; if refresh fails, EXPIRED.
    RefreshThenRetry,
}

/// Retry policy for a matched error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryKind {
    /// Never retry.
    #[default]
    Never,
    /// Retry with full-jitter exponential backoff (only when the call is safe to repeat).
    Backoff,
    /// Wait for `Retry-After` (capped) and retry (only when safe).
    AfterHeader,
}

#[cfg(test)]
mod status_tests {
    use super::StatusMatch;

    #[test]
    fn any_matches_every_status_and_covers_success() {
        let any = StatusMatch::Class("any".into());
        assert!([200, 201, 404, 429, 503].iter().all(|s| any.matches(*s)));
        assert!(any.covers_success());
        assert!(StatusMatch::Class("2xx".into()).covers_success());
        assert!(StatusMatch::Exact(200).covers_success());
        assert!(!StatusMatch::Exact(401).covers_success());
        assert!(!StatusMatch::Class("4xx".into()).covers_success());
    }
}
