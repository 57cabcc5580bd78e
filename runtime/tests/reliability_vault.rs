//! Reliability suite, vault: what the credential envelope refuses, in counts.
//!
//! - ciphertexts rotated across 1,000 stored rows of 50 tenants (each row gets another row's
//!   envelope through `Store::swap_ciphertexts`), plus a deleted-and-recreated account given
//!   its old envelope back, plus configs edited in the database: 0 decrypt (SQLite, and
//!   PostgreSQL when `TOOLWIRE_TEST_POSTGRES_URL` is set);
//! - every single-bit flip of 16 envelopes (≥ 10,000 tamperings): 0 accepted;
//! - 100,000 seals: 0 repeated nonces (the 12 bytes after the 5-byte header). The 1,000,000
//!   version runs in release: `cargo run --release -p toolwire-benches --bin nonces`.
//!
//! Each figure is printed with `eprintln!` (run with `--nocapture` to see it).

mod store_support;

use std::collections::HashSet;

use serde_json::json;
use store_support::TestDb;
use toolwire_runtime::store::{AccountConfig, AccountFilter, AccountRecord, CiphertextSwap, Store};
use toolwire_runtime::vault::{Aad, Credentials, MasterKey, Vault, VaultError};

/// Stored rows whose envelopes get swapped.
const ROWS: usize = 1_000;
/// Tenants (subdomains) the rows are spread over.
const TENANTS: usize = 50;
/// Seals checked for repeated nonces in the test (the release bench does 1,000,000).
const NONCE_SEALS: usize = 100_000;
/// Envelope layout: `version (1) | key_id (4)`, then the nonce.
const HEADER: usize = 5;
const NONCE: usize = 12;

fn config(sub: &str) -> AccountConfig {
    json!({ "subdomain": sub }).as_object().unwrap().clone()
}

fn creds(i: usize) -> Credentials {
    Credentials::from_fields([
        ("email", format!("agent{i}@t{}.example.com", i % TENANTS)),
        ("api_token", format!("token-{i:05}-{}", "x".repeat(i % 7))),
    ])
}

async fn all_accounts(store: &Store) -> Vec<AccountRecord> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = store
            .list_accounts(&AccountFilter::default(), token.as_deref(), 1000)
            .await
            .unwrap();
        out.extend(page.accounts);
        match page.next_page_token {
            Some(t) => token = Some(t),
            None => return out,
        }
    }
}

