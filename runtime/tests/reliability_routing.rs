//! Reliability suite, tenant routing: what a customer can type as "Zendesk subdomain" never
//! sends a request (and its credentials) anywhere but `{label}.zendesk.com`.
//!
//! - 120 hostile inputs (schemes, ports, userinfo, IP literals in dotted, decimal, hex, octal
//!   and IPv6 forms, `169.254.169.254.nip.io`, `foo.localhost`, `acme.zendesk.com.evil.com`,
//!   `%2e`, unicode lookalikes, trailing dots, 64-char labels, `acme.zendesk.com@evil.com`,
//!   `acme/../evil` and encoded dot-segments, newline/NUL injection, empty, non-text JSON, extra config keys): 100%
//!   refused by `Connector::normalize_config`, and by `set_credentials` with the simulator's
//!   request log still empty afterwards (nothing was sent);
//! - valid pastes (`https://acme.zendesk.com/agent/tickets/1`, `Acme.Zendesk.com`, ` acme `)
//!   normalise to `acme` and connect;
//! - 5 odd inputs are *accepted*, leniently: single labels that look like IP numbers (`2852039166`, `0xa9fea9fe`,
//!   `http://2852039166/`, ...). The host stays `{label}.zendesk.com` (asserted), so nothing
//!   leaves Zendesk, but the paste is not refused. Counted and printed separately (see
//!   BENCHMARKS.md, "Reliability");
//! - proptest: for any input that is accepted, the built base URL is https, has no port or
//!   userinfo, and its host is exactly `{label}.zendesk.com` with `label` the normalised value.

mod e2e;

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use toolwire_runtime::connector::{Connector, Route};

fn connector() -> Connector {
    Connector::load_file(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors/zendesk.yaml"),
    )
    .expect("zendesk.yaml loads")
}

fn raw(value: Value) -> Map<String, Value> {
    json!({ "subdomain": value }).as_object().unwrap().clone()
}

