//! Test support shared by `store_*` and `vault_*` tests: a fresh database per test, on SQLite
//! (a file in a tempdir) and on PostgreSQL (a random schema, when `TOOLWIRE_TEST_POSTGRES_URL`
//! is set), [`backend_tests!`] to run one suite against both, and connected accounts stored
//! the way apps store them ([`toolwire`], [`import`]).

#![allow(dead_code)]

use std::io::Write as _;
use std::path::PathBuf;
use std::str::FromStr;

use serde_json::json;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::SqliteConnection;
use toolwire_runtime::store::Store;
use toolwire_runtime::{AccountRecord, Credentials, MasterKey, Toolwire};

pub const PG_ENV: &str = "TOOLWIRE_TEST_POSTGRES_URL";

/// A fresh store and a way to reach its database directly (to tamper with rows).
pub struct TestDb {
    pub store: Store,
    pub sqlite_path: Option<PathBuf>,
    pg: Option<PgSchema>,
    _dir: Option<tempfile::TempDir>,
}

struct PgSchema {
    url: String,
    schema: String,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data").join("toolwire.db");
        let store = Store::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("open sqlite store");
        TestDb {
            store,
            sqlite_path: Some(path),
            pg: None,
            _dir: Some(dir),
        }
    }

    /// `None` (after a loud SKIPPED line) when `TOOLWIRE_TEST_POSTGRES_URL` is unset.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let Ok(url) = std::env::var(PG_ENV) else {
            // Straight to the stderr handle: libtest does not capture it, so the skip is loud.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test} on PostgreSQL (set {PG_ENV}=postgres://postgres@127.0.0.1:5432/test)"
            );
            return None;
        };
        let schema = format!("tw_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect(&url)
            .await
            .expect("connect to postgres");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .expect("create schema");
        conn.close().await.ok();
        let guard = PgSchema {
            url: url.clone(),
            schema: schema.clone(),
        };
        let options = PgConnectOptions::from_str(&url)
            .expect("postgres url")
            .options([("search_path", schema.as_str())]);
        let store = Store::postgres_with_options(options)
            .await
            .expect("open postgres store");
        Some(TestDb {
            store,
            sqlite_path: None,
            pg: Some(guard),
            _dir: None,
        })
    }

    /// Runs raw SQL against the test database, bypassing the store (to simulate tampering).
    pub async fn execute_raw(&self, sql: &str) -> u64 {
        if let Some(path) = &self.sqlite_path {
            let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("raw sqlite");
            let n = sqlx::query(sql)
                .execute(&mut conn)
                .await
                .expect("raw sql")
                .rows_affected();
            conn.close().await.ok();
            n
        } else {
            let pg = self.pg.as_ref().expect("a backend");
            let mut conn = PgConnection::connect(&pg.url).await.expect("raw pg");
            sqlx::query(&format!("SET search_path TO {}", pg.schema))
                .execute(&mut conn)
                .await
                .expect("search_path");
            let n = sqlx::query(sql)
                .execute(&mut conn)
                .await
                .expect("raw sql")
                .rows_affected();
            conn.close().await.ok();
            n
        }
    }
}

/// A `Toolwire` on `store` (the repository's connectors), for tests that need connected
/// accounts: its vault is `tw.vault()`.
pub async fn toolwire(store: &Store, key: MasterKey) -> Toolwire {
    Toolwire::builder()
        .store(store.clone())
        .master_key(key)
        .connectors_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors"))
        .build()
        .await
        .expect("toolwire builds")
}

/// Stores `creds` for the Zendesk account `identifier` on tenant `subdomain`, ACTIVE, through
/// the accounts API (`import_credentials`: sealed and bound to the row, no live check).
pub async fn import(
    tw: &Toolwire,
    identifier: &str,
    subdomain: &str,
    creds: Credentials,
) -> AccountRecord {
    let config = json!({"subdomain": subdomain}).as_object().unwrap().clone();
    tw.accounts()
        .import_credentials("zendesk", identifier, &config, Some("api_token"), creds)
        .await
        .expect("credentials imported")
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let url = self.url.clone();
        let schema = self.schema.clone();
        // A separate thread and runtime: this may run inside (or after) a panicking async test.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = PgConnection::connect(&url).await {
                    let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&mut conn)
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// Runs each `async fn name(db: &TestDb)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::store_support::TestDb::sqlite().await;
                    super::$name(&db).await;
                    db.store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::store_support::TestDb::postgres(stringify!($name)).await
                    else {
                        return;
                    };
                    super::$name(&db).await;
                    db.store.close().await;
                }
            )*
        }
    };
}
