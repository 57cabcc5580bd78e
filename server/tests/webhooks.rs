//! Status-change webhooks from the durable outbox, against a local receiver that verifies the
//! HMAC signature and counts posts and distinct event ids: a 500 is retried with the same event
//! id (the in-process event carries it too); an account's events arrive in order even when one
//! is retried; a delivery cut by a crash is sent again after a restart; a 4xx drops the event
//! and the account's next one goes; an unreachable receiver's errors keep no secret; a
//! receiver that never answers does not slow tool calls.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::{Value, json};
use toolwire_runtime::store::{OutboxEntry, OutboxState};
use toolwire_runtime::{AccountStatus, Credentials, MasterKey, Toolwire};
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_server::webhooks::{self, WebhookConfig};
use toolwire_sim::Sim;

const SECRET: &str = "whsec_test_5b1e";

/// One post the receiver saw.
#[derive(Debug, Clone)]
struct Post {
    event_id: String,
    signature: String,
    body: String,
    valid: bool,
}

impl Post {
    fn to(&self) -> String {
        let v: Value = serde_json::from_str(&self.body).unwrap();
        v["to"].as_str().unwrap_or_default().to_string()
    }
}

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Post>>>);

impl Seen {
    fn posts(&self) -> Vec<Post> {
        self.0.lock().unwrap().clone()
    }
    fn distinct_ids(&self) -> usize {
        let posts = self.posts();
        posts
            .iter()
            .map(|p| &p.event_id)
            .collect::<HashSet<_>>()
            .len()
    }
}

/// How the receiver answers the Nth post (1-based): a status, or hang for a minute.
#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    Hang,
}

/// A receiver answering `answers` in turn (then 200).
async fn receiver(answers: Vec<Answer>) -> (String, Seen) {
    let seen = Seen::default();
    let s2 = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (seen, answers) = (s2.clone(), answers.clone());
            async move {
                let signature = headers["x-toolwire-signature"]
                    .to_str()
                    .unwrap()
                    .to_string();
                let event_id = headers["x-toolwire-event-id"].to_str().unwrap().to_string();
                let valid = webhooks::verify(
                    &SecretString::from(SECRET),
                    &signature,
                    &body,
                    chrono::Utc::now().timestamp(),
                    300,
                );
                let n = {
                    let mut posts = seen.0.lock().unwrap();
                    posts.push(Post {
                        event_id,
                        signature,
                        body,
                        valid,
                    });
                    posts.len()
                };
                match answers.get(n - 1).copied().unwrap_or(Answer::Status(200)) {
                    Answer::Hang => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        StatusCode::OK
                    }
                    Answer::Status(s) => StatusCode::from_u16(s).unwrap(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), seen)
}

async fn runtime(dir: &std::path::Path, sim: &Sim, key: &str) -> Toolwire {
    let opts = RuntimeOptions {
        data_dir: dir.to_path_buf(),
        connectors: Some(common::connectors()),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: None,
        ..Default::default()
    };
    setup::build(&opts, MasterKey::from_base64(key).unwrap())
        .await
        .unwrap()
}

