//! The shared budget against a real Redis (`TOOLWIRE_TEST_REDIS_URL`, else 127.0.0.1:6379 if it
//! answers; skipped loudly otherwise). Two [`Budgets`] on one Redis are two replicas; each test
//! uses its own key prefix.

use std::time::{Duration, Instant};

use super::{Budgets, SharedBudgetConfig};

const TENANT: &str = "https://shared.example.test";

/// The test Redis URL, or `None` (with a `SKIPPED` line) when there is none.
async fn redis_url(test: &str) -> Option<String> {
    if let Ok(url) = std::env::var("TOOLWIRE_TEST_REDIS_URL") {
        return Some(url);
    }
    let default = "redis://127.0.0.1:6379";
    let answers = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::TcpStream::connect("127.0.0.1:6379"),
    )
    .await
    .is_ok_and(|c| c.is_ok());
    if answers {
        Some(default.into())
    } else {
        eprintln!("SKIPPED {test} (set TOOLWIRE_TEST_REDIS_URL or start redis-server)");
        None
    }
}

fn config(url: &str, lease: Duration) -> SharedBudgetConfig {
    SharedBudgetConfig {
        url: url.into(),
        key_prefix: format!("toolwire-test:{}:", uuid::Uuid::new_v4().simple()),
        slot_lease: lease,
    }
}

/// Two replicas on one Redis and one prefix.
fn two_replicas(url: &str, cap: usize, lease: Duration) -> (Budgets, Budgets) {
    let c = config(url, lease);
    (
        Budgets::shared(cap, &c).unwrap(),
        Budgets::shared(cap, &c).unwrap(),
    )
}

/// Polls `check` every 10 ms until it holds or `within` passes.
async fn eventually(within: Duration, mut check: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[tokio::test]
async fn a_block_seen_by_one_replica_stops_the_other() {
    let Some(url) = redis_url("a_block_seen_by_one_replica_stops_the_other").await else {
        return;
    };
    let (a, b) = two_replicas(&url, 4, Duration::from_secs(60));
    // B has used the tenant before (its budget exists) and may send.
    drop(b.of(TENANT).enter().await.expect("not blocked yet"));
    a.of(TENANT).block(5).await;
    let wait = b
        .of(TENANT)
        .enter()
        .await
        .err()
        .expect("B is blocked by A's Retry-After");
    assert!((4..=5).contains(&wait), "{wait}");
    // B now knows without asking Redis; other tenants are untouched.
    assert!(b.of(TENANT).blocked_for().is_some());
    assert!(b.of("https://other.example.test").enter().await.is_ok());
    // A shorter block never shortens a longer one.
    b.of(TENANT).block(1).await;
    let fresh = Budgets::shared(4, &config(&url, Duration::from_secs(60))).unwrap();
    assert!(fresh.of(TENANT).enter().await.is_ok(), "other prefix");
    let c = Budgets::shared(4, &shared_prefix_of(&a, &url)).unwrap();
    let wait = c.of(TENANT).enter().await.err().expect("still blocked");
    assert!(wait >= 4, "{wait}");
}

/// A config with the same prefix as `budgets` (a third replica).
fn shared_prefix_of(budgets: &Budgets, url: &str) -> SharedBudgetConfig {
    let shared = budgets.shared.as_ref().unwrap();
    SharedBudgetConfig {
        url: url.into(),
        key_prefix: shared.prefix().to_string(),
        slot_lease: Duration::from_secs(60),
    }
}

#[tokio::test]
async fn the_in_flight_cap_holds_across_replicas() {
    let Some(url) = redis_url("the_in_flight_cap_holds_across_replicas").await else {
        return;
    };
    let (a, b) = two_replicas(&url, 2, Duration::from_secs(60));
    let (ta, tb) = (a.of(TENANT), b.of(TENANT));
    let first = ta.enter().await.expect("slot 1");
    let _second = tb.enter().await.expect("slot 2");
    // B's own cap (2) has room, but the tenant's cap over both replicas is reached.
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let waiter = tokio::spawn({
        let tb = tb.clone();
        async move {
            let slot = tb.enter().await;
            let _ = tx.send(());
            slot.is_ok()
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        rx.try_recv().is_err(),
        "a third slot was handed out while two were held"
    );
    // A gives its slot back: B's waiting call gets it.
    drop(first);
    let got = tokio::time::timeout(Duration::from_secs(10), waiter)
        .await
        .expect("the freed slot reaches the waiting replica")
        .unwrap();
    assert!(got);
}

#[tokio::test]
async fn slots_of_a_replica_that_died_come_back_when_their_lease_ends() {
    let Some(url) = redis_url("slots_of_a_replica_that_died_come_back_when_their_lease_ends").await
    else {
        return;
    };
    let c = config(&url, Duration::from_millis(500));
    // A takes the only slot and "dies": its runtime (and so the slot's renewal) stops and the
    // slot is never given back.
    std::thread::spawn({
        let c = c.clone();
        move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let a = Budgets::shared(1, &c).unwrap();
                std::mem::forget(a.of(TENANT).enter().await.expect("slot"));
            });
        }
    })
    .join()
    .unwrap();
    let tb = Budgets::shared(1, &c).unwrap().of(TENANT);
    let got = tokio::time::timeout(Duration::from_secs(10), tb.enter())
        .await
        .expect("the dead replica's slot comes back after its lease");
    assert!(got.is_ok());
}

