//! The test kit end to end: every `connectors/*.yaml` with a cassette file passes its
//! cassettes (so CI replays them); and the kit itself — a wrong header, a wrong body, an extra
//! request and a missing request each fail with a diff naming the cassette; a bad cassette file
//! gives every problem at once, located.

use std::path::{Path, PathBuf};

use toolwire_testkit::{TestkitError, run};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A small generic connector for the kit's own tests (independent of the real connectors).
const KIT_SPEC: &str = r#"
spec_version: 1
connector: kit
title: Kit
description: A made-up items API for the test kit's own tests.
base_url: "https://api.kit.example/v1"
auth:
  token:
    type: bearer
    title: API token
    fields:
      token: {title: API token, secret: true}
    token: "{{credentials.token}}"
  oauth:
    type: oauth2_authorization_code
    title: Connect with Kit
    authorize_url: "https://auth.kit.example/authorize"
    token_url: "https://auth.kit.example/token"
    pkce: S256
    scopes: [items]
    refresh: rotating
    client_fields:
      client_id: {title: Client id}
      client_secret: {title: Client secret, secret: true}
verify:
  method: GET
  path: /me
  expect:
    - {pointer: /id, not_null: true}
retry: {max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5, retry_after_cap_s: 1, timeout_ms: 5000}
errors:
  - status: 5xx
    code: UPSTREAM_UNAVAILABLE
    retry: backoff
    message: Kit failed to answer.
tools:
  - name: kit_item_get
    title: Get item
    description: One item by its id, with its title.
    annotations: {read_only: true, destructive: false, idempotent: true, open_world: true}
    input:
      type: object
      additionalProperties: false
      required: [item_id]
      properties:
        item_id: {type: integer, minimum: 1, description: The item id.}
    request:
      method: GET
      path: "/items/{item_id}"
    response:
      select: /item
      output: {type: object}
  - name: kit_item_create
    title: Create item
    description: Create an item with a title in the kit API.
    annotations: {read_only: false, destructive: false, idempotent: false, open_world: true}
    input:
      type: object
      additionalProperties: false
      required: [title]
      properties:
        title: {type: string, maxLength: 255, description: Title.}
    request:
      method: POST
      path: /items
      body:
        item: {title: "{{input.title}}"}
    response:
      select: /item
      output: {type: object}
"#;

/// Writes the kit spec and `text` as its cassette file, and runs them.
async fn run_text(text: &str) -> Result<toolwire_testkit::Report, TestkitError> {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("kit.yaml");
    std::fs::write(&spec, KIT_SPEC).unwrap();
    let file = dir.path().join("kit_cassettes.yaml");
    std::fs::write(&file, text).unwrap();
    run(&spec, Some(&file)).await
}

#[tokio::test]
async fn every_connector_with_cassettes_passes_them() {
    let mut ran = Vec::new();
    let mut dirs = vec![
        root().join("connectors"),
        root().join("examples/connector-yaml/connectors"),
    ];
    dirs.retain(|d| d.is_dir());
    for dir in dirs {
        let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        specs.sort();
        for spec in specs {
            if !toolwire_testkit::cassettes_beside(&spec).exists() {
                continue;
            }
            let report = run(&spec, None)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
            assert!(report.passed(), "{}", report.render());
            assert!(!report.outcomes.is_empty());
            ran.push(spec.display().to_string());
        }
    }
    assert!(
        ran.iter().any(|s| s.ends_with("connectors/zendesk.yaml")),
        "the Zendesk cassettes ran: {ran:?}"
    );
    assert!(
        ran.iter().any(|s| s.ends_with("connectors/notes.yaml")),
        "the example's cassettes ran: {ran:?}"
    );
}

const HEAD: &str = r#"
spec_version: 1
connector: kit
account:
  auth: token
  credentials: {token: kit_cassette_token}
cassettes:
"#;

const AUTH: &str = "Bearer kit_cassette_token";

