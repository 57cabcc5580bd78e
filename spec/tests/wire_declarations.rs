//! Bad declarations of the wire-format features (errors in the body at any status, form
//! bodies, per-tool credentials, the OAuth token-answer mapping, extra scope parameters,
//! optional config) are reported all at once, each at its `file:line:column` with a hint.

fn slack() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/slack.yaml"
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
fn the_slack_spec_uses_every_wire_feature_and_loads() {
    let spec = toolwire_spec::load_str("slack.yaml", &slack()).unwrap();
    let search = spec.tool("slack_search_messages").unwrap();
    assert_eq!(search.credential.as_ref().unwrap().token, "user_token");
    let post = spec.tool("slack_chat_post_message").unwrap();
    assert_eq!(
        post.request.body_encoding,
        toolwire_spec::BodyEncoding::Form
    );
    assert!(spec.errors.iter().any(|r| r.status.covers_success()));
    assert!(!spec.config["team_id"].required);
}

#[test]
fn bad_wire_declarations_are_all_reported_at_their_place() {
    let text = slack();
    let mut expect: Vec<(usize, &str, &str)> = Vec::new();
    let mut step =
        |text: String, from: &str, to: &str, message: &'static str, hint: &'static str| {
            let (t, line) = break_once(&text, from, to);
            expect.push((line, message, hint));
            t
        };
    // A rule matching every status with no body condition: every success would fail.
    let text = step(
        text,
        "  - status: 5xx\n",
        "  - status: any\n    code: UPSTREAM_ERROR\n    message: Anything.\n  - status: 5xx\n",
        "matches successful answers (2xx) but has no `when`",
        "add `when:`",
    );
    let text = step(
        text,
        "credential: {token: user_token, scope: user_scope}",
        "credential: {token: usr_token, scope: user_scope}",
        "no auth scheme stores a credential field `usr_token`",
        "user_token",
    );
    let text = step(
        text,
        "        team_id: /team/id",
        "        workspace: /team/id",
        "`workspace` is not a declared config field",
        "declare it under `config:`",
    );
    let text = step(
        text,
        "      user_scope: [search:read]",
        "      state: [search:read]",
        "`state` is a parameter toolwire sets itself",
        "user_scope",
    );
    let text = step(
        text,
        "        access_token: /access_token\n        refresh_token",
        "        refresh_token",
        "the token answer mapping has no `access_token`",
        "add `access_token: /access_token`",
    );
    let text = step(
        text,
        "    body_encoding: form\n      body:\n        channel: \"{{input.channel}}\"\n        ts:",
        "    body_encoding: form\n      body: \"{{input.channel}}\"\n      x_body:\n        channel: \"{{input.channel}}\"\n        ts:",
        "a form-encoded body must be an object",
        "drop `body_encoding: form`",
    );
    let text = step(
        text,
        "details: {needed: /needed, provided: /provided}",
        "details: {needed: needed, provided: /provided}",
        "is not valid under any of the schemas",
        "connector.schema.json",
    );
    let err = toolwire_spec::load_str("slack.yaml", &text).unwrap_err();
    let diags = err.diagnostics().expect("located problems");
    let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    for (line, message, hint) in &expect {
        let d = diags
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("missing `{message}` in {lines:#?}"));
        assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{d}");
        assert!(d.line > 0 && d.column > 0, "{d}");
        assert!(d.to_string().starts_with("slack.yaml:"), "{d}");
        // Each problem is reported near the line that was broken (its key or its parent).
        assert!(
            (d.line as usize).abs_diff(*line) <= 3,
            "`{message}` at line {}, the broken line is {line}",
            d.line
        );
    }
}

#[test]
fn an_optional_config_field_cannot_build_the_base_url() {
    let (text, line) = break_once(
        &slack(),
        "base_url: \"https://slack.com/api\"",
        "base_url: \"https://slack.com/api/{{config.team_id}}\"",
    );
    let err = toolwire_spec::load_str("slack.yaml", &text).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("config `team_id` is optional but `base_url` uses it"),
        "{text}"
    );
    assert!(line > 0);
}

#[test]
fn unknown_keys_in_the_new_sections_are_shape_errors() {
    let (text, line) = break_once(
        &slack(),
        "credential: {token: user_token, scope: user_scope}",
        "credential: {token: user_token, scopes: user_scope}",
    );
    let err = toolwire_spec::load_str("slack.yaml", &text).unwrap_err();
    let d = err
        .diagnostics()
        .unwrap()
        .iter()
        .find(|d| d.message.contains("unknown key `scopes`"))
        .cloned()
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.line as usize, line, "{d}");
}