fn fast(url: &str) -> WebhookConfig {
    let mut config = WebhookConfig::new(url, SecretString::from(SECRET)).unwrap();
    config.base_delay = Duration::from_millis(50);
    config.poll_interval = Duration::from_millis(50);
    config
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

/// Polls until `done` holds (15 s at most).
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Polls the outbox until every row is delivered or dropped; returns it.
async fn settled(tw: &Toolwire) -> Vec<OutboxEntry> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = tw.store().list_outbox(100).await.unwrap();
        if !rows.is_empty() && rows.iter().all(|r| r.state != OutboxState::Pending) {
            return rows;
        }
        assert!(Instant::now() < deadline, "outbox not settled: {rows:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn key() -> String {
    MasterKey::generate()
        .to_base64()
        .expose_secret()
        .to_string()
}

#[tokio::test]
async fn signed_delivery_is_retried_after_a_500_with_the_same_event_id() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim, &key()).await;
    let (url, seen) = receiver(vec![Answer::Status(500)]).await;
    webhooks::spawn(&tw, fast(&url)).unwrap();
    let mut in_process = tw.subscribe();

    connect(&tw, &sim).await;
    let rows = settled(&tw).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, OutboxState::Delivered);
    assert_eq!(rows[0].attempts, 2);
    assert_eq!(
        rows[0].last_error.as_deref(),
        Some("the receiver answered HTTP 500")
    );
    let got = seen.posts();
    assert_eq!(got.len(), 2, "one 500, one retry, no more: {got:#?}");
    assert!(got[0].valid && got[1].valid, "signatures verify");
    assert_eq!(got[0].event_id, got[1].event_id, "a retry has the same id");
    assert_eq!(got[0].body, got[1].body);
    let event: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(event["type"], "account.status_changed");
    assert_eq!(event["event_id"], got[0].event_id.as_str());
    assert_eq!(event["connection"], "zendesk");
    assert_eq!(event["identifier"], "acme");
    assert_eq!(event["to"], "ACTIVE");
    let local = in_process.recv().await.unwrap();
    assert_eq!(
        local.event_id.to_string(),
        got[0].event_id,
        "the in-process event has the delivery id"
    );
    assert!(
        !got[0]
            .body
            .contains(&sim.tenant("acme").unwrap().agent().unwrap().api_token),
        "no secrets"
    );
    assert!(!webhooks::verify(
        &SecretString::from("nope"),
        &got[0].signature,
        &got[0].body,
        chrono::Utc::now().timestamp(),
        300
    ));
}

#[tokio::test]
async fn an_accounts_events_arrive_in_order_even_when_one_is_retried() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim, &key()).await;
    // Three changes before the dispatcher starts: all three are pending at once.
    connect(&tw, &sim).await;
    tw.accounts().disconnect("zendesk", "acme").await.unwrap();
    connect(&tw, &sim).await;
    let (url, seen) = receiver(vec![Answer::Status(503), Answer::Status(500)]).await;
    webhooks::spawn(&tw, fast(&url)).unwrap();

    let rows = settled(&tw).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.state == OutboxState::Delivered));
    let order: Vec<String> = rows.iter().map(|r| r.event.event_id.to_string()).collect();
    let posted: Vec<String> = seen.posts().iter().map(|p| p.event_id.clone()).collect();
    assert_eq!(
        posted,
        vec![
            order[0].clone(),
            order[0].clone(),
            order[0].clone(),
            order[1].clone(),
            order[2].clone()
        ],
        "the first event three times (503, 500, 200), then the others in order"
    );
    let to: Vec<String> = seen.posts().iter().skip(2).map(Post::to).collect();
    assert_eq!(to, ["ACTIVE", "DISCONNECTED", "ACTIVE"]);
    assert_eq!(seen.distinct_ids(), 3);
}

#[tokio::test]
async fn a_delivery_cut_by_a_crash_is_sent_again_after_a_restart() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = key();
    let (url, seen) = receiver(vec![Answer::Hang]).await;
    let mut config = fast(&url);
    config.timeout = Duration::from_secs(1);

    let tw = runtime(dir.path(), &sim, &key).await;
    let dispatcher = webhooks::spawn(&tw, config.clone()).unwrap();
    connect(&tw, &sim).await;
    until("the first post", || seen.posts().len() == 1).await;
    // The process dies mid-delivery: its tasks stop, nothing is recorded.
    dispatcher.abort().await;
    tw.store().close().await;
    drop(tw);

    let tw = runtime(dir.path(), &sim, &key).await;
    webhooks::spawn(&tw, config).unwrap();
    let rows = settled(&tw).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, OutboxState::Delivered);
    assert_eq!(rows[0].attempts, 2, "the cut attempt counts");
    let posts = seen.posts();
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert_eq!(posts[0].event_id, posts[1].event_id, "the same event again");
    assert_eq!(seen.distinct_ids(), 1);
}

