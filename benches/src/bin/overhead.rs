//! Overhead over the physical floor: `zendesk_ticket_get` through toolwire (dynamic
//! `execute_tool` and typed `execute::<zendesk::TicketGet>`) vs the same HTTPS request built by
//! hand with reqwest (same client configuration, warm connections, response parsed into
//! `serde_json::Value`), against the simulator on loopback, side by side in one run.
//!
//! - sequential: calls alternate floor / dynamic / typed on one tenant; median latency ratio
//!   (target ≤ 1.05);
//! - concurrent: 64 in-flight calls spread over 1,000 tenants, phases alternate floor /
//!   dynamic (`--phases` of `--phase-secs` each); throughput ratio (target ≥ 0.95);
//! - breakdown: the engine's per-call steps timed alone through public APIs (store lookup,
//!   credential decryption, input validation, routing) to explain the gap.
//!
//! `cargo run --release -p toolwire-benches --bin overhead -- [--tenants 1000] [--seq 3000]
//! [--concurrency 64] [--phases 6] [--phase-secs 3] [--audit full|failures|off]
//! [--cache-ttl-ms 1000]` (the last two vary the engine's settings to attribute the gap).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use serde_json::{Value, json};
use toolwire_benches::{arg, connectors_dir, micros, process_cpu, summarize};
use toolwire_runtime::connector::Route;
use toolwire_runtime::http::HttpOptions;
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::{NewTenant, Sim};

toolwire::connector!("../connectors/zendesk.yaml");

/// One tenant as both paths see it.
#[derive(Clone)]
struct Tenant {
    sub: String,
    identifier: String,
    email: String,
    token: String,
    ticket: i64,
}

/// The hand-built request: what a developer would write with reqwest.
async fn floor_call(client: &reqwest::Client, t: &Tenant) -> Value {
    let response = client
        .get(format!(
            "https://{}.zendesk.com/api/v2/tickets/{}.json",
            t.sub, t.ticket
        ))
        // What the tool sends: its `include` input defaults to every sideload.
        .query(&[("include", "users,groups,organizations")])
        .header(reqwest::header::ACCEPT, "application/json")
        .basic_auth(format!("{}/token", t.email), Some(&t.token))
        .send()
        .await
        .expect("floor request");
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().await.expect("floor body");
    serde_json::from_slice(&bytes).expect("floor json")
}

async fn dynamic_call(tw: &Toolwire, t: &Tenant) -> Value {
    tw.execute_tool(
        &t.identifier,
        "zendesk_ticket_get",
        json!({ "ticket_id": t.ticket }),
    )
    .await
    .expect("toolwire call")
    .data
}

async fn typed_call(tw: &Toolwire, t: &Tenant) -> i64 {
    tw.execute(
        &t.identifier,
        zendesk::TicketGet {
            ticket_id: t.ticket,
            ..Default::default()
        },
    )
    .await
    .expect("typed call")
    .data
    .ticket
    .id
}