async fn swapped_ciphertexts_never_decrypt(db: &TestDb) {
    let store = &db.store;
    let tw = store_support::toolwire(store, MasterKey::generate()).await;
    let vault = tw.vault();
    let mut rows = Vec::with_capacity(ROWS);
    for i in 0..ROWS {
        let sub = format!("tenant{}", i % TENANTS);
        rows.push(store_support::import(&tw, &format!("user_{i:04}"), &sub, creds(i)).await);
    }
    let tenants: HashSet<&str> = rows
        .iter()
        .map(|r| r.config["subdomain"].as_str().unwrap())
        .collect();
    assert_eq!(tenants.len(), TENANTS);

    // Before: every row decrypts (so a failure after the swap is the swap's doing).
    for (i, row) in rows.iter().enumerate() {
        let c = vault.unseal_account(row).unwrap().unwrap();
        assert_eq!(
            c.expose_field("api_token"),
            creds(i).expose_field("api_token")
        );
    }

    // Rotate the envelopes: row i gets row (i + 1)'s (a different identifier and account id,
    // and for most pairs another tenant too).
    let swaps: Vec<CiphertextSwap> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let donor = &rows[(i + 1) % rows.len()];
            let sealed = donor.credentials.clone().unwrap();
            CiphertextSwap {
                id: row.id,
                expected_key_id: row.credentials.as_ref().unwrap().key_id,
                expected_version: row.version,
                sealed,
            }
        })
        .collect();
    assert_eq!(store.swap_ciphertexts(&swaps).await.unwrap(), ROWS as u64);

    let after = all_accounts(store).await;
    assert_eq!(after.len(), ROWS);
    let mut decrypted = 0;
    let mut refused = 0;
    for row in &after {
        match vault.unseal_account(row) {
            Ok(_) => decrypted += 1,
            Err(VaultError::DecryptFailed) => refused += 1,
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    eprintln!(
        "[reliability] {:?}: swapped ciphertexts across {ROWS} rows / {TENANTS} tenants: \
         {decrypted} decrypted, {refused} refused",
        store.backend()
    );
    assert_eq!(decrypted, 0);
    assert_eq!(refused, ROWS);

    // Swap back: everything is readable again (the refusals were about the binding only).
    let back: Vec<CiphertextSwap> = rows
        .iter()
        .map(|row| CiphertextSwap {
            id: row.id,
            expected_key_id: row.credentials.as_ref().unwrap().key_id,
            expected_version: row.version,
            sealed: row.credentials.clone().unwrap(),
        })
        .collect();
    assert_eq!(store.swap_ciphertexts(&back).await.unwrap(), ROWS as u64);
    for row in all_accounts(store).await {
        assert!(vault.unseal_account(&row).unwrap().is_some());
    }

    // Same identifier and config, new account row (deleted and re-created): the old envelope
    // is bound to the old account id and does not open.
    let victim = &rows[0];
    assert!(store.delete_account(victim.id).await.unwrap());
    let (fresh, created) = store
        .get_or_create_account("zendesk", &victim.identifier)
        .await
        .unwrap();
    assert!(created && fresh.id != victim.id);
    let stale = Aad::new("zendesk", &victim.identifier, fresh.id, &victim.config);
    let old = &victim.credentials.as_ref().unwrap().bytes;
    assert!(matches!(
        vault.unseal(&stale, old),
        Err(VaultError::DecryptFailed)
    ));

    // Config edited in the database (subdomain of row 1 pointed at another tenant).
    let edited = &rows[1];
    let n = db
        .execute_raw(&format!(
            "UPDATE accounts SET config = '{{\"subdomain\":\"evil\"}}' WHERE identifier = '{}'",
            edited.identifier
        ))
        .await;
    assert_eq!(n, 1);
    let row = store
        .get_account("zendesk", &edited.identifier)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.config["subdomain"], "evil");
    assert!(matches!(
        vault.unseal_account(&row),
        Err(VaultError::DecryptFailed)
    ));
}

backend_tests!(swapped_ciphertexts_never_decrypt);

#[tokio::test]
async fn single_bit_tampering_is_never_accepted() {
    let db = TestDb::sqlite().await;
    let vault = Vault::open(&db.store, MasterKey::generate()).await.unwrap();
    let id = uuid::Uuid::now_v7();
    let mut tamperings = 0u64;
    let mut accepted = 0u64;
    for e in 0..16 {
        let aad = Aad::new("zendesk", &format!("user_{e}"), id, &config("acme"));
        let sealed = vault.seal(&aad, &creds(e)).unwrap();
        assert!(vault.unseal(&aad, &sealed.bytes).is_ok());
        for bit in 0..sealed.bytes.len() * 8 {
            let mut bytes = sealed.bytes.clone();
            bytes[bit / 8] ^= 1 << (bit % 8);
            tamperings += 1;
            if vault.unseal(&aad, &bytes).is_ok() {
                accepted += 1;
            }
        }
    }
    eprintln!("[reliability] single-bit tamperings: {tamperings} tried, {accepted} accepted");
    assert!(tamperings >= 10_000, "{tamperings}");
    assert_eq!(accepted, 0);
}

#[tokio::test]
async fn no_repeated_nonces_in_100k_seals() {
    let db = TestDb::sqlite().await;
    let vault = Vault::open(&db.store, MasterKey::generate()).await.unwrap();
    let aad = Aad::new("zendesk", "user_1", uuid::Uuid::now_v7(), &config("acme"));
    let c = creds(1);
    let mut seen: HashSet<[u8; NONCE]> = HashSet::with_capacity(NONCE_SEALS);
    let mut repeats = 0;
    for _ in 0..NONCE_SEALS {
        let sealed = vault.seal(&aad, &c).unwrap();
        let nonce: [u8; NONCE] = sealed.bytes[HEADER..HEADER + NONCE].try_into().unwrap();
        if !seen.insert(nonce) {
            repeats += 1;
        }
    }
    eprintln!("[reliability] {NONCE_SEALS} seals: {repeats} repeated nonces");
    assert_eq!(seen.len() + repeats, NONCE_SEALS);
    assert_eq!(repeats, 0);
}
