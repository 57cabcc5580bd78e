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
