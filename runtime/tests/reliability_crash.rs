//! Reliability suite, crash safety: a process creating connected accounts (the accounts API's
//! `import_credentials`: get-or-create, seal, store credentials; 4 concurrent writers on one
//! SQLite file) is killed with SIGKILL at random
//! moments, 100 times. Every account it acknowledged (printed `ACK <identifier>` to stdout
//! after the store returned) must exist, be ACTIVE and decrypt to its credentials, and
//! `PRAGMA integrity_check` must answer `ok`.
//!
//! The child is this test binary re-executed with `TOOLWIRE_TEST_CRASH_CHILD_DB` set (the
//! `crash_child` test does nothing without it).

mod store_support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;
use store_support::TestDb;
use toolwire_runtime::{AccountStatus, Credentials, MasterKey, Store, Vault};

const CHILD_ENV: &str = "TOOLWIRE_TEST_CRASH_CHILD_DB";
const ROUND_ENV: &str = "TOOLWIRE_TEST_CRASH_ROUND";
const KEY: [u8; 32] = [7; 32];
const KILLS: usize = 100;
const WRITERS: usize = 4;

fn token_for(identifier: &str) -> String {
    format!("tok-{identifier}")
}

/// Not a test on its own: the child process of `kill_9_never_loses_an_acknowledged_account`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let round = std::env::var(ROUND_ENV).unwrap();
    let store = Store::sqlite(&path).await.unwrap();
    let tw = store_support::toolwire(&store, MasterKey::from_bytes(&KEY).unwrap()).await;
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (tw, round) = (tw.clone(), round.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0.. {
                let identifier = format!("r{round}_w{w}_{n}");
                let creds = Credentials::from_fields([
                    ("email", format!("{identifier}@example.com")),
                    ("api_token", token_for(&identifier)),
                ]);
                store_support::import(&tw, &identifier, &format!("t{w}"), creds).await;
                // Acknowledged: the store returned.
                use std::io::Write as _;
                let mut out = std::io::stdout().lock();
                writeln!(out, "ACK {identifier}").unwrap();
                out.flush().unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_never_loses_an_acknowledged_account() {
    let db = TestDb::sqlite().await;
    let path = db.sqlite_path.clone().unwrap();
    db.store.close().await;
    let mut acked: Vec<String> = Vec::new();
    let mut killed_mid_run = 0;
    let started = Instant::now();
    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .env(ROUND_ENV, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                match r.read_line(&mut line) {
                    Ok(0) | Err(_) => return,
                    // Only complete lines count: a line cut by the kill was not acknowledged.
                    Ok(_) if line.ends_with('\n') => {
                        if let Some(id) = line.trim_end().strip_prefix("ACK ") {
                            let _ = tx.send(id.to_string());
                        }
                    }
                    Ok(_) => return,
                }
            }
        });
        // Wait until the child is writing (first acknowledgement), then kill it at a random
        // moment in the next 0–25 ms: inside a transaction, an fsync, or between them.
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("child acknowledges an account");
        acked.push(first);
        std::thread::sleep(Duration::from_micros(rand::random_range(0..25_000)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        reader.join().unwrap();
        acked.extend(rx.try_iter());
    }
    eprintln!(
        "[reliability] kill -9: {killed_mid_run} kills of a running writer in {:?}, {} accounts \
         acknowledged",
        started.elapsed(),
        acked.len()
    );
    assert_eq!(killed_mid_run, KILLS);
    let unique: HashSet<&String> = acked.iter().collect();
    assert_eq!(unique.len(), acked.len(), "identifiers are unique");

    let mut raw = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let integrity: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut raw)
        .await
        .unwrap();
    raw.close().await.unwrap();
    let store = Store::sqlite(&path).await.unwrap();
    let vault = Vault::open(&store, MasterKey::from_bytes(&KEY).unwrap())
        .await
        .unwrap();
    let mut lost = Vec::new();
    for id in &acked {
        match store.get_account("zendesk", id).await.unwrap() {
            Some(a) if a.status == AccountStatus::Active => {
                let creds = vault.unseal_account(&a).unwrap().unwrap();
                assert_eq!(
                    creds.expose_field("api_token"),
                    Some(token_for(id).as_str())
                );
            }
            _ => lost.push(id.clone()),
        }
    }
    eprintln!(
        "[reliability] kill -9: {} acknowledged accounts lost; integrity_check: {integrity:?}",
        lost.len()
    );
    assert!(lost.is_empty(), "lost: {lost:?}");
    assert_eq!(integrity, vec![("ok".to_string(),)]);
    store.close().await;
}
