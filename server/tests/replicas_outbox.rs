//! Several `toolwire serve` replicas on one PostgreSQL schema, each with `--webhook-url`: a
//! token revoked upstream and seen by two replicas at once makes exactly one REVOKED transition
//! and one webhook (the receiver counts posts and distinct event ids), also when the replica
//! delivering it is killed with SIGKILL mid-delivery (another replica sends the same event id
//! once the lease runs out), and at once when it is stopped with SIGTERM instead (it hands its
//! claim back). Skipped (loudly) without `TOOLWIRE_TEST_POSTGRES_URL`.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Path as UrlPath;
use axum::http::{HeaderMap, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};
use toolwire_runtime::store::{OutboxEntry, OutboxState};
use toolwire_runtime::{AccountStatus, MasterKey, Store};
use toolwire_sim::Sim;

use common::pg::PgSchema;
use common::process::ServerProcess;

const SECRET: &str = "whsec_replicas_93d1";

/// One post: which replica sent it (the URL path names it), the event id, the new status.
#[derive(Debug, Clone)]
struct Post {
    replica: String,
    event_id: String,
    to: String,
}

#[derive(Clone, Default)]
struct Receiver {
    posts: Arc<Mutex<Vec<Post>>>,
}

impl Receiver {
    fn posts_to(&self, to: &str) -> Vec<Post> {
        let posts = self.posts.lock().unwrap();
        posts.iter().filter(|p| p.to == to).cloned().collect()
    }
}

