//! The `AuditLog` setting: which tool calls leave an `executions` row. Last-use times (which
//! drive inactivity warnings) are written whatever the setting, and `Full` is the default.

mod e2e;

use serde_json::json;
use toolwire_runtime::AuditLog;

/// Runs one successful and one failing call on a fresh env; returns (rows by outcome, whether
/// the account's last use was recorded).
async fn run(setting: Option<AuditLog>) -> (Vec<String>, bool) {
    let env = e2e::env_with(|b| match setting {
        Some(s) => b.audit_log(s),
        None => b,
    })
    .await;
    env.connect("u1", "acme").await;
    env.tw
        .execute_tool("u1", "zendesk_ticket_get", json!({"ticket_id": 1}))
        .await
        .expect("ticket 1 exists");
    let missing = env
        .tw
        .execute_tool("u1", "zendesk_ticket_get", json!({"ticket_id": 999_999}))
        .await
        .expect_err("no such ticket");
    assert_eq!(missing.code(), "NOT_FOUND");
    env.tw.flush().await;
    let account = env
        .tw
        .store()
        .get_account("zendesk", "u1")
        .await
        .unwrap()
        .unwrap();
    let mut outcomes: Vec<String> = env
        .tw
        .store()
        .list_executions(Some(account.id), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.outcome)
        .collect();
    outcomes.sort();
    (outcomes, account.last_used_at.is_some())
}

#[tokio::test]
async fn full_is_the_default_and_keeps_every_call() {
    assert_eq!(run(None).await, (vec!["error".into(), "ok".into()], true));
    assert_eq!(
        run(Some(AuditLog::Full)).await,
        (vec!["error".into(), "ok".into()], true)
    );
}

#[tokio::test]
async fn failures_keeps_only_failed_calls_and_still_records_last_use() {
    assert_eq!(
        run(Some(AuditLog::Failures)).await,
        (vec!["error".into()], true)
    );
}

#[tokio::test]
async fn off_keeps_no_rows_and_still_records_last_use() {
    assert_eq!(run(Some(AuditLog::Off)).await, (vec![], true));
}

#[test]
fn settings_parse_with_a_clear_error() {
    assert_eq!("Failures".parse::<AuditLog>(), Ok(AuditLog::Failures));
    assert_eq!(" off ".parse::<AuditLog>(), Ok(AuditLog::Off));
    let err = "sampled".parse::<AuditLog>().unwrap_err();
    assert!(err.contains("full, failures or off"), "{err}");
}
