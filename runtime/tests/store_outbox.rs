//! The status-event outbox, on SQLite and (when configured) PostgreSQL: one event per status
//! change written with the change (however many writers race), claims in order per account
//! with leases that expire, concurrent claimers that never share an event, and pruning.

mod store_support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::Duration as Age;
use store_support::TestDb;
use toolwire_runtime::store::{
    AccountStatus, CredentialsUpdate, KeyId, OutboxState, Sealed, StatusChange, Store, now,
};
use uuid::Uuid;

backend_tests!(
    racing_writers_make_one_event_per_change,
    credentials_saved_with_a_status_change_write_its_event,
    claims_go_in_order_per_account,
    an_expired_lease_makes_an_event_claimable_again,
    concurrent_claimers_never_share_an_event,
    pruning_deletes_done_rows_then_old_ones_in_batches,
);

const LEASE: Duration = Duration::from_secs(30);

fn revoked() -> StatusChange {
    StatusChange::new(AccountStatus::Revoked, "credentials_rejected", "rejected")
}

fn active(reason: &str) -> StatusChange {
    StatusChange::new(AccountStatus::Active, reason, "ok")
}

/// A new account with `changes` applied in turn; its id.
async fn account(store: &Store, identifier: &str, changes: &[StatusChange]) -> Uuid {
    let (a, _) = store
        .get_or_create_account("zendesk", identifier)
        .await
        .unwrap();
    for c in changes {
        store.set_status(a.id, c).await.unwrap();
    }
    a.id
}

async fn racing_writers_make_one_event_per_change(db: &TestDb) {
    let store = &db.store;
    let id = account(store, "racer", &[active("credentials_verified")]).await;
    // Eight writers (as many replicas) see the same revocation at once.
    let writers = (0..8).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.set_status(id, &revoked()).await.unwrap() })
    });
    for w in writers {
        assert_eq!(w.await.unwrap().status, AccountStatus::Revoked);
    }
    // A new message alone is not a change.
    store
        .set_status(
            id,
            &StatusChange::new(AccountStatus::Revoked, "credentials_rejected", "again"),
        )
        .await
        .unwrap();

    let outbox = store.list_outbox(100).await.unwrap();
    let moves: Vec<(AccountStatus, AccountStatus)> =
        outbox.iter().map(|e| (e.event.from, e.event.to)).collect();
    assert_eq!(
        moves,
        vec![
            (AccountStatus::PendingAuth, AccountStatus::Active),
            (AccountStatus::Active, AccountStatus::Revoked),
        ]
    );
    let history = store.status_history(id).await.unwrap();
    let revocations = history
        .iter()
        .filter(|h| h.to == AccountStatus::Revoked)
        .count();
    assert_eq!(revocations, 1, "one transition: {history:?}");
    let revoked_event = &outbox[1];
    assert_eq!(revoked_event.event.account_id, id);
    assert_eq!(revoked_event.event.connection, "zendesk");
    assert_eq!(revoked_event.event.identifier, "racer");
    assert_eq!(
        revoked_event.event.reason.as_deref(),
        Some("credentials_rejected")
    );
    assert_eq!(revoked_event.state, OutboxState::Pending);
    assert_eq!(revoked_event.attempts, 0);
    assert_ne!(outbox[0].event.event_id, outbox[1].event.event_id);
}

async fn credentials_saved_with_a_status_change_write_its_event(db: &TestDb) {
    let store = &db.store;
    let (a, _) = store
        .get_or_create_account("zendesk", "saver")
        .await
        .unwrap();
    let update = |version| CredentialsUpdate {
        expected_version: version,
        auth_scheme: "api_token".into(),
        config: serde_json::Map::new(),
        sealed: Sealed {
            key_id: KeyId(1),
            bytes: vec![1, 2, 3],
        },
        status: active("credentials_verified"),
    };
    let saved = store
        .store_credentials(a.id, &update(a.version))
        .await
        .unwrap();
    // The same status and reason again (new credentials): history, but no event.
    store
        .store_credentials(a.id, &update(saved.version))
        .await
        .unwrap();
    let outbox = store.list_outbox(10).await.unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0].event.from, AccountStatus::PendingAuth);
    assert_eq!(outbox[0].event.to, AccountStatus::Active);
}

