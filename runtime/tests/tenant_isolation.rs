//! Isolation: thousands of concurrent calls over dozens of tenants, with faults injected;
//! every request the simulator received carries the right tenant's host and credential.

mod e2e;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::json;
use toolwire_sim::{FaultKind, FaultSpec, NewTenant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_over_many_tenants_never_cross() {
    let env = e2e::env().await;
    let tenants = 24;
    let mut owner_email = HashMap::new();
    for i in 0..tenants {
        let sub = format!("iso{i}");
        env.sim
            .create_tenant(NewTenant {
                subdomain: sub.clone(),
                seed_tickets: Some(3),
                rate_limit: Some(100_000),
                users: vec![],
            })
            .unwrap();
        let email = env.connect(&format!("ident_{i}"), &sub).await;
        owner_email.insert(sub, email);
    }
    let mut fault = FaultSpec::next(
        FaultKind::Status {
            status: 503,
            retry_after: Some(0),
        },
        0,
    );
    fault.count = None;
    fault.share = Some(0.2);
    env.sim.inject_fault(fault);
    env.sim.clear_request_log();

    let tw = Arc::new(env.tw.clone());
    let limit = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = Vec::new();
    for n in 0..2_000 {
        let tw = tw.clone();
        let permit = limit.clone().acquire_owned().await.unwrap();
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let ident = format!("ident_{}", n % tenants);
            let (tool, input) = if n % 2 == 0 {
                ("zendesk_groups_list", json!({}))
            } else {
                ("zendesk_tickets_list", json!({"per_page": 2}))
            };
            tw.execute_tool(&ident, tool, input)
                .await
                .map(|_| ())
                .map_err(|e| e.code())
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(code) => assert_eq!(code, "UPSTREAM_UNAVAILABLE"),
        }
    }
    assert!(ok > 1_900, "retries absorb most injected faults: {ok}/2000");
    let log = env.sim.request_log();
    assert!(
        log.len() >= 2_000,
        "every call reached the sim ({} requests)",
        log.len()
    );
    let mut checked = 0;
    for entry in &log {
        let tenant = entry.tenant.as_deref().expect("routed to a tenant");
        assert_eq!(entry.host, format!("{tenant}.zendesk.com"), "{entry:?}");
        if entry.status == 503 && entry.credential == "none" {
            continue; // an injected fault answered at the "edge", before the sim read credentials
        }
        let email = &owner_email[tenant];
        assert!(
            entry.credential.contains(email.as_str()),
            "{tenant} got credential {}",
            entry.credential
        );
        checked += 1;
    }
    assert!(
        checked >= 1_900,
        "credentials checked on {checked} requests"
    );
}