/// A receiver at `/hook/{replica}`; with `hang_first_revoked`, it holds the first REVOKED post
/// open (a minute) and answers every other post 200.
async fn receiver(hang_first_revoked: bool) -> (u16, Receiver) {
    let rx = Receiver::default();
    let r2 = rx.clone();
    let app = axum::Router::new().route(
        "/hook/{replica}",
        axum::routing::post(
            move |UrlPath(replica): UrlPath<String>, headers: HeaderMap, body: String| {
                let rx = r2.clone();
                async move {
                    let signature = headers["x-toolwire-signature"].to_str().unwrap();
                    let now = chrono::Utc::now().timestamp();
                    if !toolwire_server::webhooks::verify(
                        &secrecy::SecretString::from(SECRET),
                        signature,
                        &body,
                        now,
                        300,
                    ) {
                        return StatusCode::UNAUTHORIZED;
                    }
                    let event: Value = serde_json::from_str(&body).unwrap();
                    let post = Post {
                        replica,
                        event_id: headers["x-toolwire-event-id"].to_str().unwrap().to_string(),
                        to: event["to"].as_str().unwrap().to_string(),
                    };
                    assert_eq!(event["event_id"], post.event_id.as_str());
                    let first_revoked = {
                        let mut posts = rx.posts.lock().unwrap();
                        let first =
                            post.to == "REVOKED" && !posts.iter().any(|p| p.to == "REVOKED");
                        posts.push(post);
                        first
                    };
                    if hang_first_revoked && first_revoked {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, rx)
}

/// Replica `name`: its own data dir, the shared database and master key, webhooks to
/// `/hook/{name}` with a `timeout_s` attempt timeout (the lease is 5 s more).
async fn replica(
    sim: &Sim,
    dir: &Path,
    name: &str,
    db: &str,
    key: &str,
    port: u16,
    timeout_s: &str,
) -> ServerProcess {
    let dir = dir.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("http://127.0.0.1:{port}/hook/{name}");
    ServerProcess::start_with(
        sim,
        &dir,
        &[
            "--database-url",
            db,
            "--webhook-url",
            &url,
            "--webhook-timeout",
            timeout_s,
        ],
        &[
            ("TOOLWIRE_MASTER_KEY", key),
            ("TOOLWIRE_WEBHOOK_SECRET", SECRET),
        ],
    )
    .await
}

/// Polls `what` until it yields something (60 s at most).
async fn until<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    mut probe: impl FnMut() -> F,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The outbox row of the account's move to `to`, once it is delivered.
async fn delivered(store: &Store, to: AccountStatus) -> OutboxEntry {
    until("a delivered outbox row", || async {
        let rows = store.list_outbox(100).await.unwrap();
        rows.into_iter()
            .find(|r| r.event.to == to && r.state == OutboxState::Delivered)
    })
    .await
}

fn call() -> Value {
    json!({"identifier": "cust-1", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}})
}

/// Connects the account on `first`, waits for its ACTIVE webhook, rotates the token upstream
/// and sends one call through each of `both` at the same instant; every answer is a failure.
async fn revoke_seen_by_two(
    sim: &Sim,
    store: &Store,
    first: &ServerProcess,
    both: [&ServerProcess; 2],
) {
    first.connect(sim, "cust-1", "acme").await;
    delivered(store, AccountStatus::Active).await;
    // Both replicas served a call (so both have the account and its credentials cached).
    for r in both {
        let (status, body) = r.post("/v1/execute_tool", call()).await;
        assert_eq!(status, 200, "{body}");
    }
    let email = sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    sim.rotate_token("acme", &email).unwrap();
    let ((s1, b1), (s2, b2)) = tokio::join!(
        both[0].post("/v1/execute_tool", call()),
        both[1].post("/v1/execute_tool", call())
    );
    assert!(s1 >= 400 && s2 >= 400, "{b1} / {b2}");
}

/// Exactly one REVOKED history row.
async fn one_revocation(store: &Store) {
    let account = store
        .get_account("zendesk", "cust-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.status, AccountStatus::Revoked);
    let history = store.status_history(account.id).await.unwrap();
    let revoked = history
        .iter()
        .filter(|h| h.to == AccountStatus::Revoked)
        .count();
    assert_eq!(revoked, 1, "{history:#?}");
    let events = store.list_outbox(100).await.unwrap();
    let revoked = events
        .iter()
        .filter(|e| e.event.to == AccountStatus::Revoked)
        .count();
    assert_eq!(revoked, 1, "one event for one change: {events:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_seen_by_two_replicas_is_one_transition_and_one_webhook() {
    let Some(pg) =
        PgSchema::create("a_revocation_seen_by_two_replicas_is_one_transition_and_one_webhook")
            .await
    else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(7).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();
    let (port, rx) = receiver(false).await;
    let a = replica(&sim, dir.path(), "a", &pg.url, key, port, "10").await;
    let b = replica(&sim, dir.path(), "b", &pg.url, key, port, "10").await;
    let c = replica(&sim, dir.path(), "c", &pg.url, key, port, "10").await;
    let store = Store::connect(&pg.url).await.unwrap();

    revoke_seen_by_two(&sim, &store, &a, [&b, &c]).await;
    let row = delivered(&store, AccountStatus::Revoked).await;
    one_revocation(&store).await;
    assert_eq!(row.attempts, 1);
    let revoked = rx.posts_to("REVOKED");
    assert_eq!(revoked.len(), 1, "one post: {revoked:#?}");
    assert_eq!(revoked[0].event_id, row.event.event_id.to_string());
    let active = rx.posts_to("ACTIVE");
    assert_eq!(active.len(), 1, "{active:#?}");
    store.close().await;
    drop((a, b, c));
    pg.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_delivery_leaves_the_event_to_another() {
    let Some(pg) =
        PgSchema::create("a_replica_killed_mid_delivery_leaves_the_event_to_another").await
    else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(8).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();
    let (port, rx) = receiver(true).await;
    let mut replicas = vec![
        replica(&sim, dir.path(), "a", &pg.url, key, port, "3").await,
        replica(&sim, dir.path(), "b", &pg.url, key, port, "3").await,
    ];
    let store = Store::connect(&pg.url).await.unwrap();

    revoke_seen_by_two(&sim, &store, &replicas[0], [&replicas[0], &replicas[1]]).await;
    // The receiver holds the first REVOKED post open; kill the replica that sent it.
    let first = until("the first REVOKED post", || async {
        rx.posts_to("REVOKED").first().cloned()
    })
    .await;
    let victim = if first.replica == "a" { 0 } else { 1 };
    let mut killed = replicas.remove(victim);
    killed.child.start_kill().expect("SIGKILL");
    let status = killed.child.wait().await.unwrap();
    assert!(!status.success(), "killed: {status}");

    let row = delivered(&store, AccountStatus::Revoked).await;
    one_revocation(&store).await;
    let revoked = rx.posts_to("REVOKED");
    assert_eq!(
        revoked.len(),
        2,
        "the cut post and the redelivery: {revoked:#?}"
    );
    let ids: HashSet<&str> = revoked.iter().map(|p| p.event_id.as_str()).collect();
    assert_eq!(
        ids.len(),
        1,
        "one event id, de-duplicated to one: {revoked:#?}"
    );
    assert_eq!(revoked[0].event_id, row.event.event_id.to_string());
    assert_ne!(
        revoked[1].replica, first.replica,
        "another replica redelivered it"
    );
    assert_eq!(row.attempts, 2, "the cut attempt counts");
    store.close().await;
    drop(replicas);
    pg.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_stopped_mid_delivery_hands_the_event_to_another_at_once() {
    let Some(pg) =
        PgSchema::create("a_replica_stopped_mid_delivery_hands_the_event_to_another_at_once").await
    else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(9).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();
    let (port, rx) = receiver(true).await;
    // A 120 s attempt timeout: the lease (125 s) outlasts the 60 s this test waits, so only a
    // claim handed back on SIGTERM lets the other replica deliver in time.
    let mut replicas = vec![
        replica(&sim, dir.path(), "a", &pg.url, key, port, "120").await,
        replica(&sim, dir.path(), "b", &pg.url, key, port, "120").await,
    ];
    let store = Store::connect(&pg.url).await.unwrap();

    revoke_seen_by_two(&sim, &store, &replicas[0], [&replicas[0], &replicas[1]]).await;
    let first = until("the first REVOKED post", || async {
        rx.posts_to("REVOKED").first().cloned()
    })
    .await;
    let victim = if first.replica == "a" { 0 } else { 1 };
    let mut stopped = replicas.remove(victim);
    stopped.send_sigterm().await;
    let status = stopped.wait_exit().await;
    assert!(status.success(), "a graceful stop: {status}");

    let row = delivered(&store, AccountStatus::Revoked).await;
    one_revocation(&store).await;
    let revoked = rx.posts_to("REVOKED");
    assert_eq!(
        revoked.len(),
        2,
        "the cut post and the handover: {revoked:#?}"
    );
    let ids: HashSet<&str> = revoked.iter().map(|p| p.event_id.as_str()).collect();
    assert_eq!(ids.len(), 1, "one event id: {revoked:#?}");
    assert_ne!(revoked[1].replica, first.replica, "another replica sent it");
    assert_eq!(row.attempts, 2, "the cut attempt counts");
    store.close().await;
    drop(replicas);
    pg.drop_schema().await;
}
