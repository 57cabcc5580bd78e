//! The account store suite, run against SQLite and (when configured) PostgreSQL.

mod store_support;

use std::collections::HashSet;

use chrono::Duration;
use serde_json::json;
use store_support::TestDb;
use toolwire_runtime::store::{
    AccountFilter, AccountStatus, CredentialsUpdate, ExecutionRecord, KeyId, Sealed, StatusChange,
    Store, StoreError, now,
};
use uuid::Uuid;

backend_tests!(
    get_or_create_is_idempotent,
    get_or_create_races_to_one_row,
    lookups,
    list_accounts_paginates_and_filters,
    count_accounts_by_status_groups_in_one_query,
    store_credentials_compare_and_swap,
    set_status_records_history_only_on_change,
    set_status_from_applies_only_from_the_expected_status,
    touch_last_used_never_goes_back,
    delete_account_removes_everything_but_audit,
    executions_audit_log,
    prune_executions_deletes_only_older_rows_in_batches,
    migrations_are_idempotent,
    one_time_tokens_are_spent_once,
);

fn config(subdomain: &str) -> serde_json::Map<String, serde_json::Value> {
    json!({"subdomain": subdomain}).as_object().unwrap().clone()
}

fn creds_update(version: i64, key: u32, bytes: &[u8]) -> CredentialsUpdate {
    CredentialsUpdate {
        expected_version: version,
        auth_scheme: "api_token".into(),
        config: config("acme"),
        sealed: Sealed {
            key_id: KeyId(key),
            bytes: bytes.to_vec(),
        },
        status: StatusChange::new(AccountStatus::Active, "credentials_verified", "Connected."),
    }
}

async fn get_or_create_is_idempotent(db: &TestDb) {
    let store = &db.store;
    let (a, created) = store
        .get_or_create_account("zendesk", "user_1")
        .await
        .unwrap();
    assert!(created);
    assert_eq!(a.status, AccountStatus::PendingAuth);
    assert_eq!(a.status_reason.as_deref(), Some("created"));
    assert_eq!(a.version, 1);
    assert!(a.credentials.is_none() && a.auth_scheme.is_none() && a.config.is_empty());
    let (b, created) = store
        .get_or_create_account("zendesk", "user_1")
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(
        a, b,
        "same row, same timestamps (microsecond precision on both backends)"
    );
    let (c, created) = store
        .get_or_create_account("zendesk_oauth", "user_1")
        .await
        .unwrap();
    assert!(created);
    assert_ne!(a.id, c.id);
    let history = store.status_history(a.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from, None);
    assert_eq!(history[0].to, AccountStatus::PendingAuth);
}

async fn get_or_create_races_to_one_row(db: &TestDb) {
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store: Store = db.store.clone();
            tokio::spawn(async move { store.get_or_create_account("zendesk", "racer").await })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut creators = 0;
    for task in tasks {
        let (account, created) = task.await.unwrap().expect("no task fails");
        ids.insert(account.id);
        creators += usize::from(created);
    }
    assert_eq!(ids.len(), 1, "all 50 tasks see the same account");
    assert_eq!(creators, 1, "exactly one task created it");
    let page = db
        .store
        .list_accounts(&AccountFilter::default(), None, 100)
        .await
        .unwrap();
    assert_eq!(page.accounts.len(), 1, "exactly one row");
    let history = db
        .store
        .status_history(*ids.iter().next().unwrap())
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "one creation history row");
}

