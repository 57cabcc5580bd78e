//! Bad declarations of the wire-format features (errors in the body at any status, form
//! bodies, per-tool credentials, the OAuth token-answer mapping, extra scope parameters,
//! optional config) are reported all at once, each at its `file:line:column` with a hint.

mod support;

use support::{break_once, connector};

fn slack() -> String {
    connector("slack")
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
    let broken = support::Breakage::new("slack.yaml", slack())
        // A rule matching every status with no body condition: every success would fail.
        .step(
            "  - status: 5xx\n",
            "  - status: any\n    code: UPSTREAM_ERROR\n    message: Anything.\n  - status: 5xx\n",
            "matches successful answers (2xx) but has no `when`",
            "add `when:`",
        )
        .step(
            "credential: {token: user_token, scope: user_scope}",
            "credential: {token: usr_token, scope: user_scope}",
            "no auth scheme stores a credential field `usr_token`",
            "user_token",
        )
        .step(
            "        team_id: /team/id",
            "        workspace: /team/id",
            "`workspace` is not a declared config field",
            "declare it under `config:`",
        )
        .step(
            "      user_scope: [search:read]",
            "      state: [search:read]",
            "`state` is a parameter toolwire sets itself",
            "user_scope",
        )
        .step(
            "        access_token: /access_token\n        refresh_token",
            "        refresh_token",
            "the token answer mapping has no `access_token`",
            "add `access_token: /access_token`",
        )
        .step(
            "    body_encoding: form\n      body:\n        channel: \"{{input.channel}}\"\n        ts:",
            "    body_encoding: form\n      body: \"{{input.channel}}\"\n      x_body:\n        channel: \"{{input.channel}}\"\n        ts:",
            "a form-encoded body must be an object",
            "drop `body_encoding: form`",
        )
        .step(
            "details: {needed: /needed, provided: /provided}",
            "details: {needed: needed, provided: /provided}",
            "is not valid under any of the schemas",
            "connector.schema.json",
        );
    broken.assert_all_reported(3);
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
    assert_eq!(d.line, line, "{d}");
}
