//! The audit table over a soak with retention on: tool calls run without pause (`zendesk_ticket_get`
//! against the in-process simulator, `--concurrency` in flight) on a SQLite store whose runtime
//! keeps `--retention-secs` of audit rows; every `--sample-secs` the bench prints the rows in
//! `executions`, the database's pages in use and its file size. With retention the row count
//! levels off at about (calls per second × retention) and the file stops growing (SQLite reuses
//! freed pages); with `--retention-secs 0` (kept forever) both grow with the calls.
//!
//! `cargo run --release -p toolwire-benches --bin audit_soak -- [--secs 180] [--retention-secs 30]
//!  [--sample-secs 10] [--concurrency 16]`

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::Row as _;
use toolwire_benches::{arg, connectors_dir};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::Sim;

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let secs: u64 = arg("secs", 180);
    let retention: u64 = arg("retention-secs", 30);
    let sample: u64 = arg("sample-secs", 10);
    let concurrency: usize = arg("concurrency", 16);

    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(5)
        .rate_limit(100_000_000)
        .start()
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("toolwire.db");
    let mut builder = Toolwire::builder()
        .store(Store::sqlite(&db).await.unwrap())
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr());
    if retention > 0 {
        builder = builder.audit_retention(Duration::from_secs(retention));
    }
    let tw = builder.build().await.expect("toolwire");
    let admin = sim.tenant("acme").unwrap().admin().unwrap().clone();
    tw.accounts()
        .set_credentials(
            "zendesk",
            "acme_user",
            json!({ "subdomain": "acme" }).as_object().unwrap(),
            None,
            Credentials::from_fields([
                ("email", admin.email.as_str()),
                ("api_token", admin.api_token.as_str()),
            ]),
        )
        .await
        .expect("connect");

    // A second, read-only view of the same file for the measurements.
    let probe = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .expect("open the database read-only");

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (tw, stop, calls) = (tw.clone(), stop.clone(), calls.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    tw.execute_tool("acme_user", "zendesk_ticket_get", json!({"ticket_id": 1}))
                        .await
                        .expect("toolwire call");
                    calls.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    println!(
        "retention {} | {concurrency} in flight | sample every {sample} s",
        if retention > 0 {
            format!("{retention} s")
        } else {
            "off".into()
        }
    );
    println!("   t(s)      calls   rows in executions   pages in use   file (MB)");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        tokio::time::sleep(Duration::from_secs(sample)).await;
        let rows: i64 = sqlx::query("SELECT count(*) FROM executions")
            .fetch_one(&probe)
            .await
            .expect("count")
            .get(0);
        let pages: i64 = sqlx::query("SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())")
            .fetch_one(&probe)
            .await
            .expect("pages")
            .get(0);
        let file = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        println!(
            "{:7.0} {:10} {:20} {:14} {:11.1}",
            start.elapsed().as_secs_f64(),
            calls.load(Ordering::Relaxed),
            rows,
            pages,
            file as f64 / 1e6
        );
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.await;
    }
    tw.flush().await;
}