async fn lookups(db: &TestDb) {
    let store = &db.store;
    assert!(
        store
            .get_account("zendesk", "nobody")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .get_account_by_id(Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );
    let (a, _) = store
        .get_or_create_account("zendesk", "user_é 'quoted'")
        .await
        .unwrap();
    let by_key = store
        .get_account("zendesk", "user_é 'quoted'")
        .await
        .unwrap()
        .unwrap();
    let by_id = store.get_account_by_id(a.id).await.unwrap().unwrap();
    assert_eq!(a, by_key);
    assert_eq!(a, by_id);
    let err = store
        .set_status(
            Uuid::now_v7(),
            &StatusChange::new(AccountStatus::Active, "x", "y"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::AccountNotFound { .. }), "{err}");
    assert_eq!(err.code(), "ACCOUNT_NOT_FOUND");
}

async fn list_accounts_paginates_and_filters(db: &TestDb) {
    let store = &db.store;
    let mut created = Vec::new();
    for i in 0..23 {
        let connection = if i % 3 == 0 {
            "zendesk_oauth"
        } else {
            "zendesk"
        };
        let (a, _) = store
            .get_or_create_account(connection, &format!("user_{i:02}"))
            .await
            .unwrap();
        if i % 4 == 0 {
            store
                .store_credentials(a.id, &creds_update(a.version, 1, b"x"))
                .await
                .unwrap();
        }
        created.push(a.id);
    }
    // All pages, 5 at a time: every account exactly once, in id order.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = store
            .list_accounts(&AccountFilter::default(), token.as_deref(), 5)
            .await
            .unwrap();
        pages += 1;
        assert!(page.accounts.len() <= 5);
        seen.extend(page.accounts.iter().map(|a| a.id));
        match page.next_page_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    let mut sorted = created.clone();
    sorted.sort();
    assert_eq!(
        seen, sorted,
        "stable id order, no duplicates, nothing missing"
    );
    assert_eq!(seen, created, "UUIDv7 ids list in creation order");

    // Exactly-full last page: no dangling token.
    let page = store
        .list_accounts(&AccountFilter::default(), None, 23)
        .await
        .unwrap();
    assert_eq!(page.accounts.len(), 23);
    assert!(page.next_page_token.is_none());

    let by_connection = AccountFilter {
        connection: Some("zendesk_oauth".into()),
        ..AccountFilter::default()
    };
    let page = store
        .list_accounts(&by_connection, None, 100)
        .await
        .unwrap();
    assert_eq!(page.accounts.len(), 8);
    assert!(
        page.accounts
            .iter()
            .all(|a| a.connection == "zendesk_oauth")
    );

    let active = AccountFilter {
        status: Some(AccountStatus::Active),
        auth_scheme: Some("api_token".into()),
        ..AccountFilter::default()
    };
    let page = store.list_accounts(&active, None, 2).await.unwrap();
    assert_eq!(page.accounts.len(), 2);
    let rest = store
        .list_accounts(&active, page.next_page_token.as_deref(), 100)
        .await
        .unwrap();
    assert_eq!(page.accounts.len() + rest.accounts.len(), 6);
    assert!(rest.next_page_token.is_none());

    let err = store
        .list_accounts(&AccountFilter::default(), Some("not-a-token"), 5)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_PAGE_TOKEN");
}

async fn count_accounts_by_status_groups_in_one_query(db: &TestDb) {
    let store = &db.store;
    assert!(store.count_accounts_by_status().await.unwrap().is_empty());
    let (a, _) = store.get_or_create_account("zendesk", "c1").await.unwrap();
    for id in ["c2", "c3"] {
        store.get_or_create_account("zendesk", id).await.unwrap();
    }
    store.get_or_create_account("other", "c1").await.unwrap();
    store
        .store_credentials(a.id, &creds_update(a.version, 1, b"sealed"))
        .await
        .unwrap();
    let mut counts = store.count_accounts_by_status().await.unwrap();
    counts.sort_by(|x, y| (&x.0, x.1.as_str()).cmp(&(&y.0, y.1.as_str())));
    assert_eq!(
        counts,
        vec![
            ("other".to_string(), AccountStatus::PendingAuth, 1),
            ("zendesk".to_string(), AccountStatus::Active, 1),
            ("zendesk".to_string(), AccountStatus::PendingAuth, 2),
        ]
    );
}

async fn store_credentials_compare_and_swap(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store.get_or_create_account("zendesk", "cas").await.unwrap();
    let stored = store
        .store_credentials(a.id, &creds_update(a.version, 7, b"envelope-1"))
        .await
        .unwrap();
    assert_eq!(stored.version, a.version + 1);
    assert_eq!(stored.status, AccountStatus::Active);
    assert_eq!(
        stored.status_reason.as_deref(),
        Some("credentials_verified")
    );
    assert_eq!(stored.auth_scheme.as_deref(), Some("api_token"));
    assert_eq!(stored.config, config("acme"));
    let sealed = stored.credentials.clone().unwrap();
    assert_eq!(
        (sealed.key_id, sealed.bytes.as_slice()),
        (KeyId(7), &b"envelope-1"[..])
    );
    assert!(stored.credentials_updated_at.is_some());
    assert_eq!(
        store.get_account_by_id(a.id).await.unwrap().unwrap(),
        stored
    );

    // A writer holding the old version loses.
    let err = store
        .store_credentials(a.id, &creds_update(a.version, 7, b"envelope-stale"))
        .await
        .unwrap_err();
    match err {
        StoreError::VersionConflict {
            expected, actual, ..
        } => {
            assert_eq!((expected, actual), (a.version, stored.version))
        }
        other => panic!("expected a version conflict, got {other}"),
    }
    let unchanged = store.get_account_by_id(a.id).await.unwrap().unwrap();
    assert_eq!(unchanged.credentials.unwrap().bytes, b"envelope-1");

    // Concurrent writers with the same expected version: exactly one wins.
    let results = futures::future::join_all((0..8).map(|i| {
        let store = store.clone();
        let version = stored.version;
        async move {
            store
                .store_credentials(a.id, &creds_update(version, 7, format!("w{i}").as_bytes()))
                .await
        }
    }))
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| e.code() == "STORE_VERSION_CONFLICT")
    );

    let history = store.status_history(a.id).await.unwrap();
    assert_eq!(history.len(), 3, "created, stored, stored again");
    assert_eq!(history[1].from, Some(AccountStatus::PendingAuth));
    assert_eq!(history[1].to, AccountStatus::Active);
    assert_eq!(history[2].from, Some(AccountStatus::Active));

    let missing = store
        .store_credentials(Uuid::now_v7(), &creds_update(1, 7, b"x"))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "ACCOUNT_NOT_FOUND");
}

