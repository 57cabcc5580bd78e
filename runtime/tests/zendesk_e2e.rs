//! All 14 Zendesk tools through the runtime against the simulator, for two tenants at once,
//! plus the account lifecycle (rotation → REVOKED → re-credential → ACTIVE, IP allowlist →
//! RESTRICTED) and safe retries.

mod e2e;

use serde_json::{Value, json};
use toolwire_runtime::AccountStatus;
use toolwire_runtime::error::{ErrorKind, UpstreamErrorCode};
use toolwire_sim::{FaultKind, FaultSpec};

#[tokio::test]
async fn all_fourteen_tools_work_for_two_tenants() {
    let env = e2e::env().await;
    env.connect("cust_acme", "acme").await;
    env.connect("cust_globex", "globex").await;
    for (ident, sub) in [("cust_acme", "acme"), ("cust_globex", "globex")] {
        let tw = &env.tw;
        let created = tw
            .execute_tool(ident, "zendesk_ticket_create", json!({
                "comment_body": "Printer on fire", "subject": format!("Fire at {sub}"), "priority": "urgent",
                "tags": ["hardware", "fire"], "requester": {"name": "Pat", "email": format!("pat@{sub}.example")}
            }))
            .await
            .unwrap();
        let id = created.data["id"].as_u64().expect("ticket id");
        assert_eq!(created.data["priority"], "urgent");
        let got = tw
            .execute_tool(
                ident,
                "zendesk_ticket_get",
                json!({"ticket_id": id, "include": ["users"]}),
            )
            .await
            .unwrap();
        assert_eq!(got.data["ticket"]["subject"], format!("Fire at {sub}"));
        assert_eq!(
            got.data["ticket"]["requester"], "Pat",
            "the sideloaded requester resolved to its name"
        );

        let updated = tw
            .execute_tool(
                ident,
                "zendesk_ticket_update",
                json!({"ticket_id": id, "status": "open", "add_tags": ["sla_watch"]}),
            )
            .await
            .unwrap();
        assert_eq!(updated.data["status"], "open");
        let tags: Vec<&str> = updated.data["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for t in ["hardware", "fire", "sla_watch"] {
            assert!(tags.contains(&t), "tag {t} kept/added: {tags:?}");
        }
        let only_remove = tw
            .execute_tool(
                ident,
                "zendesk_ticket_update",
                json!({"ticket_id": id, "remove_tags": ["fire"]}),
            )
            .await
            .unwrap();
        let tags: Vec<&str> = only_remove.data["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            !tags.contains(&"fire") && tags.contains(&"hardware") && tags.contains(&"sla_watch"),
            "{tags:?}"
        );

        tw.execute_tool(
            ident,
            "zendesk_ticket_reply",
            json!({"ticket_id": id, "body": "Internal: SLA at risk", "public": false}),
        )
        .await
        .unwrap();
        tw.execute_tool(
            ident,
            "zendesk_ticket_reply",
            json!({"ticket_id": id, "body": "We are on it"}),
        )
        .await
        .unwrap();
        let comments = tw
            .execute_tool(
                ident,
                "zendesk_ticket_comments_list",
                json!({"ticket_id": id}),
            )
            .await
            .unwrap();
        let list = comments.data["comments"].as_array().unwrap();
        assert_eq!(list.len(), 3, "description + note + reply");
        assert_eq!(list[1]["public"], false, "internal note");
        assert_eq!(list[2]["public"], true, "public reply (default)");

        let page = tw
            .execute_tool(ident, "zendesk_tickets_list", json!({"per_page": 5}))
            .await
            .unwrap();
        assert_eq!(page.data["tickets"].as_array().unwrap().len(), 5);
        assert_eq!(page.next_cursor.as_deref(), Some("2"));
        let search = tw
            .execute_tool(
                ident,
                "zendesk_search_tickets",
                json!({"query": "\"Printer on fire\""}),
            )
            .await
            .unwrap();
        assert!(
            search.data["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == id)
        );

        let user = tw.execute_tool(ident, "zendesk_user_create", json!({"name": "New Person", "email": format!("new@{sub}.example"), "role": "end-user"})).await.unwrap();
        let uid = user.data["id"].as_u64().unwrap();
        let fetched = tw
            .execute_tool(ident, "zendesk_user_get", json!({"user_id": uid}))
            .await
            .unwrap();
        assert_eq!(fetched.data["user"]["email"], format!("new@{sub}.example"));
        let agents = tw
            .execute_tool(ident, "zendesk_users_list", json!({"role": "agent"}))
            .await
            .unwrap();
        assert!(
            agents.data["users"]
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["role"] == "agent")
        );

        let orgs = tw
            .execute_tool(ident, "zendesk_organizations_list", json!({}))
            .await
            .unwrap();
        let org_id = orgs.data["organizations"][0]["id"].as_u64().unwrap();
        let org = tw
            .execute_tool(
                ident,
                "zendesk_organization_get",
                json!({"organization_id": org_id}),
            )
            .await
            .unwrap();
        assert_eq!(org.data["id"], org_id);
        let groups = tw
            .execute_tool(ident, "zendesk_groups_list", json!({}))
            .await
            .unwrap();
        assert!(!groups.data["groups"].as_array().unwrap().is_empty());
        let views = tw
            .execute_tool(ident, "zendesk_views_list", json!({"active": true}))
            .await
            .unwrap();
        assert!(
            views.data["views"]
                .as_array()
                .unwrap()
                .iter()
                .all(|v| v["active"] == true)
        );
    }
    // Every request reached the right tenant with that tenant's credential.
    for entry in env.sim.request_log() {
        if let Some(t) = &entry.tenant {
            assert_eq!(entry.host.split('.').next(), Some(t.as_str()));
            assert!(!entry.credential.contains("rejected"), "{entry:?}");
        }
    }
}

