//! Every request in `connectors/salesforce.yaml` agrees with Salesforce's official Postman
//! collection (the request definitions in reference/salesforce/, copied from the connector
//! reference pack): each tool's method and path match one collection request (its
//! `{{_endpoint}}/services/data/v{{version}}/...` URL, `<SOBJECT_API_NAME>` filled with the
//! tool's object, `<RECORD_ID>` with a path input), its query parameters are the request's (or
//! documented for that resource, named below with the doc page), JSON bodies are objects of
//! field API names as the collection sends them; the verify probe is "User Info", and the OAuth
//! endpoints, scope separator and the stored `instance_url` are those of the web server flow.

use std::path::PathBuf;

use regex::Regex;
use serde_json::Value;
use toolwire_spec::{AuthScheme, BodyEncoding, ConnectorSpec, HttpMethod, RefreshKind};

fn collection() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reference/salesforce/postman_salesforce_apis_subset.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the Salesforce reference data must be at {} ({e})",
            path.display()
        )
    }))
    .unwrap()
}

fn spec() -> ConnectorSpec {
    toolwire_spec::load_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/salesforce.yaml"
    ))
    .unwrap()
}

fn request<'a>(collection: &'a Value, name: &str) -> &'a Value {
    collection["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("the collection has no request `{name}`"))
}

/// A collection request's URL as a regex over a spec path: the host variables dropped, the
/// version any `NN.N`, an sObject name any API name (or a path input), a record id a path
/// input, and the query string left out (a trailing `/` before it is optional).
fn path_pattern(url: &str) -> Regex {
    let path = url
        .trim_start_matches("{{_endpoint}}")
        .trim_start_matches("{{url}}{{site}}");
    let path = path.split('?').next().unwrap();
    let path = path.strip_suffix('/').unwrap_or(path);
    let pattern = regex::escape(path)
        .replace(r"\{\{version\}\}", r"[0-9]+\.[0-9]")
        .replace("<SOBJECT_API_NAME>", r"(?:[A-Z][A-Za-z0-9_]*|\{[a-z_]+\})")
        .replace("<RECORD_ID>", r"\{[a-z_]+\}");
    Regex::new(&format!("^{pattern}/?$")).unwrap()
}

/// The collection request a tool's method and path match.
fn matching<'a>(collection: &'a Value, method: HttpMethod, path: &str) -> Option<&'a Value> {
    collection["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method.as_str())
        .find(|r| path_pattern(r["url"].as_str().unwrap_or_default()).is_match(path))
}

/// Query parameters Salesforce documents for a resource beyond what the collection lists:
/// (collection request, parameter, doc page).
const DOCUMENTED_QUERY: &[(&str, &str, &str)] = &[(
    "SObject Rows",
    "fields",
    "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_get.htm",
)];

