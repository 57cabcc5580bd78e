//! Explicit nulls in declarations: an input whose schema names `null` may fill a body member or
//! a GraphQL variable (sent as `null` to clear a field), but never a path, query or header
//! value — `spec check` reports each such use at its place with a fix. A shipped connector
//! whose update tool clears fields (Linear) loads clean.

mod support;

use support::{Breakage, connector};

#[test]
fn a_nullable_input_in_a_path_or_query_is_reported_with_a_fix() {
    let text = connector("github");
    Breakage::new("github.yaml", text)
        .step(
            "owner: {type: string, minLength: 1, maxLength: 100, description: The account owning the repository (user or organization).}",
            "owner: {type: [string, \"null\"], minLength: 1, maxLength: 100, description: The account owning the repository (user or organization).}",
            "input `owner` may be null (its schema names \"null\"), but a path parameter is text",
            "drop \"null\" from `owner`'s type",
        )
        .step(
            "state: {type: string, enum: [open, closed, all], description: Which issues (default open).}",
            "state: {type: [string, \"null\"], enum: [open, closed, all], description: Which issues (default open).}",
            "input `state` may be null (its schema names \"null\"), but a query value is text",
            "or send it in the body",
        )
        .assert_all_reported(40);
}

#[test]
fn nullable_inputs_in_bodies_and_graphql_variables_load_clean() {
    let spec = toolwire_spec::load_str("linear.yaml", &connector("linear")).unwrap();
    let update = spec
        .tools
        .iter()
        .find(|t| t.name == "linear_issue_update")
        .unwrap();
    let nullable = toolwire_spec::template::nullable_inputs(&update.input);
    for clears in ["assignee_id", "due_date", "estimate", "project_id"] {
        assert!(nullable.contains(&clears), "{clears} in {nullable:?}");
    }
    assert!(!nullable.contains(&"id") && !nullable.contains(&"title"));
}
