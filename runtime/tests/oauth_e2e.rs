//! OAuth end to end against the simulator over HTTPS: authorization code + PKCE through the
//! sim's real sign-in and consent forms, tokens in the vault, refresh before expiry and on
//! `invalid_token` (single-flight), EXPIRED on a dead grant, state replay refused, and moving an
//! API-token account to OAuth in place.

mod e2e;

use std::sync::Arc;

use secrecy::SecretString;
use serde_json::json;
use toolwire_runtime::http::{HttpOptions, client};
use toolwire_runtime::{AccountStatus, MasterKey, Store, Toolwire};
use toolwire_sim::Sim;

const CALLBACK: &str = "http://127.0.0.1:9/oauth/callback";

async fn oauth_toolwire(sim: &Sim, store: Store) -> Toolwire {
    let client = sim
        .tenant("acme")
        .unwrap()
        .oauth_clients
        .into_iter()
        .find(|c| c.identifier == "toolwire_demo")
        .expect("seed client");
    Toolwire::builder()
        .store(store)
        .master_key(MasterKey::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap())
        .connectors_dir(e2e::connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .oauth_client(
            "zendesk",
            client.identifier,
            SecretString::from(client.secret),
        )
        .build()
        .await
        .unwrap()
}

/// A browser stand-in: follows the sim's sign-in and consent forms; returns (state, code).
async fn consent(sim: &Sim, authorize_url: &str) -> (String, String) {
    let http = client(&HttpOptions {
        extra_roots_pem: vec![sim.ca_pem()],
        resolve_suffixes: vec![("zendesk.com".into(), sim.addr())],
        ..Default::default()
    })
    .unwrap();
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let page = http
        .get(authorize_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = hidden_inputs(&page);
    form.push(("email".into(), agent.email.clone()));
    form.push(("password".into(), agent.password.clone()));
    let page = http
        .post("https://acme.zendesk.com/oauth/authorizations/new")
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = hidden_inputs(&page);
    form.push(("decision".into(), "allow".into()));
    let r = http
        .post("https://acme.zendesk.com/oauth/authorizations")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(CALLBACK));
    let get = |k: &str| {
        location
            .query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.to_string())
            .unwrap()
    };
    (get("state"), get("code"))
}

fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, a: &str| {
        let key = format!("{a}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')? + start;
        Some(
            tag[start..end]
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        )
    };
    html.split("<input")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            tag.contains("type=\"hidden\"")
                .then(|| Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default())))?
        })
        .collect()
}

async fn connect(tw: &Toolwire, sim: &Sim, identifier: &str) {
    let start = tw
        .oauth()
        .start(
            "zendesk",
            identifier,
            &e2e::config("Acme.Zendesk.com"),
            CALLBACK,
        )
        .await
        .unwrap();
    assert!(start.url.contains("code_challenge_method=S256"));
    let (state, code) = consent(sim, &start.url).await;
    let account = tw.oauth().complete(&state, &code).await.unwrap();
    assert_eq!(account.status, AccountStatus::Active);
    assert_eq!(account.auth_scheme.as_deref(), Some("oauth2"));
}

async fn sim() -> Sim {
    Sim::builder()
        .seed(7)
        .tickets_per_tenant(10)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn connect_with_oauth_then_tools_use_the_bearer_token() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let tw = oauth_toolwire(&sim, Store::sqlite(dir.path().join("t.db")).await.unwrap()).await;
    connect(&tw, &sim, "u1").await;
    sim.clear_request_log();
    let out = tw
        .execute_tool(
            "u1",
            "zendesk_search_tickets",
            json!({"query": "status:open"}),
        )
        .await
        .unwrap();
    assert!(out.data["count"].as_u64().is_some());
    assert!(
        sim.request_log()
            .iter()
            .all(|r| r.credential.starts_with("bearer:")),
        "{:?}",
        sim.request_log()
    );
}

