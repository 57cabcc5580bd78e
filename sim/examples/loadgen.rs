//! Throughput driver: starts the sim in-process (plain HTTP, rate limit off) and measures
//! simple GETs and ticket creates per second over loopback at 1 and 64 connections.
//!
//! `cargo run --release -p toolwire-sim --example loadgen -- [seconds]`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;

#[derive(Clone, Copy)]
enum Op {
    Get,
    Create,
}

async fn run(base: &str, auth: &str, op: Op, conns: usize, secs: u64) -> (f64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .http1_only()
            .build()
            .expect("client");
        let (ok, errors, base, auth) = (
            ok.clone(),
            errors.clone(),
            base.to_string(),
            auth.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({"ticket": {"subject": "load", "comment": {"body": "load test", "public": true}, "priority": "normal"}});
            while Instant::now() < deadline {
                let r = match op {
                    Op::Get => client.get(format!("{base}/api/v2/tickets/1.json")).header("authorization", &auth).send().await,
                    Op::Create => client.post(format!("{base}/api/v2/tickets.json")).header("authorization", &auth).json(&body).send().await,
                };
                match r {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        let _ = t.await;
    }
    let n = ok.load(Ordering::Relaxed);
    (
        n as f64 / start.elapsed().as_secs_f64(),
        errors.load(Ordering::Relaxed),
    )
}

#[tokio::main]
async fn main() -> Result<(), toolwire_sim::SimError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let secs: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let sim = toolwire_sim::Sim::builder()
        .http(true)
        .rate_limit(u32::MAX)
        .start()
        .await?;
    let acme = sim.tenant("acme")?;
    let a = acme.agent().expect("agent");
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}/token:{}", a.email, a.api_token))
    );
    let base = sim.base_url();
    println!("| operation | connections | requests/s | errors |");
    println!("| --- | --- | --- | --- |");
    for (name, op) in [
        ("GET /api/v2/tickets/1.json", Op::Get),
        ("POST /api/v2/tickets.json", Op::Create),
    ] {
        for conns in [1, 64] {
            let (rps, errs) = run(&base, &auth, op, conns, secs).await;
            println!("| {name} | {conns} | {rps:.0} | {errs} |");
        }
    }
    sim.shutdown().await;
    Ok(())
}
