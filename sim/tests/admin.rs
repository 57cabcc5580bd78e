//! Admin API and Rust helpers: tokens, allowlist, faults, request log, rate limits, bearer scopes.

mod common;

use common::*;
use serde_json::{Value, json};
use toolwire_sim::{FaultKind, FaultSpec};

#[tokio::test]
async fn admin_http_tenants_and_rotate() {
    let sim = start().await;
    let c = client(&sim);
    let v: Value = c
        .get(url(&sim, "acme", "/__sim/tenants"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["subdomain"], "acme");
    let agent = &arr[0]["agents"][1];
    assert_eq!(agent["role"], "agent");
    let email = agent["email"].as_str().unwrap().to_string();
    let old = agent["api_token"].as_str().unwrap().to_string();

    let r: Value = c
        .post(url(&sim, "acme", "/__sim/tenants/acme/tokens/rotate"))
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new = r["api_token"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    let me = |tok: String| {
        let c = c.clone();
        let u = url(&sim, "acme", "/api/v2/tickets.json");
        let h = basic(&email, &tok);
        async move {
            c.get(u)
                .header("authorization", h)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(me(old).await, 401);
    assert_eq!(me(new.clone()).await, 200);
    assert_eq!(sim.tenant("acme").unwrap().agent().unwrap().api_token, new);

    // Create a tenant over HTTP; its host works at once.
    let r = c.post(url(&sim, "acme", "/__sim/tenants")).json(&json!({"subdomain": "newco", "users": [{"name": "N Agent", "email": "n@newco.test", "role": "agent"}]})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    let a = t["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "n@newco.test")
        .unwrap()
        .clone();
    let r = c
        .get(url(&sim, "newco", "/api/v2/users/me.json"))
        .header(
            "authorization",
            basic("n@newco.test", a["api_token"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["user"]["email"],
        "n@newco.test"
    );

    // Deactivate.
    let r: Value = c
        .post(url(&sim, "acme", "/__sim/tenants/newco/tokens/deactivate"))
        .json(&json!({"email": "n@newco.test"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["deactivated"], 1);
    let r = c
        .get(url(&sim, "newco", "/api/v2/tickets.json"))
        .header(
            "authorization",
            basic("n@newco.test", a["api_token"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn ip_allowlist_blocks() {
    let sim = start().await;
    let c = client(&sim);
    sim.set_ip_allowlist("acme", &["10.0.0.0/8"]).unwrap();
    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Other tenants unaffected.
    let r = c
        .get(url(&sim, "globex", "/api/v2/users/me.json"))
        .header("authorization", agent_auth(&sim, "globex"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    sim.set_ip_allowlist("acme", &["127.0.0.1"]).unwrap();
    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn faults_next_n_filtered() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    sim.inject_fault(
        FaultSpec::next(
            FaultKind::Status {
                status: 503,
                retry_after: Some(7),
            },
            2,
        )
        .tenant("acme")
        .path_prefix("/api/v2/tickets"),
    );
    sim.inject_fault(FaultSpec::next(FaultKind::RateLimit { retry_after: 3 }, 1).tenant("globex"));
    let get = |sub: &'static str, p: &'static str| {
        let c = c.clone();
        let u = url(&sim, sub, p);
        let a = if sub == "acme" {
            auth.clone()
        } else {
            agent_auth(&sim, "globex")
        };
        async move { c.get(u).header("authorization", a).send().await.unwrap() }
    };
    // Path filter: users/me is not affected.
    assert_eq!(get("acme", "/api/v2/users/me.json").await.status(), 200);
    let r = get("acme", "/api/v2/tickets.json").await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "7");
    assert_eq!(get("acme", "/api/v2/tickets.json").await.status(), 503);
    assert_eq!(get("acme", "/api/v2/tickets.json").await.status(), 200);
    let r = get("globex", "/api/v2/tickets.json").await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(get("globex", "/api/v2/tickets.json").await.status(), 200);
    assert!(sim.faults().is_empty());

    // Dropped connection: the client sees an error, the next request works.
    sim.inject_fault(FaultSpec::next(FaultKind::Drop, 1));
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &auth)
        .send()
        .await;
    let failed = match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(failed, "dropped connection must surface as an error");
    assert_eq!(get("acme", "/api/v2/tickets.json").await.status(), 200);

    // Share: 0.0 never fires, 1.0 always.
    let mut never = FaultSpec::next(
        FaultKind::Status {
            status: 500,
            retry_after: None,
        },
        100,
    );
    never.share = Some(0.0);
    sim.inject_fault(never);
    assert_eq!(get("acme", "/api/v2/users/me.json").await.status(), 200);
    sim.clear_faults();

    // Latency (admin HTTP API).
    let r = c
        .post(url(&sim, "acme", "/__sim/faults"))
        .json(&json!({"kind": "latency", "ms": 300, "count": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let t0 = std::time::Instant::now();
    assert_eq!(get("acme", "/api/v2/users/me.json").await.status(), 200);
    assert!(t0.elapsed() >= std::time::Duration::from_millis(300));
}

#[tokio::test]
async fn drop_after_commits_the_write_then_loses_the_answer() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let before = sim.tenant("acme").unwrap().tickets;
    let r = c
        .post(url(&sim, "acme", "/__sim/faults"))
        .json(&json!({"kind": "drop_after", "count": 1, "method": "POST"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body = json!({"ticket": {"subject": "drop-after probe", "comment": {"body": "x"}}});
    let create = || {
        c.post(url(&sim, "acme", "/api/v2/tickets.json"))
            .header("authorization", &auth)
            .header("idempotency-key", "drop-after-1")
            .json(&body)
            .send()
    };
    let failed = match create().await {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(failed, "the answer must be lost");
    // The ticket was created anyway, and the log has the handler's status.
    assert_eq!(sim.tenant("acme").unwrap().tickets, before + 1);
    let last = sim.request_log().pop().unwrap();
    assert_eq!((last.method.as_str(), last.status), ("POST", 201));
    // A retry with the same key replays the first answer: still one ticket.
    let r = create().await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["x-idempotency-lookup"], "hit");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["ticket"]["subject"], "drop-after probe");
    assert_eq!(sim.tenant("acme").unwrap().tickets, before + 1);
    assert!(sim.faults().is_empty());
}

#[tokio::test]
async fn request_log_has_labels_not_secrets() {
    let sim = start().await;
    let c = client(&sim);
    let t = sim.tenant("acme").unwrap();
    let agent = t.agent().unwrap();
    sim.clear_request_log();
    c.get(url(&sim, "acme", "/api/v2/tickets.json?per_page=2"))
        .header("authorization", basic(&agent.email, &agent.api_token))
        .send()
        .await
        .unwrap();
    c.get(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", basic(&agent.email, "wrong-secret"))
        .send()
        .await
        .unwrap();
    let log = sim.request_log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/api/v2/tickets.json");
    assert_eq!(log[0].query.as_deref(), Some("per_page=2"));
    assert_eq!(log[0].host, "acme.zendesk.com");
    assert!(
        log[0]
            .credential
            .starts_with(&format!("token:{}#", agent.email)),
        "{}",
        log[0].credential
    );
    assert_eq!(log[1].status, 401);
    let dump = serde_json::to_string(&log).unwrap();
    assert!(!dump.contains(&agent.api_token));
    assert!(!dump.contains("wrong-secret"));
    let v: Value = c
        .get(url(&sim, "acme", "/__sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    c.delete(url(&sim, "acme", "/__sim/requests"))
        .send()
        .await
        .unwrap();
    assert!(sim.request_log().is_empty());
}

#[tokio::test]
async fn rate_limit_429_plain_text() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-rate-limit"], "700");
    let remaining: u32 = r.headers()["x-rate-limit-remaining"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(remaining < 700);
    // A zero budget makes the next request deterministic regardless of the minute boundary.
    sim.set_rate_limit("acme", 0).unwrap();
    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(r.headers()["x-rate-limit"], "0");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(
        r.text().await.unwrap(),
        "Number of allowed API requests per minute exceeded"
    );
    // globex has its own budget.
    let r = c
        .get(url(&sim, "globex", "/api/v2/users/me.json"))
        .header("authorization", agent_auth(&sim, "globex"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn bearer_scopes() {
    let sim = start().await;
    let c = client(&sim);
    let email = sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    let ro = sim.mint_bearer("acme", &email, &["read"], None).unwrap();
    let get = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .bearer_auth(&ro.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    let post = c
        .post(url(&sim, "acme", "/api/v2/tickets.json"))
        .bearer_auth(&ro.access_token)
        .json(&json!({"ticket": {"comment": {"body": "x"}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
    assert_eq!(
        post.json::<Value>().await.unwrap(),
        json!({"error": "Forbidden", "description": "You are missing the following required scopes: write"})
    );
    let tw = sim
        .mint_bearer("acme", &email, &["tickets:write"], None)
        .unwrap();
    let post = c
        .post(url(&sim, "acme", "/api/v2/tickets.json"))
        .bearer_auth(&tw.access_token)
        .json(&json!({"ticket": {"comment": {"body": "x"}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 201);
    sim.clear_request_log();
    sim.revoke_bearers("acme", &email).unwrap();
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .bearer_auth(&ro.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_token");
    let expired = sim
        .mint_bearer("acme", &email, &["read"], Some(-1))
        .unwrap();
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .bearer_auth(&expired.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let ok = sim
        .mint_bearer("acme", &email, &["read"], Some(600))
        .unwrap();
    c.get(url(&sim, "acme", "/api/v2/tickets.json"))
        .bearer_auth(&ok.access_token)
        .send()
        .await
        .unwrap();
    let last = sim.request_log().pop().unwrap();
    assert_eq!(last.credential, format!("bearer:{}", ok.token_id));
}
