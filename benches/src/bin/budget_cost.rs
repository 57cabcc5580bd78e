//! The cost of sharing per-tenant budgets through Redis (`--redis-url`) against in-process
//! budgets, side by side in one run: two runtimes on one store, one sim over HTTPS on loopback,
//! the same `zendesk_ticket_get` call; only the budget backend differs.
//!
//! - sequential: calls alternate local / Redis on one warm tenant; median latency, the extra
//!   µs per call and the ratio;
//! - concurrent: `--concurrency` in flight spread over `--tenants`, phases alternating local /
//!   Redis (`--phases` of `--phase-secs` each); median calls/s, process CPU per call, and
//!   redis-server's own CPU per call (from `INFO cpu`).
//!
//! `cargo run --release -p toolwire-benches --bin budget_cost -- [--redis redis://127.0.0.1:6379]
//! [--tenants 200] [--seq 3000] [--concurrency 64] [--phases 6] [--phase-secs 3]`

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use serde_json::json;
use toolwire_benches::{arg, connectors_dir, micros, process_cpu, summarize};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::{NewTenant, Sim};

/// redis-server's CPU time so far (user + system), from `INFO cpu`; `None` without redis-cli.
fn redis_cpu(url: &str) -> Option<Duration> {
    let out = std::process::Command::new("redis-cli")
        .args(["-u", url, "info", "cpu"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> Option<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))?
            .trim()
            .parse()
            .ok()
    };
    Some(Duration::from_secs_f64(
        field("used_cpu_user")? + field("used_cpu_sys")?,
    ))
}

async fn call(tw: &Toolwire, identifier: &str) {
    tw.execute_tool(identifier, "zendesk_ticket_get", json!({"ticket_id": 1}))
        .await
        .expect("call");
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let redis: String = arg("redis", "redis://127.0.0.1:6379".to_string());
    let tenants_n: usize = arg("tenants", 200);
    let seq: usize = arg("seq", 3000);
    let concurrency: usize = arg("concurrency", 64);
    let phases: usize = arg("phases", 6);
    let phase_secs: u64 = arg("phase-secs", 3);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at start: {}", load.trim());

    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(1)
        .rate_limit(100_000_000)
        .start()
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path().join("toolwire.db")).await.unwrap();
    let key: [u8; 32] = rand::random();
    let runtime = |shared: bool| {
        let (store, sim_ca) = (store.clone(), sim.ca_pem());
        let (addr, redis) = (sim.addr(), redis.clone());
        async move {
            let mut b = Toolwire::builder()
                .store(store)
                .master_key(MasterKey::from_bytes(&key).unwrap())
                .connector_file(connectors_dir().join("zendesk.yaml"))
                .extra_root_pem(sim_ca)
                .resolve_suffix("zendesk.com", addr);
            if shared {
                let prefix = format!("toolwire-bench:{}:", uuid::Uuid::new_v4().simple());
                b = b.redis_url(redis).redis_key_prefix(prefix);
            }
            b.build().await.expect("toolwire")
        }
    };
    let local = runtime(false).await;
    let shared = runtime(true).await;

    let mut identifiers = Vec::with_capacity(tenants_n);
    for i in 0..tenants_n {
        let sub = format!("b{i:04}");
        let info = sim
            .create_tenant(NewTenant {
                subdomain: sub.clone(),
                seed_tickets: Some(1),
                rate_limit: Some(100_000_000),
                users: vec![],
            })
            .expect("tenant");
        let admin = info.admin().expect("admin").clone();
        identifiers.push((sub, admin.email, admin.api_token));
    }
    let identifiers: Vec<String> = futures::stream::iter(identifiers)
        .map(|(sub, email, token)| {
            let tw = local.clone();
            async move {
                let identifier = format!("user_{sub}");
                tw.accounts()
                    .set_credentials(
                        "zendesk",
                        &identifier,
                        json!({ "subdomain": sub }).as_object().unwrap(),
                        None,
                        Credentials::from_fields([
                            ("email", email.as_str()),
                            ("api_token", token.as_str()),
                        ]),
                    )
                    .await
                    .expect("connect");
                identifier
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let identifiers = Arc::new(identifiers);
    let runtimes = [local, shared];
    let names = ["in-process", "Redis"];

    // ---- sequential, one warm tenant ----
    let t0 = identifiers[0].clone();
    for _ in 0..300 {
        for tw in &runtimes {
            call(tw, &t0).await;
        }
    }
    let mut samples = [Vec::with_capacity(seq), Vec::with_capacity(seq)];
    for i in 0..seq {
        for k in 0..2 {
            let which = (i + k) % 2;
            let start = Instant::now();
            call(&runtimes[which], &t0).await;
            samples[which].push(start.elapsed());
        }
    }
    let (sl, sr) = (summarize(&mut samples[0]), summarize(&mut samples[1]));
    println!("sequential in-process {sl}");
    println!("sequential Redis      {sr}");
    println!(
        "sequential median: Redis/in-process = {:.3}; Redis coordination adds {:+.1}µs per call",
        micros(sr.p50) / micros(sl.p50),
        micros(sr.p50) - micros(sl.p50)
    );

    // ---- concurrent, spread over the tenants ----
    for tw in &runtimes {
        futures::stream::iter(identifiers.iter().cloned())
            .map(|id| {
                let tw = tw.clone();
                async move { call(&tw, &id).await }
            })
            .buffer_unordered(concurrency)
            .collect::<Vec<_>>()
            .await;
    }
    let mut rates = [Vec::new(), Vec::new()];
    let mut cpu = [Vec::new(), Vec::new()];
    let mut redis_cpu_per_call = Vec::new();
    for p in 0..phases * 2 {
        let which = p % 2;
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (cpu0, redis0) = (process_cpu(), redis_cpu(&redis));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..concurrency {
            let (tw, ids) = (runtimes[which].clone(), identifiers.clone());
            let (done, stop) = (done.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut k = w;
                while !stop.load(Ordering::Relaxed) {
                    call(&tw, &ids[k % ids.len()]).await;
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
        let n = done.load(Ordering::Relaxed) as f64;
        rates[which].push(n / start.elapsed().as_secs_f64());
        cpu[which].push(micros(process_cpu() - cpu0) / n);
        if let (1, Some(r0), Some(r1)) = (which, redis0, redis_cpu(&redis)) {
            redis_cpu_per_call.push(micros(r1 - r0) / n);
        }
    }
    for which in 0..2 {
        println!(
            "concurrent {:<10} ({concurrency} in flight, {} tenants): {:.0} calls/s {:?}, process CPU {:.1}µs per call",
            names[which],
            identifiers.len(),
            median(&rates[which]),
            rates[which].iter().map(|r| r.round()).collect::<Vec<_>>(),
            median(&cpu[which])
        );
    }
    println!(
        "concurrent throughput Redis/in-process = {:.3}; process CPU {:+.1}µs per call; \
         redis-server CPU {} per call",
        median(&rates[1]) / median(&rates[0]),
        median(&cpu[1]) - median(&cpu[0]),
        if redis_cpu_per_call.is_empty() {
            "n/a (no redis-cli)".to_string()
        } else {
            format!("{:.1}µs", median(&redis_cpu_per_call))
        }
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at end: {}", load.trim());
}
