//! Status-change webhooks: a local receiver verifies the HMAC signature, answers 500 to the
//! first delivery and sees the retry (same event id, fresh valid signature); a receiver that
//! never answers does not slow tool calls or status changes.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use toolwire_runtime::{Credentials, Toolwire};
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_server::webhooks::{self, WebhookConfig};
use toolwire_sim::Sim;

const SECRET: &str = "whsec_test_5b1e";

/// (event id, signature header, body, signature valid) of one delivery.
type Delivery = (String, String, String, bool);

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Delivery>>>);

/// A receiver: answers `statuses` in turn (then 200), or hangs when `hang`.
async fn receiver(statuses: Vec<u16>, hang: bool) -> (String, Seen) {
    let seen = Seen::default();
    let calls = Arc::new(Mutex::new(0usize));
    let s2 = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (seen, calls, statuses) = (s2.clone(), calls.clone(), statuses.clone());
            async move {
                let sig = headers["x-toolwire-signature"]
                    .to_str()
                    .unwrap()
                    .to_string();
                let id = headers["x-toolwire-event-id"].to_str().unwrap().to_string();
                let valid = webhooks::verify(
                    &SecretString::from(SECRET),
                    &sig,
                    &body,
                    chrono::Utc::now().timestamp(),
                    300,
                );
                seen.0.lock().unwrap().push((id, sig, body, valid));
                if hang {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
                let n = {
                    let mut c = calls.lock().unwrap();
                    *c += 1;
                    *c
                };
                StatusCode::from_u16(*statuses.get(n - 1).unwrap_or(&200)).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), seen)
}

async fn runtime(dir: &std::path::Path, sim: &Sim) -> Toolwire {
    let opts = RuntimeOptions {
        data_dir: dir.to_path_buf(),
        connectors: Some(common::connectors()),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: None,
        ..Default::default()
    };
    setup::build(&opts, toolwire_runtime::MasterKey::generate())
        .await
        .unwrap()
}

async fn connect(tw: &Toolwire, sim: &Sim) {
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let mut config = serde_json::Map::new();
    config.insert("subdomain".into(), json!("acme"));
    tw.accounts()
        .set_credentials(
            "zendesk",
            "acme",
            &config,
            None,
            Credentials::from_fields([
                ("email", agent.email.as_str()),
                ("api_token", agent.api_token.as_str()),
            ]),
        )
        .await
        .unwrap();
}

async fn wait_for(seen: &Seen, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while seen.0.lock().unwrap().len() < n {
        assert!(
            Instant::now() < deadline,
            "only {} deliveries",
            seen.0.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn signed_delivery_is_retried_after_a_500() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim).await;
    let (url, seen) = receiver(vec![500], false).await;
    let mut config = WebhookConfig::new(&url, SecretString::from(SECRET)).unwrap();
    config.base_delay = Duration::from_millis(50);
    webhooks::spawn(&tw, config).unwrap();

    connect(&tw, &sim).await;
    wait_for(&seen, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = seen.0.lock().unwrap().clone();
    assert_eq!(
        got.len(),
        2,
        "one 500, one retry, then success (no more): {got:#?}"
    );
    let (id1, sig1, body1, valid1) = &got[0];
    let (id2, _sig2, body2, valid2) = &got[1];
    assert!(*valid1 && *valid2, "signatures verify: {sig1}");
    assert_eq!(id1, id2, "a retry carries the same event id");
    assert_eq!(body1, body2);
    let event: Value = serde_json::from_str(body1).unwrap();
    assert_eq!(event["type"], "account.status_changed");
    assert_eq!(event["event_id"], id1.as_str());
    assert_eq!(event["connection"], "zendesk");
    assert_eq!(event["identifier"], "acme");
    assert_eq!(event["to"], "ACTIVE");
    assert!(
        !body1.contains(&sim.tenant("acme").unwrap().agent().unwrap().api_token),
        "no secrets"
    );
    // A wrong secret does not verify.
    assert!(!webhooks::verify(
        &SecretString::from("nope"),
        sig1,
        body1,
        chrono::Utc::now().timestamp(),
        300
    ));
}

#[tokio::test]
async fn a_hanging_receiver_never_blocks_calls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim).await;
    let (url, seen) = receiver(vec![], true).await;
    webhooks::spawn(
        &tw,
        WebhookConfig::new(&url, SecretString::from(SECRET)).unwrap(),
    )
    .unwrap();

    let started = Instant::now();
    connect(&tw, &sim).await;
    wait_for(&seen, 1).await;
    let out = tw
        .execute_tool("acme", "zendesk_ticket_get", json!({"ticket_id": 1}))
        .await
        .unwrap();
    assert_eq!(out.data["ticket"]["id"], 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn config_refuses_bad_urls_and_empty_secrets() {
    assert!(WebhookConfig::new("ftp://x/hook", SecretString::from(SECRET)).is_err());
    assert!(WebhookConfig::new("not a url", SecretString::from(SECRET)).is_err());
    let e =
        WebhookConfig::new("https://app.example.com/hook", SecretString::from("  ")).unwrap_err();
    assert!(e.to_string().contains("TOOLWIRE_WEBHOOK_SECRET"));
    let ok =
        WebhookConfig::new("https://app.example.com/hook", SecretString::from(SECRET)).unwrap();
    assert!(
        !format!("{ok:?}").contains(SECRET),
        "Debug never shows the secret"
    );
}