async fn set_status_from_applies_only_from_the_expected_status(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store
        .get_or_create_account("zendesk", "guarded")
        .await
        .unwrap();
    let fenced = StatusChange::new(AccountStatus::Restricted, "access_restricted", "Fenced.");
    let restricted = store.set_status(a.id, &fenced).await.unwrap();
    let back = StatusChange::new(AccountStatus::Active, "access_restored", "Works again.");
    let wrong_reason = store
        .set_status_from(a.id, (AccountStatus::Restricted, Some("other")), &back)
        .await
        .unwrap();
    assert!(wrong_reason.is_none(), "another reason: nothing written");
    let active = store
        .set_status_from(
            a.id,
            (AccountStatus::Restricted, Some("access_restricted")),
            &back,
        )
        .await
        .unwrap()
        .expect("applied");
    assert_eq!(active.status, AccountStatus::Active);
    assert_eq!(active.version, restricted.version + 1);
    let again = store
        .set_status_from(
            a.id,
            (AccountStatus::Restricted, Some("access_restricted")),
            &back,
        )
        .await
        .unwrap();
    assert!(again.is_none(), "moved on: nothing written twice");
    let history = store.status_history(a.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| h.reason.as_str())
            .collect::<Vec<_>>(),
        ["created", "access_restricted", "access_restored"]
    );
}

async fn set_status_records_history_only_on_change(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store
        .get_or_create_account("zendesk", "statuses")
        .await
        .unwrap();
    let revoked = StatusChange::new(
        AccountStatus::Revoked,
        "verify_401",
        "Zendesk rejected the API token; reconnect the account.",
    );
    let r1 = store.set_status(a.id, &revoked).await.unwrap();
    assert_eq!(r1.status, AccountStatus::Revoked);
    assert_eq!(r1.version, a.version + 1);
    // Same status and reason: no history, no version bump.
    let r2 = store.set_status(a.id, &revoked).await.unwrap();
    assert_eq!(r2.version, r1.version);
    assert_eq!(r2.updated_at, r1.updated_at);
    // New message only: updated quietly.
    let mut reworded = revoked.clone();
    reworded.message = Some("Reconnect the account with a new token.".into());
    let r3 = store.set_status(a.id, &reworded).await.unwrap();
    assert_eq!(r3.status_message, reworded.message);
    assert_eq!(r3.version, r2.version + 1);
    // Same status, new reason: history.
    let other_reason = StatusChange::new(AccountStatus::Revoked, "oauth_revoked", "Revoked.");
    store.set_status(a.id, &other_reason).await.unwrap();
    let restricted = StatusChange {
        status: AccountStatus::Restricted,
        reason: "verify_403".into(),
        message: None,
    };
    let r5 = store.set_status(a.id, &restricted).await.unwrap();
    assert_eq!(r5.status_message, None);

    let history = store.status_history(a.id).await.unwrap();
    let steps: Vec<_> = history
        .iter()
        .map(|h| (h.from, h.to, h.reason.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (None, AccountStatus::PendingAuth, "created"),
            (
                Some(AccountStatus::PendingAuth),
                AccountStatus::Revoked,
                "verify_401"
            ),
            (
                Some(AccountStatus::Revoked),
                AccountStatus::Revoked,
                "oauth_revoked"
            ),
            (
                Some(AccountStatus::Revoked),
                AccountStatus::Restricted,
                "verify_403"
            ),
        ]
    );
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at));
}