#[tokio::main]
async fn main() {
    let tenants_n: usize = arg("tenants", 1000);
    let seq: usize = arg("seq", 3000);
    let concurrency: usize = arg("concurrency", 64);
    let phases: usize = arg("phases", 6);
    let phase_secs: u64 = arg("phase-secs", 3);
    let audit: String = arg("audit", "full".to_string());
    let audit: toolwire_runtime::AuditLog = audit.parse().expect("--audit");
    let cache_ttl_ms: u64 = arg("cache-ttl-ms", 1000);
    println!("settings: audit {audit:?}, account cache TTL {cache_ttl_ms} ms");

    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(5)
        .rate_limit(100_000_000)
        .start()
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path().join("toolwire.db")).await.unwrap();
    let tw = Toolwire::builder()
        .store(store.clone())
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .audit_log(audit)
        .account_cache_ttl(Duration::from_millis(cache_ttl_ms))
        .build()
        .await
        .expect("toolwire");
    // The floor uses the very client toolwire builds (same TLS, pool and resolver settings).
    let client = toolwire_runtime::http::client(&HttpOptions {
        extra_roots_pem: vec![sim.ca_pem()],
        resolve_suffixes: vec![("zendesk.com".into(), sim.addr())],
        connect_timeout: None,
    })
    .unwrap();

    let setup = Instant::now();
    let mut tenants = Vec::with_capacity(tenants_n);
    for i in 0..tenants_n {
        let sub = format!("t{i:04}");
        let info = sim
            .create_tenant(NewTenant {
                subdomain: sub.clone(),
                seed_tickets: Some(1),
                rate_limit: Some(100_000_000),
                users: vec![],
            })
            .expect("tenant");
        let admin = info.admin().expect("admin").clone();
        tenants.push(Tenant {
            identifier: format!("user_{sub}"),
            sub,
            email: admin.email,
            token: admin.api_token,
            ticket: 0,
        });
    }
    let tenants: Vec<Tenant> = futures::stream::iter(tenants)
        .map(|mut t| {
            let (tw, client) = (tw.clone(), client.clone());
            async move {
                let list: Value = client
                    .get(format!(
                        "https://{}.zendesk.com/api/v2/tickets.json?per_page=1",
                        t.sub
                    ))
                    .basic_auth(format!("{}/token", t.email), Some(&t.token))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                t.ticket = list["tickets"][0]["id"].as_i64().expect("a ticket");
                tw.accounts()
                    .set_credentials(
                        "zendesk",
                        &t.identifier,
                        json!({ "subdomain": t.sub }).as_object().unwrap(),
                        None,
                        Credentials::from_fields([
                            ("email", t.email.as_str()),
                            ("api_token", t.token.as_str()),
                        ]),
                    )
                    .await
                    .expect("connect");
                t
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let tenants = Arc::new(tenants);
    println!(
        "setup: {} tenants connected in {:.1}s",
        tenants.len(),
        setup.elapsed().as_secs_f64()
    );

    // Same answer from every path.
    let t0 = &tenants[0];
    let floor = floor_call(&client, t0).await;
    let dynamic = dynamic_call(&tw, t0).await;
    assert_eq!(floor["ticket"]["id"], dynamic["ticket"]["id"]);
    assert_eq!(typed_call(&tw, t0).await, t0.ticket);

    // ---- sequential, one tenant, warm connection ----
    for _ in 0..300 {
        floor_call(&client, t0).await;
        dynamic_call(&tw, t0).await;
        typed_call(&tw, t0).await;
    }
    let (mut f, mut d, mut ty) = (vec![], vec![], vec![]);
    let cpu0 = process_cpu();
    for i in 0..seq {
        // Rotate the order so no path always runs right after another.
        for k in 0..3 {
            let start = Instant::now();
            match (i + k) % 3 {
                0 => {
                    floor_call(&client, t0).await;
                    f.push(start.elapsed());
                }
                1 => {
                    dynamic_call(&tw, t0).await;
                    d.push(start.elapsed());
                }
                _ => {
                    typed_call(&tw, t0).await;
                    ty.push(start.elapsed());
                }
            }
        }
    }
    let cpu_seq = process_cpu() - cpu0;
    let (fs, ds, ts) = (summarize(&mut f), summarize(&mut d), summarize(&mut ty));
    println!("sequential floor   {fs}");
    println!("sequential dynamic {ds}");
    println!("sequential typed   {ts}");
    println!(
        "sequential median ratio: dynamic/floor = {:.3}, typed/floor = {:.3} (target <= 1.05); \
         extra per call: dynamic {:+.1}µs, typed {:+.1}µs; process CPU {:.1}µs per call (all paths)",
        micros(ds.p50) / micros(fs.p50),
        micros(ts.p50) / micros(fs.p50),
        micros(ds.p50) - micros(fs.p50),
        micros(ts.p50) - micros(fs.p50),
        micros(cpu_seq) / (3 * seq) as f64
    );

    // ---- concurrent, 1,000 tenants ----
    let warm = Instant::now();
    futures::stream::iter(tenants.iter().cloned())
        .map(|t| {
            let (tw, client) = (tw.clone(), client.clone());
            async move {
                floor_call(&client, &t).await;
                dynamic_call(&tw, &t).await;
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await;
    println!(
        "concurrent warm-up over all tenants: {:.1}s",
        warm.elapsed().as_secs_f64()
    );
    let mut rates = [Vec::new(), Vec::new()];
    let mut cpu_per_call = [Vec::new(), Vec::new()];
    for p in 0..phases * 2 {
        let which = p % 2; // 0 floor, 1 dynamic
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let cpu0 = process_cpu();
        let start = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..concurrency {
            let (tw, client, tenants) = (tw.clone(), client.clone(), tenants.clone());
            let (done, stop) = (done.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut k = w;
                while !stop.load(Ordering::Relaxed) {
                    let t = &tenants[k % tenants.len()];
                    if which == 0 {
                        floor_call(&client, t).await;
                    } else {
                        dynamic_call(&tw, t).await;
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                    k += concurrency;
                }
            }));
        }
        tokio::time::sleep(Duration::from_secs(phase_secs)).await;
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.await.unwrap();
        }
        let elapsed = start.elapsed().as_secs_f64();
        let n = done.load(Ordering::Relaxed);
        rates[which].push(n as f64 / elapsed);
        cpu_per_call[which].push(micros(process_cpu() - cpu0) / n as f64);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (rf, rd) = (median(&mut rates[0].clone()), median(&mut rates[1].clone()));
    println!(
        "concurrent ({concurrency} in flight, {} tenants): floor {:.0} calls/s {:?}, dynamic {:.0} \
         calls/s {:?}",
        tenants.len(),
        rf,
        rates[0].iter().map(|r| r.round()).collect::<Vec<_>>(),
        rd,
        rates[1].iter().map(|r| r.round()).collect::<Vec<_>>()
    );
    println!(
        "concurrent throughput ratio dynamic/floor = {:.3} (target >= 0.95); process CPU per \
         call (client + in-process sim): floor {:.1}µs, dynamic {:.1}µs",
        rd / rf,
        median(&mut cpu_per_call[0]),
        median(&mut cpu_per_call[1])
    );

    // ---- breakdown: the engine's steps alone ----
    let connector = tw.connector("zendesk").unwrap();
    let (_, compiled) = connector.tool("zendesk_ticket_get").unwrap();
    let route = Route::new(&connector.spec.base_url).unwrap();
    let account = store
        .get_account("zendesk", &t0.identifier)
        .await
        .unwrap()
        .unwrap();
    let n = 5000;
    let time = |label: &str, mut samples: Vec<Duration>| {
        println!("step {label:<32} {}", summarize(&mut samples));
    };
    let mut s = Vec::with_capacity(n);
    for i in 0..n {
        let t = &tenants[i % tenants.len()];
        let start = Instant::now();
        let a = store.get_account("zendesk", &t.identifier).await.unwrap();
        s.push(start.elapsed());
        assert!(a.is_some());
    }
    time("store.get_account (SQLite)", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let c = tw.vault().unseal_account(&account).unwrap();
        s.push(start.elapsed());
        assert!(c.is_some());
    }
    time("vault.unseal_account", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let input = json!({ "ticket_id": t0.ticket });
        let start = Instant::now();
        let v = compiled.prepare_input("zendesk_ticket_get", input).unwrap();
        s.push(start.elapsed());
        assert!(v.is_object());
    }
    time("input validation (JSON Schema)", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let b = route.base_url(&account.config).unwrap();
        s.push(start.elapsed());
        assert!(b.starts_with("https://"));
    }
    time("route.base_url", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let fp = toolwire::fingerprint(zendesk::SPEC_SOURCE);
        s.push(start.elapsed());
        assert_eq!(fp, connector.fingerprint);
    }
    time("typed: spec fingerprint (per call)", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let t = toolwire_spec::template::Template::parse("{{credentials.email}}/token").unwrap();
        s.push(start.elapsed());
        drop(t);
    }
    time("auth template parse (per call)", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let v = floor["ticket"].clone();
        s.push(start.elapsed());
        assert!(v.is_object());
    }
    time("response select (ticket clone)", s);
    // The usage ledger's write: one audit row per call, batched per transaction.
    for batch in [1usize, 32, 512] {
        let mut s = Vec::new();
        let rounds = (4000 / batch).max(20);
        let cpu0 = process_cpu();
        for _ in 0..rounds {
            let records: Vec<_> = (0..batch)
                .map(|_| toolwire_runtime::store::ExecutionRecord {
                    execution_id: uuid::Uuid::now_v7(),
                    account_id: Some(account.id),
                    connection: "zendesk".into(),
                    identifier: t0.identifier.clone(),
                    tool: "zendesk_ticket_get".into(),
                    outcome: "ok".into(),
                    error_code: None,
                    http_status: None,
                    latency_ms: 0,
                    at: chrono::Utc::now(),
                })
                .collect();
            let touches = [(account.id, chrono::Utc::now())];
            let start = Instant::now();
            store.record_usage(&records, &touches).await.unwrap();
            s.push(start.elapsed());
        }
        let cpu = micros(process_cpu() - cpu0) / (rounds * batch) as f64;
        let sum = summarize(&mut s);
        println!(
            "step ledger record_usage batch={batch:<4}    {sum} => {:.1}µs wall, {cpu:.1}µs CPU \
             per audit row",
            micros(sum.p50) / batch as f64
        );
    }
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let _ = floor_call(&client, t0).await;
        s.push(start.elapsed());
    }
    time("floor request (for scale)", s);
    let mut s = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let _ = dynamic_call(&tw, t0).await;
        s.push(start.elapsed());
    }
    time("toolwire call (for scale)", s);
}
