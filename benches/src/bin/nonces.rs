//! Vault nonce uniqueness at volume: seals the same credentials `--seals` times (default
//! 1,000,000) for one account and counts repeated 96-bit nonces (the 12 bytes after the
//! envelope's 5-byte `version | key_id` header). The 100,000-seal version runs in
//! `cargo test` (runtime/tests/reliability_vault.rs).
//!
//! `cargo run --release -p toolwire-benches --bin nonces -- [--seals 1000000]`

use std::collections::HashSet;
use std::time::Instant;

use serde_json::json;
use toolwire_benches::arg;
use toolwire_runtime::Store;
use toolwire_runtime::vault::{Aad, Credentials, MasterKey, Vault};

const HEADER: usize = 5;
const NONCE: usize = 12;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let seals: usize = arg("seals", 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path().join("v.db")).await.unwrap();
    let vault = Vault::open(&store, MasterKey::generate()).await.unwrap();
    let config = json!({"subdomain": "acme"}).as_object().unwrap().clone();
    let aad = Aad::new("zendesk", "user_1", uuid::Uuid::now_v7(), &config);
    let creds = Credentials::from_fields([("email", "a@acme.test"), ("api_token", "t0k3n")]);
    let mut seen: HashSet<[u8; NONCE]> = HashSet::with_capacity(seals);
    let mut repeats = 0usize;
    let start = Instant::now();
    for _ in 0..seals {
        let sealed = vault.seal(&aad, &creds).unwrap();
        let nonce: [u8; NONCE] = sealed.bytes[HEADER..HEADER + NONCE].try_into().unwrap();
        if !seen.insert(nonce) {
            repeats += 1;
        }
    }
    let elapsed = start.elapsed();
    println!(
        "{seals} seals: {repeats} repeated nonces, {} distinct ({:.2}µs per seal incl. set insert)",
        seen.len(),
        elapsed.as_secs_f64() * 1e6 / seals as f64
    );
    assert_eq!(repeats, 0, "repeated nonces");
    assert_eq!(seen.len(), seals);
}
