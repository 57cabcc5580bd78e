//! Core API behaviour over HTTPS: tenants by Host, auth, tickets, users, views, pagination.

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn https_tenants_and_auth() {
    let sim = start().await;
    let c = client(&sim);
    assert!(sim.ca_pem().contains("BEGIN CERTIFICATE"));

    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for h in [
        "x-rate-limit",
        "x-rate-limit-remaining",
        "rate-limit",
        "rate-limit-remaining",
        "rate-limit-reset",
    ] {
        assert!(r.headers().contains_key(h), "missing {h}");
    }
    let me: Value = r.json().await.unwrap();
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    assert_eq!(me["user"]["id"], json!(agent.user_id));
    assert_eq!(me["user"]["role"], "agent");

    // Without .json too.
    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me"))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Wrong token → 401 with the exact body.
    let r = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", basic(&agent.email, "nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(
        r.text().await.unwrap(),
        r#"{"error":"Couldn't authenticate you"}"#
    );

    // Missing credentials / bad password → anonymous 200 on /users/me, 401 elsewhere.
    let r: Value = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(r["user"]["id"].is_null());
    let pw = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{}:hunter2", agent.email)
        )
    );
    let r: Value = c
        .get(url(&sim, "acme", "/api/v2/users/me.json"))
        .header("authorization", &pw)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(r["user"]["id"].is_null());
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // acme credentials do not work on globex.
    let r = c
        .get(url(&sim, "globex", "/api/v2/tickets.json"))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .get(url(&sim, "globex", "/api/v2/tickets.json"))
        .header("authorization", agent_auth(&sim, "globex"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["tickets"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://globex.zendesk.com/api/v2/tickets/")
    );

    // Unknown subdomain → 404.
    let r = c
        .get(url(&sim, "nope", "/api/v2/users/me.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Unknown endpoint → InvalidEndpoint.
    let r = c
        .get(url(&sim, "acme", "/api/v2/nothing_here.json"))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "InvalidEndpoint");
}

#[tokio::test]
async fn default_tenant_for_ip_hosts_over_http() {
    let sim = start_http().await;
    let c = client(&sim);
    let r = c
        .get(format!("{}/api/v2/users/me.json", sim.base_url()))
        .header("authorization", agent_auth(&sim, "acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    // url fields use the canonical host even when called via 127.0.0.1
    assert!(
        v["user"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://acme.zendesk.com/")
    );
}

#[tokio::test]
async fn deterministic_tokens_per_seed() {
    let a = start_http().await;
    let b = start_http().await;
    let c = toolwire_sim::Sim::builder()
        .http(true)
        .seed(7)
        .start()
        .await
        .unwrap();
    assert_eq!(a.tenants(), b.tenants());
    assert_ne!(
        a.tenant("acme").unwrap().agents[0].api_token,
        c.tenant("acme").unwrap().agents[0].api_token
    );
    let acme = a.tenant("acme").unwrap();
    assert!(acme.agents.iter().any(|x| x.role == "admin"));
    assert!(acme.tickets >= 50);
}

#[tokio::test]
async fn ticket_lifecycle() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let body = json!({"ticket": {"subject": "Printer on fire", "comment": {"body": "It smokes", "public": true},
        "priority": "urgent", "requester": {"name": "Pat Doe", "email": "pat@customer.test"},
        "assignee_email": agent.email, "tags": ["printer", "Fire"], "bogus_key": 1}});
    let r = c
        .post(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &auth)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(r.headers().contains_key("x-zendesk-api-warn"));
    let v: Value = r.json().await.unwrap();
    let id = v["ticket"]["id"].as_u64().unwrap();
    assert_eq!(
        loc,
        format!("https://acme.zendesk.com/api/v2/tickets/{id}.json")
    );
    assert_eq!(v["ticket"]["status"], "open");
    assert_eq!(v["ticket"]["assignee_id"], json!(agent.user_id));
    assert_eq!(v["ticket"]["tags"], json!(["printer", "fire"]));
    assert_eq!(v["ticket"]["description"], "It smokes");
    assert_eq!(v["audit"]["events"][0]["type"], "Comment");

    // Show with sideloads.
    let v: Value = c
        .get(url(
            &sim,
            "acme",
            &format!("/api/v2/tickets/{id}.json?include=users,groups,organizations"),
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let users = v["users"].as_array().unwrap();
    assert!(users.iter().any(|u| u["email"] == "pat@customer.test"));
    assert!(v["groups"].is_array() && v["organizations"].is_array());

    // Update: PATCH semantics, tags replace.
    let r = c.put(url(&sim, "acme", &format!("/api/v2/tickets/{id}"))).header("authorization", &auth)
        .json(&json!({"ticket": {"tags": ["replaced"], "comment": {"body": "internal note", "public": false}}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["ticket"]["tags"], json!(["replaced"]));
    assert_eq!(v["ticket"]["subject"], "Printer on fire");
    assert_eq!(v["ticket"]["priority"], "urgent");
    let r = c
        .put(url(&sim, "acme", &format!("/api/v2/tickets/{id}.json")))
        .header("authorization", &auth)
        .json(&json!({"ticket": {"comment": {"body": "public reply", "public": true}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Comments: oldest first, public flags, include=users.
    let v: Value = c
        .get(url(
            &sim,
            "acme",
            &format!("/api/v2/tickets/{id}/comments.json?include=users"),
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> = v["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, vec!["It smokes", "internal note", "public reply"]);
    assert_eq!(v["comments"][1]["public"], false);
    assert!(!v["users"].as_array().unwrap().is_empty());
    let v: Value = c
        .get(url(
            &sim,
            "acme",
            &format!("/api/v2/tickets/{id}/comments.json?sort_order=desc"),
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["comments"][0]["body"], "public reply");

    // Tags endpoints and safe_update.
    let tags_url = url(&sim, "acme", &format!("/api/v2/tickets/{id}/tags.json"));
    let r = c
        .put(&tags_url)
        .header("authorization", &auth)
        .json(&json!({"tags": ["added"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["tags"],
        json!(["replaced", "added"])
    );
    let r = c
        .put(&tags_url)
        .header("authorization", &auth)
        .json(&json!({"tags": ["x"], "safe_update": true, "updated_stamp": "2001-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let cur: Value = c
        .get(url(&sim, "acme", &format!("/api/v2/tickets/{id}.json")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stamp = cur["ticket"]["updated_at"].as_str().unwrap().to_string();
    let r = c
        .delete(&tags_url)
        .header("authorization", &auth)
        .json(&json!({"tags": ["added"], "safe_update": true, "updated_stamp": stamp}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = c
        .post(&tags_url)
        .header("authorization", &auth)
        .json(&json!({"tags": ["only"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = c
        .get(&tags_url)
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["tags"], json!(["only"]));

    // Closed tickets refuse updates.
    c.put(url(&sim, "acme", &format!("/api/v2/tickets/{id}.json")))
        .header("authorization", &auth)
        .json(&json!({"ticket": {"status": "closed"}}))
        .send()
        .await
        .unwrap();
    let r = c
        .put(url(&sim, "acme", &format!("/api/v2/tickets/{id}.json")))
        .header("authorization", &auth)
        .json(&json!({"ticket": {"subject": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.json::<Value>().await.unwrap()["details"]["status"].is_array());

    // Missing ticket → RecordNotFound.
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets/999999.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"error": "RecordNotFound", "description": "Not found"})
    );
}

#[tokio::test]
async fn idempotency_key_replays() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let body = json!({"ticket": {"subject": "Once", "comment": {"body": "only once"}}});
    let send = |b: Value| {
        c.post(url(&sim, "acme", "/api/v2/tickets.json"))
            .header("authorization", &auth)
            .header("idempotency-key", "k-1")
            .json(&b)
            .send()
    };
    let r1 = send(body.clone()).await.unwrap();
    assert_eq!(r1.status(), 201);
    assert_eq!(r1.headers()["x-idempotency-lookup"], "miss");
    let id1 = r1.json::<Value>().await.unwrap()["ticket"]["id"].clone();
    let r2 = send(body.clone()).await.unwrap();
    assert_eq!(r2.status(), 201);
    assert_eq!(r2.headers()["x-idempotency-lookup"], "hit");
    assert_eq!(r2.json::<Value>().await.unwrap()["ticket"]["id"], id1);
    let r3 = send(json!({"ticket": {"subject": "Different", "comment": {"body": "x"}}}))
        .await
        .unwrap();
    assert_eq!(r3.status(), 400);
}

#[tokio::test]
async fn validation_errors() {
    let sim = start().await;
    let c = client(&sim);
    let auth = admin_auth(&sim, "acme");
    let r = c
        .post(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &auth)
        .json(&json!({"ticket": {"subject": "no body"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "RecordInvalid");
    let r = c
        .post(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &auth)
        .json(&json!({"ticket": {"comment": {"body": "b"}, "priority": "meh"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = c
        .post(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &auth)
        .json(&json!({"nothing": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn users_roles_and_duplicates() {
    let sim = start().await;
    let c = client(&sim);
    let auth = admin_auth(&sim, "acme");
    let r = c
        .post(url(&sim, "acme", "/api/v2/users.json"))
        .header("authorization", &auth)
        .json(&json!({"user": {"name": "New Person", "email": "new@person.test"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["user"]["role"], "end-user");
    let id = v["user"]["id"].as_u64().unwrap();
    let r = c
        .post(url(&sim, "acme", "/api/v2/users.json"))
        .header("authorization", &auth)
        .json(&json!({"user": {"name": "Dup", "email": "NEW@person.test"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["details"]["email"][0]["error"], "DuplicateValue");
    let v: Value = c
        .get(url(&sim, "acme", &format!("/api/v2/users/{id}.json")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["user"]["name"], "New Person");

    let v: Value = c
        .get(url(&sim, "acme", "/api/v2/users.json?role=agent"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        v["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["role"] == "agent")
    );
    assert_eq!(v["count"], 3);
    let v: Value = c
        .get(url(
            &sim,
            "acme",
            "/api/v2/users.json?role[]=agent&role[]=admin",
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["count"], 4);

    // End-users: no ticket list, no user list; own ticket only.
    let eu = end_user_auth(&sim, "acme");
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &eu)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["title"],
        "Forbidden"
    );
    let r = c
        .get(url(&sim, "acme", "/api/v2/users.json"))
        .header("authorization", &eu)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn orgs_groups_views() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let v: Value = c
        .get(url(&sim, "acme", "/api/v2/organizations.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let oid = v["organizations"][0]["id"].as_u64().unwrap();
    assert_eq!(v["count"], 4);
    let r = c
        .get(url(&sim, "acme", &format!("/api/v2/organizations/{oid}")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = c
        .get(url(&sim, "acme", "/api/v2/groups.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["groups"].as_array().unwrap().len(), 3);

    let views = |q: &'static str| {
        let c = c.clone();
        let u = url(&sim, "acme", &format!("/api/v2/views.json{q}"));
        let auth = auth.clone();
        async move {
            c.get(u)
                .header("authorization", auth)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let all = views("").await;
    let personal = views("?access=personal").await;
    let account = views("?access=account").await;
    let inactive = views("?active=false").await;
    let alpha = views("?sort_by=alphabetical&sort_order=asc").await;
    assert!(
        personal["views"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["restriction"]["type"] == "User")
    );
    assert_eq!(personal["views"].as_array().unwrap().len(), 1);
    assert!(
        account["views"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["restriction"].is_null())
    );
    assert!(
        inactive["views"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["active"] == false)
    );
    let titles: Vec<String> = alpha["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["title"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    assert!(all["count"].as_u64().unwrap() >= 5);
    let active: Value = c
        .get(url(&sim, "acme", "/api/v2/views/active.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        active["views"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["active"] == true)
    );
    let first = &active["views"][0];
    let vt: Value = c
        .get(url(
            &sim,
            "acme",
            &format!("/api/v2/views/{}/tickets.json", first["id"]),
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(vt["tickets"].is_array());
}

#[tokio::test]
async fn pagination_offset_and_cursor() {
    let sim = start().await;
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let get = |p: String| {
        let c = c.clone();
        let auth = auth.clone();
        let u = url(&sim, "acme", &p);
        async move { c.get(u).header("authorization", auth).send().await.unwrap() }
    };
    let r = get("/api/v2/tickets.json?per_page=20".into()).await;
    assert!(r.headers().contains_key("ratelimit-limit"));
    assert!(r.headers().contains_key("zendesk-ratelimit-tickets-index"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["tickets"].as_array().unwrap().len(), 20);
    assert_eq!(v["count"], 50);
    assert_eq!(
        v["next_page"],
        "https://acme.zendesk.com/api/v2/tickets.json?page=2&per_page=20"
    );
    assert!(v["previous_page"].is_null());
    let v: Value = get("/api/v2/tickets.json?per_page=20&page=3".into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["tickets"].as_array().unwrap().len(), 10);
    assert!(v["next_page"].is_null());

    // Depth limit.
    let r = get("/api/v2/tickets.json?page=1001&per_page=10".into()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["code"],
        "InvalidPaginationDepth"
    );

    // Cursor: walk all pages, no duplicates, no count.
    let mut seen = Vec::new();
    let mut next = "/api/v2/tickets.json?page[size]=15".to_string();
    loop {
        let v: Value = get(next.clone()).await.json().await.unwrap();
        assert!(v.get("count").is_none());
        seen.extend(
            v["tickets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_u64().unwrap()),
        );
        if v["meta"]["has_more"] != true {
            break;
        }
        let link = v["links"]["next"].as_str().unwrap();
        assert!(link.starts_with("https://acme.zendesk.com/api/v2/tickets.json?"));
        next = link
            .trim_start_matches("https://acme.zendesk.com")
            .to_string();
    }
    let mut dedup = seen.clone();
    dedup.dedup();
    assert_eq!(seen.len(), 50);
    assert_eq!(dedup.len(), 50);
    // Cursor sort rules.
    let v: Value = get("/api/v2/tickets.json?page[size]=5&sort=-id".into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["tickets"][0]["id"], 50);
    let r = get("/api/v2/tickets.json?page[size]=5&sort=subject".into()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["code"],
        "InvalidPaginationParameter"
    );
}

#[tokio::test]
async fn local_links_only_when_asked() {
    let sim = toolwire_sim::Sim::builder()
        .http(true)
        .local_links(true)
        .start()
        .await
        .unwrap();
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let v: Value = c
        .get(format!(
            "{}/api/v2/tickets.json?per_page=10",
            sim.base_url()
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["next_page"],
        format!("{}/api/v2/tickets.json?page=2&per_page=10", sim.base_url())
    );
    assert!(
        v["tickets"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://acme.zendesk.com/")
    );
    // A zendesk.com Host still gets canonical links.
    let v: Value = c
        .get(url(&sim, "acme", "/api/v2/tickets.json?per_page=10"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        v["next_page"]
            .as_str()
            .unwrap()
            .starts_with("https://acme.zendesk.com/")
    );
}
