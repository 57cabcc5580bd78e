//! `toolwire serve --database-url postgres://...`: the real server binary keeps its accounts,
//! vault and audit log in PostgreSQL (what several replicas share), honours `--audit-log`, and
//! a second server process on the same database serves the account the first one connected.
//! Skipped (loudly) without `TOOLWIRE_TEST_POSTGRES_URL`.

mod common;

use std::path::Path;

use secrecy::ExposeSecret as _;
use serde_json::json;
use toolwire_runtime::{MasterKey, Store};
use toolwire_sim::Sim;

use common::pg::PgSchema;
use common::process::ServerProcess;

/// A replica: its own data dir, the shared database and master key, `--audit-log failures`.
async fn replica(sim: &Sim, dir: &Path, db_url: &str, master_key: &str) -> ServerProcess {
    std::fs::create_dir_all(dir).unwrap();
    ServerProcess::start_with(
        sim,
        dir,
        &["--database-url", db_url, "--audit-log", "failures"],
        &[("TOOLWIRE_MASTER_KEY", master_key)],
    )
    .await
}

/// Sends SIGTERM and waits: the server flushes its audit rows before exiting.
async fn stop(mut server: ServerProcess) {
    server.send_sigterm().await;
    let status = server.wait_exit().await;
    assert!(status.success(), "clean exit, got {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_keeps_accounts_and_audit_in_postgres() {
    let Some(pg) = PgSchema::create("serve_keeps_accounts_and_audit_in_postgres").await else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db_url = pg.url.clone();
    let sim = Sim::builder().seed(3).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();

    // Replica 1 connects the account and makes one good and one failing call.
    let first = replica(&sim, &dir.path().join("a"), &db_url, key).await;
    first.connect(&sim, "cust-1", "acme").await;
    let call = |ticket: i64| json!({"identifier": "cust-1", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": ticket}});
    let (status, ok) = first.post("/v1/execute_tool", call(1)).await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(ok["data"]["ticket"]["id"], 1);
    let (status, missing) = first.post("/v1/execute_tool", call(999_999)).await;
    assert_eq!(status, 404, "{missing}");
    stop(first).await;

    // Replica 2 (its own data dir, same database and master key) serves the same account.
    let second = replica(&sim, &dir.path().join("b"), &db_url, key).await;
    let (status, again) = second.post("/v1/execute_tool", call(1)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["data"]["ticket"]["id"], 1);
    stop(second).await;

    // Everything is in PostgreSQL, and `--audit-log failures` kept only the failed call.
    let store = Store::connect(&db_url).await.unwrap();
    let stored = store
        .get_account("zendesk", "cust-1")
        .await
        .unwrap()
        .expect("account row in postgres");
    assert!(stored.last_used_at.is_some(), "last use kept");
    let rows = store.list_executions(None, 100).await.unwrap();
    let outcomes: Vec<(&str, Option<&str>)> = rows
        .iter()
        .map(|r| (r.outcome.as_str(), r.error_code.as_deref()))
        .collect();
    assert_eq!(outcomes, vec![("error", Some("NOT_FOUND"))]);
    for d in ["a", "b"] {
        assert!(
            !dir.path().join(d).join("data/toolwire.db").exists(),
            "no SQLite file when a database URL is given"
        );
    }
    pg.drop_schema().await;
}
