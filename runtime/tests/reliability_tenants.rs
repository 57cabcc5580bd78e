//! Reliability suite, noisy neighbour: one tenant failing 100% (HTTP 500 on every request) or
//! rate-limited (429 with `Retry-After` on every request) must not hurt the others: their error
//! rate stays 0 and their p99 latency within 1.2× of a baseline run in which the same tenant
//! behaves.
//!
//! Phases alternate (baseline, 500s, 429s; 5 rounds) so machine drift hits all of them. The
//! figure is the median over rounds of (p99 in the faulty phase / p99 in the same round's
//! baseline): a one-off spike from another process on this shared machine moves one round,
//! not the median. Good tenants run a fixed closed-loop load (2 workers each); the bad
//! tenant's 2 workers call in a loop for as long as the good ones run. If the median is above
//! 1.2× the whole comparison is measured once more before the test fails; every attempt is
//! printed. Error counts are never re-measured.

mod e2e;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use toolwire_runtime::Toolwire;
use toolwire_sim::{FaultKind, FaultSpec, NewTenant};

const GOOD_TENANTS: usize = 8;
const WORKERS_PER_TENANT: usize = 2;
const CALLS_PER_WORKER: usize = 25;
const ROUNDS: usize = 5;
const ATTEMPTS: usize = 2;
const BAD: &str = "noisy";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Baseline,
    Failing,
    RateLimited,
}

#[derive(Default)]
struct Outcome {
    good_latencies: Vec<Duration>,
    good_errors: usize,
    bad_ok: usize,
    bad_errors: Vec<&'static str>,
}

async fn phase(env: &e2e::Env, tw: &Arc<Toolwire>, phase: Phase) -> Outcome {
    env.sim.clear_faults();
    let kind = match phase {
        Phase::Baseline => None,
        Phase::Failing => Some(FaultKind::Status {
            status: 500,
            retry_after: None,
        }),
        Phase::RateLimited => Some(FaultKind::RateLimit { retry_after: 1 }),
    };
    if let Some(kind) = kind {
        let mut spec = FaultSpec::next(kind, 0).tenant(BAD);
        spec.count = None;
        env.sim.inject_fault(spec);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let mut bad = Vec::new();
    for _ in 0..WORKERS_PER_TENANT {
        let tw = tw.clone();
        let stop = stop.clone();
        bad.push(tokio::spawn(async move {
            let (mut ok, mut errors) = (0, Vec::new());
            while !stop.load(Ordering::Relaxed) {
                match tw
                    .execute_tool("ident_bad", "zendesk_groups_list", json!({}))
                    .await
                {
                    Ok(_) => ok += 1,
                    Err(e) => errors.push(e.code()),
                }
            }
            (ok, errors)
        }));
    }
    let mut good = Vec::new();
    for t in 0..GOOD_TENANTS {
        for _ in 0..WORKERS_PER_TENANT {
            let tw = tw.clone();
            good.push(tokio::spawn(async move {
                let ident = format!("ident_{t}");
                let mut lat = Vec::with_capacity(CALLS_PER_WORKER);
                let mut errors = 0;
                for _ in 0..CALLS_PER_WORKER {
                    let start = Instant::now();
                    let res = tw
                        .execute_tool(&ident, "zendesk_groups_list", json!({}))
                        .await;
                    lat.push(start.elapsed());
                    if let Err(e) = res {
                        eprintln!("good tenant {ident} failed: {e}");
                        errors += 1;
                    }
                }
                (lat, errors)
            }));
        }
    }
    let mut out = Outcome::default();
    for g in good {
        let (lat, errors) = g.await.unwrap();
        out.good_latencies.extend(lat);
        out.good_errors += errors;
    }
    stop.store(true, Ordering::Relaxed);
    for b in bad {
        let (ok, errors) = b.await.unwrap();
        out.bad_ok += ok;
        out.bad_errors.extend(errors);
    }
    env.sim.clear_faults();
    out
}

fn p99(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[(samples.len() * 99).div_ceil(100) - 1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_or_rate_limited_tenant_does_not_hurt_the_others() {
    let env = e2e::env().await;
    for t in 0..GOOD_TENANTS {
        let sub = format!("good{t}");
        env.sim
            .create_tenant(NewTenant {
                subdomain: sub.clone(),
                seed_tickets: Some(2),
                rate_limit: Some(1_000_000),
                users: vec![],
            })
            .unwrap();
        env.connect(&format!("ident_{t}"), &sub).await;
    }
    env.sim
        .create_tenant(NewTenant {
            subdomain: BAD.into(),
            seed_tickets: Some(2),
            rate_limit: Some(1_000_000),
            users: vec![],
        })
        .unwrap();
    env.connect("ident_bad", BAD).await;
    let tw = Arc::new(env.tw.clone());
    // Warm connections and caches.
    phase(&env, &tw, Phase::Baseline).await;

    let order = [Phase::Baseline, Phase::Failing, Phase::RateLimited];
    for attempt in 1..=ATTEMPTS {
        let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); order.len()];
        for round in 0..ROUNDS {
            let mut base_p99 = Duration::ZERO;
            for (i, p) in order.iter().enumerate() {
                if i == 0 && round + attempt > 1 {
                    // The previous phase ended rate limited with `Retry-After: 1`: toolwire holds
                    // that tenant's calls (fail fast, nothing sent) for exactly that second.
                    tokio::time::sleep(Duration::from_millis(1_100)).await;
                }
                let mut o = phase(&env, &tw, *p).await;
                let n = o.good_latencies.len();
                let q = p99(&mut o.good_latencies);
                if *p == Phase::Baseline {
                    base_p99 = q;
                }
                let ratio = q.as_secs_f64() / base_p99.as_secs_f64();
                ratios[i].push(ratio);
                eprintln!(
                    "[reliability] attempt {attempt} round {round} {p:?}: other tenants {n} \
                     calls, {} errors, p99 {q:?} ({ratio:.2}x baseline); bad tenant {} ok, {} \
                     errors {:?}",
                    o.good_errors,
                    o.bad_ok,
                    o.bad_errors.len(),
                    o.bad_errors
                        .iter()
                        .collect::<std::collections::BTreeSet<_>>()
                );
                // Deterministic parts: never re-measured.
                assert_eq!(o.good_errors, 0, "{p:?}: other tenants saw errors");
                match p {
                    Phase::Baseline => assert!(o.bad_errors.is_empty() && o.bad_ok > 0),
                    Phase::Failing => {
                        assert_eq!(o.bad_ok, 0);
                        assert!(!o.bad_errors.is_empty());
                        assert!(o.bad_errors.iter().all(|c| *c == "UPSTREAM_UNAVAILABLE"));
                    }
                    Phase::RateLimited => {
                        assert_eq!(o.bad_ok, 0);
                        assert!(!o.bad_errors.is_empty());
                        assert!(o.bad_errors.iter().all(|c| *c == "RATE_LIMITED"));
                    }
                }
            }
        }
        let mut within = true;
        for (i, p) in order.iter().enumerate().skip(1) {
            let r = &mut ratios[i];
            r.sort_by(f64::total_cmp);
            let median = r[r.len() / 2];
            eprintln!(
                "[reliability] attempt {attempt} {p:?}: other tenants' error rate 0, p99 median \
                 {median:.2}x baseline (rounds: {r:.2?})"
            );
            within &= median <= 1.2;
        }
        if within {
            return;
        }
    }
    panic!("other tenants' p99 exceeded 1.2x baseline in {ATTEMPTS} attempts (see above)");
}
