//! Scale: 100,000 connected accounts in one store. Populates the accounts through the accounts
//! API (`get_or_create`, then `import_credentials`: sealed and stored without a live check; 8
//! in flight, durability relaxed for the fill only: SQLite `synchronous=OFF`, PostgreSQL
//! `synchronous_commit=off`), then reopens
//! the store with production settings (SQLite WAL + `synchronous=FULL`; PostgreSQL defaults)
//! and measures, one call at a time, on random accounts:
//!
//! - `get_or_create` of an existing account (the hot path of the accounts API);
//! - `get_or_create` of a new account (a durable insert: an fsync per commit);
//! - lookup + decrypt (`get_account` + `Vault::unseal_account`: what every tool call does).
//!
//! `cargo run --release -p toolwire-benches --bin scale -- --backend sqlite|postgres
//! [--accounts 100000] [--samples 20000] [--new 1000]` (PostgreSQL: `TOOLWIRE_TEST_POSTGRES_URL`,
//! default `postgres://postgres@127.0.0.1:5432/test`; a fresh schema, dropped at the end).

use std::str::FromStr as _;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use rand::Rng as _;
use serde_json::json;
use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use toolwire_benches::{arg, connectors_dir, summarize};
use toolwire_runtime::{AccountStatus, Credentials, MasterKey, Store, Toolwire, Vault};

const KEY: [u8; 32] = [9; 32];

fn ident(i: usize) -> String {
    format!("user_{i:07}")
}

/// Connects account `i`; returns how long its `get_or_create` took.
async fn connect_one(tw: &Toolwire, i: usize) -> Duration {
    let identifier = ident(i);
    let accounts = tw.accounts();
    let start = Instant::now();
    accounts
        .get_or_create("zendesk", &identifier)
        .await
        .unwrap();
    let took = start.elapsed();
    let config = json!({ "subdomain": format!("t{}", i % 1000) })
        .as_object()
        .unwrap()
        .clone();
    let creds = Credentials::from_fields([
        ("email", format!("agent{i}@example.com")),
        (
            "api_token",
            format!("token-{i:07}-0123456789abcdef0123456789"),
        ),
    ]);
    accounts
        .import_credentials("zendesk", &identifier, &config, Some("api_token"), creds)
        .await
        .unwrap();
    took
}

#[tokio::main]
async fn main() {
    let backend: String = arg("backend", "sqlite".to_string());
    let accounts: usize = arg("accounts", 100_000);
    let samples: usize = arg("samples", 20_000);
    let new: usize = arg("new", 1000);
    let pg_url = std::env::var("TOOLWIRE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let dir =
        tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap();
    let path = dir.path().join("scale.db");
    let schema = format!("bench_scale_{}", uuid::Uuid::new_v4().simple());

    // ---- fill (durability relaxed) ----
    let fill_store = match backend.as_str() {
        "sqlite" => Store::sqlite_with_options(
            SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Off)
                .foreign_keys(true),
        )
        .await
        .unwrap(),
        "postgres" => {
            let mut conn = PgConnection::connect(&pg_url).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
            Store::postgres_with_options(PgConnectOptions::from_str(&pg_url).unwrap().options([
                ("search_path", schema.as_str()),
                ("synchronous_commit", "off"),
            ]))
            .await
            .unwrap()
        }
        other => panic!("--backend sqlite|postgres, not {other}"),
    };
    let tw = Toolwire::builder()
        .store(fill_store.clone())
        .master_key(MasterKey::from_bytes(&KEY).unwrap())
        .connectors_dir(connectors_dir())
        .build()
        .await
        .unwrap();
    let fill = Instant::now();
    let mut fill_lat: Vec<Duration> = futures::stream::iter(0..accounts)
        .map(|i| connect_one(&tw, i))
        .buffer_unordered(8)
        .collect()
        .await;
    tw.flush().await;
    println!(
        "[{backend}] fill: {accounts} accounts connected in {:.1}s ({:.0}/s, 8 in flight, relaxed \
         durability); get_or_create while filling: {}",
        fill.elapsed().as_secs_f64(),
        accounts as f64 / fill.elapsed().as_secs_f64(),
        summarize(&mut fill_lat)
    );
    fill_store.close().await;

    // ---- measure (production settings) ----
    let store = match backend.as_str() {
        "sqlite" => Store::sqlite(&path).await.unwrap(),
        _ => Store::postgres_with_options(
            PgConnectOptions::from_str(&pg_url)
                .unwrap()
                .options([("search_path", schema.as_str())]),
        )
        .await
        .unwrap(),
    };
    let open = Instant::now();
    let vault = Vault::open(&store, MasterKey::from_bytes(&KEY).unwrap())
        .await
        .unwrap();
    println!("[{backend}] vault open: {:?}", open.elapsed());
    let mut rng = rand::rng();

    let mut s = Vec::with_capacity(samples);
    for _ in 0..samples {
        let i = rng.random_range(0..accounts);
        let start = Instant::now();
        let (a, created) = store
            .get_or_create_account("zendesk", &ident(i))
            .await
            .unwrap();
        s.push(start.elapsed());
        assert!(!created && a.status == AccountStatus::Active);
    }
    println!(
        "[{backend}] get_or_create (existing, {accounts} accounts): {}",
        summarize(&mut s)
    );

    let mut s = Vec::with_capacity(new);
    for i in accounts..accounts + new {
        let start = Instant::now();
        let (_, created) = store
            .get_or_create_account("zendesk", &ident(i))
            .await
            .unwrap();
        s.push(start.elapsed());
        assert!(created);
    }
    println!(
        "[{backend}] get_or_create (new, durable): {}",
        summarize(&mut s)
    );

    let mut s = Vec::with_capacity(samples);
    for _ in 0..samples {
        let i = rng.random_range(0..accounts);
        let start = Instant::now();
        let a = store
            .get_account("zendesk", &ident(i))
            .await
            .unwrap()
            .unwrap();
        let c = vault.unseal_account(&a).unwrap().unwrap();
        s.push(start.elapsed());
        assert_eq!(
            c.expose_field("api_token"),
            Some(format!("token-{i:07}-0123456789abcdef0123456789").as_str())
        );
    }
    println!("[{backend}] lookup + decrypt: {}", summarize(&mut s));

    let mut s = Vec::with_capacity(samples);
    let a = store
        .get_account("zendesk", &ident(0))
        .await
        .unwrap()
        .unwrap();
    for _ in 0..samples {
        let start = Instant::now();
        let c = vault.unseal_account(&a).unwrap();
        s.push(start.elapsed());
        assert!(c.is_some());
    }
    println!("[{backend}] decrypt alone: {}", summarize(&mut s));

    store.close().await;
    if backend == "sqlite" {
        let size: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!(
            "[{backend}] database files: {:.1} MiB",
            size as f64 / 1048576.0
        );
    } else {
        let mut conn = PgConnection::connect(&pg_url).await.unwrap();
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
}