#[tokio::test]
async fn a_call_longer_than_the_lease_keeps_its_slot() {
    let Some(url) = redis_url("a_call_longer_than_the_lease_keeps_its_slot").await else {
        return;
    };
    let (a, b) = two_replicas(&url, 1, Duration::from_secs(1));
    let (ta, tb) = (a.of(TENANT), b.of(TENANT));
    let held = ta.enter().await.expect("slot");
    // A's call runs three leases long: its slot is renewed, so B's call waits all along.
    let waited = tokio::time::timeout(Duration::from_secs(3), tb.enter()).await;
    assert!(
        waited.is_err(),
        "a second slot was handed out while the cap (1) was held by a live call"
    );
    // The call ends: its slot is given back and renewals stop.
    drop(held);
    let got = tokio::time::timeout(Duration::from_secs(10), tb.enter())
        .await
        .expect("the slot comes back when the call ends");
    assert!(got.is_ok());
}

#[tokio::test]
async fn without_redis_calls_run_on_local_budgets() {
    // Nothing listens on port 1: every Redis operation fails at once.
    let c = config("redis://127.0.0.1:1", Duration::from_secs(60));
    let budgets =
        Budgets::shared(1, &c).expect("a well-formed URL is accepted while Redis is down");
    let t = budgets.of(TENANT);
    let slot = tokio::time::timeout(Duration::from_secs(5), t.enter())
        .await
        .expect("never blocked on a Redis that does not answer")
        .expect("not rate limited");
    assert!(budgets.shared.as_ref().unwrap().outage().is_down());
    // The local cap (1) still holds.
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let waiter = tokio::spawn({
        let t = t.clone();
        async move {
            let ok = t.enter().await.is_ok();
            let _ = tx.send(());
            ok
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(rx.try_recv().is_err(), "the local cap was exceeded");
    drop(slot);
    assert!(
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap()
    );
    // A block is still honoured locally, and recording it does not hang.
    tokio::time::timeout(Duration::from_secs(5), t.block(3))
        .await
        .expect("block does not wait on Redis");
    assert_eq!(t.enter().await.err(), Some(3));
    // A malformed URL is refused at start, naming no secret.
    let bad = config("http://user:canary-pass@host", Duration::from_secs(1));
    let err = Budgets::shared(1, &bad).unwrap_err().to_string();
    assert!(!err.contains("canary-pass"), "{err}");
}

#[tokio::test]
async fn a_redis_that_comes_back_is_used_again() {
    let Some(url) = redis_url("a_redis_that_comes_back_is_used_again").await else {
        return;
    };
    let (a, b) = two_replicas(&url, 4, Duration::from_secs(60));
    let shared = b.shared.as_ref().unwrap();
    // B believes Redis is down (as after an outage) ...
    shared.outage().failed("test");
    assert!(shared.outage().is_down());
    a.of(TENANT).block(5).await;
    // ... so it runs on local budgets until its next try, then sees A's block again.
    let seen = eventually(Duration::from_secs(5), async || {
        b.of(TENANT).enter().await.is_err()
    })
    .await;
    assert!(seen, "B asks Redis again after an outage");
    assert!(!shared.outage().is_down());
}

/// Everything logged while the returned guard lives (this thread's subscriber).
fn capture_logs() -> (
    std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    tracing::subscriber::DefaultGuard,
) {
    #[derive(Clone)]
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let logs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Sink(logs.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

fn text(logs: &std::sync::Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&logs.lock().unwrap()).into_owned()
}

#[tokio::test]
async fn an_outage_is_logged_once_not_per_call_and_never_names_the_url() {
    let (logs, _guard) = capture_logs();
    // A password in the URL must never reach a log line.
    let c = config(
        "redis://:canary-redis-pass@127.0.0.1:1",
        Duration::from_secs(60),
    );
    let budgets = Budgets::shared(4, &c).unwrap();
    let t = budgets.of(TENANT);
    for _ in 0..20 {
        drop(t.enter().await.expect("local budget"));
    }
    let outage = budgets.shared.as_ref().unwrap().outage();
    // More failures in the same outage (as each retry would report) log nothing new.
    outage.failed("timeout");
    outage.failed("connection refused");
    let logged = text(&logs);
    assert_eq!(
        logged.matches("Redis unreachable").count(),
        1,
        "one warning per outage: {logged}"
    );
    assert!(!logged.contains("canary-redis-pass"), "{logged}");
    // Recovery is logged once; a new outage warns again.
    outage.answered();
    outage.answered();
    outage.failed("timeout");
    let logged = text(&logs);
    assert_eq!(logged.matches("Redis answers again").count(), 1, "{logged}");
    assert_eq!(logged.matches("Redis unreachable").count(), 2, "{logged}");
}
