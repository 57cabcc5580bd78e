//! Fills a `toolwire serve` data directory with connected Zendesk accounts imported through
//! the accounts API (`import_credentials`: no live check, as `scale` does), for
//! `benches/server_scale.sh`: the server then starts on it. Account `i` is `user_{i:07}`,
//! ACTIVE, with the credentials of tenant `i % T` from
//! `--tenants FILE` (lines `subdomain email api_token`, as the script writes them). The master
//! key is the data directory's `master.key` (created when missing), as `toolwire serve` reads
//! it. Durability is relaxed for the fill only (`synchronous=OFF`); the server reopens the
//! file with its own settings.
//!
//! `cargo run --release -p toolwire-benches --bin fill_accounts -- --data-dir DIR --tenants FILE
//! [--accounts 100000]`

use std::path::PathBuf;
use std::time::Instant;

use futures::StreamExt as _;
use serde_json::json;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use toolwire_benches::{arg, connectors_dir};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};

#[tokio::main]
async fn main() {
    let dir = PathBuf::from(arg("data-dir", String::new()));
    let tenants_file: String = arg("tenants", String::new());
    let accounts: usize = arg("accounts", 100_000);
    assert!(
        !dir.as_os_str().is_empty() && !tenants_file.is_empty(),
        "--data-dir DIR --tenants FILE"
    );
    let tenants: Vec<[String; 3]> = std::fs::read_to_string(&tenants_file)
        .expect("tenants file")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 3).then(|| [f[0].into(), f[1].into(), f[2].into()])
        })
        .collect();
    assert!(!tenants.is_empty(), "no tenants in {tenants_file}");
    std::fs::create_dir_all(&dir).unwrap();
    let (key, _) = MasterKey::load_or_generate(&dir.join("master.key")).expect("master key");
    let store = Store::sqlite_with_options(
        SqliteConnectOptions::new()
            .filename(dir.join("toolwire.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Off)
            .foreign_keys(true),
    )
    .await
    .expect("store");
    let tw = Toolwire::builder()
        .store(store.clone())
        .master_key(key)
        .connectors_dir(connectors_dir())
        .build()
        .await
        .expect("toolwire");
    let start = Instant::now();
    futures::stream::iter(0..accounts)
        .map(|i| {
            let (tw, tenants) = (&tw, &tenants);
            async move {
                let [sub, email, token] = &tenants[i % tenants.len()];
                let config = json!({ "subdomain": sub }).as_object().unwrap().clone();
                let creds =
                    Credentials::from_fields([("email", email.as_str()), ("api_token", token)]);
                tw.accounts()
                    .import_credentials(
                        "zendesk",
                        &format!("user_{i:07}"),
                        &config,
                        Some("api_token"),
                        creds,
                    )
                    .await
                    .unwrap();
            }
        })
        .buffer_unordered(8)
        .for_each(|_| async {})
        .await;
    tw.flush().await;
    store.close().await;
    println!(
        "filled {accounts} accounts over {} tenants in {:.1}s",
        tenants.len(),
        start.elapsed().as_secs_f64()
    );
}
