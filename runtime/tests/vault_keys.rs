//! The vault suite, run against SQLite and (when configured) PostgreSQL: sealing, binding to
//! the account row, tamper detection, the master key check, rotation and (interrupted) rewrap.

mod store_support;

use std::ops::ControlFlow;

use serde_json::json;
use store_support::TestDb;
use toolwire_runtime::store::{
    AccountConfig, AccountFilter, AccountRecord, AccountStatus, CredentialsUpdate, KeyId,
    StatusChange, Store,
};
use toolwire_runtime::vault::{Aad, Credentials, MasterKey, Vault, VaultError};

backend_tests!(
    round_trip,
    ciphertext_moved_to_another_row_fails,
    config_edited_in_database_fails,
    config_key_order_does_not_matter,
    every_bit_flip_is_rejected,
    wrong_master_key_is_refused_at_open,
    rotate_then_rewrap,
    interrupted_rewrap_resumes,
    other_replica_reloads_after_rotation,
);

const KEY: [u8; 32] = [7; 32];

fn master_key() -> MasterKey {
    MasterKey::from_bytes(&KEY).unwrap()
}

fn config(subdomain: &str) -> AccountConfig {
    json!({"subdomain": subdomain}).as_object().unwrap().clone()
}

fn creds(token: &str) -> Credentials {
    Credentials::from_fields([("email", "agent@acme.test"), ("api_token", token)])
}

/// Creates an account and stores `token` for it, sealed by `vault`.
async fn connect(
    store: &Store,
    vault: &Vault,
    identifier: &str,
    subdomain: &str,
    token: &str,
) -> AccountRecord {
    let (account, _) = store
        .get_or_create_account("zendesk", identifier)
        .await
        .unwrap();
    let config = config(subdomain);
    let aad = Aad::new("zendesk", identifier, account.id, &config);
    let sealed = vault.seal(&aad, &creds(token)).unwrap();
    store
        .store_credentials(
            account.id,
            &CredentialsUpdate {
                expected_version: account.version,
                auth_scheme: "api_token".into(),
                config,
                sealed,
                status: StatusChange::new(AccountStatus::Active, "credentials_verified", "OK"),
            },
        )
        .await
        .unwrap()
}

async fn token_of(store: &Store, vault: &Vault, identifier: &str) -> Result<String, VaultError> {
    let account = store
        .get_account("zendesk", identifier)
        .await
        .unwrap()
        .unwrap();
    let creds = vault.unseal_account(&account)?.expect("has credentials");
    Ok(creds.expose_field("api_token").unwrap().to_owned())
}

async fn round_trip(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    assert_eq!(vault.primary_key_id(), KeyId(1));
    let account = connect(&db.store, &vault, "u1", "acme", "tok-1").await;
    let sealed = account.credentials.clone().unwrap();
    assert_eq!(sealed.key_id, KeyId(1));
    let creds = vault
        .unseal(&Aad::for_account(&account), &sealed.bytes)
        .unwrap();
    assert_eq!(creds.expose_field("email"), Some("agent@acme.test"));
    assert_eq!(creds.expose_field("api_token"), Some("tok-1"));
    assert_eq!(creds.len(), 2);
    // Two seals of the same plaintext differ (random nonce).
    let again = vault.seal(&Aad::for_account(&account), &creds).unwrap();
    assert_ne!(again.bytes, sealed.bytes);
    // Reopening with the same key reads it back.
    let reopened = Vault::open(&db.store, master_key()).await.unwrap();
    assert_eq!(token_of(&db.store, &reopened, "u1").await.unwrap(), "tok-1");
}

async fn ciphertext_moved_to_another_row_fails(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    connect(&db.store, &vault, "victim", "acme", "victim-token").await;
    connect(&db.store, &vault, "attacker", "acme", "attacker-token").await;
    let copied = db
        .execute_raw(
            "UPDATE accounts SET credentials = \
             (SELECT credentials FROM accounts WHERE identifier = 'victim') \
             WHERE identifier = 'attacker'",
        )
        .await;
    assert_eq!(copied, 1);
    let err = token_of(&db.store, &vault, "attacker").await.unwrap_err();
    assert!(matches!(err, VaultError::DecryptFailed), "{err}");
    assert_eq!(err.code(), "VAULT_DECRYPT_FAILED");
    assert_eq!(
        token_of(&db.store, &vault, "victim").await.unwrap(),
        "victim-token"
    );
}

