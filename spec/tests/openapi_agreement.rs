//! Every request in `connectors/zendesk.yaml` agrees with Zendesk's official OpenAPI file:
//! method, path (with `.json`, as the live API accepts) and parameter names. The operations
//! come from `oas_key_operations_2024-07.json`, derived from the official
//! `zendesk_support_oas_2024-07.yaml` in reference/zendesk/ (copied from the shared reference data).

use std::path::PathBuf;

use serde_json::Value;
use toolwire_spec::{HttpMethod, Quirk};

fn shared() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reference/zendesk");
    assert!(
        dir.is_dir(),
        "the Zendesk reference data must be at {} (reference/zendesk in the repo)",
        dir.display()
    );
    dir
}

/// Parameters Zendesk documents for every list endpoint (pagination, sorting, sideloads),
/// which the OpenAPI file declares through shared components rather than per operation.
const COMMON_QUERY: &[&str] = &[
    "page",
    "per_page",
    "page[size]",
    "page[after]",
    "page[before]",
    "sort",
    "sort_by",
    "sort_order",
    "include",
];

fn find<'a>(ops: &'a [Value], method: HttpMethod, path: &str) -> Option<&'a Value> {
    let want = format!("/api/v2{}", path.trim_end_matches(".json"));
    let want = want.replace(".json/", "/");
    ops.iter()
        .find(|op| op["method"] == method.as_str() && op["path"] == want)
}

#[test]
fn zendesk_requests_match_the_official_openapi_file() {
    let ops: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(shared().join("oas_key_operations_2024-07.json")).unwrap(),
    )
    .unwrap();
    let spec = toolwire_spec::load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/zendesk.yaml"
    ))
    .unwrap();
    let mut problems = Vec::new();
    let mut check = |who: &str, method: HttpMethod, path: &str, query: Vec<&str>| {
        let Some(op) = find(&ops, method, path) else {
            problems.push(format!(
                "{who}: {} {path} is not an operation of the Zendesk API",
                method.as_str()
            ));
            return;
        };
        let params: Vec<&str> = op["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for segment in path.split('/') {
            let name = segment
                .strip_prefix('{')
                .map(|s| s.trim_end_matches(".json").trim_end_matches('}'));
            if let Some(name) = name.filter(|n| !params.contains(n)) {
                problems.push(format!(
                    "{who}: path parameter {name} is not declared by {}",
                    op["operationId"]
                ));
            }
        }
        for q in query {
            if !params.contains(&q) && !COMMON_QUERY.contains(&q) {
                problems.push(format!(
                    "{who}: query parameter {q} is not declared by {}",
                    op["operationId"]
                ));
            }
        }
    };
    check("verify", spec.verify.method, &spec.verify.path, vec![]);
    for tool in &spec.tools {
        let r = &tool.request;
        check(
            &tool.name,
            r.method,
            &r.path,
            r.query.keys().map(String::as_str).collect(),
        );
        for quirk in &tool.quirks {
            let Quirk::CollectionDelta {
                add, remove, token, ..
            } = quirk;
            check(&tool.name, add.method, &add.path, vec![]);
            check(&tool.name, remove.method, &remove.path, vec![]);
            check(&tool.name, token.method, &token.path, vec![]);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(spec.tools.len(), 14);
}

#[test]
fn a_wrong_path_would_be_caught() {
    let ops: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(shared().join("oas_key_operations_2024-07.json")).unwrap(),
    )
    .unwrap();
    assert!(find(&ops, HttpMethod::Get, "/tickets/{ticket_id}.json").is_some());
    assert!(find(&ops, HttpMethod::Post, "/tickets/{ticket_id}.json").is_none());
    assert!(find(&ops, HttpMethod::Get, "/ticket/{ticket_id}.json").is_none());
}
