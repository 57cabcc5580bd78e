//! Routing when the OAuth token response names the account's address (Salesforce's
//! `instance_url`): a value outside the spec's declared forms is refused by the config check
//! (pattern), and — should a config ever bypass it — by the route itself (bare https origin on
//! an egress host), so no request or credential can go anywhere else. Valid org addresses
//! (My Domain, sandboxes, a pasted trailing `/` or capitals) route to exactly that origin.

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use toolwire_runtime::Error;
use toolwire_runtime::connector::{Connector, Route};

fn connector() -> Connector {
    Connector::load_file(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors/salesforce.yaml"),
    )
    .expect("salesforce.yaml loads")
}

fn route(connector: &Connector) -> Route {
    Route::new(&connector.spec.base_url)
        .unwrap()
        .with_egress(connector.spec.egress.clone())
}

fn config(instance_url: &str) -> Map<String, Value> {
    json!({"login_host": "login.salesforce.com", "instance_url": instance_url})
        .as_object()
        .unwrap()
        .clone()
}

const HOSTILE: &[&str] = &[
    "https://evil.example.com",
    "http://acme.my.salesforce.com",
    "https://10.0.0.1",
    "https://169.254.169.254",
    "https://[::1]",
    "https://localhost",
    "https://acme.my.salesforce.com.evil.example.com",
    "https://my.salesforce.com",
    "https://acme.my.salesforce.com:8443",
    "https://user@acme.my.salesforce.com",
    "https://evil.example.com/acme.my.salesforce.com",
    "https://evil.example.com?.my.salesforce.com",
    "https://evil.example.com#.my.salesforce.com",
    "https://acme.my.salesforce.com/services/data",
    "https://acme.my.salesforce.com/../evil",
    "acme.my.salesforce.com",
    "//acme.my.salesforce.com",
    "javascript:alert(1)",
    "https://acme.salesforce.com",
    "https://login.salesforce.com",
    "https://acme.my.salesforce.com\n.evil.example.com",
    "",
];

#[test]
fn an_instance_url_outside_the_declared_forms_is_refused_by_the_config_check() {
    let connector = connector();
    for bad in HOSTILE {
        match connector.normalize_config(&config(bad)) {
            Err(Error::InvalidConfig { field, .. }) => assert_eq!(field, "instance_url", "{bad:?}"),
            other => panic!("{bad:?} was accepted: {other:?}"),
        }
    }
}

#[test]
fn the_route_refuses_them_too_when_the_config_check_is_bypassed() {
    let connector = connector();
    let route = route(&connector);
    // The login hosts are egress hosts (the OAuth endpoints live there), so only the config
    // pattern keeps them from being an org address.
    let login_hosts = ["https://login.salesforce.com"];
    for bad in HOSTILE.iter().filter(|b| !login_hosts.contains(b)) {
        match route.base_url(&config(bad)) {
            Err(Error::InvalidConfig { .. }) => {}
            other => panic!("{bad:?} was routed: {other:?}"),
        }
    }
}

#[test]
fn org_addresses_route_to_exactly_that_origin() {
    let connector = connector();
    let route = route(&connector);
    for (typed, origin) in [
        (
            "https://acme.my.salesforce.com",
            "https://acme.my.salesforce.com",
        ),
        (
            " https://Acme.My.Salesforce.com/ ",
            "https://acme.my.salesforce.com",
        ),
        (
            "https://acme--dev.sandbox.my.salesforce.com",
            "https://acme--dev.sandbox.my.salesforce.com",
        ),
    ] {
        let normalized = connector.normalize_config(&config(typed)).unwrap();
        assert_eq!(normalized["instance_url"], json!(origin), "{typed:?}");
        assert_eq!(route.base_url(&normalized).unwrap(), origin, "{typed:?}");
    }
}