async fn config_edited_in_database_fails(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    connect(&db.store, &vault, "u1", "acme", "tok").await;
    let edited = db
        .execute_raw(
            r#"UPDATE accounts SET config = '{"subdomain":"evil"}' WHERE identifier = 'u1'"#,
        )
        .await;
    assert_eq!(edited, 1);
    let err = token_of(&db.store, &vault, "u1").await.unwrap_err();
    assert!(matches!(err, VaultError::DecryptFailed), "{err}");
    db.execute_raw(
        r#"UPDATE accounts SET config = '{"subdomain":"acme"}' WHERE identifier = 'u1'"#,
    )
    .await;
    assert_eq!(token_of(&db.store, &vault, "u1").await.unwrap(), "tok");
}

async fn config_key_order_does_not_matter(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    let (account, _) = db
        .store
        .get_or_create_account("zendesk", "order")
        .await
        .unwrap();
    let a: AccountConfig = serde_json::from_str(r#"{"subdomain":"acme","region":"eu"}"#).unwrap();
    let b: AccountConfig = serde_json::from_str(r#"{"region":"eu","subdomain":"acme"}"#).unwrap();
    let sealed = vault
        .seal(&Aad::new("zendesk", "order", account.id, &a), &creds("t"))
        .unwrap();
    let opened = vault
        .unseal(&Aad::new("zendesk", "order", account.id, &b), &sealed.bytes)
        .unwrap();
    assert_eq!(opened.expose_field("api_token"), Some("t"));
    // But each part of the binding matters.
    for aad in [
        Aad::new("zendesk_oauth", "order", account.id, &a),
        Aad::new("zendesk", "order2", account.id, &a),
        Aad::new("zendesk", "order", uuid::Uuid::now_v7(), &a),
        Aad::new("zendesk", "order", account.id, &config("acme")),
    ] {
        assert!(matches!(
            vault.unseal(&aad, &sealed.bytes),
            Err(VaultError::DecryptFailed)
        ));
    }
}

async fn every_bit_flip_is_rejected(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    let (account, _) = db
        .store
        .get_or_create_account("zendesk", "bits")
        .await
        .unwrap();
    let aad = Aad::for_account(&account);
    let sealed = vault
        .seal(&aad, &Credentials::from_fields([("t", "x")]))
        .unwrap();
    assert!(
        sealed.bytes.len() < 64,
        "small envelope: {}",
        sealed.bytes.len()
    );
    for bit in 0..sealed.bytes.len() * 8 {
        let mut flipped = sealed.bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        let err = vault
            .unseal(&aad, &flipped)
            .expect_err("a flipped bit must be rejected");
        assert!(
            matches!(
                err,
                VaultError::DecryptFailed
                    | VaultError::UnknownKey { .. }
                    | VaultError::UnsupportedEnvelopeVersion { .. }
            ),
            "bit {bit}: {err}"
        );
    }
    // Truncations too.
    for len in 0..sealed.bytes.len() {
        assert!(vault.unseal(&aad, &sealed.bytes[..len]).is_err());
    }
    assert!(vault.unseal(&aad, &sealed.bytes).is_ok());
}

async fn wrong_master_key_is_refused_at_open(db: &TestDb) {
    Vault::open(&db.store, master_key()).await.unwrap();
    let wrong = MasterKey::generate();
    let b64 = wrong.to_base64();
    let err = Vault::open(&db.store, wrong).await.unwrap_err();
    assert!(matches!(err, VaultError::WrongMasterKey), "{err}");
    assert_eq!(err.code(), "WRONG_MASTER_KEY");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("master key"));
    use secrecy::ExposeSecret;
    assert!(!shown.contains(b64.expose_secret()));
    // The right key still works afterwards (nothing was overwritten).
    Vault::open(&db.store, master_key()).await.unwrap();
}

async fn seed(db: &TestDb, vault: &Vault, n: usize) {
    for i in 0..n {
        connect(
            &db.store,
            vault,
            &format!("user_{i:03}"),
            "acme",
            &format!("tok-{i}"),
        )
        .await;
    }
}

async fn assert_all_readable(db: &TestDb, vault: &Vault, n: usize) {
    for i in 0..n {
        assert_eq!(
            token_of(&db.store, vault, &format!("user_{i:03}"))
                .await
                .unwrap(),
            format!("tok-{i}")
        );
    }
}

async fn keys_in_use(store: &Store) -> Vec<(KeyId, u64)> {
    store.count_credentials_by_key().await.unwrap()
}

async fn rotate_then_rewrap(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    seed(db, &vault, 20).await;
    let k2 = vault.rotate(&db.store).await.unwrap();
    assert_eq!(k2, KeyId(2));
    assert_eq!(vault.primary_key_id(), KeyId(2));
    assert_eq!(vault.key_ids(), vec![KeyId(1), KeyId(2)]);
    // Old ciphertexts are still readable before rewrap; new seals use k2.
    assert_all_readable(db, &vault, 20).await;
    connect(&db.store, &vault, "user_020", "acme", "tok-20").await;
    assert_eq!(
        keys_in_use(&db.store).await,
        vec![(KeyId(1), 20), (KeyId(2), 1)]
    );

    let mut batches = Vec::new();
    let report = vault
        .rewrap(&db.store, 6, |p| {
            batches.push(p.rewrapped);
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert!(report.completed);
    assert_eq!(report.rewrapped, 20);
    assert_eq!(report.scanned, 20);
    assert!(report.failed.is_empty());
    assert_eq!(batches, vec![6, 12, 18, 20]);
    assert_eq!(keys_in_use(&db.store).await, vec![(KeyId(2), 21)]);
    assert_all_readable(db, &vault, 21).await;
    // A rewrap does not bump versions (the plaintext did not change).
    let a = db
        .store
        .get_account("zendesk", "user_000")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.version, 2);
    // Nothing left to do.
    let again = vault
        .rewrap(&db.store, 6, |_| ControlFlow::Continue(()))
        .await
        .unwrap();
    assert_eq!((again.scanned, again.completed), (0, true));
    // A fresh process with the same master key reads everything.
    let reopened = Vault::open(&db.store, master_key()).await.unwrap();
    assert_eq!(reopened.primary_key_id(), KeyId(2));
    assert_all_readable(db, &reopened, 21).await;
}

async fn interrupted_rewrap_resumes(db: &TestDb) {
    let vault = Vault::open(&db.store, master_key()).await.unwrap();
    seed(db, &vault, 12).await;
    vault.rotate(&db.store).await.unwrap();
    let stopped = vault
        .rewrap(&db.store, 5, |_| ControlFlow::Break(()))
        .await
        .unwrap();
    assert!(!stopped.completed);
    assert_eq!((stopped.batches, stopped.rewrapped), (1, 5));
    assert_eq!(
        keys_in_use(&db.store).await,
        vec![(KeyId(1), 7), (KeyId(2), 5)]
    );
    // Mixed keys: all readable, also by a freshly opened vault.
    assert_all_readable(db, &vault, 12).await;
    let other = Vault::open(&db.store, master_key()).await.unwrap();
    assert_all_readable(db, &other, 12).await;
    // Rotating again mid-way is fine too: rewrap moves everything to k3.
    vault.rotate(&db.store).await.unwrap();
    let resumed = vault
        .rewrap(&db.store, 5, |_| ControlFlow::Continue(()))
        .await
        .unwrap();
    assert!(resumed.completed);
    assert_eq!(resumed.rewrapped, 12);
    assert_eq!(keys_in_use(&db.store).await, vec![(KeyId(3), 12)]);
    assert_all_readable(db, &vault, 12).await;
}

async fn other_replica_reloads_after_rotation(db: &TestDb) {
    let a = Vault::open(&db.store, master_key()).await.unwrap();
    let b = Vault::open(&db.store, master_key()).await.unwrap();
    a.rotate(&db.store).await.unwrap();
    connect(&db.store, &a, "fresh", "acme", "new").await;
    let err = token_of(&db.store, &b, "fresh").await.unwrap_err();
    assert!(matches!(err, VaultError::UnknownKey { key_id: 2 }), "{err}");
    b.reload(&db.store).await.unwrap();
    assert_eq!(token_of(&db.store, &b, "fresh").await.unwrap(), "new");
    // Concurrent rotations from two replicas both succeed with distinct ids.
    let (x, y) = tokio::join!(a.rotate(&db.store), b.rotate(&db.store));
    let mut ids = vec![x.unwrap(), y.unwrap()];
    ids.sort();
    assert_eq!(ids, vec![KeyId(3), KeyId(4)]);
    let listed = db
        .store
        .list_accounts(&AccountFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(listed.accounts.len(), 1);
}