/// An item_get cassette named `name` with the given expected headers and extra exchanges.
fn item_get(name: &str, headers: &str, extra: &str) -> String {
    format!(
        r#"
  - name: {name}
    source: made up for the kit's tests
    steps:
      - call: {{tool: kit_item_get, input: {{item_id: 7}}}}
        exchanges:
          - request:
              method: GET
              path: /v1/items/7
              host: api.kit.example
              headers: {headers}
            response:
              status: 200
              json: {{item: {{id: 7, title: Seven}}}}
{extra}
        expect:
          output: {{id: 7, title: Seven}}
"#
    )
}

#[tokio::test]
async fn a_matching_cassette_passes() {
    let text = format!(
        "{HEAD}{}",
        item_get("good", &format!("{{authorization: \"{AUTH}\"}}"), "")
    );
    let report = run_text(&text).await.unwrap();
    assert!(report.passed(), "{}", report.render());
    assert!(report.render().contains("ok   good"));
}

#[tokio::test]
async fn a_wrong_header_fails_naming_the_cassette_and_both_values() {
    let text = format!(
        "{HEAD}{}",
        item_get("wrong_header", "{authorization: \"Bearer nope\"}", "")
    );
    let report = run_text(&text).await.unwrap();
    assert!(!report.passed());
    let out = report.render();
    assert!(out.contains("FAIL wrong_header"), "{out}");
    assert!(
        out.contains("cassette wrong_header: step 1 (call kit_item_get)"),
        "{out}"
    );
    assert!(
        out.contains(
            "header authorization: expected \"Bearer nope\", got \"Bearer kit_cassette_token\""
        ),
        "{out}"
    );
}

#[tokio::test]
async fn a_wrong_json_body_fails_with_a_json_diff() {
    let text = format!(
        r#"{HEAD}
  - name: wrong_body
    source: made up for the kit's tests
    steps:
      - call: {{tool: kit_item_create, input: {{title: "Buy milk"}}}}
        exchanges:
          - request:
              method: POST
              path: /v1/items
              json: {{item: {{title: "Buy bread"}}}}
            response:
              status: 201
              json: {{item: {{id: 8, title: "Buy milk"}}}}
        expect:
          output: {{id: 8, title: "Buy milk"}}
"#
    );
    let report = run_text(&text).await.unwrap();
    let out = report.render();
    assert!(out.contains("FAIL wrong_body"), "{out}");
    assert!(
        out.contains("cassette wrong_body: step 1 (call kit_item_create)"),
        "{out}"
    );
    assert!(out.contains("JSON body differs"), "{out}");
    assert!(out.contains("-    \"title\": \"Buy bread\""), "{out}");
    assert!(out.contains("+    \"title\": \"Buy milk\""), "{out}");
}

#[tokio::test]
async fn an_extra_request_fails_naming_it() {
    // The 503 is retried by the engine (a read-only tool): the cassette lists one exchange only.
    let text = format!(
        r#"{HEAD}
  - name: extra_request
    source: made up for the kit's tests
    steps:
      - call: {{tool: kit_item_get, input: {{item_id: 7}}}}
        exchanges:
          - request: {{method: GET, path: /v1/items/7}}
            response: {{status: 503, text: "Service Unavailable"}}
        expect:
          error: {{code: UPSTREAM_UNAVAILABLE}}
"#
    );
    let report = run_text(&text).await.unwrap();
    let out = report.render();
    assert!(out.contains("FAIL extra_request"), "{out}");
    assert!(out.contains("cassette extra_request: step 1"), "{out}");
    assert!(
        out.contains("exchange 2: an extra request the cassette does not list: GET /v1/items/7"),
        "{out}"
    );
}

#[tokio::test]
async fn a_missing_request_fails_naming_it() {
    let text = format!(
        "{HEAD}{}",
        item_get(
            "missing_request",
            "{}",
            r#"          - request: {method: GET, path: /v1/me}
            response: {status: 200, json: {id: 1}}"#
        )
    );
    let report = run_text(&text).await.unwrap();
    let out = report.render();
    assert!(out.contains("FAIL missing_request"), "{out}");
    assert!(
        out.contains("exchange 2: expected GET /v1/me, no request was made"),
        "{out}"
    );
}