/// Inputs that must be refused before any request.
fn hostile() -> Vec<Map<String, Value>> {
    let long = "a".repeat(64);
    let strings: Vec<String> = vec![
        // schemes
        "http://evil.com".into(),
        "https://evil.com".into(),
        "file:///etc/passwd".into(),
        "javascript:alert(1)".into(),
        "data:text/plain,acme".into(),
        "gopher://127.0.0.1:6379/_INFO".into(),
        "//evil.com".into(),
        "https:evil.com".into(),
        "https://evil.com/acme.zendesk.com".into(),
        "https://evil.com?.zendesk.com".into(),
        "https://evil.com#.zendesk.com".into(),
        // ports
        "acme:443".into(),
        "acme.zendesk.com:443".into(),
        "https://acme.zendesk.com:8443/".into(),
        "acme.zendesk.com:22".into(),
        "acme:0".into(),
        // userinfo
        "acme.zendesk.com@evil.com".into(),
        "ftp://acme.zendesk.com".into(),
        "file:///etc/passwd".into(),
        "javascript:alert(1)".into(),
        "https://acme.zendesk.com@evil.com".into(),
        "https://user:pass@acme.zendesk.com".into(),
        "user@acme".into(),
        "https://evil.com\\@acme.zendesk.com".into(),
        "acme@evil.com".into(),
        // IP literals
        "127.0.0.1".into(),
        "169.254.169.254".into(),
        "http://169.254.169.254/latest/meta-data".into(),
        "0x7f.0x0.0x0.0x1".into(),
        "0xa9.0xfe.0xa9.0xfe".into(),
        "0251.0376.0251.0376".into(),
        "127.1".into(),
        "10.0.0.1".into(),
        "[::1]".into(),
        "::1".into(),
        "[::ffff:169.254.169.254]".into(),
        "https://[::1]/".into(),
        "[fe80::1%25eth0]".into(),
        "0:0:0:0:0:0:0:1".into(),
        // rebinding / wildcard DNS / local names
        "169.254.169.254.nip.io".into(),
        "127.0.0.1.sslip.io".into(),
        "acme.127.0.0.1.nip.io".into(),
        "foo.localhost".into(),
        "localhost.".into(),
        "metadata.google.internal".into(),
        // suffix confusion
        "acme.zendesk.com.evil.com".into(),
        "acme.zendesk.comevil.com".into(),
        "acme.zendesk.com.".into(),
        "acme.zendesk.com..".into(),
        "acme.evil.com".into(),
        "evil.com".into(),
        "acme.zendesk.com.zendesk.com".into(),
        "acme.zendesk.co".into(),
        "acme.zendeskcom".into(),
        "zendesk.com".into(),
        ".zendesk.com".into(),
        "a.b".into(),
        // percent-encoding and traversal
        "acme%2eevil.com".into(),
        "%2e%2e".into(),
        "acme%2fevil".into(),
        "acme%00".into(),
        "..".into(),
        ".".into(),
        "acme.".into(),
        ".acme".into(),
        // unicode lookalikes and normalisation tricks
        "аcme".into(),         // Cyrillic а
        "acmе".into(),         // Cyrillic е
        "ａｃｍｅ".into(),     // full-width
        "acme\u{200b}".into(), // zero-width space
        "\u{200b}acme".into(),
        "ac\u{00ad}me".into(),                // soft hyphen
        "acme\u{3002}evil\u{3002}com".into(), // ideographic full stops
        "ACME\u{212A}".into(),                // Kelvin sign lowercases to k in Unicode
        "acmé".into(),
        "xn--acme-.evil".into(),
        "acme\u{FF0E}evil".into(), // full-width full stop
        // label shape
        long.clone(),
        format!("{long}.zendesk.com"),
        format!("https://{long}.zendesk.com/"),
        "-acme".into(),
        "acme-".into(),
        "-".into(),
        "ac_me".into(),
        "ac me".into(),
        "acme;evil".into(),
        "acme,evil".into(),
        "acme'evil".into(),
        "acme\"".into(),
        "acme{{config.x}}".into(),
        "acme$".into(),
        "*".into(),
        "*.zendesk.com".into(),
        // injection
        "acme\nHost: evil.com".into(),
        "acme\r\nX: y".into(),
        "acme\0".into(),
        "acme\0.evil.com".into(),
        "acme\tevil".into(),
        "../evil".into(),
        "acme/../evil".into(),
        "acme.zendesk.com/..%2fevil".into(),
        "acme/%2E%2E/evil".into(),
        "https://acme.zendesk.com/../../evil.com".into(),
        "/acme".into(),
        "?acme".into(),
        "#acme".into(),
        "\\\\evil.com\\share".into(),
        // empty
        "".into(),
        " ".into(),
        "\n".into(),
        "https://".into(),
        "https:///".into(),
        ".zendesk.com/".into(),
    ];
    let mut out: Vec<Map<String, Value>> =
        strings.into_iter().map(|s| raw(Value::String(s))).collect();
    // Not text at all, missing, or extra keys that could steer a URL.
    out.push(raw(json!(null)));
    out.push(raw(json!(123)));
    out.push(raw(json!(["acme"])));
    out.push(raw(json!({"host": "evil.com"})));
    out.push(raw(json!(true)));
    out.push(Map::new());
    out.push(
        json!({"subdomain": "acme", "base_url": "https://evil.com"})
            .as_object()
            .unwrap()
            .clone(),
    );
    out.push(
        json!({"subdomain": "acme", "host": "evil.com"})
            .as_object()
            .unwrap()
            .clone(),
    );
    out
}

/// Accepted although the input is odd (a single label that looks like an IP number): the host stays `{label}.zendesk.com` (asserted), so no
/// credential can leave Zendesk, but the paste is not refused. Reported to the lead.
const LENIENT: &[(&str, &str)] = &[
    ("2852039166", "2852039166"),
    ("0xa9fea9fe", "0xa9fea9fe"),
    ("http://2852039166/", "2852039166"),
    ("https://0x7f000001/x", "0x7f000001"),
    ("017700000001", "017700000001"),
];

const VALID: &[&str] = &[
    "acme",
    "https://acme.zendesk.com/agent/tickets/1",
    "Acme.Zendesk.com",
    " acme ",
    "ACME",
    "https://ACME.zendesk.com",
    "acme.zendesk.com/",
    "http://acme.zendesk.com?x=1",
    "\tacme.zendesk.com\n",
];

fn host_of(base: &str) -> String {
    let url = url::Url::parse(base).expect("base parses");
    assert_eq!(url.scheme(), "https", "{base}");
    assert!(url.port().is_none(), "{base}");
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "{base}"
    );
    match url.host() {
        Some(url::Host::Domain(h)) => h.to_string(),
        other => panic!("{base}: host {other:?} is not a domain"),
    }
}

