//! Every request in `connectors/slack.yaml` agrees with Slack's official Web API spec (the
//! Swagger 2.0 subset in reference/slack/, copied from the connector reference pack): the
//! method exists with this HTTP method, every parameter the tool sends is one the method
//! declares where the tool sends it (query for GET, form fields for POST), the body encoding is
//! one the method `consumes`, and the verify probe is `auth.test`.

use std::path::PathBuf;

use serde_json::Value;
use toolwire_spec::{BodyEncoding, HttpMethod};

fn swagger() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reference/slack/openapi_subset.slack_web_v2.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the Slack reference data must be at {} ({e})",
            path.display()
        )
    }))
    .unwrap()
}

fn spec() -> toolwire_spec::ConnectorSpec {
    toolwire_spec::load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/slack.yaml"
    ))
    .unwrap()
}

/// The parameters of `op` declared `in` this place (`query`, `formData`, `header`).
fn params<'a>(op: &'a Value, place: &str) -> Vec<&'a str> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == place)
        .filter_map(|p| p["name"].as_str())
        .collect()
}

#[test]
fn slack_requests_match_the_official_web_api_spec() {
    let swagger = swagger();
    let spec = spec();
    assert_eq!(
        spec.base_url,
        format!(
            "https://{}{}",
            swagger["host"].as_str().unwrap(),
            swagger["basePath"].as_str().unwrap()
        )
    );
    let mut problems = Vec::new();
    for tool in &spec.tools {
        let r = &tool.request;
        let method = r.method.as_str().to_ascii_lowercase();
        let Some(op) = swagger["paths"][&r.path][&method].as_object() else {
            problems.push(format!(
                "{}: {} {} is not a method of the Slack Web API",
                tool.name,
                r.method.as_str(),
                r.path
            ));
            continue;
        };
        let op = Value::Object(op.clone());
        let consumes: Vec<&str> = op["consumes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let query = params(&op, "query");
        for name in r.query.keys() {
            if !query.contains(&name.as_str()) {
                problems.push(format!(
                    "{}: query parameter `{name}` is not a query parameter of {} (it takes {query:?})",
                    tool.name, r.path
                ));
            }
        }
        if let Some(body) = &r.body {
            let (content_type, place) = match r.body_encoding {
                BodyEncoding::Form => ("application/x-www-form-urlencoded", "formData"),
                BodyEncoding::Json => ("application/json", "formData"),
            };
            if !consumes.contains(&content_type) {
                problems.push(format!(
                    "{}: {} consumes {consumes:?}, not {content_type}",
                    tool.name, r.path
                ));
            }
            let fields = params(&op, place);
            for name in body.as_object().into_iter().flatten().map(|(k, _)| k) {
                if !fields.contains(&name.as_str()) {
                    problems.push(format!(
                        "{}: body field `{name}` is not a field of {} (it takes {fields:?})",
                        tool.name, r.path
                    ));
                }
            }
        }
        if r.method == HttpMethod::Get && r.body.is_some() {
            problems.push(format!("{}: a GET carries no body", tool.name));
        }
        // The token travels in the Authorization header, which every method accepts.
        for (name, _) in &r.headers {
            problems.push(format!("{}: unexpected header `{name}`", tool.name));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_verify_probe_and_oauth_endpoints_are_slacks() {
    let swagger = swagger();
    let spec = spec();
    assert_eq!(spec.verify.path, "/auth.test");
    assert!(
        swagger["paths"]["/auth.test"][spec.verify.method.as_str().to_ascii_lowercase()]
            .is_object()
    );
    let toolwire_spec::AuthScheme::Oauth2AuthorizationCode {
        token_url,
        scope_separator,
        scope_params,
        ..
    } = &spec.auth["oauth2"]
    else {
        panic!("slack.yaml has an OAuth scheme named oauth2");
    };
    assert!(swagger["paths"]["/oauth.v2.access"].is_object());
    assert_eq!(token_url, "https://slack.com/api/oauth.v2.access");
    assert_eq!(scope_separator, ",");
    assert!(scope_params.contains_key("user_scope"));
}

#[test]
fn every_tool_scope_is_one_the_method_declares() {
    let swagger = swagger();
    let spec = spec();
    let mut problems = Vec::new();
    for tool in &spec.tools {
        let r = &tool.request;
        let op = &swagger["paths"][&r.path][r.method.as_str().to_ascii_lowercase()];
        let declared: Vec<&str> = op["security"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["slackAuth"].as_array())
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        // The 2021 spec names `chat:write:bot`/`chat:write:user` where today's apps ask for
        // `chat:write`; the prefix before the last `:` is the same scope family.
        for scope in &tool.scopes {
            let ok = declared
                .iter()
                .any(|d| d == scope || d.starts_with(&format!("{scope}:")));
            if !ok {
                problems.push(format!(
                    "{}: scope `{scope}` is not among {declared:?}",
                    tool.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