#[tokio::test]
async fn a_bad_cassette_file_lists_every_problem_located() {
    let text = r#"spec_version: 1
connector: kit
account:
  auth: tokn
cassettes:
  - name: Bad-Name
    source: somewhere
    steps:
      - call: {tool: kit_no_such_tool}
        exchanges:
          - request: {method: GET, path: /x, colour: blue}
            response: {status: 200}
        expect: {output: {}}
  - name: no_source
    steps:
      - oauth: sideways
"#;
    let err = run_text(text).await.unwrap_err();
    assert_eq!(err.code(), "CASSETTE_INVALID");
    let TestkitError::Invalid(d) = &err else {
        panic!("{err}")
    };
    let shown = err.to_string();
    let want = [
        (
            "kit_cassettes.yaml:4:9:",
            "the spec has no auth scheme `tokn`",
        ),
        (
            "kit_cassettes.yaml:6:11:",
            "cassette name `Bad-Name` is not [a-z0-9_]+",
        ),
        (
            "kit_cassettes.yaml:9:22:",
            "the spec has no tool `kit_no_such_tool`",
        ),
        (
            "kit_cassettes.yaml:11:46:",
            "unknown key `colour` in a request",
        ),
        (
            "kit_cassettes.yaml:14:5:",
            "a cassette lacks the required key `source`",
        ),
        ("kit_cassettes.yaml:16:16:", "oauth must be `refresh`"),
    ];
    for (at, message) in want {
        assert!(
            shown.lines().any(|l| l.contains(at) && l.contains(message)),
            "{at} {message} in:\n{shown}"
        );
    }
    assert_eq!(d.len(), want.len(), "{shown}");
    assert!(shown.contains("hint:"), "{shown}");
}

#[tokio::test]
async fn oauth_exchange_and_refresh_store_the_tokens_and_a_wrong_one_is_shown() {
    let text = r#"
spec_version: 1
connector: kit
oauth_client: {client_id: kit_client, client_secret: kit_secret}
cassettes:
  - name: connect_then_refresh
    source: made up for the kit's tests
    account: {auth: oauth}
    steps:
      - oauth: {exchange: {code: c0de}}
        exchanges:
          - request:
              method: POST
              path: /token
              host: auth.kit.example
              form: {grant_type: authorization_code, code: c0de, redirect_uri: "https://app.example.com/oauth/callback", code_verifier: "{{any}}", client_id: kit_client, client_secret: kit_secret}
            response: {status: 200, json: {access_token: at_1, refresh_token: rt_1, token_type: bearer, expires_in: 3600}}
          - request: {method: GET, path: /v1/me, headers: {authorization: Bearer at_1}}
            response: {status: 200, json: {id: 1}}
        expect: {account_status: ACTIVE, credentials: {access_token: at_1, refresh_token: rt_1}}
      - oauth: refresh
        exchanges:
          - request:
              method: POST
              path: /token
              form: {grant_type: refresh_token, refresh_token: rt_1, client_id: kit_client, client_secret: kit_secret}
            response: {status: 200, json: {access_token: at_2, refresh_token: rt_2, token_type: bearer, expires_in: 3600}}
        expect: {credentials: {access_token: at_2, refresh_token: rt_WRONG}}
"#;
    let report = run_text(text).await.unwrap();
    let out = report.render();
    assert!(out.contains("FAIL connect_then_refresh"), "{out}");
    // The exchange step passed; the refresh step stored rt_2, not what the cassette says.
    assert!(
        out.contains(
            "cassette connect_then_refresh: step 2 (oauth refresh): stored credentials differ"
        ),
        "{out}"
    );
    assert!(out.contains("-  \"refresh_token\": \"rt_WRONG\""), "{out}");
    assert!(out.contains("+  \"refresh_token\": \"rt_2\""), "{out}");
    assert!(!out.contains("step 1"), "{out}");
}
