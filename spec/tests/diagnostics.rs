//! Spec errors: every problem at once, each `file:line:column: message` with a hint.

#[test]
fn the_zendesk_spec_loads() {
    let spec = toolwire_spec::load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/zendesk.yaml"
    ))
    .unwrap();
    assert_eq!(spec.connector, "zendesk");
    assert_eq!(spec.auth["api_token"].sunset(), Some("2027-04-30"));
}

#[test]
fn a_broken_spec_reports_every_problem_with_location_and_hint() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/broken_zendesk.yaml"
    );
    let err = toolwire_spec::load_file(path).unwrap_err();
    let diags = err.diagnostics().expect("located problems");
    let lines: Vec<String> = diags
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    let expect = [
        ("unknown key `tittle`", "did you mean `title`"),
        ("\"cursr\" is not allowed here", "\"cursor\""),
        (
            "`{{input.sort_ordr}}` names an undeclared input property",
            "fix the variable",
        ),
        ("only sends GET but is not read_only", "read_only: true"),
        ("path parameter `{usr_id}` is not an input", "add `usr_id`"),
    ];
    assert_eq!(diags.len(), expect.len(), "{lines:#?}");
    for (message, hint) in expect {
        let d = diags
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("missing {message}: {lines:#?}"));
        assert!(d.line > 0 && d.column > 0, "{d}");
        assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{d}");
        assert!(
            d.to_string()
                .starts_with(&format!("{path}:{}:{}: ", d.line, d.column))
        );
    }
}

#[test]
fn yaml_syntax_errors_are_located() {
    let err = toolwire_spec::load_str("bad.yaml", "spec_version: 1\ntools: [\n").unwrap_err();
    let d = &err.diagnostics().unwrap().0[0];
    assert!(d.line >= 2, "{d}");
    assert!(d.to_string().starts_with("bad.yaml:"));
}

#[test]
fn duplicate_keys_are_errors() {
    let err =
        toolwire_spec::load_str("dup.yaml", "spec_version: 1\nspec_version: 1\n").unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("dup.yaml:2:1: ") && text.contains("duplicate"),
        "{text}"
    );
}

#[test]
fn a_comma_in_an_unquoted_flow_description_is_caught() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/zendesk.yaml"
    ))
    .unwrap();
    let broken = source.replacen(
        "description: \"Tags to add, keeping the others.\"",
        "description: Tags to add, keeping the others.",
        1,
    );
    assert_ne!(source, broken, "fixture text present");
    let err = toolwire_spec::load_str("z.yaml", &broken).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`keeping the others.` is not a JSON Schema keyword"),
        "{text}"
    );
    assert!(text.contains("quote the description"), "{text}");
}

fn zendesk_source() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/zendesk.yaml"
    ))
    .unwrap()
}

/// `file:line:column: message` of each diagnostic, with its hint.
fn located(err: &toolwire_spec::SpecError) -> Vec<(String, String)> {
    err.diagnostics()
        .expect("located problems")
        .iter()
        .map(|d| {
            assert!(d.line > 0 && d.column > 0, "{d}");
            (
                format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message),
                d.hint.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn an_unknown_top_level_key_does_not_hide_meaning_problems() {
    let source = zendesk_source();
    let broken = source
        .replacen(
            "title: Zendesk Support\n",
            "title: Zendesk Support\nbogus: 1\n",
            1,
        )
        .replacen(
            "path: \"/users/{user_id}.json\"",
            "path: \"/users/{usr_id}.json\"",
            1,
        );
    let err = toolwire_spec::load_str("z.yaml", &broken).unwrap_err();
    let found = located(&err);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].0.starts_with("z.yaml:7:1: unknown key `bogus`") && found[0].1.contains("remove"),
        "{found:#?}"
    );
    assert!(
        found[1]
            .0
            .contains("path parameter `{usr_id}` is not an input of `zendesk_user_get`")
            && found[1].1.contains("add `usr_id`"),
        "{found:#?}"
    );
}

#[test]
fn a_shape_problem_outside_tools_still_lets_the_tools_be_checked_once() {
    let source = zendesk_source();
    let broken = source
        .replacen("base_url: \"https://", "base_url: \"http://", 1)
        .replacen(
            "    example: acme\n",
            "    example: acme\n    colour: blue\n",
            1,
        )
        .replacen("{{input.sort_order}}", "{{input.sort_ordr}}", 1);
    let err = toolwire_spec::load_str("z.yaml", &broken).unwrap_err();
    let found = located(&err);
    let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(found.len(), 3, "{messages:#?}");
    assert!(
        messages.iter().any(|m| m.contains("unknown key `colour`")),
        "{messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("port or userinfo")),
        "no second problem under the node the shape pass flagged: {messages:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(m, h)| m.contains("does not match the required pattern")
                && h.contains("https://")),
        "the base_url problem, once: {messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`{{input.sort_ordr}}` names an undeclared input")),
        "{messages:#?}"
    );
}

#[test]
fn every_free_text_string_input_declares_a_max_length() {
    let source = zendesk_source();
    let broken = source
        .replacen(
            "query: {type: string, minLength: 1, maxLength: 1000,",
            "query: {type: string, minLength: 1,",
            1,
        )
        .replacen(
            "tags: {type: array, items: {type: string, maxLength: 255}, description: Tags to set",
            "tags: {type: array, items: {type: string}, description: Tags to set",
            1,
        );
    assert_eq!(source.len() - broken.len(), 33, "fixture text present");
    let err = toolwire_spec::load_str("z.yaml", &broken).unwrap_err();
    let found = located(&err);
    assert_eq!(found.len(), 2, "enums and bounded strings pass: {found:#?}");
    assert!(
        found[0]
            .0
            .ends_with("string input in `tags` has no `maxLength`"),
        "{found:#?}"
    );
    assert!(
        found[1]
            .0
            .ends_with("string input `query` has no `maxLength`"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .all(|(_, hint)| hint.contains("declare `maxLength:`"))
    );
}
