//! The toolwire side of `benches/zenpy/run.sh`: the same three calls the zenpy bench makes
//! (get ticket, search, add internal note), through toolwire in-process (dynamic
//! `execute_tool`, SQLite store in a temp dir, audit ledger on), against a simulator running
//! in ANOTHER process (`toolwire sim`), one call at a time. Prints, per operation, calls/s,
//! process CPU per call (`CLOCK_PROCESS_CPUTIME_ID`, all threads: the sim is not in it) and
//! latency percentiles, in the same format as `benches/zenpy/bench.py`.
//!
//! Also `get_ticket_floor`: the same GET built by hand with reqwest (the client toolwire
//! builds), for the physical floor of a Rust client.
//!
//! `cargo run --release -p toolwire-benches --bin peer_calls -- --sim 127.0.0.1:18443 --ca FILE
//! --sub acme --email admin@acme.example.com --token TOKEN [--calls 2000] [--ticket 1]
//! [--flavor multi|current] [--sync full|normal|off] [--audit full|failures|off]`

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use toolwire_benches::{arg, connectors_dir, summarize};
use toolwire_runtime::http::HttpOptions;
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};

/// CPU time of the whole process (all threads), nanosecond resolution.
fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn main() {
    let runtime = match arg("flavor", "multi".to_string()).as_str() {
        "current" => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()
    .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let sim: SocketAddr = arg("sim", "127.0.0.1:18443".parse().unwrap());
    let ca = std::fs::read_to_string(arg("ca", String::new())).expect("--ca FILE");
    let sub: String = arg("sub", "acme".to_string());
    let email: String = arg("email", String::new());
    let token: String = arg("token", String::new());
    let calls: usize = arg("calls", 2000);
    let ticket: i64 = arg("ticket", 1);
    let warmup: usize = arg("warmup", 100);

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("toolwire.db");
    // `--sync full` is production (`Store::sqlite`); `normal` / `off` show what the audit
    // ledger's per-commit fsync costs when calls come one at a time (a batch of 1 per commit).
    let store = match arg("sync", "full".to_string()).as_str() {
        "full" => Store::sqlite(&db).await.unwrap(),
        other => Store::sqlite_with_options(
            SqliteConnectOptions::new()
                .filename(&db)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(if other == "off" {
                    SqliteSynchronous::Off
                } else {
                    SqliteSynchronous::Normal
                })
                .foreign_keys(true),
        )
        .await
        .unwrap(),
    };
    let client = toolwire_runtime::http::client(&HttpOptions {
        extra_roots_pem: vec![ca.clone()],
        resolve_suffixes: vec![("zendesk.com".into(), sim)],
        connect_timeout: None,
    })
    .unwrap();
    let tw = Toolwire::builder()
        .store(store)
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(ca)
        .resolve_suffix("zendesk.com", sim)
        .audit_log(
            arg("audit", "full".to_string())
                .parse()
                .expect("--audit full|failures|off"),
        )
        .build()
        .await
        .expect("toolwire");
    tw.accounts()
        .set_credentials(
            "zendesk",
            "bench_user",
            json!({ "subdomain": sub }).as_object().unwrap(),
            None,
            Credentials::from_fields([("email", email.as_str()), ("api_token", token.as_str())]),
        )
        .await
        .expect("connect");

    // The physical floor: the same GET built by hand with the client toolwire builds.
    let floor = || async {
        let r = client
            .get(format!(
                "https://{sub}.zendesk.com/api/v2/tickets/{ticket}.json"
            ))
            // What the tool sends: its `include` input defaults to every sideload.
            .query(&[("include", "users,groups,organizations")])
            .header(reqwest::header::ACCEPT, "application/json")
            .basic_auth(format!("{email}/token"), Some(&token))
            .send()
            .await
            .expect("floor");
        assert!(r.status().is_success());
        serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).unwrap()
    };
    assert_eq!(floor().await["ticket"]["id"], json!(ticket));
    for _ in 0..warmup {
        floor().await;
    }
    let mut lat = Vec::with_capacity(calls);
    let (cpu0, wall0) = (process_cpu(), Instant::now());
    for _ in 0..calls {
        let start = Instant::now();
        std::hint::black_box(floor().await);
        lat.push(start.elapsed());
    }
    report(
        "get_ticket_floor",
        calls,
        process_cpu() - cpu0,
        wall0.elapsed(),
        lat,
    );

    let ops: [(&str, &str, Value); 3] = [
        (
            "get_ticket",
            "zendesk_ticket_get",
            json!({ "ticket_id": ticket }),
        ),
        (
            "search",
            "zendesk_search_tickets",
            json!({ "query": "status:open" }),
        ),
        (
            "add_note",
            "zendesk_ticket_reply",
            json!({ "ticket_id": ticket, "body": "internal note from the benchmark", "public": false }),
        ),
    ];
    for (label, tool, input) in &ops {
        let call = || async {
            tw.execute_tool("bench_user", tool, input.clone())
                .await
                .unwrap_or_else(|e| panic!("{tool}: {e}"))
                .data
        };
        let first = call().await;
        match *label {
            "get_ticket" => assert_eq!(first["ticket"]["id"], json!(ticket)),
            "search" => assert!(!first["results"].as_array().unwrap().is_empty()),
            _ => assert_eq!(first["id"], json!(ticket)),
        }
        for _ in 0..warmup {
            call().await;
        }
        let mut lat = Vec::with_capacity(calls);
        let (cpu0, wall0) = (process_cpu(), Instant::now());
        for _ in 0..calls {
            let start = Instant::now();
            std::hint::black_box(call().await);
            lat.push(start.elapsed());
        }
        report(label, calls, process_cpu() - cpu0, wall0.elapsed(), lat);
    }
}

fn report(label: &str, calls: usize, cpu: Duration, wall: Duration, mut lat: Vec<Duration>) {
    let s = summarize(&mut lat);
    println!(
        "RESULT client=toolwire op={label} calls={calls} calls_per_s={:.0} cpu_us_per_call={:.1} p50_us={:.0} p99_us={:.0}",
        calls as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / calls as f64,
        s.p50.as_secs_f64() * 1e6,
        s.p99.as_secs_f64() * 1e6,
    );
}
