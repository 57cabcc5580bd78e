//! Bad declarations of the transport features GitHub uses (headers on every request, the
//! egress policy of a customer-chosen host, error rules reading response headers, `Link`
//! paging) are reported all at once, each at its `file:line:column` with a hint.

fn github() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/github.yaml"
    ))
    .unwrap()
}

/// `text` with `from` (which must occur once) replaced by `to`, and the 1-based line of `to`.
fn break_once(text: &str, from: &str, to: &str) -> (String, usize) {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    let at = text.find(from).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    (text.replacen(from, to, 1), line)
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
    let text = github();
    let mut expect: Vec<(usize, &str, &str)> = Vec::new();
    let mut step =
        |text: String, from: &str, to: &str, message: &'static str, hint: &'static str| {
            let (t, line) = break_once(&text, from, to);
            expect.push((line, message, hint));
            t
        };
    let text = step(
        text,
        "  X-GitHub-Api-Version: \"2022-11-28\"",
        "  X-GitHub-Api-Version: \"2022-11-28\"\n  Authorization: token abc",
        "`Authorization` is set by toolwire",
        "auth scheme",
    );
    let text = step(
        text,
        "  hosts: [\"api.github.com\", \"*\"]",
        "  hosts: [\"api.github.com\", \"10.0.0.1\"]",
        "`10.0.0.1` names an address",
        "--allow-private-egress",
    );
    let text = step(
        text,
        "    code: RATE_LIMITED\n    retry: after_header\n    wait: [{header: retry-after, format: seconds}, {header: x-ratelimit-reset, format: epoch}]\n    message: GitHub's rate limit for this account was reached; wait before calling again.\n    upstream_message: /message\n  # Secondary rate limit at 403",
        "    code: RATE_LIMITED\n    retry: never\n    wait: [{header: retry-after, format: seconds}, {header: x-ratelimit-reset, format: epoch}]\n    message: GitHub's rate limit for this account was reached; wait before calling again.\n    upstream_message: /message\n  # Secondary rate limit at 403",
        "the rule never retries",
        "retry: after_header",
    );
    let text = step(
        text,
        "  - status: 404\n    missing_scopes: {accepted: x-accepted-oauth-scopes, granted: x-oauth-scopes}",
        "  - status: 404\n    missing_scopes: {accepted: x-oauth-scopes, granted: x-oauth-scopes}",
        "`accepted` and `granted` name the same header",
        "the one listing the token's scopes",
    );
    let text = step(
        text,
        "        cursor: {type: string, maxLength: 2048, description: The next_cursor of a previous call.}\n    request:\n      method: GET\n      path: /user/repos",
        "        cursor: {type: integer, description: The next_cursor of a previous call.}\n    request:\n      method: GET\n      path: /user/repos",
        "carries the next page's URL, so it must be a string",
        "type: string",
    );
    let text = step(
        text,
        "    when_header: {header: retry-after, present: true}",
        "    when_header: {header: retry-after, present: true, equals: \"60\"}",
        "`when_header` on `retry-after` needs exactly one test",
        "present: true",
    );
    let err = toolwire_spec::load_str("github.yaml", &text).unwrap_err();
    let diags = err.diagnostics().expect("located problems");
    let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    for (line, message, hint) in &expect {
        let d = diags
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("missing `{message}` in {lines:#?}"));
        assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{d}");
        assert!(d.to_string().starts_with("github.yaml:"), "{d}");
        // Each problem is reported near the line that was broken (its key or its parent).
        assert!(
            (d.line as usize).abs_diff(*line) <= 12,
            "`{message}` at line {}, the broken line is {line}",
            d.line
        );
    }
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
    assert!((d.line as usize) < line, "{d}");
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
    assert_eq!(d.line as usize, line, "{d}");
}