#[test]
fn hostile_inputs_are_refused_by_normalize_config() {
    let c = connector();
    let inputs = hostile();
    let refused = inputs
        .iter()
        .filter(|raw| c.normalize_config(raw).is_err())
        .count();
    for raw in &inputs {
        if let Ok(cfg) = c.normalize_config(raw) {
            eprintln!("ACCEPTED hostile input {raw:?} as {cfg:?}");
        }
    }
    eprintln!(
        "[reliability] hostile subdomain/URL inputs: {} tried, {refused} refused by normalize_config",
        inputs.len()
    );
    assert!(inputs.len() >= 80);
    assert_eq!(refused, inputs.len());

    let route = Route::new(&c.spec.base_url).unwrap();
    for paste in VALID {
        let cfg = c
            .normalize_config(&raw(json!(paste)))
            .unwrap_or_else(|e| panic!("{paste:?} refused: {e}"));
        assert_eq!(cfg["subdomain"], "acme", "{paste:?}");
        assert_eq!(host_of(&route.base_url(&cfg).unwrap()), "acme.zendesk.com");
    }
    for (input, label) in LENIENT {
        let cfg = c.normalize_config(&raw(json!(input))).unwrap();
        assert_eq!(cfg["subdomain"], *label, "{input}");
        let host = host_of(&route.base_url(&cfg).unwrap());
        assert_eq!(host, format!("{label}.zendesk.com"));
    }
    eprintln!(
        "[reliability] odd inputs accepted leniently (host stays {{label}}.zendesk.com): {}",
        LENIENT.len()
    );
    // Boundary: the longest valid label is accepted.
    let max = "a".repeat(63);
    assert!(c.normalize_config(&raw(json!(max))).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_inputs_never_reach_the_network_through_set_credentials() {
    let env = e2e::env().await;
    let agent = env.sim.tenant("acme").unwrap().agent().unwrap().clone();
    env.sim.clear_request_log();
    let inputs = hostile();
    let mut refused = 0;
    for (i, raw) in inputs.iter().enumerate() {
        let res = env
            .tw
            .accounts()
            .set_credentials(
                "zendesk",
                &format!("hostile_{i}"),
                raw,
                None,
                e2e::creds(&agent.email, &agent.api_token),
            )
            .await;
        match res {
            Err(e) if e.code() == "INVALID_CONFIG" => refused += 1,
            other => panic!("{raw:?}: expected INVALID_CONFIG, got {other:?}"),
        }
    }
    let sent = env.sim.request_log();
    eprintln!(
        "[reliability] set_credentials with hostile config: {} tried, {refused} refused, {} \
         requests reached the simulator",
        inputs.len(),
        sent.len()
    );
    assert_eq!(refused, inputs.len());
    assert!(sent.is_empty(), "{sent:?}");
    // No account row was created for any of them.
    for i in 0..inputs.len() {
        let got = env
            .tw
            .accounts()
            .get("zendesk", &format!("hostile_{i}"))
            .await
            .unwrap();
        assert!(got.is_none(), "hostile_{i} left an account behind");
    }

    // The valid pastes connect to acme (one verify request each, to acme.zendesk.com).
    for (i, paste) in VALID.iter().enumerate() {
        let account = env
            .tw
            .accounts()
            .set_credentials(
                "zendesk",
                &format!("valid_{i}"),
                &raw(json!(paste)),
                None,
                e2e::creds(&agent.email, &agent.api_token),
            )
            .await
            .unwrap_or_else(|e| panic!("{paste:?}: {e}"));
        assert_eq!(account.config["subdomain"], "acme");
    }
    let log = env.sim.request_log();
    assert_eq!(log.len(), VALID.len());
    assert!(log.iter().all(|r| r.host == "acme.zendesk.com"), "{log:?}");
}

/// Text built from the characters and pieces that matter to URL parsing.
fn messy_input() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("https://".to_string()),
        Just("http://".to_string()),
        Just("//".to_string()),
        Just(".zendesk.com".to_string()),
        Just(".ZENDESK.COM".to_string()),
        Just("@".to_string()),
        Just(":".to_string()),
        Just("/".to_string()),
        Just("\\".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("%2e".to_string()),
        Just(".".to_string()),
        Just("[::1]".to_string()),
        Just("169.254.169.254".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\0".to_string()),
        Just("evil.com".to_string()),
        Just("acme".to_string()),
        "[a-zA-Z0-9-]{1,12}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn accepted_inputs_always_route_to_label_dot_zendesk_com(input in messy_input()) {
        let c = connector_cached();
        let route = Route::new(&c.spec.base_url).unwrap();
        if let Ok(cfg) = c.normalize_config(&raw(json!(input))) {
            let label = cfg["subdomain"].as_str().unwrap().to_string();
            prop_assert!(!label.is_empty() && label.len() <= 63);
            prop_assert!(label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            let base = route.base_url(&cfg).unwrap();
            prop_assert_eq!(host_of(&base), format!("{label}.zendesk.com"));
            prop_assert_eq!(base, format!("https://{label}.zendesk.com/api/v2"));
        }
    }
}

fn connector_cached() -> &'static Connector {
    static C: std::sync::OnceLock<Connector> = std::sync::OnceLock::new();
    C.get_or_init(connector)
}
