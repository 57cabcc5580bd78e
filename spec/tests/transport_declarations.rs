//! Bad declarations of the transport features GitHub uses (headers on every request, the
//! egress policy of a customer-chosen host, error rules reading response headers, `Link`
//! paging) are reported all at once, each at its `file:line:column` with a hint.

mod support;

use support::{break_once, connector};

fn github() -> String {
    connector("github")
}

#[test]
fn the_github_spec_uses_every_transport_feature_and_loads() {
    let spec = toolwire_spec::load_str("github.yaml", &github()).unwrap();
    assert_eq!(spec.headers["X-GitHub-Api-Version"], "2022-11-28");
    assert!(spec.egress.as_ref().unwrap().allows("ghe.example.com"));
    assert!(
        spec.errors
            .iter()
            .any(|r| r.when_header.is_some() && !r.wait.is_empty())
    );
    assert!(spec.errors.iter().any(|r| r.missing_scopes.is_some()));
    assert!(matches!(
        spec.tool("github_issues_list").unwrap().pagination,
        toolwire_spec::Pagination::LinkHeader { .. }
    ));
}

#[test]
fn bad_transport_declarations_are_all_reported_at_their_place() {
    let broken = support::Breakage::new("github.yaml", github())
        .step(
            "  X-GitHub-Api-Version: \"2022-11-28\"",
            "  X-GitHub-Api-Version: \"2022-11-28\"\n  Authorization: token abc",
            "`Authorization` is set by toolwire",
            "auth scheme",
        )
        .step(
            "  hosts: [\"api.github.com\", \"*\"]",
            "  hosts: [\"api.github.com\", \"10.0.0.1\"]",
            "`10.0.0.1` names an address",
            "--allow-private-egress",
        )
        .step(
            "    code: RATE_LIMITED\n    retry: after_header\n    wait: [{header: retry-after, format: seconds}, {header: x-ratelimit-reset, format: epoch}]\n    message: GitHub's rate limit for this account was reached; wait before calling again.\n    upstream_message: /message\n  # Secondary rate limit at 403",
            "    code: RATE_LIMITED\n    retry: never\n    wait: [{header: retry-after, format: seconds}, {header: x-ratelimit-reset, format: epoch}]\n    message: GitHub's rate limit for this account was reached; wait before calling again.\n    upstream_message: /message\n  # Secondary rate limit at 403",
            "the rule never retries",
            "retry: after_header",
        )
        .step(
            "  - status: 404\n    missing_scopes: {accepted: x-accepted-oauth-scopes, granted: x-oauth-scopes}",
            "  - status: 404\n    missing_scopes: {accepted: x-oauth-scopes, granted: x-oauth-scopes}",
            "`accepted` and `granted` name the same header",
            "the one listing the token's scopes",
        )
        .step(
            "        cursor: {type: string, maxLength: 2048, description: The next_cursor of a previous call.}\n    request:\n      method: GET\n      path: /user/repos",
            "        cursor: {type: integer, description: The next_cursor of a previous call.}\n    request:\n      method: GET\n      path: /user/repos",
            "carries the next page's URL, so it must be a string",
            "type: string",
        )
        .step(
            "    when_header: {header: retry-after, present: true}",
            "    when_header: {header: retry-after, present: true, equals: \"60\"}",
            "`when_header` on `retry-after` needs exactly one test",
            "present: true",
        );
    broken.assert_all_reported(12);
}

#[test]
fn a_host_from_config_needs_an_egress_policy() {
    let (text, line) = break_once(
        &github(),
        "egress:\n  hosts: [\"api.github.com\", \"*\"]\n",
        "",
    );
    let err = toolwire_spec::load_str("github.yaml", &text).unwrap_err();
    let d = err
        .diagnostics()
        .unwrap()
        .iter()
        .find(|d| d.message.contains("host comes from account config"))
        .cloned()
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.pointer, "/base_url");
    assert!(d.hint.as_deref().unwrap().contains("egress:"), "{d}");
    assert!(d.line < line, "{d}");
}

#[test]
fn unknown_keys_in_header_rules_are_shape_errors() {
    let (text, line) = break_once(
        &github(),
        "    when_header: {header: x-ratelimit-remaining, equals: \"0\"}",
        "    when_header: {name: x-ratelimit-remaining, equals: \"0\"}",
    );
    let err = toolwire_spec::load_str("github.yaml", &text).unwrap_err();
    let d = err
        .diagnostics()
        .unwrap()
        .iter()
        .find(|d| d.message.contains("unknown key `name`"))
        .cloned()
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.line, line, "{d}");
}
