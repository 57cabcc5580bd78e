//! The access-token store (per-identifier MCP tokens), run against SQLite and (when
//! configured) PostgreSQL.

mod store_support;

use chrono::Duration;
use store_support::TestDb;
use toolwire_runtime::store::{NewAccessToken, now};

backend_tests!(
    access_tokens_round_trip_by_hash_only,
    access_tokens_revoke_once_and_expire,
    access_tokens_list_by_identifier_newest_first,
    access_tokens_hash_is_unique,
);

fn new(identifier: &str) -> NewAccessToken {
    NewAccessToken {
        identifier: identifier.into(),
        toolset: Some("support".into()),
        read_only: true,
        audience: Some("https://tw.example/mcp".into()),
        client_id: Some("https://client.example/meta.json".into()),
        expires_at: Some(now() + Duration::hours(1)),
    }
}

async fn access_tokens_round_trip_by_hash_only(db: &TestDb) {
    let made = db
        .store
        .insert_access_token("hash-a", &new("user_1"))
        .await
        .unwrap();
    let (hash, found) = db
        .store
        .access_token_by_hash("hash-a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash, "hash-a");
    assert_eq!(
        found, made,
        "every field round-trips at the store's precision"
    );
    assert!(found.read_only && found.is_live(now()));
    assert!(
        db.store
            .access_token_by_hash("hash-b")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(db.store.access_token(made.id).await.unwrap(), Some(made));
}

async fn access_tokens_revoke_once_and_expire(db: &TestDb) {
    let live = db
        .store
        .insert_access_token("h1", &new("user_1"))
        .await
        .unwrap();
    assert!(db.store.revoke_access_token(live.id).await.unwrap());
    assert!(
        !db.store.revoke_access_token(live.id).await.unwrap(),
        "second revoke is a no-op"
    );
    let (_, revoked) = db.store.access_token_by_hash("h1").await.unwrap().unwrap();
    assert!(revoked.revoked_at.is_some() && !revoked.is_live(now()));

    let mut short = new("user_1");
    short.expires_at = Some(now() - Duration::seconds(1));
    let expired = db.store.insert_access_token("h2", &short).await.unwrap();
    assert!(!expired.is_live(now()));
    let mut forever = new("user_1");
    forever.expires_at = None;
    let forever = db.store.insert_access_token("h3", &forever).await.unwrap();
    assert!(forever.is_live(now() + Duration::days(3650)));

    // Revoking a client's tokens for one identifier leaves other identifiers alone.
    let other = db
        .store
        .insert_access_token("h4", &new("user_2"))
        .await
        .unwrap();
    let n = db
        .store
        .revoke_client_access_tokens("user_1", "https://client.example/meta.json")
        .await
        .unwrap();
    assert_eq!(n, 2, "h2 and h3 (h1 was already revoked)");
    assert!(
        db.store
            .access_token(other.id)
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );
}

async fn access_tokens_list_by_identifier_newest_first(db: &TestDb) {
    let a = db
        .store
        .insert_access_token("l1", &new("user_1"))
        .await
        .unwrap();
    let b = db
        .store
        .insert_access_token("l2", &new("user_1"))
        .await
        .unwrap();
    let c = db
        .store
        .insert_access_token("l3", &new("user_2"))
        .await
        .unwrap();
    let mine = db
        .store
        .list_access_tokens(Some("user_1"), 100)
        .await
        .unwrap();
    let ids: Vec<_> = mine.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&a.id) && ids.contains(&b.id) && !ids.contains(&c.id));
    assert!(mine[0].created_at >= mine[1].created_at);
    assert_eq!(
        db.store.list_access_tokens(None, 100).await.unwrap().len(),
        3
    );
    assert_eq!(db.store.list_access_tokens(None, 1).await.unwrap().len(), 1);
}

async fn access_tokens_hash_is_unique(db: &TestDb) {
    db.store
        .insert_access_token("dup", &new("user_1"))
        .await
        .unwrap();
    let err = db
        .store
        .insert_access_token("dup", &new("user_2"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "STORE_CONFLICT");
}