#[tokio::test]
async fn a_state_works_once_and_forged_states_or_wrong_verifiers_are_refused() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let tw = oauth_toolwire(&sim, Store::sqlite(dir.path().join("t.db")).await.unwrap()).await;
    let start = tw
        .oauth()
        .start("zendesk", "u1", &e2e::config("acme"), CALLBACK)
        .await
        .unwrap();
    let (state, code) = consent(&sim, &start.url).await;
    assert_eq!(
        tw.oauth()
            .complete("forged-state", &code)
            .await
            .unwrap_err()
            .code(),
        "OAUTH_STATE_INVALID"
    );
    tw.oauth().complete(&state, &code).await.unwrap();
    assert_eq!(
        tw.oauth().complete(&state, &code).await.unwrap_err().code(),
        "OAUTH_STATE_INVALID",
        "replayed state"
    );

    // A code issued for one authorization (one PKCE challenge) presented with another's state
    // (another verifier) is refused by the vendor.
    let first = tw
        .oauth()
        .start("zendesk", "u2", &e2e::config("acme"), CALLBACK)
        .await
        .unwrap();
    let second = tw
        .oauth()
        .start("zendesk", "u2", &e2e::config("acme"), CALLBACK)
        .await
        .unwrap();
    let (_, code_for_first) = consent(&sim, &first.url).await;
    let (state_of_second, _) = consent(&sim, &second.url).await;
    let err = tw
        .oauth()
        .complete(&state_of_second, &code_for_first)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "OAUTH_FAILED", "{err}");
}