#[tokio::test]
async fn a_dispatcher_that_stops_hands_its_delivery_to_another_at_once() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(43).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = receiver(vec![Answer::Hang]).await;
    let mut config = fast(&url);
    // A lease (65 s) far longer than the test waits: only a handed-back claim is sent again.
    config.timeout = Duration::from_secs(60);

    let tw = runtime(dir.path(), &sim, &key()).await;
    let stopping = webhooks::spawn(&tw, config.clone()).unwrap();
    connect(&tw, &sim).await;
    until("the first post", || seen.posts().len() == 1).await;
    // Graceful shutdown mid-delivery; another dispatcher (replica) carries on.
    stopping.stop().await;
    let _other = webhooks::spawn(&tw, config).unwrap();
    let rows = settled(&tw).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, OutboxState::Delivered);
    assert_eq!(rows[0].attempts, 2, "the cut attempt counts");
    let posts = seen.posts();
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert_eq!(posts[0].event_id, posts[1].event_id, "the same event again");
}

#[tokio::test]
async fn a_4xx_drops_the_event_and_the_accounts_next_one_goes() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim, &key()).await;
    connect(&tw, &sim).await;
    tw.accounts().disconnect("zendesk", "acme").await.unwrap();
    let (url, seen) = receiver(vec![Answer::Status(410)]).await;
    webhooks::spawn(&tw, fast(&url)).unwrap();

    let rows = settled(&tw).await;
    let states: Vec<(OutboxState, u32, AccountStatus)> = rows
        .iter()
        .map(|r| (r.state, r.attempts, r.event.to))
        .collect();
    assert_eq!(
        states,
        vec![
            (OutboxState::Dropped, 1, AccountStatus::Active),
            (OutboxState::Delivered, 1, AccountStatus::Disconnected)
        ]
    );
    assert_eq!(
        rows[0].last_error.as_deref(),
        Some("the receiver answered HTTP 410")
    );
    assert_eq!(seen.posts().len(), 2);
}

#[tokio::test]
async fn a_hanging_receiver_never_blocks_calls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim, &key()).await;
    let (url, seen) = receiver(vec![Answer::Hang]).await;
    webhooks::spawn(&tw, fast(&url)).unwrap();

    connect(&tw, &sim).await;
    until("the first post", || seen.posts().len() == 1).await;
    // The receiver holds that delivery open; calls and status changes go on regardless.
    let out = tw
        .execute_tool("acme", "zendesk_ticket_get", json!({"ticket_id": 1}))
        .await
        .unwrap();
    assert_eq!(out.data["ticket"]["id"], 1);
    let disconnected = tw.accounts().disconnect("zendesk", "acme").await.unwrap();
    assert_eq!(disconnected.status, AccountStatus::Disconnected);
}

#[tokio::test]
async fn an_unreachable_receiver_leaves_no_secret_in_the_outbox() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), &sim, &key()).await;
    // A port nothing listens on (bound, then released), behind a URL with a password.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let password = "pw_canary_77f0";
    let mut config = fast(&format!("http://hooks:{password}@127.0.0.1:{port}/hook"));
    config.max_attempts = 2;
    webhooks::spawn(&tw, config).unwrap();
    connect(&tw, &sim).await;

    let rows = settled(&tw).await;
    assert_eq!(rows[0].state, OutboxState::Dropped);
    assert_eq!(rows[0].attempts, 2);
    let error = rows[0].last_error.clone().unwrap();
    assert_eq!(error, "could not connect to the receiver");
    let stored = format!("{rows:?}");
    assert!(!stored.contains(password) && !stored.contains(SECRET));
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
    assert_eq!(ok.lease(), ok.timeout + Duration::from_secs(5));
}