async fn claims_go_in_order_per_account(db: &TestDb) {
    let store = &db.store;
    // Account a: three events; account b: one.
    let a = account(
        store,
        "a",
        &[
            active("credentials_verified"),
            revoked(),
            active("reconnected"),
        ],
    )
    .await;
    let b = account(store, "b", &[active("credentials_verified")]).await;
    let (one, two) = (Uuid::new_v4(), Uuid::new_v4());

    let first = store.claim_outbox(one, LEASE, 10).await.unwrap();
    let heads: Vec<(Uuid, AccountStatus)> = first
        .iter()
        .map(|e| (e.event.account_id, e.event.to))
        .collect();
    assert_eq!(
        heads,
        vec![(a, AccountStatus::Active), (b, AccountStatus::Active)],
        "only each account's oldest event"
    );
    assert!(
        first.iter().all(|e| e.attempts == 1),
        "a claim is an attempt"
    );
    assert!(
        store.claim_outbox(two, LEASE, 10).await.unwrap().is_empty(),
        "leased events and the events queued behind them are not claimed"
    );

    // a's first delivered: its second comes up.
    store.outbox_delivered(first[0].seq).await.unwrap();
    let next = store.claim_outbox(two, LEASE, 10).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].event.to, AccountStatus::Revoked);

    // It fails and is scheduled later: it still blocks a's third.
    let later = now() + Age::minutes(5);
    store
        .outbox_retry_at(next[0].seq, two, later, "the receiver answered HTTP 500")
        .await
        .unwrap();
    assert!(store.claim_outbox(two, LEASE, 10).await.unwrap().is_empty());
    let row = store
        .list_outbox(10)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.seq == next[0].seq)
        .unwrap();
    assert_eq!(row.state, OutboxState::Pending);
    assert_eq!(row.attempts, 1);
    assert_eq!(row.next_attempt_at, later);
    assert_eq!(
        row.last_error.as_deref(),
        Some("the receiver answered HTTP 500")
    );

    // Dropped: the third comes up.
    store
        .outbox_dropped(next[0].seq, "the receiver answered HTTP 410")
        .await
        .unwrap();
    let third = store.claim_outbox(one, LEASE, 10).await.unwrap();
    assert_eq!(third.len(), 1);
    assert_eq!(
        (third[0].event.account_id, third[0].event.reason.as_deref()),
        (a, Some("reconnected"))
    );
    let states: Vec<OutboxState> = store
        .list_outbox(10)
        .await
        .unwrap()
        .iter()
        .map(|e| e.state)
        .collect();
    assert_eq!(
        states,
        vec![
            OutboxState::Delivered,
            OutboxState::Dropped,
            OutboxState::Pending,
            OutboxState::Pending
        ]
    );
}

async fn an_expired_lease_makes_an_event_claimable_again(db: &TestDb) {
    let store = &db.store;
    account(store, "dies", &[active("credentials_verified")]).await;
    let (dead, alive) = (Uuid::new_v4(), Uuid::new_v4());
    // The first claimer takes it with a very short lease, then "dies".
    let taken = store
        .claim_outbox(dead, Duration::from_millis(50), 10)
        .await
        .unwrap();
    assert_eq!(taken.len(), 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    let again = loop {
        let got = store.claim_outbox(alive, LEASE, 10).await.unwrap();
        if !got.is_empty() {
            break got;
        }
        assert!(Instant::now() < deadline, "the lease never expired");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(
        again[0].event.event_id, taken[0].event.event_id,
        "same event id"
    );
    assert_eq!(again[0].attempts, 2);
    // The dead claimer's late "retry later" does not touch the new claim.
    store
        .outbox_retry_at(taken[0].seq, dead, now() + Age::hours(1), "late")
        .await
        .unwrap();
    let row = &store.list_outbox(10).await.unwrap()[0];
    assert_eq!(row.last_error, None);
    assert!(row.next_attempt_at < now());
}

async fn concurrent_claimers_never_share_an_event(db: &TestDb) {
    let store = &db.store;
    for i in 0..40 {
        account(store, &format!("c{i}"), &[active("credentials_verified")]).await;
    }
    let claimers = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let owner = Uuid::new_v4();
            let mut mine = Vec::new();
            loop {
                let got = store.claim_outbox(owner, LEASE, 3).await.unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|e| e.event.event_id));
            }
        })
    });
    let mut all = Vec::new();
    for c in claimers {
        all.extend(c.await.unwrap());
    }
    let distinct: HashSet<Uuid> = all.iter().copied().collect();
    assert_eq!(all.len(), 40, "every event claimed exactly once");
    assert_eq!(distinct.len(), 40);
}

async fn pruning_deletes_done_rows_then_old_ones_in_batches(db: &TestDb) {
    let store = &db.store;
    for i in 0..3 {
        account(store, &format!("p{i}"), &[active("credentials_verified")]).await;
    }
    let claimed = store.claim_outbox(Uuid::new_v4(), LEASE, 10).await.unwrap();
    store.outbox_delivered(claimed[0].seq).await.unwrap();
    store.outbox_dropped(claimed[1].seq, "gone").await.unwrap();
    let soon = now() + Age::hours(1);
    let long_ago = now() - Age::days(7);
    // Done rows only, one per batch.
    assert_eq!(store.prune_outbox(soon, long_ago, 1).await.unwrap(), 1);
    assert_eq!(store.prune_outbox(soon, long_ago, 1).await.unwrap(), 1);
    assert_eq!(store.prune_outbox(soon, long_ago, 1).await.unwrap(), 0);
    let left = store.list_outbox(10).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].seq, claimed[2].seq, "the pending one stays");
    // Too old to matter, whatever its state.
    assert_eq!(store.prune_outbox(long_ago, soon, 10).await.unwrap(), 1);
    assert!(store.list_outbox(10).await.unwrap().is_empty());
}
