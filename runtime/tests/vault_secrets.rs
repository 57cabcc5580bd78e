//! Secrets never leak: a canary plaintext is absent from the SQLite files, from every `Debug`
//! and error message; the key file is 0600; and a rewrap killed with SIGKILL leaves every
//! account readable and resumes to completion.

mod store_support;

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use serde_json::json;
use store_support::TestDb;
use toolwire_runtime::Toolwire;
use toolwire_runtime::store::{KeyId, Store, StoreError};
use toolwire_runtime::vault::{Aad, Credentials, MasterKey, Vault, VaultError};

const CANARY: &str = "CANARY-9f2c71e4-do-not-leak";

/// Stores `token` for `identifier` the way apps do (`import_credentials`).
async fn store_secret(tw: &Toolwire, identifier: &str, token: &str) {
    let creds = Credentials::from_fields([("email", "a@acme.test"), ("api_token", token)]);
    store_support::import(tw, identifier, "acme", creds).await;
}

fn assert_no_canary_in_files(db: &TestDb, must_contain: &str) {
    let path = db.sqlite_path.as_ref().unwrap();
    let mut found_marker = false;
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        assert!(
            !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
            "canary found in {file}"
        );
        found_marker |= bytes
            .windows(must_contain.len())
            .any(|w| w == must_contain.as_bytes());
    }
    assert!(
        found_marker,
        "sanity: the non-secret identifier is in the files"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canary_never_leaks() {
    let db = TestDb::sqlite().await;
    let key = MasterKey::generate();
    let key_b64 = key.to_base64().expose_secret().to_owned();
    let tw = store_support::toolwire(&db.store, key).await;
    let vault = tw.vault();
    for i in 0..5 {
        store_secret(&tw, &format!("canary_user_{i}"), CANARY).await;
    }
    vault.rotate(&db.store).await.unwrap();
    let report = vault
        .rewrap(&db.store, 2, |_| ControlFlow::Continue(()))
        .await
        .unwrap();
    assert_eq!(report.rewrapped, 5);

    let account = db
        .store
        .get_account("zendesk", "canary_user_0")
        .await
        .unwrap()
        .unwrap();
    let creds = vault.unseal_account(&account).unwrap().unwrap();
    assert_eq!(creds.expose_field("api_token"), Some(CANARY));

    // Every type, formatted.
    let parsed: Credentials =
        serde_json::from_value(json!({"api_token": CANARY, "nested": {"k": CANARY}})).unwrap();
    let not_object = Credentials::from_value(json!([CANARY])).unwrap_err();
    let decrypt = vault
        .unseal(
            &Aad::new("zendesk", "x", account.id, &account.config),
            &account.credentials.clone().unwrap().bytes,
        )
        .unwrap_err();
    let wrong_key = MasterKey::from_base64(CANARY).unwrap_err();
    let store_err = StoreError::InvalidPageToken;
    let wrapped: VaultError = StoreError::AccountNotFound { id: account.id }.into();
    let master = MasterKey::from_bytes(&[1; 32]).unwrap();
    let shown = [
        format!("{creds:?}"),
        format!("{parsed:?}"),
        format!("{:?}", creds.clone()),
        format!("{account:?}"),
        format!("{:?}", account.credentials),
        format!("{vault:?}"),
        format!("{master:?}"),
        format!("{:?}", master.to_base64()),
        format!("{:?}", Aad::for_account(&account)),
        format!("{report:?}"),
        format!("{:?}", db.store),
        format!("{:?}", db.store.load_keyring().await.unwrap()),
        format!("{not_object} {not_object:?}"),
        format!("{decrypt} {decrypt:?}"),
        format!("{wrong_key} {wrong_key:?}"),
        format!("{store_err} {store_err:?} {wrapped} {wrapped:?}"),
    ];
    for text in &shown {
        assert!(!text.contains(CANARY), "canary in {text}");
        assert!(!text.contains(&key_b64), "master key in {text}");
    }
    assert!(shown[0].contains("REDACTED"));
    assert_eq!(decrypt.code(), "VAULT_DECRYPT_FAILED");

    // The raw database files, while open (WAL holds recent pages) and after close.
    assert_no_canary_in_files(&db, "canary_user_0");
    drop(creds);
    db.store.close().await;
    assert_no_canary_in_files(&db, "canary_user_0");
}

#[tokio::test]
async fn deleted_account_leaves_no_ciphertext_behind() {
    let db = TestDb::sqlite().await;
    let tw = store_support::toolwire(&db.store, MasterKey::generate()).await;
    store_secret(&tw, "doomed", "t").await;
    let account = db
        .store
        .get_account("zendesk", "doomed")
        .await
        .unwrap()
        .unwrap();
    let ciphertext = account.credentials.clone().unwrap().bytes;
    assert!(db.store.delete_account(account.id).await.unwrap());
    store_secret(&tw, "survivor", "t").await;
    db.store.close().await;
    let bytes = std::fs::read(db.sqlite_path.as_ref().unwrap()).unwrap();
    assert!(
        !bytes
            .windows(ciphertext.len())
            .any(|w| w == ciphertext.as_slice()),
        "secure_delete overwrote the deleted ciphertext"
    );
}

#[test]
fn master_key_file_is_private_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys").join("master.key");
    let key = MasterKey::generate();
    key.write_file(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let read = MasterKey::read_file(&path).unwrap();
    assert_eq!(
        read.to_base64().expose_secret(),
        key.to_base64().expose_secret()
    );
    let again = MasterKey::generate().write_file(&path).unwrap_err();
    assert_eq!(again.code(), "MASTER_KEY_FILE");
    assert!(MasterKey::from_base64("c2hvcnQ=").is_err(), "too short");
    assert!(MasterKey::from_bytes(&[0; 31]).is_err());
    assert_ne!(
        MasterKey::generate().to_base64().expose_secret(),
        MasterKey::generate().to_base64().expose_secret()
    );
    let generated_path = dir.path().join("generated.key");
    if std::env::var_os("TOOLWIRE_MASTER_KEY").is_none() {
        let (_, generated) = MasterKey::load_or_generate(&generated_path).unwrap();
        assert!(generated);
        let (_, generated) = MasterKey::load_or_generate(&generated_path).unwrap();
        assert!(!generated);
    }
}

const CHILD_ENV: &str = "TOOLWIRE_TEST_REWRAP_CHILD_DB";
const CHILD_KEY: [u8; 32] = [42; 32];
const ACCOUNTS: usize = 120;

/// Not a test on its own: the child process of `rewrap_survives_sigkill`.
#[tokio::test]
async fn rewrap_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = Store::sqlite(&path).await.unwrap();
    let vault = Vault::open(&store, MasterKey::from_bytes(&CHILD_KEY).unwrap())
        .await
        .unwrap();
    vault
        .rewrap(&store, 3, |_| {
            std::thread::sleep(Duration::from_millis(3));
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rewrap_survives_sigkill() {
    let db = TestDb::sqlite().await;
    let path = db.sqlite_path.clone().unwrap();
    let tw = store_support::toolwire(&db.store, MasterKey::from_bytes(&CHILD_KEY).unwrap()).await;
    let vault = tw.vault();
    for i in 0..ACCOUNTS {
        store_secret(&tw, &format!("u{i:03}"), &format!("tok-{i}")).await;
    }
    // Rotate and rewrap, killing the rewrapping process mid-way, 20 times over: each round adds a
    // new primary key, so ciphertexts end up spread over many key versions.
    let mut kills = 0;
    let mut primary = KeyId(1);
    for round in 0..20u64 {
        primary = vault.rotate(&db.store).await.unwrap();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "rewrap_child", "--nocapture"])
            .env(CHILD_ENV, &path)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait for some progress in this round, then SIGKILL mid-rewrap.
        let before = under_key(&db.store, primary).await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while under_key(&db.store, primary).await <= before && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(Duration::from_millis(round % 7)).await;
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on unix
            kills += 1;
        }
        child.wait().unwrap();
        // Every account is readable, whatever key it is under right now.
        let fresh = Vault::open(&db.store, MasterKey::from_bytes(&CHILD_KEY).unwrap())
            .await
            .unwrap();
        for i in 0..ACCOUNTS {
            let account = db
                .store
                .get_account("zendesk", &format!("u{i:03}"))
                .await
                .unwrap()
                .unwrap();
            let creds = fresh.unseal_account(&account).unwrap().unwrap();
            assert_eq!(
                creds.expose_field("api_token"),
                Some(format!("tok-{i}").as_str())
            );
        }
        eprintln!(
            "round {round}: {:?}",
            db.store.count_credentials_by_key().await.unwrap()
        );
    }
    eprintln!(
        "rewrap killed mid-way {kills} times over 20 rotations; every account readable after each"
    );
    assert!(
        kills >= 20,
        "every round's rewrap was killed mid-way ({kills})"
    );

    // Resume to completion.
    let report = vault
        .rewrap(&db.store, 50, |_| ControlFlow::Continue(()))
        .await
        .unwrap();
    assert!(report.completed && report.failed.is_empty());
    assert_eq!(
        db.store.count_credentials_by_key().await.unwrap(),
        vec![(primary, ACCOUNTS as u64)]
    );
}

async fn under_key(store: &Store, key: KeyId) -> u64 {
    store
        .count_credentials_by_key()
        .await
        .unwrap()
        .into_iter()
        .filter(|(k, _)| *k == key)
        .map(|(_, n)| n)
        .sum()
}
