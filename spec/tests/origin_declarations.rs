//! Bad declarations of the features Salesforce uses (a base URL whose origin comes from the
//! OAuth token response, `next_url` paging, `no_content` bodies, `QUOTA_EXCEEDED`) are reported
//! all at once, each at its `file:line:column` with a hint; the unbroken spec loads with each.

use toolwire_spec::{Pagination, UpstreamErrorCode};

mod support;

use support::{break_once, connector};

fn salesforce() -> String {
    connector("salesforce")
}

#[test]
fn the_salesforce_spec_uses_every_origin_feature_and_loads() {
    let spec = toolwire_spec::load_str("salesforce.yaml", &salesforce()).unwrap();
    assert_eq!(spec.base_url, "{{config.instance_url}}");
    assert!(!spec.config["instance_url"].required);
    assert!(
        spec.egress
            .as_ref()
            .unwrap()
            .allows("acme--dev.sandbox.my.salesforce.com")
    );
    assert!(matches!(
        spec.tool("salesforce_query").unwrap().pagination,
        Pagination::NextUrl { done: Some(_), .. }
    ));
    assert!(
        spec.tool("salesforce_case_update")
            .unwrap()
            .response
            .no_content
            .is_some()
    );
    assert!(
        spec.errors
            .iter()
            .any(|r| r.code == UpstreamErrorCode::QuotaExceeded)
    );
}

#[test]
fn bad_origin_declarations_are_all_reported_at_their_place() {
    let broken = support::Breakage::new("salesforce.yaml", salesforce())
        // The paging input is not an input of the tool.
        .step(
            "pagination: {style: next_url, cursor_input: cursor, next_url: /nextRecordsUrl, done: /done}",
            "pagination: {style: next_url, cursor_input: page, next_url: /nextRecordsUrl, done: /done}",
            "`page` is not an input of `salesforce_query`",
            "input.properties",
        )
        // A no_content body naming an input the tool does not have.
        .step(
            "      no_content: {id: \"{{input.id}}\", updated: true}\n      output:\n        type: object\n        required: [id, updated]\n        properties:\n          id: {type: string}\n          updated: {type: boolean}\n\n  - name: salesforce_contact_get",
            "      no_content: {id: \"{{input.record}}\", updated: true}\n      output:\n        type: object\n        required: [id, updated]\n        properties:\n          id: {type: string}\n          updated: {type: boolean}\n\n  - name: salesforce_contact_get",
            "input.record",
            "fix the variable name",
        );
    broken.assert_all_reported(12);
}

#[test]
fn a_next_url_that_is_not_a_pointer_is_a_shape_error_at_its_place() {
    let (text, line) = break_once(
        &salesforce(),
        "next_url: /nextRecordsUrl, done: /done}",
        "next_url: nextRecordsUrl, done: /done}",
    );
    let err = toolwire_spec::load_str("salesforce.yaml", &text).unwrap_err();
    let d = err
        .diagnostics()
        .unwrap()
        .iter()
        .find(|d| d.message.contains("\"nextRecordsUrl\" does not match"))
        .cloned()
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.line, line, "{d}");
}

#[test]
fn a_config_origin_needs_egress_patterns() {
    let (text, line) = break_once(
        &salesforce(),
        "egress:\n  hosts: [\"*.my.salesforce.com\", \"login.salesforce.com\", \"test.salesforce.com\"]\n",
        "",
    );
    let err = toolwire_spec::load_str("salesforce.yaml", &text).unwrap_err();
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
fn an_optional_origin_must_come_from_the_token_response() {
    // Without the token response filling it, an optional config value cannot be the origin.
    let (text, _) = break_once(
        &salesforce(),
        "      config:\n        instance_url: /instance_url\n",
        "",
    );
    let err = toolwire_spec::load_str("salesforce.yaml", &text).unwrap_err();
    assert!(
        err.to_string()
            .contains("config `instance_url` is optional but `base_url` uses it"),
        "{err}"
    );
}

#[test]
fn a_base_url_must_be_https_or_start_with_a_config_origin() {
    for bad in ["http://{{config.instance_url}}", "x{{config.instance_url}}"] {
        let (text, _) = break_once(
            &salesforce(),
            "base_url: \"{{config.instance_url}}\"",
            &format!("base_url: \"{bad}\""),
        );
        let err = toolwire_spec::load_str("salesforce.yaml", &text).unwrap_err();
        assert!(
            err.to_string()
                .contains("base_url must start with https://"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn quota_exceeded_is_a_known_code_and_other_codes_are_not() {
    let (text, _) = break_once(
        &salesforce(),
        "    code: QUOTA_EXCEEDED",
        "    code: QUOTA_EXCEDED",
    );
    let err = toolwire_spec::load_str("salesforce.yaml", &text).unwrap_err();
    assert!(err.to_string().contains("QUOTA_EXCEDED"), "{err}");
}