async fn touch_last_used_never_goes_back(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store
        .get_or_create_account("zendesk", "touch")
        .await
        .unwrap();
    let t1 = now();
    store.touch_last_used(a.id, t1).await.unwrap();
    let r = store.get_account_by_id(a.id).await.unwrap().unwrap();
    assert_eq!(r.last_used_at, Some(t1));
    assert_eq!(r.version, a.version, "touch does not bump the CAS version");
    store
        .touch_last_used(a.id, t1 - Duration::seconds(5))
        .await
        .unwrap();
    assert_eq!(
        store
            .get_account_by_id(a.id)
            .await
            .unwrap()
            .unwrap()
            .last_used_at,
        Some(t1)
    );
    let t2 = t1 + Duration::milliseconds(1);
    store.touch_last_used(a.id, t2).await.unwrap();
    assert_eq!(
        store
            .get_account_by_id(a.id)
            .await
            .unwrap()
            .unwrap()
            .last_used_at,
        Some(t2)
    );
    store
        .touch_last_used(Uuid::now_v7(), t2)
        .await
        .expect("missing account is fine");
}

async fn delete_account_removes_everything_but_audit(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store
        .get_or_create_account("zendesk", "gone")
        .await
        .unwrap();
    store
        .store_credentials(a.id, &creds_update(a.version, 1, b"secret-bytes"))
        .await
        .unwrap();
    store
        .record_execution(&execution(Some(a.id), "gone"))
        .await
        .unwrap();
    assert!(store.delete_account(a.id).await.unwrap());
    assert!(!store.delete_account(a.id).await.unwrap());
    assert!(store.get_account_by_id(a.id).await.unwrap().is_none());
    assert!(store.status_history(a.id).await.unwrap().is_empty());
    assert_eq!(
        store.list_executions(Some(a.id), 10).await.unwrap().len(),
        1
    );
    // The pair can be created again, as a new account.
    let (again, created) = store
        .get_or_create_account("zendesk", "gone")
        .await
        .unwrap();
    assert!(created);
    assert_ne!(again.id, a.id);
}

fn execution(account_id: Option<Uuid>, identifier: &str) -> ExecutionRecord {
    ExecutionRecord {
        execution_id: Uuid::now_v7(),
        account_id,
        connection: "zendesk".into(),
        identifier: identifier.into(),
        tool: "zendesk_ticket_get".into(),
        outcome: "ok".into(),
        error_code: None,
        http_status: Some(200),
        latency_ms: 42,
        at: now(),
    }
}

async fn executions_audit_log(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store
        .get_or_create_account("zendesk", "audited")
        .await
        .unwrap();
    let first = execution(Some(a.id), "audited");
    let mut second = execution(Some(a.id), "audited");
    second.outcome = "error".into();
    second.error_code = Some("RATE_LIMITED".into());
    second.http_status = Some(429);
    second.at = first.at + Duration::milliseconds(3);
    let unresolved = ExecutionRecord {
        account_id: None,
        http_status: None,
        at: second.at + Duration::milliseconds(1),
        ..execution(None, "nobody")
    };
    store.record_execution(&first).await.unwrap();
    store.record_execution(&second).await.unwrap();
    store.record_execution(&unresolved).await.unwrap();
    assert_eq!(
        store.list_executions(Some(a.id), 10).await.unwrap(),
        vec![second, first]
    );
    assert_eq!(store.list_executions(None, 10).await.unwrap().len(), 3);
    assert_eq!(
        store.list_executions(None, 1).await.unwrap(),
        vec![unresolved]
    );
}