#[tokio::test]
async fn bad_input_names_every_field_and_sends_nothing() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim.clear_request_log();
    let err = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_create",
            json!({"priority": "meh", "tags": "x", "bogus": 1}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    let text = err.to_string();
    for needle in ["priority", "tags", "bogus", "comment_body"] {
        assert!(text.contains(needle), "{needle} named in: {text}");
    }
    assert!(env.sim.request_log().is_empty(), "no request was sent");
    let unknown = env
        .tw
        .execute_tool("c1", "zendesk_nope", json!({}))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), "UNKNOWN_TOOL");
}

#[tokio::test]
async fn rotated_token_revokes_then_recredential_restores() {
    let env = e2e::env().await;
    let email = env.connect("c1", "acme").await;
    let mut events = env.tw.subscribe();
    let new_token = env.sim.rotate_token("acme", &email).unwrap();
    let err = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ACCOUNT_REVOKED");
    assert_eq!(
        err.reconnect_url(),
        Some("https://toolwire.test/connect/zendesk/c1")
    );
    let account = env
        .tw
        .accounts()
        .get("zendesk", "c1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.status, AccountStatus::Revoked);
    let event = events.try_recv().expect("status event");
    assert_eq!(event.to, AccountStatus::Revoked);

    env.sim.clear_request_log();
    let again = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(again.code(), "ACCOUNT_REVOKED");
    assert!(
        env.sim.request_log().is_empty(),
        "a revoked account makes no network call"
    );

    let wrong = env
        .tw
        .accounts()
        .set_credentials(
            "zendesk",
            "c1",
            &e2e::config("acme"),
            None,
            e2e::creds(&email, "wrong"),
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "INVALID_CREDENTIALS");
    env.tw
        .accounts()
        .set_credentials(
            "zendesk",
            "c1",
            &e2e::config("https://acme.zendesk.com/agent/tickets/1"),
            None,
            e2e::creds(&email, &new_token),
        )
        .await
        .unwrap();
    assert!(
        env.tw
            .execute_tool("c1", "zendesk_groups_list", json!({}))
            .await
            .is_ok()
    );
    let history = env.tw.accounts().history("zendesk", "c1").await.unwrap();
    let statuses: Vec<AccountStatus> = history.iter().map(|h| h.to).collect();
    assert!(
        statuses.ends_with(&[
            AccountStatus::Active,
            AccountStatus::Revoked,
            AccountStatus::Active
        ]),
        "history records each change: {statuses:?}"
    );
}

#[tokio::test]
async fn ip_allowlist_restricts_with_hint() {
    let env = e2e::env().await;
    env.connect("c1", "globex").await;
    env.sim
        .set_ip_allowlist("globex", &["198.51.100.0/24"])
        .unwrap();
    let err = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ACCOUNT_RESTRICTED");
    assert!(err.to_string().contains("203.0.113.7"), "{err}");
    let account = env
        .tw
        .accounts()
        .get("zendesk", "c1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.status, AccountStatus::Restricted);
}

#[tokio::test]
async fn creates_under_faults_make_exactly_as_many_tickets() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    let mut spec = FaultSpec::next(
        FaultKind::Status {
            status: 503,
            retry_after: Some(0),
        },
        1_000,
    );
    spec.count = None;
    spec.share = Some(0.3);
    spec.method = Some("POST".into());
    env.sim.inject_fault(spec);
    let faulty_tickets = || async {
        env.tw
            .execute_tool(
                "c1",
                "zendesk_search_tickets",
                json!({"query": "subject:faulty"}),
            )
            .await
            .unwrap()
            .data["count"]
            .as_u64()
            .unwrap()
    };
    let before = faulty_tickets().await;
    let mut ok = 0;
    for i in 0..20 {
        match env
            .tw
            .execute_tool(
                "c1",
                "zendesk_ticket_create",
                json!({"comment_body": "x", "subject": format!("faulty {i}")}),
            )
            .await
        {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), "UPSTREAM_UNAVAILABLE"),
        }
    }
    env.sim.clear_faults();
    let after = faulty_tickets().await;
    assert_eq!(
        after - before,
        ok,
        "every acknowledged create made exactly one ticket, retries none extra"
    );
    assert!(
        ok >= 15,
        "retries with the idempotency key got most creates through: {ok}/20"
    );
}

