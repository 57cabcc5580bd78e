//! Every GraphQL document in `connectors/linear.yaml` agrees with Linear's public schema (the
//! official SDK's `schema.graphql` in reference/linear/, copied from the connector reference
//! pack): each parses and validates against the schema with apollo-compiler; each operation has
//! the name and a subset of the variable definitions of the official SDK operation of the same
//! name; every tool input maps onto a variable (or a field inside one) whose GraphQL type fits
//! the input's JSON Schema type; and the variables a tool sends for a sample input coerce
//! against the schema. Broken documents and broken declarations fail these checks.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use apollo_compiler::ast::Type;
use apollo_compiler::executable::Operation;
use apollo_compiler::response::JsonMap;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use serde_json::{Value, json};
use support::break_once;
use toolwire_spec::template::VarRef;
use toolwire_spec::{ConnectorSpec, GraphqlRequest, ToolSpec};

fn reference(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reference/linear")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the Linear reference data must be at {} ({e})",
            path.display()
        )
    })
}

fn schema() -> &'static Valid<Schema> {
    static SCHEMA: std::sync::OnceLock<Valid<Schema>> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::parse_and_validate(reference("schema.graphql"), "schema.graphql")
            .unwrap_or_else(|e| panic!("Linear's schema.graphql is valid: {}", e.errors))
    })
}

fn spec() -> ConnectorSpec {
    toolwire_spec::load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/linear.yaml"
    ))
    .unwrap()
}

/// Every GraphQL request of the spec: (where, the request, the tool when it is a tool's).
fn requests(spec: &ConnectorSpec) -> Vec<(String, GraphqlRequest, Option<ToolSpec>)> {
    let mut out = vec![(
        "verify".to_string(),
        spec.verify
            .graphql
            .clone()
            .expect("the verify probe is a GraphQL query"),
        None,
    )];
    for tool in &spec.tools {
        let graphql = tool
            .request
            .graphql
            .clone()
            .unwrap_or_else(|| panic!("{} is a GraphQL request", tool.name));
        out.push((tool.name.clone(), graphql, Some(tool.clone())));
    }
    out
}

/// The document validated against the schema, or every error apollo-compiler found.
fn validate(document: &str, at: &str) -> Result<Valid<ExecutableDocument>, String> {
    ExecutableDocument::parse_and_validate(schema(), document, format!("{at}.graphql"))
        .map_err(|e| e.errors.to_string())
}

fn operation<'d>(doc: &'d ExecutableDocument, graphql: &GraphqlRequest) -> &'d Operation {
    doc.operations
        .get(graphql.operation_name.as_deref())
        .expect("the named operation exists")
}

