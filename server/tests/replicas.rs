//! Three `toolwire serve` processes on one PostgreSQL schema and one Redis behave as one
//! service (issue 17's proof), with clients spread across them and the simulator injecting
//! faults:
//!
//! - one tenant answers `429, Retry-After: 5`: the requests reaching that tenant afterwards,
//!   summed over all replicas (counted in the simulator's request log), stay within what was
//!   in flight when the 429 was answered, every replica answers its callers `RATE_LIMITED`
//!   without sending, and another tenant's calls keep succeeding on every replica;
//! - one magic link submitted to two replicas at the same instant is saved once;
//! - nothing is lost or doubled: each replica's audit rows equal the answers it gave.
//!
//! Every wait polls with a deadline. Skipped (loudly) without `TOOLWIRE_TEST_POSTGRES_URL` or a
//! Redis (see `common::redis`).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::ExposeSecret as _;
use serde_json::json;
use toolwire_runtime::MasterKey;
use toolwire_sim::{FaultKind, FaultSpec, Sim};

use common::API_KEY;
use common::pg::PgSchema;
use common::process::ServerProcess;

const REPLICAS: usize = 3;
/// Callers of the rate-limited tenant per replica (each has at most one request in flight).
const LIMITED_WORKERS: usize = 2;
/// The tenant that answers 429 and the one that must not notice.
const LIMITED: &str = "acme";
const OTHER: &str = "globex";
const LINK_SECRET: &str = "replicas-test-link-secret-0123456789abcdef";

/// What one identifier's callers got back.
#[derive(Debug, Default, Clone)]
struct Tally {
    answers: usize,
    ok: usize,
    rate_limited: usize,
    /// Any other outcome: `status code`.
    other: Vec<String>,
}

type Tallies = Arc<Mutex<HashMap<String, Tally>>>;

fn tally(tallies: &Tallies, identifier: &str) -> Tally {
    tallies
        .lock()
        .unwrap()
        .get(identifier)
        .cloned()
        .unwrap_or_default()
}

async fn start_replica(
    sim: &Sim,
    dir: &Path,
    db_url: &str,
    redis_url: &str,
    prefix: &str,
    master_key: &str,
) -> ServerProcess {
    std::fs::create_dir_all(dir).unwrap();
    ServerProcess::start_with(
        sim,
        dir,
        &[
            "--database-url",
            db_url,
            "--redis-url",
            redis_url,
            "--redis-prefix",
            prefix,
        ],
        &[
            ("TOOLWIRE_MASTER_KEY", master_key),
            ("TOOLWIRE_LINK_SECRET", LINK_SECRET),
        ],
    )
    .await
}

/// Calls `identifier`'s ticket 1 through `base` until `stop`, tallying every answer.
fn caller(
    base: String,
    identifier: String,
    stop: Arc<AtomicBool>,
    tallies: Tallies,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        let body = json!({"identifier": identifier, "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}});
        while !stop.load(Ordering::Relaxed) {
            let resp = http
                .post(format!("{base}/v1/execute_tool"))
                .bearer_auth(API_KEY)
                .json(&body)
                .send()
                .await
                .expect("the replica answers");
            let status = resp.status().as_u16();
            let answer: serde_json::Value = resp.json().await.expect("JSON answer");
            let code = answer["error"]["code"].as_str().unwrap_or("").to_string();
            let mut all = tallies.lock().unwrap();
            let t = all.entry(identifier.clone()).or_default();
            t.answers += 1;
            match (status, code.as_str()) {
                (200, _) => t.ok += 1,
                (429, "RATE_LIMITED") => t.rate_limited += 1,
                _ => t.other.push(format!("{status} {code}")),
            }
        }
    })
}