#[tokio::test]
async fn non_idempotent_writes_are_never_retried_and_429_waits() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.sim.inject_fault(
        FaultSpec::next(
            FaultKind::Status {
                status: 503,
                retry_after: Some(0),
            },
            1,
        )
        .method("PUT"),
    );
    env.sim.clear_request_log();
    let err = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_reply",
            json!({"ticket_id": 1, "body": "hi"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UPSTREAM_UNAVAILABLE");
    assert_eq!(
        env.sim
            .request_log()
            .iter()
            .filter(|r| r.method == "PUT")
            .count(),
        1,
        "a reply is not retried"
    );

    env.sim
        .inject_fault(FaultSpec::next(FaultKind::RateLimit { retry_after: 1 }, 1).method("GET"));
    let started = std::time::Instant::now();
    env.tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .expect("retried after Retry-After");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "waited for Retry-After"
    );

    env.sim
        .inject_fault(FaultSpec::next(FaultKind::RateLimit { retry_after: 120 }, 1).method("GET"));
    let err = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "RATE_LIMITED");
    assert_eq!(
        err.kind(),
        ErrorKind::Upstream(UpstreamErrorCode::RateLimited),
        "the rule's code stays typed"
    );
    assert_eq!(
        err.retry_after_s(),
        Some(120),
        "beyond the cap: fail fast with retry_after_s"
    );
}

