//! Every request in `connectors/github.yaml` agrees with GitHub's official OpenAPI
//! description (the subset in reference/github/, copied from the shared reference pack):
//! method and path, path and query parameter names, and the top-level body fields.

use std::path::PathBuf;

use serde_json::Value;
use toolwire_spec::{HttpMethod, Quirk};

fn openapi() -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reference/github/openapi_subset.api.github.com.json");
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "the GitHub reference data must be at {}: {e}",
            file.display()
        )
    }))
    .unwrap()
}

/// Follows a local `$ref` (`#/components/...`).
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {r}")),
        None => v,
    }
}

fn operation<'a>(doc: &'a Value, method: HttpMethod, path: &str) -> Option<&'a Value> {
    doc["paths"]
        .get(path)?
        .get(method.as_str().to_ascii_lowercase())
}

/// Parameter names of `op` that are `in` the given place.
fn params(doc: &Value, op: &Value, place: &str) -> Vec<String> {
    op["parameters"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|p| deref(doc, p))
        .filter(|p| p["in"] == place)
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// Top-level body field names (every `oneOf` branch that is an object counts).
fn body_fields(doc: &Value, op: &Value) -> Vec<String> {
    let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
        return vec![];
    };
    let schema = deref(doc, schema);
    let mut out = Vec::new();
    let branches: Vec<&Value> = match schema.get("oneOf").and_then(Value::as_array) {
        Some(b) => b.iter().map(|b| deref(doc, b)).collect(),
        None => vec![schema],
    };
    for b in branches {
        if let Some(props) = b.get("properties").and_then(Value::as_object) {
            out.extend(props.keys().cloned());
        }
    }
    out
}

fn problems_of(spec: &toolwire_spec::ConnectorSpec, doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check =
        |who: &str, method: HttpMethod, path: &str, query: Vec<&str>, body: Option<&Value>| {
            let Some(op) = operation(doc, method, path) else {
                problems.push(format!(
                    "{who}: {} {path} is not an operation of the GitHub API",
                    method.as_str()
                ));
                return;
            };
            let in_path = params(doc, op, "path");
            for segment in path.split('/') {
                if let Some(name) = segment.strip_prefix('{').map(|s| s.trim_end_matches('}'))
                    && !in_path.iter().any(|p| p == name)
                {
                    problems.push(format!("{who}: path parameter {name} is not declared"));
                }
            }
            let in_query = params(doc, op, "query");
            for q in query {
                if !in_query.iter().any(|p| p == q) {
                    problems.push(format!("{who}: query parameter {q} is not declared"));
                }
            }
            let fields = body_fields(doc, op);
            for key in body
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.keys())
            {
                if !fields.iter().any(|f| f == key) {
                    problems.push(format!("{who}: body field {key} is not declared"));
                }
            }
        };
    check(
        "verify",
        spec.verify.method,
        &spec.verify.path,
        vec![],
        None,
    );
    for tool in &spec.tools {
        let r = &tool.request;
        check(
            &tool.name,
            r.method,
            &r.path,
            r.query.keys().map(String::as_str).collect(),
            r.body.as_ref(),
        );
        assert!(
            tool.quirks
                .iter()
                .all(|q| !matches!(q, Quirk::CollectionDelta { .. }))
        );
    }
    problems
}

fn github() -> toolwire_spec::ConnectorSpec {
    toolwire_spec::load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/github.yaml"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn github_requests_match_the_official_openapi_subset() {
    let doc = openapi();
    let spec = github();
    let problems = problems_of(&spec, &doc);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(spec.tools.len(), 12);
}

#[test]
fn a_wrong_method_path_query_or_body_field_would_be_caught() {
    let doc = openapi();
    let mut spec = github();
    let tool = spec
        .tools
        .iter_mut()
        .find(|t| t.name == "github_issue_update")
        .unwrap();
    tool.request.method = HttpMethod::Put;
    let list = spec
        .tools
        .iter_mut()
        .find(|t| t.name == "github_issues_list")
        .unwrap();
    list.request
        .query
        .insert("page_size".into(), "{{input.per_page}}".into());
    let create = spec
        .tools
        .iter_mut()
        .find(|t| t.name == "github_issue_create")
        .unwrap();
    create
        .request
        .body
        .as_mut()
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert("label_names".into(), Value::Null);
    let problems = problems_of(&spec, &doc).join("\n");
    assert!(problems.contains("github_issue_update: PUT"), "{problems}");
    assert!(problems.contains("query parameter page_size"), "{problems}");
    assert!(problems.contains("body field label_names"), "{problems}");
}