#[test]
fn salesforce_requests_match_the_official_postman_collection() {
    let collection = collection();
    let spec = spec();
    let mut problems = Vec::new();
    let field = Regex::new("^[A-Z][A-Za-z0-9_]*$").unwrap();
    let json_preset = collection["header_presets"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["key"] == "Content-Type" && h["value"] == "application/json");
    assert!(json_preset, "the collection sends JSON bodies");
    for tool in &spec.tools {
        let r = &tool.request;
        let Some(def) = matching(&collection, r.method, &r.path) else {
            problems.push(format!(
                "{}: {} {} matches no request of the collection",
                tool.name,
                r.method.as_str(),
                r.path
            ));
            continue;
        };
        let name = def["name"].as_str().unwrap();
        let declared: Vec<&str> = def["queryParams"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|q| q["key"].as_str())
            .collect();
        for key in r.query.keys() {
            let documented = DOCUMENTED_QUERY
                .iter()
                .any(|(request, param, _)| *request == name && param == key);
            if !declared.contains(&key.as_str()) && !documented {
                problems.push(format!(
                    "{}: query parameter `{key}` is not one of \"{name}\" ({declared:?})",
                    tool.name
                ));
            }
        }
        match (&r.body, def["rawModeData"].as_str()) {
            (None, None) => {}
            (Some(body), Some(raw)) => {
                let example: Value = serde_json::from_str(raw).unwrap_or_else(|e| {
                    panic!("\"{name}\": the collection's body is not JSON ({e})")
                });
                if !example.is_object() || !body.is_object() {
                    problems.push(format!(
                        "{}: \"{name}\" sends a JSON object of fields; the tool sends {body}",
                        tool.name
                    ));
                }
                if r.body_encoding != BodyEncoding::Json {
                    problems.push(format!("{}: \"{name}\" sends JSON", tool.name));
                }
                // Field API names, as in the collection's `{"Name": "test"}`.
                for key in body.as_object().into_iter().flatten().map(|(k, _)| k) {
                    if !field.is_match(key) {
                        problems.push(format!(
                            "{}: body key `{key}` is not a field API name",
                            tool.name
                        ));
                    }
                }
            }
            (Some(_), None) => problems.push(format!(
                "{}: \"{name}\" sends no body, the tool does",
                tool.name
            )),
            (None, Some(_)) => problems.push(format!(
                "{}: \"{name}\" sends a body, the tool does not",
                tool.name
            )),
        }
    }
    // Create is POST to the object's collection: its required field goes in the body as in
    // the collection's example (`{"Name": "test"}` for an Account).
    let create = spec
        .tools
        .iter()
        .find(|t| t.name == "salesforce_account_create")
        .unwrap();
    let example: Value = serde_json::from_str(
        request(&collection, "SObject Create")["rawModeData"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    for key in example.as_object().unwrap().keys() {
        assert!(
            create.request.body.as_ref().unwrap().get(key).is_some(),
            "salesforce_account_create does not send `{key}`"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_tool_of_the_brief_is_there_with_its_method() {
    let spec = spec();
    let method = |name: &str| {
        spec.tools
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no tool {name}"))
            .request
            .method
    };
    for object in ["account", "contact", "case", "case_comment"] {
        assert_eq!(method(&format!("salesforce_{object}_get")), HttpMethod::Get);
        assert_eq!(
            method(&format!("salesforce_{object}_create")),
            HttpMethod::Post
        );
        // Update is PATCH (not PUT), answered 204 with no body: the output is declared.
        let update = format!("salesforce_{object}_update");
        assert_eq!(method(&update), HttpMethod::Patch);
        let tool = spec.tools.iter().find(|t| t.name == update).unwrap();
        assert!(tool.response.no_content.is_some(), "{update}");
    }
}

#[test]
fn verify_and_oauth_follow_the_web_server_flow() {
    let collection = collection();
    let spec = spec();
    let user_info = request(&collection, "User Info");
    assert_eq!(spec.verify.method.as_str(), user_info["method"]);
    assert!(path_pattern(user_info["url"].as_str().unwrap()).is_match(&spec.verify.path));

    let AuthScheme::Oauth2AuthorizationCode {
        authorize_url,
        token_url,
        scope_separator,
        refresh,
        token_response,
        ..
    } = &spec.auth["oauth2"]
    else {
        panic!("oauth2 is the authorization code grant")
    };
    let login = |url: &str| url.replace("{{url}}{{site}}", "https://{{config.login_host}}");
    let flow1 = request(&collection, "Web Server Flow 1");
    let flow2 = request(&collection, "Web Server Flow 2");
    let refresh_def = request(&collection, "Refresh Token");
    assert_eq!(
        *authorize_url,
        login(flow1["url"].as_str().unwrap().split('?').next().unwrap())
    );
    assert_eq!(*token_url, login(flow2["url"].as_str().unwrap()));
    assert_eq!(*token_url, login(refresh_def["url"].as_str().unwrap()));
    assert_eq!(flow2["method"], "POST");
    // Scopes are space-separated (`scope=full refresh_token`).
    let scope = flow1["queryParams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "scope")
        .unwrap();
    assert!(scope["value"].as_str().unwrap().contains(' '));
    assert_eq!(scope_separator, " ");
    // The flow's test script keeps instance_url as the endpoint of every later request; the
    // refresh script keeps only the new access token (the refresh token does not rotate).
    let script = |def: &Value| {
        def["events"][0]["script"]["exec"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(script(flow2).contains("jsonData.instance_url"));
    assert!(!script(refresh_def).contains("refresh_token"));
    assert_eq!(*refresh, RefreshKind::Reusable);
    let map = token_response.as_deref().expect("token_response declared");
    assert_eq!(map.config["instance_url"], "/instance_url");
    assert!(spec.base_url.starts_with("{{config.instance_url}}"));
    for tool in &spec.tools {
        assert!(
            tool.request.path.starts_with("/services/data/v62.0/")
                || tool.request.path == spec.verify.path,
            "{}: {}",
            tool.name,
            tool.request.path
        );
    }
}
