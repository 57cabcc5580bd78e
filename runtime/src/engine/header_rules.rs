//! Error-rule conditions read from response headers: a header equal to a value
//! (`x-ratelimit-remaining: 0`), the wait a rule reports (`Retry-After` seconds or an epoch
//! reset time, turned into seconds from now), and missing OAuth scopes (the endpoint's
//! accepted scopes against the token's granted scopes).

use reqwest::header::HeaderMap;
use toolwire_spec::{ErrorRule, ScopeHeaders, WaitFormat};

fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// True when the rule's header conditions (if any) hold.
pub(crate) fn holds(rule: &ErrorRule, headers: &HeaderMap) -> bool {
    let header_ok = rule
        .when_header
        .as_ref()
        .is_none_or(|m| m.holds(text(headers, &m.header)));
    let scopes_ok = rule
        .missing_scopes
        .as_ref()
        .is_none_or(|s| missing_scopes(s, headers).is_some());
    header_ok && scopes_ok
}

/// The scopes an endpoint accepts when the token holds none of them (with the token's
/// scopes), or `None` when either header is absent, nothing is required, or a scope is held.
pub(crate) fn missing_scopes(
    scopes: &ScopeHeaders,
    headers: &HeaderMap,
) -> Option<(Vec<String>, Vec<String>)> {
    let list = |name: &str| -> Option<Vec<String>> {
        Some(
            text(headers, name)?
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )
    };
    let accepted = list(&scopes.accepted)?;
    let granted = list(&scopes.granted)?;
    if accepted.is_empty() || accepted.iter().any(|a| granted.contains(a)) {
        return None;
    }
    Some((accepted, granted))
}

/// The wait in seconds the answer asks for: the rule's declared sources, first present wins,
/// else `Retry-After` in seconds. `now` is the current UTC epoch time in seconds.
pub(crate) fn wait_s(rule: Option<&ErrorRule>, headers: &HeaderMap, now: i64) -> Option<u64> {
    let declared = rule.map(|r| r.wait.as_slice()).unwrap_or_default();
    if declared.is_empty() {
        return text(headers, "retry-after").and_then(|v| v.parse::<u64>().ok());
    }
    declared.iter().find_map(|source| {
        let value = text(headers, &source.header)?.parse::<i64>().ok()?;
        Some(match source.format {
            WaitFormat::Seconds => value.max(0) as u64,
            WaitFormat::Epoch => (value - now).max(1) as u64,
            WaitFormat::EpochMs => (value.div_euclid(1000) - now).max(1) as u64,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(extra: serde_json::Value) -> ErrorRule {
        let mut base = json!({"status": 403, "code": "RATE_LIMITED", "message": "slow down"});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_header_condition_needs_the_exact_value() {
        let r = rule(json!({"when_header": {"header": "x-ratelimit-remaining", "equals": "0"}}));
        assert!(holds(&r, &headers(&[("x-ratelimit-remaining", " 0")])));
        assert!(!holds(&r, &headers(&[("x-ratelimit-remaining", "12")])));
        assert!(!holds(&r, &HeaderMap::new()));
        let present = rule(json!({"when_header": {"header": "retry-after", "present": true}}));
        assert!(holds(&present, &headers(&[("retry-after", "30")])));
        assert!(!holds(
            &present,
            &headers(&[("x-ratelimit-remaining", "12")])
        ));
    }

    #[test]
    fn waits_come_from_the_first_declared_header_present() {
        let r = rule(json!({"retry": "after_header", "wait": [
            {"header": "retry-after", "format": "seconds"},
            {"header": "x-ratelimit-reset", "format": "epoch"}]}));
        let now = 1_700_000_000;
        let reset = headers(&[("x-ratelimit-reset", "1700000042")]);
        assert_eq!(wait_s(Some(&r), &reset, now), Some(42));
        let both = headers(&[("x-ratelimit-reset", "1700000042"), ("retry-after", "7")]);
        assert_eq!(wait_s(Some(&r), &both, now), Some(7));
        let past = headers(&[("x-ratelimit-reset", "1600000000")]);
        assert_eq!(wait_s(Some(&r), &past, now), Some(1));
        assert_eq!(wait_s(Some(&r), &HeaderMap::new(), now), None);
        // No declared source: Retry-After in seconds, as before.
        assert_eq!(
            wait_s(None, &headers(&[("retry-after", "3")]), now),
            Some(3)
        );
    }

    #[test]
    fn an_epoch_ms_reset_is_the_seconds_left() {
        let r = rule(json!({"retry": "after_header", "wait": [
            {"header": "x-ratelimit-requests-reset", "format": "epoch_ms"}]}));
        let now = 1_700_000_000;
        let reset = headers(&[("x-ratelimit-requests-reset", "1700000042500")]);
        assert_eq!(wait_s(Some(&r), &reset, now), Some(42));
        let past = headers(&[("x-ratelimit-requests-reset", "1600000000000")]);
        assert_eq!(wait_s(Some(&r), &past, now), Some(1));
    }

    #[test]
    fn scopes_are_missing_only_when_none_accepted_is_granted() {
        let s = ScopeHeaders {
            accepted: "x-accepted-oauth-scopes".into(),
            granted: "x-oauth-scopes".into(),
        };
        let gap = headers(&[
            ("x-accepted-oauth-scopes", "repo"),
            ("x-oauth-scopes", "read:user, gist"),
        ]);
        assert_eq!(
            missing_scopes(&s, &gap),
            Some((vec!["repo".into()], vec!["read:user".into(), "gist".into()]))
        );
        let held = headers(&[
            ("x-accepted-oauth-scopes", "repo"),
            ("x-oauth-scopes", "repo, gist"),
        ]);
        assert_eq!(missing_scopes(&s, &held), None);
        let none_needed = headers(&[("x-accepted-oauth-scopes", ""), ("x-oauth-scopes", "gist")]);
        assert_eq!(missing_scopes(&s, &none_needed), None);
        assert_eq!(
            missing_scopes(&s, &headers(&[("x-accepted-oauth-scopes", "repo")])),
            None
        );
        let r = rule(
            json!({"missing_scopes": {"accepted": "x-accepted-oauth-scopes", "granted": "x-oauth-scopes"}}),
        );
        assert!(holds(&r, &gap));
        assert!(!holds(&r, &held));
    }
}