/// Polls `check` every 10 ms until it holds; panics with `what` after `within`.
async fn until(within: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn identifier(tenant: &str, replica: usize) -> String {
    format!("{tenant}-r{replica}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_behave_as_one_service() {
    let test = "three_replicas_behave_as_one_service";
    let Some(pg) = PgSchema::create(test).await else {
        return;
    };
    let Some(redis_url) = common::redis::url(test).await else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db_url = pg.url.clone();
    let prefix = common::redis::prefix();
    let sim = Sim::builder().seed(17).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();
    // One after the other: the first creates the schema.
    let mut replicas = Vec::new();
    for i in 0..REPLICAS {
        let d = dir.path().join(format!("r{i}"));
        replicas.push(start_replica(&sim, &d, &db_url, &redis_url, &prefix, key).await);
    }
    for i in 0..REPLICAS {
        for tenant in [LIMITED, OTHER] {
            replicas[0]
                .connect(&sim, &identifier(tenant, i), tenant)
                .await;
        }
    }

    // Clients spread across the replicas: on each, callers of both tenants.
    let stop = Arc::new(AtomicBool::new(false));
    let tallies: Tallies = Default::default();
    let mut callers = Vec::new();
    for (i, r) in replicas.iter().enumerate() {
        for _ in 0..LIMITED_WORKERS {
            callers.push(caller(
                r.base.clone(),
                identifier(LIMITED, i),
                stop.clone(),
                tallies.clone(),
            ));
        }
        callers.push(caller(
            r.base.clone(),
            identifier(OTHER, i),
            stop.clone(),
            tallies.clone(),
        ));
    }
    until(
        Duration::from_secs(60),
        "every caller has succeeded 3 times",
        || {
            (0..REPLICAS).all(|i| {
                [LIMITED, OTHER]
                    .iter()
                    .all(|t| tally(&tallies, &identifier(t, i)).ok >= 3)
            })
        },
    )
    .await;

    // The limited tenant answers the next request "429, Retry-After: 5".
    sim.inject_fault(FaultSpec::next(FaultKind::RateLimit { retry_after: 5 }, 1).tenant(LIMITED));
    let mut seq_429 = 0;
    until(
        Duration::from_secs(10),
        "the simulator answered the 429",
        || {
            seq_429 = sim
                .request_log()
                .iter()
                .find(|r| r.status == 429)
                .map_or(0, |r| r.seq);
            seq_429 > 0
        },
    )
    .await;
    let seen_429 = Instant::now();
    let other_before: Vec<usize> = (0..REPLICAS)
        .map(|i| tally(&tallies, &identifier(OTHER, i)).ok)
        .collect();
    // Within the window: every replica turns its callers away, and the other tenant's calls
    // keep succeeding on every replica (in the callers' tallies and in the simulator's log,
    // which may record a request just after its answer left).
    let after_429 = |tenant: &str| {
        sim.request_log()
            .into_iter()
            .filter(|r| r.seq > seq_429 && r.tenant.as_deref() == Some(tenant))
            .collect::<Vec<_>>()
    };
    until(
        Duration::from_secs(4),
        "every replica answered RATE_LIMITED and served the other tenant 3 more times",
        || {
            (0..REPLICAS).all(|i| {
                tally(&tallies, &identifier(LIMITED, i)).rate_limited >= 1
                    && tally(&tallies, &identifier(OTHER, i)).ok >= other_before[i] + 3
            }) && after_429(OTHER).len() >= 3 * REPLICAS
        },
    )
    .await;
    let limited_after = after_429(LIMITED);
    assert!(
        seen_429.elapsed() < Duration::from_secs(5),
        "observed inside the 5 s window"
    );
    // At most every limited caller had a request in flight when the 429 was answered; nothing
    // new was sent (without shared budgets the other replicas keep sending all window long).
    assert!(
        limited_after.len() <= REPLICAS * LIMITED_WORKERS,
        "{} requests reached the limited tenant after its 429 (at most {} were in flight): {limited_after:?}",
        limited_after.len(),
        REPLICAS * LIMITED_WORKERS
    );
    eprintln!(
        "[replicas] after the 429: {} request(s) reached {LIMITED} (in flight then), {} reached {OTHER}",
        limited_after.len(),
        after_429(OTHER).len()
    );
    stop.store(true, Ordering::Relaxed);
    for c in callers {
        // The caller whose request got the 429 waits it out (5 s) and retries.
        tokio::time::timeout(Duration::from_secs(30), c)
            .await
            .expect("callers stop")
            .unwrap();
    }
    for i in 0..REPLICAS {
        let other = tally(&tallies, &identifier(OTHER, i));
        assert!(
            other.other.is_empty() && other.rate_limited == 0,
            "{other:?}"
        );
        let limited = tally(&tallies, &identifier(LIMITED, i));
        assert!(limited.other.is_empty(), "{limited:?}");
    }

    // One magic link, opened once, submitted to two replicas at the same instant.
    let (status, link) = replicas[0]
        .post(
            "/v1/connected_accounts/zendesk/linked/magic_link",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let path = link["url"].as_str().unwrap();
    let path = &path[path.find("/connect/").expect("a /connect/ link")..];
    let browser = reqwest::Client::new();
    let page = browser
        .get(format!("{}{path}", replicas[1].base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let cookies: Vec<String> = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    let html = page.text().await.unwrap();
    let csrf = hidden_value(&html, "csrf").expect("csrf field");
    let submit = |replica: &ServerProcess, tenant: &str| {
        let agent = sim.tenant(tenant).unwrap().agent().unwrap().clone();
        let form = vec![
            ("csrf".to_string(), csrf.clone()),
            ("config.subdomain".to_string(), tenant.to_string()),
            ("api_token.email".to_string(), agent.email),
            ("api_token.api_token".to_string(), agent.api_token),
            ("scheme".to_string(), "api_token".to_string()),
        ];
        browser
            .post(format!("{}{path}", replica.base))
            .header("cookie", cookies.join("; "))
            .form(&form)
            .send()
    };
    let barrier = tokio::sync::Barrier::new(2);
    let (one, two) = tokio::join!(
        async {
            barrier.wait().await;
            submit(&replicas[1], LIMITED).await.unwrap()
        },
        async {
            barrier.wait().await;
            submit(&replicas[2], OTHER).await.unwrap()
        }
    );
    let mut statuses = [one.status().as_u16(), two.status().as_u16()];
    let winner = if statuses[0] == 200 { LIMITED } else { OTHER };
    statuses.sort();
    assert_eq!(statuses, [200, 410], "one save, one LINK_USED");
    let account: serde_json::Value = browser
        .get(format!(
            "{}/v1/connected_accounts/zendesk/linked",
            replicas[0].base
        ))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(account["config"]["subdomain"], winner, "{account}");
    assert_eq!(account["status"], "ACTIVE");

    // Nothing lost or doubled: after a clean stop (audit rows flushed), each replica's
    // identifiers have exactly as many audit rows as answers it gave.
    for r in replicas {
        let mut r = r;
        r.send_sigterm().await;
        assert!(r.wait_exit().await.success());
    }
    let pool = sqlx::PgPool::connect(&db_url).await.unwrap();
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT identifier, count(*) FROM executions GROUP BY identifier")
            .fetch_all(&pool)
            .await
            .unwrap();
    let rows: HashMap<String, i64> = rows.into_iter().collect();
    let (distinct, total): (i64, i64) =
        sqlx::query_as("SELECT count(DISTINCT execution_id), count(*) FROM executions")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(distinct, total, "an execution id recorded twice");
    for i in 0..REPLICAS {
        for tenant in [LIMITED, OTHER] {
            let id = identifier(tenant, i);
            let answers = tally(&tallies, &id).answers as i64;
            assert_eq!(
                rows.get(&id).copied().unwrap_or(0),
                answers,
                "replica {i}, {id}"
            );
        }
    }
    pool.close().await;
    pg.drop_schema().await;
}

/// The `value` of `<input name="{name}" ... value="...">` in `html`.
fn hidden_value(html: &str, name: &str) -> Option<String> {
    html.split("<input").skip(1).find_map(|tag| {
        let tag = tag.split('>').next()?;
        tag.contains(&format!("name=\"{name}\""))
            .then(|| tag.split("value=\"").nth(1)?.split('"').next())?
            .map(|v| v.replace("&#x3D;", "=").replace("&amp;", "&"))
    })
}
