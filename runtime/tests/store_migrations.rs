//! Migrations applied to a database that already holds rows: a store at migration 0008 (the
//! audit table keyed by `execution_id`, two indexes) with audit rows is opened by the current
//! code, which rebuilds `executions` keyed by `(at, execution_id)` (0009); every row must
//! survive with its values, listing and retention must keep their order, and new rows must go
//! in. On SQLite always, on PostgreSQL when `TOOLWIRE_TEST_POSTGRES_URL` is set.

mod store_support;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use sqlx::Connection;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use store_support::PG_ENV;
use toolwire_runtime::store::{ExecutionRecord, Store, now};
use uuid::Uuid;

/// The audit rows written before the upgrade: three accounts' calls, out of id order (`at` is
/// the end of a call, the id its start), one without an account.
fn old_rows() -> Vec<ExecutionRecord> {
    let account = Uuid::now_v7();
    let base = now() - Duration::days(40);
    let row = |i: i64, account_id: Option<Uuid>, outcome: &str| ExecutionRecord {
        execution_id: Uuid::now_v7(),
        account_id,
        connection: "zendesk".into(),
        identifier: format!("user_{i}"),
        tool: "zendesk_ticket_get".into(),
        outcome: outcome.into(),
        error_code: (outcome == "error").then(|| "RATE_LIMITED".into()),
        http_status: Some(if outcome == "error" { 429 } else { 200 }),
        latency_ms: 10 + i as u64,
        at: base + Duration::days(i),
    };
    vec![
        row(3, Some(account), "ok"),
        row(1, Some(account), "error"),
        row(20, None, "ok"),
        row(2, Some(Uuid::now_v7()), "ok"),
    ]
}

/// Migrations 0001–0008 only, copied from the crate's directory.
async fn migrator_up_to_0008(dir: &Path, backend: &str) -> Migrator {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.as_str() < "0009" {
            std::fs::copy(&path, dir.join(&name)).unwrap();
        }
    }
    let migrator = Migrator::new(dir).await.unwrap();
    assert_eq!(migrator.iter().last().map(|m| m.version), Some(8));
    migrator
}

/// What the upgraded store must show, whatever the backend.
async fn check_upgraded(store: &Store, rows: &[ExecutionRecord]) {
    let mut newest_first = rows.to_vec();
    newest_first.sort_by_key(|r| std::cmp::Reverse(r.at));
    assert_eq!(
        store.list_executions(None, 100).await.unwrap(),
        newest_first,
        "every row kept with its values, newest first by `at`"
    );
    let account = rows[0].account_id;
    let of_account: Vec<_> = newest_first
        .iter()
        .filter(|r| r.account_id == account)
        .cloned()
        .collect();
    assert_eq!(of_account.len(), 2);
    assert_eq!(
        store.list_executions(account, 100).await.unwrap(),
        of_account
    );

    // A new row goes in; the same row twice is refused (the key still catches it).
    let new = ExecutionRecord {
        execution_id: Uuid::now_v7(),
        at: now(),
        ..rows[0].clone()
    };
    store.record_execution(&new).await.unwrap();
    assert!(store.record_execution(&new).await.is_err());
    assert_eq!(store.list_executions(None, 1).await.unwrap(), vec![new]);

    // Retention deletes by `at`, oldest first: the rows 1–3 days after `base`, not the others.
    let cutoff = rows[2].at - Duration::days(10);
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 2);
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 1);
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 0);
    assert_eq!(store.list_executions(None, 100).await.unwrap().len(), 2);
}

fn sqlite_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_audit_rows_survive_the_0009_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    let path = dir.path().join("toolwire.db");
    let rows = old_rows();
    {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
        migrator_up_to_0008(&migrations, "sqlite")
            .await
            .run(&pool)
            .await
            .unwrap();
        for r in &rows {
            sqlx::query(
                "INSERT INTO executions (execution_id, account_id, connection, identifier, tool, \
                 outcome, error_code, http_status, latency_ms, at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(r.execution_id)
            .bind(r.account_id)
            .bind(&r.connection)
            .bind(&r.identifier)
            .bind(&r.tool)
            .bind(&r.outcome)
            .bind(&r.error_code)
            .bind(r.http_status.map(i64::from))
            .bind(r.latency_ms as i64)
            .bind(sqlite_text(r.at))
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }

    let store = Store::sqlite(&path).await.unwrap();
    check_upgraded(&store, &rows).await;
    store.close().await;

    // The rebuilt table: clustered on the key, one index besides it.
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let (sql,): (String,) = sqlx::query_as(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'executions'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(sql.contains("WITHOUT ROWID"), "{sql}");
    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions' \
         AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(indexes, vec![("executions_account_idx".to_string(),)]);
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_audit_rows_survive_the_0009_key_change() {
    let Ok(url) = std::env::var(PG_ENV) else {
        eprintln!("SKIPPED postgres_audit_rows_survive_the_0009_key_change (set {PG_ENV})");
        return;
    };
    let schema = format!("tw_mig_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let options = PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let dir = tempfile::tempdir().unwrap();
    let rows = old_rows();
    {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .unwrap();
        migrator_up_to_0008(dir.path(), "postgres")
            .await
            .run(&pool)
            .await
            .unwrap();
        for r in &rows {
            sqlx::query(
                "INSERT INTO executions (execution_id, account_id, connection, identifier, tool, \
                 outcome, error_code, http_status, latency_ms, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(r.execution_id)
            .bind(r.account_id)
            .bind(&r.connection)
            .bind(&r.identifier)
            .bind(&r.tool)
            .bind(&r.outcome)
            .bind(&r.error_code)
            .bind(r.http_status.map(i64::from))
            .bind(r.latency_ms as i64)
            .bind(r.at)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }

    let store = Store::postgres_with_options(options).await.unwrap();
    check_upgraded(&store, &rows).await;
    store.close().await;

    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = $1 AND tablename = 'executions' \
         ORDER BY indexname",
    )
    .bind(&schema)
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert_eq!(
        indexes,
        vec![
            ("executions_account_idx".to_string(),),
            ("executions_pkey".to_string(),)
        ]
    );
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}
