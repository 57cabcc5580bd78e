//! The OpenAPI document: served without auth at `/openapi.json`, structurally valid OpenAPI
//! 3.1, and in step with the router both ways — every `.route(..)` in the server's sources is
//! documented (with each of its methods), and every documented operation reaches a handler
//! (not the 404 fallback, not 405).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::Harness;
use serde_json::Value;

/// (path, methods) of every `.route(..)` / `.route_service(..)` call in `server/src`;
/// `methods` is empty for services that own every method (`/mcp`).
fn routes_in_source() -> BTreeMap<String, BTreeSet<String>> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let method_names = ["get", "post", "put", "delete", "patch"];
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains(".nest("),
            "{}: routes are written with their full paths (no nesting), so this scan sees them",
            file.display()
        );
        for pat in [".route(", ".route_service("] {
            for (pos, _) in text.match_indices(pat) {
                let args = balanced(&text[pos + pat.len()..]);
                let Some(path) = args.split('"').nth(1) else {
                    continue;
                };
                if !path.starts_with('/') {
                    continue;
                }
                let methods = routes.entry(path.to_string()).or_default();
                for m in method_names {
                    if args.contains(&format!("{m}(")) {
                        methods.insert(m.to_string());
                    }
                }
            }
        }
    }
    routes
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text up to the `)` that closes the call whose `(` was just consumed.
fn balanced(s: &str) -> &str {
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
    }
    s
}

fn documented(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(p, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "delete", "patch"].contains(&k.as_str()))
                .cloned()
                .collect();
            (p.clone(), methods)
        })
        .collect()
}

#[test]
fn every_route_in_the_router_is_documented() {
    let doc = toolwire_server::app::openapi::document();
    let docs = documented(&doc);
    let routes = routes_in_source();
    assert!(
        routes.len() >= 15,
        "the route scan found too little: {routes:?}"
    );
    assert!(
        routes.contains_key("/v1/execute_tool") && routes.contains_key("/mcp"),
        "{routes:?}"
    );
    let mut missing = Vec::new();
    for (path, methods) in &routes {
        match docs.get(path) {
            None => missing.push(format!("{path} (all methods)")),
            Some(doc_methods) => {
                for m in methods.difference(doc_methods) {
                    missing.push(format!("{} {path}", m.to_uppercase()));
                }
                if doc_methods.is_empty() {
                    missing.push(format!("{path} (no operation)"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routed but not in the OpenAPI document: {missing:#?}"
    );
}

#[test]
fn document_is_structurally_valid_openapi_3_1() {
    let doc = toolwire_server::app::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let schemas = doc["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .expect("securitySchemes");
    assert_eq!(schemes["api_key"]["scheme"], "bearer");
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in &refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(schemas.contains_key(name), "dangling $ref {r}");
    }
    let paths = doc["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    let mut op_ids = BTreeSet::new();
    for (path, item) in paths {
        assert!(path.starts_with('/'), "{path}");
        let params_in_path: BTreeSet<&str> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}: no responses"));
            assert!(!responses.is_empty(), "{method} {path}: empty responses");
            for (code, resp) in responses {
                assert!(
                    code == "default" || code.parse::<u16>().is_ok(),
                    "{method} {path}: status {code}"
                );
                assert!(
                    resp["description"].is_string(),
                    "{method} {path} {code}: description"
                );
            }
            if let Some(id) = op["operationId"].as_str() {
                assert!(op_ids.insert(id.to_string()), "duplicate operationId {id}");
            }
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| {
                            assert_eq!(
                                p["required"], true,
                                "{method} {path}: path params are required"
                            );
                            p["name"].as_str().unwrap()
                        })
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, params_in_path, "{method} {path}: path parameters");
            if let Some(sec) = op["security"].as_array() {
                for req in sec {
                    for name in req.as_object().unwrap().keys() {
                        assert!(
                            schemes.contains_key(name),
                            "{method} {path}: unknown scheme {name}"
                        );
                    }
                }
            }
            if path.starts_with("/v1/") {
                assert!(
                    op["security"].is_array(),
                    "{method} {path}: /v1 needs security"
                );
            }
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn served_without_auth_and_every_operation_is_routed() {
    let h = Harness::start().await;
    let resp = h.http.get(h.url("/openapi.json")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let served: Value = resp.json().await.unwrap();
    assert_eq!(served, toolwire_server::app::openapi::document());

    for (path, methods) in documented(&served) {
        let concrete = path.replace('{', "x").replace('}', "");
        for m in methods {
            let method = reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let resp = h
                .http
                .request(method, h.url(&concrete))
                .bearer_auth(common::API_KEY)
                .header("X-Toolwire-Identifier", "probe")
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            let body = resp.text().await.unwrap();
            assert_ne!(status, 405, "{m} {path}: method not routed");
            assert!(
                !(status == 404 && body.contains("no route")),
                "{m} {path}: fell through to the 404 fallback: {body}"
            );
        }
    }
}

#[test]
fn mcp_is_described_with_both_ways_in() {
    let doc = toolwire_server::app::openapi::document();
    let scheme = &doc["components"]["securitySchemes"]["mcp_token"];
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");
    assert!(
        scheme["description"]
            .as_str()
            .is_some_and(|d| d.contains("/authorize") && d.contains("/v1/mcp_tokens")),
        "{scheme}"
    );
    let op = &doc["paths"]["/mcp"]["post"];
    let security: Vec<&str> = op["security"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_object().unwrap().keys().map(String::as_str))
        .collect();
    assert_eq!(security, ["mcp_token", "api_key"], "{op}");
    // With a token the header is ignored: it cannot be required.
    let header = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "X-Toolwire-Identifier")
        .unwrap();
    assert_ne!(header["required"], true, "{header}");
}