async fn prune_executions_deletes_only_older_rows_in_batches(db: &TestDb) {
    let store = &db.store;
    let cutoff = now() - Duration::days(30);
    let mut kept = Vec::new();
    for i in 0..5 {
        let old = ExecutionRecord {
            at: cutoff - Duration::days(1) - Duration::seconds(i),
            ..execution(None, "old")
        };
        store.record_execution(&old).await.unwrap();
    }
    for at in [cutoff + Duration::seconds(1), now()] {
        let new = ExecutionRecord {
            at,
            ..execution(None, "new")
        };
        store.record_execution(&new).await.unwrap();
        kept.push(new);
    }
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 2);
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 2);
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 1);
    assert_eq!(store.prune_executions(cutoff, 2).await.unwrap(), 0);
    kept.reverse();
    assert_eq!(store.list_executions(None, 100).await.unwrap(), kept);
}

async fn migrations_are_idempotent(db: &TestDb) {
    db.store.migrate().await.unwrap();
    db.store.migrate().await.unwrap();
    assert!(
        db.store
            .get_or_create_account("zendesk", "m")
            .await
            .unwrap()
            .1
    );
}

#[test]
fn status_names_are_stable() {
    let names: Vec<_> = AccountStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "PENDING_AUTH",
            "ACTIVE",
            "REVOKED",
            "EXPIRED",
            "RESTRICTED",
            "DISCONNECTED"
        ]
    );
    for status in AccountStatus::ALL {
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, format!("\"{}\"", status.as_str()));
        assert_eq!(
            serde_json::from_str::<AccountStatus>(&json).unwrap(),
            status
        );
        assert_eq!(status.as_str().parse::<AccountStatus>().unwrap(), status);
    }
    assert!("active".parse::<AccountStatus>().is_err());
}

#[tokio::test]
async fn bad_urls_are_refused_without_echoing_them() {
    for url in [
        "mysql://root:hunter2@db/x",
        "sqlite://",
        "postgres://u:hunter2@[bad",
    ] {
        let err = Store::connect(url).await.unwrap_err();
        assert_eq!(err.code(), "STORE_INVALID_URL", "{url}");
        assert!(!err.to_string().contains("hunter2"));
        assert!(!format!("{err:?}").contains("hunter2"));
    }
}

async fn one_time_tokens_are_spent_once(db: &TestDb) {
    let store = &db.store;
    let later = chrono::Utc::now() + chrono::Duration::minutes(5);
    assert!(!store.token_spent("magic_link", "h1").await.unwrap());
    assert!(store.spend_token("magic_link", "h1", later).await.unwrap());
    assert!(store.token_spent("magic_link", "h1").await.unwrap());
    assert!(
        !store.spend_token("magic_link", "h1", later).await.unwrap(),
        "second spend refused"
    );
    assert!(store.spend_token("magic_link", "h2", later).await.unwrap());
    // A final spend cannot be given back by anyone.
    assert!(!store.unspend_token("magic_link", "h1", "x").await.unwrap());
    assert!(store.token_spent("magic_link", "h1").await.unwrap());
    // Held for an attempt, given back by that attempt only: spendable once more.
    let claim = store
        .hold_token("magic_link", "h4", later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store.hold_token("magic_link", "h4", later).await.unwrap(),
        None
    );
    assert!(
        !store
            .unspend_token("magic_link", "h4", "another")
            .await
            .unwrap()
    );
    assert!(store.token_spent("magic_link", "h4").await.unwrap());
    assert!(
        store
            .unspend_token("magic_link", "h4", &claim)
            .await
            .unwrap()
    );
    assert!(!store.token_spent("magic_link", "h4").await.unwrap());
    assert!(store.spend_token("magic_link", "h4", later).await.unwrap());
    // Many spenders at once (as several replicas would be): exactly one wins.
    let wins =
        futures::future::join_all((0..16).map(|_| store.spend_token("magic_link", "h3", later)))
            .await
            .into_iter()
            .filter(|r| *r.as_ref().unwrap())
            .count();
    assert_eq!(wins, 1);
}

#[cfg(unix)]
#[tokio::test]
async fn sqlite_files_are_owner_only_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("toolwire.db");
    let mode = |suffix: &str| {
        std::fs::metadata(format!("{}{suffix}", path.display()))
            .unwrap_or_else(|e| panic!("toolwire.db{suffix}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    let store = Store::sqlite(&path).await.unwrap();
    store.get_or_create_account("zendesk", "a").await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(suffix), 0o600, "toolwire.db{suffix}");
    }
    store.close().await;
    // A file left world-readable by an older version is tightened on open.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::sqlite(&path).await.unwrap();
    store.get_or_create_account("zendesk", "b").await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(suffix), 0o600, "toolwire.db{suffix} after reopen");
    }
    store.close().await;
}