#[test]
fn every_document_validates_against_the_schema() {
    let spec = spec();
    let mut failures = Vec::new();
    for (at, graphql, _) in requests(&spec) {
        if let Err(errors) = validate(&graphql.document, &at) {
            failures.push(format!("{at}:\n{errors}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_operation_is_the_official_sdk_operation_of_its_name() {
    let spec = spec();
    for (at, graphql, _) in requests(&spec) {
        let name = graphql
            .operation_name
            .clone()
            .expect("operations are named");
        let ours = validate(&graphql.document, &at).unwrap();
        let ours = operation(&ours, &graphql);
        let official = validate(&reference(&format!("operations/{name}.graphql")), &name)
            .unwrap_or_else(|e| panic!("the SDK's {name} validates: {e}"));
        let official = official.operations.get(Some(&name)).unwrap();
        assert_eq!(ours.operation_type, official.operation_type, "{at}");
        assert!(
            !ours.selection_set.selections.is_empty(),
            "{at} selects a root field"
        );
        for v in &ours.variables {
            let theirs = official
                .variables
                .iter()
                .find(|o| o.name == v.name)
                .unwrap_or_else(|| {
                    panic!("{at}: ${} is not a variable of the SDK's {name}", v.name)
                });
            assert_eq!(v.ty, theirs.ty, "{at}: ${} has the SDK's type", v.name);
        }
    }
}

/// The GraphQL type at `path` inside a value of type `ty` (input object fields, list items).
fn type_at<'t>(ty: &'t Type, path: &[String]) -> Result<&'t Type, String> {
    let Some((field, rest)) = path.split_first() else {
        return Ok(ty);
    };
    let named = ty.inner_named_type();
    match schema().types.get(named) {
        Some(ExtendedType::InputObject(object)) => {
            let def = object
                .fields
                .get(field.as_str())
                .ok_or_else(|| format!("`{named}` has no field `{field}`"))?;
            type_at(&def.ty, rest)
        }
        _ => Err(format!(
            "`{named}` is not an input object (field `{field}`)"
        )),
    }
}

/// Every `{{input.x}}` in a variable value with its path below the variable.
fn input_uses(value: &Value, path: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    match value {
        Value::String(s) => {
            if let Some(name) = s
                .strip_prefix("{{input.")
                .and_then(|r| r.strip_suffix("}}"))
            {
                out.push((name.to_string(), path.clone()));
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                input_uses(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether an input of JSON Schema `input` fits a GraphQL value of type `ty`.
fn fits(input: &Value, ty: &Type) -> Result<(), String> {
    let types: Vec<&str> = match &input["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Err("the input has no type".into()),
    };
    if types.contains(&"null") && ty.is_non_null() {
        return Err(format!("a null input cannot fill non-null `{ty}`"));
    }
    if ty.is_list() {
        if !types.contains(&"array") {
            return Err(format!("`{ty}` is a list, the input is {types:?}"));
        }
        return fits(&input["items"], ty.item_type());
    }
    let named = ty.inner_named_type().as_str();
    let want: &[&str] = match (named, schema().types.get(named)) {
        ("Int", _) => &["integer"],
        ("Float", _) => &["number", "integer"],
        ("Boolean", _) => &["boolean"],
        (_, Some(ExtendedType::Scalar(_))) => &["string"],
        (_, Some(ExtendedType::Enum(e))) => {
            let values: Vec<&str> = e.values.keys().map(|k| k.as_str()).collect();
            for v in input["enum"].as_array().into_iter().flatten() {
                let v = v.as_str().unwrap_or_default();
                if !values.contains(&v) {
                    return Err(format!("`{v}` is not a value of enum `{named}`"));
                }
            }
            &["string"]
        }
        (_, Some(ExtendedType::InputObject(_))) => &["object"],
        _ => return Err(format!("`{named}` is not an input type")),
    };
    if types.iter().any(|t| *t != "null" && want.contains(t)) {
        Ok(())
    } else {
        Err(format!(
            "`{ty}` needs a JSON {want:?}, the input is {types:?}"
        ))
    }
}

/// The problems of one tool's input-to-variable mapping.
fn mapping_problems(tool: &ToolSpec, graphql: &GraphqlRequest) -> Vec<String> {
    let doc = match validate(&graphql.document, &tool.name) {
        Ok(doc) => doc,
        Err(e) => return vec![e],
    };
    let op = operation(&doc, graphql);
    let mut problems = Vec::new();
    let mut mapped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (variable, value) in &graphql.variables {
        let Some(def) = op.variables.iter().find(|v| v.name.as_str() == variable) else {
            problems.push(format!("`{variable}` is not a variable of the operation"));
            continue;
        };
        let mut uses = Vec::new();
        input_uses(value, &mut vec![], &mut uses);
        for (input, path) in uses {
            let Some(schema) = tool.input.pointer(&format!("/properties/{input}")) else {
                problems.push(format!("`{{{{input.{input}}}}}` names no input"));
                continue;
            };
            let at = format!(
                "${variable}{}",
                path.iter().map(|p| format!(".{p}")).collect::<String>()
            );
            match type_at(&def.ty, &path).and_then(|ty| fits(schema, ty).map(|()| ty)) {
                Ok(ty) => {
                    if ty.is_non_null()
                        && path.is_empty()
                        && !tool.required_inputs().contains(&input.as_str())
                    {
                        problems.push(format!("{at} is `{ty}` but input `{input}` is optional"));
                    }
                }
                Err(e) => problems.push(format!("input `{input}` → {at}: {e}")),
            }
            mapped.entry(input).or_default().push(at);
        }
    }
    for input in tool.input_properties() {
        if !mapped.contains_key(input) {
            problems.push(format!("input `{input}` is sent in no variable"));
        }
    }
    for def in op
        .variables
        .iter()
        .filter(|v| v.ty.is_non_null() && v.default_value.is_none())
    {
        if !graphql.variables.contains_key(def.name.as_str()) {
            problems.push(format!("required variable ${} is never sent", def.name));
        }
    }
    problems
}

#[test]
fn every_tool_input_maps_onto_a_variable_of_a_fitting_type() {
    let spec = spec();
    let mut failures = Vec::new();
    for tool in &spec.tools {
        let graphql = tool.request.graphql.as_ref().unwrap();
        for p in mapping_problems(tool, graphql) {
            failures.push(format!("{}: {p}", tool.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A valid sample value for an input's JSON Schema.
fn sample(schema: &Value) -> Value {
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let ty = match &schema["type"] {
        Value::Array(ts) => ts
            .iter()
            .find(|t| *t != "null")
            .cloned()
            .unwrap_or_default(),
        t => t.clone(),
    };
    match ty.as_str().unwrap_or_default() {
        "integer" => schema["minimum"]
            .as_i64()
            .map(|m| json!(m.max(1)))
            .unwrap_or(json!(1)),
        "number" => json!(1.5),
        "boolean" => json!(true),
        "array" => json!([sample(&schema["items"])]),
        _ if schema["format"] == "email" => json!("ada@example.com"),
        _ if schema["pattern"]
            .as_str()
            .is_some_and(|p| p.contains("{4}-")) =>
        {
            json!("2026-11-28")
        }
        _ => json!("sample-value"),
    }
}

#[test]
fn the_variables_sent_for_a_full_sample_input_coerce_against_the_schema() {
    let spec = spec();
    let mut failures = Vec::new();
    for tool in &spec.tools {
        let graphql = tool.request.graphql.as_ref().unwrap();
        let input: serde_json::Map<String, Value> = tool.input["properties"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, s)| (k.clone(), sample(s)))
            .collect();
        let body = graphql
            .body_template()
            .unwrap()
            .render(&|v: &VarRef| input.get(&v.path[0]))
            .unwrap();
        assert_eq!(body["query"], graphql.document.as_str());
        assert_eq!(body["operationName"], json!(graphql.operation_name));
        let doc = validate(&graphql.document, &tool.name).unwrap();
        let sent = body.get("variables").cloned().unwrap_or(json!({}));
        let variables: JsonMap = serde_json::from_value(sent).unwrap();
        if let Err(e) = apollo_compiler::request::coerce_variable_values(
            schema(),
            operation(&doc, graphql),
            &variables,
        ) {
            failures.push(format!(
                "{}: {e:?} (variables {})",
                tool.name, body["variables"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Explicit nulls: a nullable input passed as `null` is sent as `null` (to clear a field), and
/// the variables sent so still coerce, i.e. every nullable input lands in a nullable slot.
#[test]
fn the_variables_sent_with_every_nullable_input_null_coerce_against_the_schema() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut nulls_sent = 0;
    for tool in &spec.tools {
        let nullable = toolwire_spec::template::nullable_inputs(&tool.input);
        if nullable.is_empty() {
            continue;
        }
        let graphql = tool.request.graphql.as_ref().unwrap();
        let input: serde_json::Map<String, Value> = tool.input["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| {
                nullable.contains(&k.as_str()) || tool.required_inputs().contains(&k.as_str())
            })
            .map(|(k, s)| {
                let v = if nullable.contains(&k.as_str()) {
                    Value::Null
                } else {
                    sample(s)
                };
                (k.clone(), v)
            })
            .collect();
        let body = graphql
            .body_template()
            .unwrap()
            .render(&|v: &VarRef| input.get(&v.path[0]))
            .unwrap();
        let sent = body.get("variables").cloned().unwrap_or(json!({}));
        nulls_sent += sent.to_string().matches("null").count();
        let doc = validate(&graphql.document, &tool.name).unwrap();
        let variables: JsonMap = serde_json::from_value(sent).unwrap();
        if let Err(e) = apollo_compiler::request::coerce_variable_values(
            schema(),
            operation(&doc, graphql),
            &variables,
        ) {
            failures.push(format!(
                "{}: {e:?} (variables {})",
                tool.name, body["variables"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        nulls_sent >= 4,
        "the update tool clears fields with null ({nulls_sent} sent)"
    );
}

#[test]
fn a_broken_document_fails_schema_validation() {
    let spec = spec();
    let tool = spec.tool("linear_issue_get").unwrap();
    let graphql = tool.request.graphql.as_ref().unwrap();
    assert!(validate(&graphql.document, "ok").is_ok());
    // A field the type does not have.
    let broken = graphql.document.replacen("identifier", "identifer", 1);
    let errors = validate(&broken, "broken").unwrap_err();
    assert!(errors.contains("identifer"), "{errors}");
    // An argument of the wrong type.
    let broken = graphql.document.replacen("$id: String!", "$id: Int!", 1);
    let errors = validate(&broken, "broken").unwrap_err();
    assert!(errors.contains("$id"), "{errors}");
    // The deprecated search field still validates (it exists), but is not what the spec uses.
    let search = spec.tool("linear_issues_search").unwrap();
    assert!(
        !search
            .request
            .graphql
            .as_ref()
            .unwrap()
            .document
            .contains("issueSearch(")
    );
}

#[test]
fn a_broken_mapping_fails_the_mapping_check() {
    let spec = spec();
    let mut tool = spec.tool("linear_issues_list").unwrap().clone();
    let graphql = tool.request.graphql.as_mut().unwrap();
    // A filter field the filter type does not have, and an integer input sent as a string.
    graphql.variables["filter"]["team"] = json!({"uuid": {"eq": "{{input.team_id}}"}});
    graphql
        .variables
        .insert("after".into(), json!("{{input.first}}"));
    let graphql = graphql.clone();
    let problems = mapping_problems(&tool, &graphql).join("\n");
    assert!(
        problems.contains("`TeamFilter` has no field `uuid`"),
        "{problems}"
    );
    assert!(problems.contains("input `first` → $after"), "{problems}");
    // An optional input feeding a required variable.
    let mut tool = spec.tool("linear_issue_get").unwrap().clone();
    tool.input["required"] = json!([]);
    let graphql = tool.request.graphql.clone().unwrap();
    let problems = mapping_problems(&tool, &graphql).join("\n");
    assert!(problems.contains("input `id` is optional"), "{problems}");
}

#[test]
fn bad_graphql_in_the_spec_is_reported_at_its_line_and_column_with_a_fix() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/linear.yaml"
    ))
    .unwrap();
    // A parse error inside a document, a variable used but not declared, and a variable
    // mapped that the operation does not declare: all reported at once.
    let (text, parse_line) = break_once(
        &text,
        "      commentCreate(input: $input) {\n",
        "      commentCreate(input: $input) {{\n",
    );
    let (text, use_line) = break_once(&text, "issue(id: $id) {", "issue(id: $issueId) {");
    let (text, map_line) = break_once(
        &text,
        "          includeDisabled: \"{{input.include_disabled}}\"",
        "          includeDisabledd: \"{{input.include_disabled}}\"",
    );
    let err = toolwire_spec::load_str("linear.yaml", &text).unwrap_err();
    let diagnostics = err.diagnostics().unwrap();
    let find = |needle: &str| {
        diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .cloned()
            .unwrap_or_else(|| panic!("no `{needle}` in {err}"))
    };
    let parse = find("GraphQL syntax error");
    assert_eq!(parse.line, parse_line, "{parse}");
    assert!(parse.hint.as_deref().unwrap().contains("parses"), "{parse}");
    let used = find("`$issueId` is used but not declared");
    assert_eq!(used.line, use_line, "{used}");
    let line_text = text.lines().nth(use_line as usize - 1).unwrap();
    assert_eq!(
        line_text.find("$issueId").unwrap() as u32 + 1,
        used.column,
        "{used}"
    );
    assert!(
        used.hint.as_deref().unwrap().contains("$issueId: String"),
        "{used}"
    );
    let mapped = find("`includeDisabledd` is not a variable of the operation");
    assert_eq!(mapped.line, map_line, "{mapped}");
    assert!(
        mapped
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `includeDisabled`"),
        "{mapped}"
    );
    assert!(
        err.to_string()
            .contains(&format!("linear.yaml:{use_line}:{}", used.column)),
        "{err}"
    );
}

#[test]
fn bad_graphql_declarations_are_all_reported_with_a_fix() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/linear.yaml"
    ))
    .unwrap();
    // Relay paging whose cursor input feeds no variable (teams: `after` renamed to a literal).
    let (text, _) = break_once(
        &text,
        "    pagination: {style: relay, cursor_input: after, page_info: /data/teams/pageInfo}",
        "    pagination: {style: relay, cursor_input: key, page_info: /data/teams/pageInfo}",
    );
    // An integer input mapped onto a String variable, and a mutation claiming read_only.
    let (text, _) = break_once(
        &text,
        "          term: \"{{input.term}}\"",
        "          term: \"{{input.first}}\"",
    );
    let (text, _) = break_once(
        &text,
        "    annotations: {read_only: false, destructive: false, idempotent: false, open_world: true}\n    scopes: [write]\n    input:\n      type: object\n      additionalProperties: false\n      required: [issue_id, body]",
        "    annotations: {read_only: true, destructive: false, idempotent: true, open_world: true}\n    scopes: [write]\n    input:\n      type: object\n      additionalProperties: false\n      required: [issue_id, body]",
    );
    let err = toolwire_spec::load_str("linear.yaml", &text).unwrap_err();
    let all = err.to_string();
    for (message, hint) in [
        (
            "Relay paging passes the cursor back as input `key`, but no GraphQL variable is `{{input.key}}`",
            "map the document's `after` variable",
        ),
        (
            "input `first` is a JSON integer, but variable `$term` is `String!` (a JSON string)",
            "give input `first` `type: string`",
        ),
        (
            "`linear_comment_create` runs a GraphQL mutation but claims read_only",
            "set `read_only: false`",
        ),
    ] {
        let d = err
            .diagnostics()
            .unwrap()
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` in {all}"));
        assert!(d.hint.as_deref().unwrap().contains(hint), "{d}");
        assert!(d.line > 1, "{d}");
    }
}