#[tokio::test]
async fn expired_tokens_refresh_once_for_many_concurrent_calls() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let tw = oauth_toolwire(&sim, Store::sqlite(dir.path().join("t.db")).await.unwrap()).await;
    connect(&tw, &sim, "u1").await;
    let agent = sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    sim.reset_oauth_stats("acme").unwrap();
    sim.expire_access_tokens("acme", &agent).unwrap();
    let tw = Arc::new(tw);
    let calls: Vec<_> = (0..24)
        .map(|_| {
            let tw = tw.clone();
            tokio::spawn(async move {
                tw.execute_tool("u1", "zendesk_groups_list", json!({}))
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    for c in calls {
        c.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(
        sim.oauth_stats("acme").unwrap().refresh_token,
        1,
        "exactly one refresh"
    );
}

#[tokio::test]
async fn two_instances_sharing_postgres_refresh_once() {
    let Some(pg) = e2e::PgSchema::create("two_instances_sharing_postgres_refresh_once").await
    else {
        return;
    };
    let with_schema = pg.url.clone();
    let sim = sim().await;
    let a = Arc::new(oauth_toolwire(&sim, Store::postgres(&with_schema).await.unwrap()).await);
    let b = Arc::new(oauth_toolwire(&sim, Store::postgres(&with_schema).await.unwrap()).await);
    connect(&a, &sim, "u1").await;
    let agent = sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    sim.reset_oauth_stats("acme").unwrap();
    sim.expire_access_tokens("acme", &agent).unwrap();
    let mut calls = Vec::new();
    for i in 0..20 {
        let tw = if i % 2 == 0 { a.clone() } else { b.clone() };
        calls.push(tokio::spawn(async move {
            tw.execute_tool("u1", "zendesk_groups_list", json!({}))
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
    }
    for c in calls {
        c.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(
        sim.oauth_stats("acme").unwrap().refresh_token,
        1,
        "one refresh across both instances"
    );
    a.store().close().await;
    b.store().close().await;
    pg.drop_schema().await;
}

const CHILD_ENV: &str = "TOOLWIRE_OAUTH_CHILD";

/// Child side of `two_processes_sharing_postgres_refresh_once`: a separate OS process with its
/// own toolwire (pool, cache, in-process locks) making concurrent calls; exits non-zero on any
/// failure. Does nothing when run as a normal test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth_child_process() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    let tw = Arc::new(
        Toolwire::builder()
            .store(Store::postgres(&s("pg")).await.unwrap())
            .master_key(
                MasterKey::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap(),
            )
            .connectors_dir(e2e::connectors_dir())
            .extra_root_pem(s("ca"))
            .resolve_suffix("zendesk.com", s("addr").parse().unwrap())
            .oauth_client(
                "zendesk",
                s("client_id"),
                SecretString::from(s("client_secret")),
            )
            .build()
            .await
            .unwrap(),
    );
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let tw = tw.clone();
            tokio::spawn(async move {
                tw.execute_tool("u1", "zendesk_groups_list", json!({}))
                    .await
                    .map(|_| ())
            })
        })
        .collect();
    for c in calls {
        c.await
            .unwrap()
            .expect("call succeeds in the child process");
    }
}

#[tokio::test]
async fn two_processes_sharing_postgres_refresh_once() {
    let Some(pg) = e2e::PgSchema::create("two_processes_sharing_postgres_refresh_once").await
    else {
        return;
    };
    let with_schema = pg.url.clone();
    let sim = sim().await;
    let tw = oauth_toolwire(&sim, Store::postgres(&with_schema).await.unwrap()).await;
    connect(&tw, &sim, "u1").await;
    tw.store().close().await;
    let agent = sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    sim.reset_oauth_stats("acme").unwrap();
    sim.expire_access_tokens("acme", &agent).unwrap();
    let client = sim
        .tenant("acme")
        .unwrap()
        .oauth_clients
        .into_iter()
        .find(|c| c.identifier == "toolwire_demo")
        .unwrap();
    let spec = json!({"pg": with_schema, "ca": sim.ca_pem(), "addr": sim.addr().to_string(), "client_id": client.identifier, "client_secret": client.secret}).to_string();
    let children: Vec<_> = (0..2)
        .map(|_| {
            tokio::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "oauth_child_process", "--nocapture"])
                .env(CHILD_ENV, &spec)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(
            child.wait().await.unwrap().success(),
            "every call in both processes succeeds"
        );
    }
    assert_eq!(
        sim.oauth_stats("acme").unwrap().refresh_token,
        1,
        "one refresh across two processes"
    );
    pg.drop_schema().await;
}

#[tokio::test]
async fn a_revoked_grant_expires_the_account_and_reconnecting_restores_it() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let tw = oauth_toolwire(&sim, Store::sqlite(dir.path().join("t.db")).await.unwrap()).await;
    connect(&tw, &sim, "u1").await;
    let agent = sim.tenant("acme").unwrap().agent().unwrap().email.clone();
    sim.revoke_oauth_grants("acme", &agent).unwrap();
    let err = tw
        .execute_tool("u1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ACCOUNT_EXPIRED", "{err}");
    assert_eq!(
        tw.accounts()
            .get("zendesk", "u1")
            .await
            .unwrap()
            .unwrap()
            .status,
        AccountStatus::Expired
    );
    sim.clear_request_log();
    assert_eq!(
        tw.execute_tool("u1", "zendesk_groups_list", json!({}))
            .await
            .unwrap_err()
            .code(),
        "ACCOUNT_EXPIRED"
    );
    assert!(
        sim.request_log().is_empty(),
        "an expired account makes no calls"
    );
    connect(&tw, &sim, "u1").await;
    tw.execute_tool("u1", "zendesk_groups_list", json!({}))
        .await
        .unwrap();
}

#[tokio::test]
async fn an_api_token_account_moves_to_oauth_in_place() {
    let env = e2e::env().await;
    let tw = oauth_toolwire(
        &env.sim,
        Store::sqlite(env._dir.path().join("m.db")).await.unwrap(),
    )
    .await;
    let agent = env.sim.tenant("acme").unwrap().agent().unwrap().clone();
    let before = tw
        .accounts()
        .set_credentials(
            "zendesk",
            "cust",
            &e2e::config("acme"),
            None,
            e2e::creds(&agent.email, &agent.api_token),
        )
        .await
        .unwrap();
    assert_eq!(tw.accounts_needing_migration().await.unwrap().len(), 1);
    let start = tw
        .oauth()
        .start("zendesk", "cust", &e2e::config("acme"), CALLBACK)
        .await
        .unwrap();
    let (state, code) = consent(&env.sim, &start.url).await;
    let after = tw.oauth().complete(&state, &code).await.unwrap();
    assert_eq!(after.id, before.id, "same connected account");
    assert_eq!(after.auth_scheme.as_deref(), Some("oauth2"));
    assert!(tw.accounts_needing_migration().await.unwrap().is_empty());
    let history = tw.accounts().history("zendesk", "cust").await.unwrap();
    let reasons: Vec<&str> = history.iter().map(|h| h.reason.as_str()).collect();
    assert!(
        reasons.ends_with(&["credentials_verified", "oauth_connected"]),
        "{reasons:?}"
    );
    tw.execute_tool("cust", "zendesk_groups_list", json!({}))
        .await
        .unwrap();
}