#[tokio::test]
async fn every_call_is_audited_and_marks_last_use() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    env.tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap();
    let err = env
        .tw
        .execute_tool("c1", "zendesk_ticket_get", json!({"ticket_id": 987_654}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
    assert_eq!(err.kind(), ErrorKind::Upstream(UpstreamErrorCode::NotFound));
    env.tw.flush().await;
    let account = env
        .tw
        .accounts()
        .get("zendesk", "c1")
        .await
        .unwrap()
        .unwrap();
    assert!(account.last_used_at.is_some(), "last use recorded");
    let rows = env
        .tw
        .store()
        .list_executions(Some(account.id), 10)
        .await
        .unwrap();
    let summary: Vec<(String, String, Option<String>)> = rows
        .iter()
        .map(|r| (r.tool.clone(), r.outcome.clone(), r.error_code.clone()))
        .collect();
    assert!(
        summary.contains(&("zendesk_groups_list".into(), "ok".into(), None)),
        "{summary:?}"
    );
    assert!(
        summary.contains(&(
            "zendesk_ticket_get".into(),
            "error".into(),
            Some("NOT_FOUND".into())
        )),
        "{summary:?}"
    );
}

#[tokio::test]
async fn idle_api_token_accounts_are_warned_and_listed_for_migration() {
    let env = e2e::env().await;
    env.connect("idle", "acme").await;
    let mut events = env.tw.subscribe();
    let soon = chrono::Utc::now() + chrono::Duration::days(25);
    let report = env.tw.sweep_inactivity(soon).await.unwrap();
    assert_eq!((report.checked, report.warned), (1, 1));
    let account = env
        .tw
        .accounts()
        .get("zendesk", "idle")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        account.status,
        AccountStatus::Active,
        "a warning keeps the account usable"
    );
    assert_eq!(account.status_reason.as_deref(), Some("inactivity_warning"));
    assert!(account.status_message.unwrap().contains("30 days"));
    assert_eq!(
        events.try_recv().unwrap().reason.as_deref(),
        Some("inactivity_warning")
    );
    assert_eq!(
        env.tw.sweep_inactivity(soon).await.unwrap().warned,
        0,
        "warned once"
    );
    let fresh = env.tw.sweep_inactivity(chrono::Utc::now()).await.unwrap();
    assert_eq!(fresh.warned, 0);

    let migrate = env.tw.accounts_needing_migration().await.unwrap();
    assert_eq!(migrate.len(), 1);
    assert_eq!(migrate[0].1, "2027-04-30");
}

#[tokio::test]
async fn a_rate_limited_tenant_fails_fast_without_calling_and_others_carry_on() {
    let env = e2e::env().await;
    env.connect("a", "acme").await;
    env.connect("g", "globex").await;
    env.sim
        .inject_fault(FaultSpec::next(FaultKind::RateLimit { retry_after: 120 }, 1).tenant("acme"));
    let first = env
        .tw
        .execute_tool("a", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (first.code(), first.retry_after_s()),
        ("RATE_LIMITED", Some(120))
    );
    env.sim.clear_request_log();
    let second = env
        .tw
        .execute_tool("a", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(second.code(), "RATE_LIMITED");
    assert_eq!(
        second.kind(),
        ErrorKind::Upstream(UpstreamErrorCode::RateLimited)
    );
    assert!(
        second
            .retry_after_s()
            .is_some_and(|s| (1..=120).contains(&s)),
        "{:?}",
        second.retry_after_s()
    );
    assert!(
        env.sim.request_log().is_empty(),
        "nothing sent while the tenant must wait"
    );
    env.tw
        .execute_tool("g", "zendesk_groups_list", json!({}))
        .await
        .expect("another tenant is unaffected");
    let account = env
        .tw
        .accounts()
        .get("zendesk", "a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        account.status,
        AccountStatus::Active,
        "429 never changes status"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_tenant_concurrency_is_capped_without_slowing_other_tenants() {
    let env = e2e::env_with(|b| b.tenant_concurrency(1)).await;
    env.connect("a", "acme").await;
    env.connect("g", "globex").await;
    let (sim, tw) = (&env.sim, &env.tw);
    let mut slow = FaultSpec::next(FaultKind::Latency { ms: 300 }, 3).tenant("acme");
    slow.path_prefix = Some("/api/v2/groups".into());
    sim.inject_fault(slow);
    let started = std::time::Instant::now();
    let slow_calls: Vec<_> = (0..3)
        .map(|_| {
            let tw = tw.clone();
            tokio::spawn(async move {
                tw.execute_tool("a", "zendesk_groups_list", json!({}))
                    .await
                    .unwrap();
                started.elapsed()
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    tw.execute_tool("g", "zendesk_groups_list", json!({}))
        .await
        .unwrap();
    let other_done = started.elapsed();
    let mut done: Vec<_> = Vec::new();
    for c in slow_calls {
        done.push(c.await.unwrap());
    }
    let last = done.into_iter().max().unwrap();
    assert!(
        last >= std::time::Duration::from_millis(900),
        "one at a time for acme: {last:?}"
    );
    assert!(
        other_done < last,
        "globex finished ({other_done:?}) before acme's queue ({last:?})"
    );
}
