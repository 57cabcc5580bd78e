//! Account status follows what is known, against the simulator over HTTPS: a 401 the verify
//! probe does not confirm is neither REVOKED nor reported as such (a safe call is retried
//! once), and a RESTRICTED account (IP allowlist) becomes ACTIVE again once calls succeed.

mod e2e;

use serde_json::json;
use toolwire_runtime::AccountStatus;
use toolwire_sim::{FaultKind, FaultSpec};

fn unauthorized(count: u32) -> FaultSpec {
    FaultSpec::next(
        FaultKind::Status {
            status: 401,
            retry_after: None,
        },
        count,
    )
    .tenant("acme")
}

fn calls_to(env: &e2e::Env, method: &str, prefix: &str) -> usize {
    env.sim
        .request_log()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(prefix))
        .count()
}

async fn status(env: &e2e::Env, identifier: &str) -> AccountStatus {
    env.tw
        .accounts()
        .get("zendesk", identifier)
        .await
        .unwrap()
        .unwrap()
        .status
}

#[tokio::test]
async fn a_single_401_on_a_read_is_retried_once_and_the_account_stays_active() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    let mut events = env.tw.subscribe();
    env.sim.clear_request_log();
    env.sim
        .inject_fault(unauthorized(1).path_prefix("/api/v2/groups"));
    let out = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .expect("retried after the probe confirmed the credentials");
    assert!(!out.data["groups"].as_array().unwrap().is_empty());
    assert_eq!(calls_to(&env, "GET", "/api/v2/groups"), 2, "one retry");
    assert_eq!(calls_to(&env, "GET", "/api/v2/users/me"), 1, "one probe");
    assert_eq!(status(&env, "c1").await, AccountStatus::Active);
    assert!(events.try_recv().is_err(), "no status change");
}

#[tokio::test]
async fn a_401_the_probe_does_not_confirm_is_not_reported_as_revoked() {
    let env = e2e::env().await;
    env.connect("c1", "acme").await;
    let mut events = env.tw.subscribe();
    env.sim.clear_request_log();

    // A write without an idempotency key is not repeated.
    env.sim.inject_fault(unauthorized(1).method("PUT"));
    let err = env
        .tw
        .execute_tool(
            "c1",
            "zendesk_ticket_reply",
            json!({"ticket_id": 1, "body": "hi"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UPSTREAM_AUTH_FAILED", "{err}");
    assert_eq!(err.kind(), toolwire_runtime::ErrorKind::UpstreamAuthFailed);
    assert!(
        err.to_string().contains("status is unchanged") && err.reconnect_url().is_none(),
        "{err}"
    );
    assert_eq!(calls_to(&env, "PUT", "/api/v2/tickets"), 1, "not retried");

    // A read is retried once, then reported the same way.
    env.sim
        .inject_fault(unauthorized(2).path_prefix("/api/v2/groups"));
    let err = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UPSTREAM_AUTH_FAILED", "{err}");
    assert_eq!(calls_to(&env, "GET", "/api/v2/groups"), 2, "one retry");

    assert_eq!(status(&env, "c1").await, AccountStatus::Active);
    assert!(events.try_recv().is_err(), "no status change");
    env.tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .expect("the account works on");
}

#[tokio::test]
async fn restricted_clears_once_calls_succeed_again() {
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
    assert_eq!(status(&env, "c1").await, AccountStatus::Restricted);

    env.sim.set_ip_allowlist("globex", &[]).unwrap();
    let mut events = env.tw.subscribe();
    let calls = (0..4).map(|_| env.tw.execute_tool("c1", "zendesk_groups_list", json!({})));
    for result in futures::future::join_all(calls).await {
        result.expect("the allowlist no longer blocks");
    }
    assert_eq!(status(&env, "c1").await, AccountStatus::Active);
    let event = events.try_recv().expect("a status event");
    assert_eq!(
        (event.from, event.to, event.reason.as_deref()),
        (
            AccountStatus::Restricted,
            AccountStatus::Active,
            Some("access_restored")
        )
    );
    assert!(
        events.try_recv().is_err(),
        "one event for concurrent successes"
    );
    let history = env.tw.accounts().history("zendesk", "c1").await.unwrap();
    let tail: Vec<(AccountStatus, &str)> = history
        .iter()
        .rev()
        .take(2)
        .map(|h| (h.to, h.reason.as_str()))
        .collect();
    assert_eq!(
        tail,
        [
            (AccountStatus::Active, "access_restored"),
            (AccountStatus::Restricted, "access_restricted"),
        ],
        "one history entry for the way back"
    );
}
