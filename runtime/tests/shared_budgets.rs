//! Per-tenant budgets shared through a real Redis (`TOOLWIRE_TEST_REDIS_URL`, else
//! 127.0.0.1:6379 when it answers; skipped loudly otherwise), end to end: two runtimes (two
//! replicas, each with its own SQLite store) calling the same simulator tenant over HTTPS.
//! A `Retry-After` answered to one stops the other from sending; with Redis down, calls run.

mod e2e;

use std::time::{Duration, Instant};

use serde_json::json;
use toolwire_runtime::{MasterKey, Store, Toolwire, ToolwireBuilder};
use toolwire_sim::{FaultKind, FaultSpec, Sim};

async fn redis_url(test: &str) -> Option<String> {
    if let Ok(url) = std::env::var("TOOLWIRE_TEST_REDIS_URL") {
        return Some(url);
    }
    let answers = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::TcpStream::connect("127.0.0.1:6379"),
    )
    .await
    .is_ok_and(|c| c.is_ok());
    if answers {
        Some("redis://127.0.0.1:6379".into())
    } else {
        eprintln!("SKIPPED {test} (set TOOLWIRE_TEST_REDIS_URL or start redis-server)");
        None
    }
}

/// A runtime (a replica) on the simulator, with its own store; only the connector these
/// tests call is loaded.
async fn replica(
    sim: &Sim,
    dir: &std::path::Path,
    shared: impl FnOnce(ToolwireBuilder) -> ToolwireBuilder,
) -> Toolwire {
    let store = Store::sqlite(dir.join("toolwire.db")).await.unwrap();
    let b = Toolwire::builder()
        .store(store)
        .master_key(MasterKey::generate())
        .connector_file(e2e::connectors_dir().join("zendesk.yaml"))
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr());
    shared(b).build().await.expect("toolwire builds")
}

/// Connects `identifier` on `tw` to the simulator tenant `sub`'s first agent.
async fn connect(tw: &Toolwire, sim: &Sim, identifier: &str, sub: &str) {
    let agent = sim.tenant(sub).unwrap().agent().unwrap().clone();
    tw.accounts()
        .set_credentials(
            "zendesk",
            identifier,
            &e2e::config(sub),
            None,
            e2e::creds(&agent.email, &agent.api_token),
        )
        .await
        .expect("credentials verify");
}

async fn sim() -> Sim {
    Sim::builder().seed(11).start().await.expect("sim starts")
}

fn acme_requests(sim: &Sim) -> usize {
    sim.request_log()
        .iter()
        .filter(|r| r.tenant.as_deref() == Some("acme"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_answered_to_one_replica_stops_the_other() {
    let Some(url) = redis_url("a_retry_after_answered_to_one_replica_stops_the_other").await else {
        return;
    };
    let prefix = format!("toolwire-test:{}:", uuid::Uuid::new_v4().simple());
    let shared = |b: ToolwireBuilder| b.redis_url(&url).redis_key_prefix(&prefix);
    let sim = sim().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = replica(&sim, dir_a.path(), shared).await;
    let b = replica(&sim, dir_b.path(), shared).await;
    connect(&a, &sim, "cust-a", "acme").await;
    connect(&b, &sim, "cust-b", "acme").await;
    connect(&b, &sim, "other-b", "globex").await;
    let get = json!({"ticket_id": 1});
    b.execute_tool("cust-b", "zendesk_ticket_get", get.clone())
        .await
        .expect("B calls before the limit");

    // The vendor answers A's next call "429, Retry-After: 5"; A waits it out and retries.
    sim.inject_fault(FaultSpec::next(FaultKind::RateLimit { retry_after: 5 }, 1).tenant("acme"));
    let a_tw = std::sync::Arc::new(a);
    let a_call = tokio::spawn({
        let tw = a_tw.clone();
        let get = get.clone();
        async move { tw.execute_tool("cust-a", "zendesk_ticket_get", get).await }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while !sim.request_log().iter().any(|r| r.status == 429) {
        assert!(Instant::now() < deadline, "the 429 never reached A");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // B learns of the block through Redis (A records it before it starts waiting).
    let deadline = Instant::now() + Duration::from_secs(3);
    let first = loop {
        match b
            .execute_tool("cust-b", "zendesk_ticket_get", get.clone())
            .await
        {
            Err(e) => break e,
            Ok(_) => assert!(Instant::now() < deadline, "B never saw A's block"),
        }
    };
    assert_eq!(first.code(), "RATE_LIMITED", "{first}");
    // From now on B sends nothing to that tenant; its other tenants are untouched.
    let sent = acme_requests(&sim);
    for _ in 0..5 {
        let e = b
            .execute_tool("cust-b", "zendesk_ticket_get", get.clone())
            .await
            .expect_err("blocked");
        assert_eq!(e.code(), "RATE_LIMITED");
        assert!(matches!(e.retry_after_s(), Some(1..=5)), "{e}");
        assert!(e.to_string().contains("nothing was sent"), "{e}");
        b.execute_tool("other-b", "zendesk_ticket_get", get.clone())
            .await
            .expect("another tenant is not blocked");
    }
    assert_eq!(acme_requests(&sim), sent, "B sent to a blocked tenant");
    // A's own call waited out the Retry-After and succeeded.
    let out = tokio::time::timeout(Duration::from_secs(20), a_call)
        .await
        .expect("A's call ends")
        .unwrap();
    assert!(out.is_ok(), "{:?}", out.err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_down_calls_still_run_on_local_budgets() {
    // Nothing listens on port 1: Redis "is down" for the whole test.
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let tw = replica(&sim, dir.path(), |b| b.redis_url("redis://127.0.0.1:1")).await;
    connect(&tw, &sim, "cust-1", "acme").await;
    for id in 1..=3 {
        let out = tokio::time::timeout(
            Duration::from_secs(10),
            tw.execute_tool("cust-1", "zendesk_ticket_get", json!({"ticket_id": id})),
        )
        .await
        .expect("never blocked on Redis")
        .expect("the call runs");
        assert_eq!(out.data["ticket"]["id"], id);
    }
}
