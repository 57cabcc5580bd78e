//! OAuth persistence: pending authorizations (single-use, expiring states) and the
//! credential lock that makes token refresh single-flight across processes.
//!
//! The lock is a transaction holding the account row (PostgreSQL row lock; SQLite write lock):
//! whoever holds it re-reads the credentials, refreshes only if nobody else already did, and
//! persists the rotated refresh token before anyone uses the new access token.

use chrono::{DateTime, Utc};
use sqlx::{Postgres, Sqlite, Transaction};
use uuid::Uuid;

use super::outbox::{event_for, insert_outbox};
use super::rows::{AccountRow, account_columns};
use super::transitions::{insert_history, lock_account};
use super::ts::{Ts, now};
use super::{AccountRecord, Pool, Sealed, StatusChange, Store, StoreError, canonical_json};

/// A pending authorization (what `start` stored, `complete` takes back once).
#[derive(Debug, Clone)]
pub(crate) struct OAuthState {
    /// SHA-256 of the state parameter (the parameter itself is never stored).
    pub state_hash: String,
    /// Connection.
    pub connection: String,
    /// Host app's identifier.
    pub identifier: String,
    /// Auth scheme name in the spec.
    pub scheme: String,
    /// Validated config (e.g. subdomain).
    pub config: super::AccountConfig,
    /// Where the vendor sends the user back.
    pub redirect_uri: String,
    /// The PKCE verifier, sealed by the vault.
    pub verifier: Vec<u8>,
    /// When the state stops being accepted.
    pub expires_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    state_hash: String,
    connection: String,
    identifier: String,
    scheme: String,
    config: String,
    redirect_uri: String,
    verifier: Vec<u8>,
    expires_at: Ts,
}

impl Store {
    /// Saves a pending authorization.
    pub(crate) async fn insert_oauth_state(&self, state: &OAuthState) -> Result<(), StoreError> {
        let config = canonical_json(&serde_json::Value::Object(state.config.clone()));
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO oauth_states (state_hash, connection, identifier, scheme, config, \
                 redirect_uri, verifier, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(state.state_hash.as_str())
            .bind(state.connection.as_str())
            .bind(state.identifier.as_str())
            .bind(state.scheme.as_str())
            .bind(config.as_str())
            .bind(state.redirect_uri.as_str())
            .bind(state.verifier.as_slice())
            .bind(Ts::new(now()))
            .bind(Ts::new(state.expires_at))
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Takes a pending authorization: only once, and only before it expires.
    pub(crate) async fn take_oauth_state(
        &self,
        state_hash: &str,
    ) -> Result<Option<OAuthState>, StoreError> {
        let at = Ts::new(now());
        let row: Option<StateRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "UPDATE oauth_states SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL \
                 AND expires_at > $2 RETURNING state_hash, connection, identifier, scheme, config, \
                 redirect_uri, verifier, expires_at",
            )
            .bind(state_hash)
            .bind(at)
            .fetch_optional(pool)
            .await?
        });
        row.map(|r| {
            let config = match serde_json::from_str(&r.config) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => {
                    return Err(StoreError::Corrupt {
                        table: "oauth_states",
                        detail: "config is not a JSON object",
                    });
                }
            };
            Ok(OAuthState {
                state_hash: r.state_hash,
                connection: r.connection,
                identifier: r.identifier,
                scheme: r.scheme,
                config,
                redirect_uri: r.redirect_uri,
                verifier: r.verifier,
                expires_at: r.expires_at.0,
            })
        })
        .transpose()
    }

    /// Locks an account's credentials until the returned guard commits or drops.
    pub(crate) async fn lock_credentials(&self, id: Uuid) -> Result<CredentialLock, StoreError> {
        macro_rules! begin {
            ($pool:expr, $variant:ident) => {{
                let mut tx = $pool.begin().await?;
                let _ = lock_account!(tx, id);
                let row: AccountRow = sqlx::query_as(concat!(
                    "SELECT ",
                    account_columns!(),
                    " FROM accounts WHERE id = $1"
                ))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                CredentialLock {
                    tx: LockedTx::$variant(tx),
                    account: AccountRecord::try_from(row)?,
                }
            }};
        }
        Ok(match &self.pool {
            Pool::Sqlite(pool) => begin!(pool, Sqlite),
            Pool::Postgres(pool) => begin!(pool, Postgres),
        })
    }
}

enum LockedTx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// An account row held for a credential refresh.
pub(crate) struct CredentialLock {
    tx: LockedTx,
    account: AccountRecord,
}

impl std::fmt::Debug for CredentialLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialLock")
            .field("account", &self.account.id)
            .finish_non_exhaustive()
    }
}

impl CredentialLock {
    /// The account as it is now (after any other process's refresh).
    pub fn account(&self) -> &AccountRecord {
        &self.account
    }

    /// Replaces the sealed credentials (same scheme), optionally the config they are sealed
    /// with (a refresh answer re-read the account's address) and the status, and commits.
    /// Returns the updated account.
    pub async fn replace(
        self,
        sealed: &Sealed,
        config: Option<&super::AccountConfig>,
        status: Option<&StatusChange>,
    ) -> Result<AccountRecord, StoreError> {
        let config = config.map(|c| canonical_json(&serde_json::Value::Object(c.clone())));
        let id = self.account.id;
        let at = Ts::new(now());
        let from = self.account.status.as_str();
        let event = status
            .filter(|c| {
                c.status != self.account.status
                    || self.account.status_reason.as_deref() != Some(c.reason.as_str())
            })
            .map(|c| {
                let a = &self.account;
                event_for(id, &a.connection, &a.identifier, from, c, at)
            })
            .transpose()?;
        macro_rules! run {
            ($tx:expr) => {{
                let mut tx = $tx;
                if let Some(change) = status {
                    insert_history!(tx, id, Some(from), change, at);
                }
                if let Some(event) = &event {
                    insert_outbox!(tx, event);
                }
                let row: AccountRow = sqlx::query_as(concat!(
                    "UPDATE accounts SET credentials = $2, key_id = $3, credentials_updated_at = $4, \
                     updated_at = $4, version = version + 1, \
                     status = COALESCE($5, status), status_reason = COALESCE($6, status_reason), \
                     status_message = CASE WHEN $5 IS NULL THEN status_message ELSE $7 END, \
                     config = COALESCE($8, config) \
                     WHERE id = $1 RETURNING ",
                    account_columns!()
                ))
                .bind(id)
                .bind(sealed.bytes.as_slice())
                .bind(i64::from(sealed.key_id.0))
                .bind(at)
                .bind(status.map(|s| s.status.as_str()))
                .bind(status.map(|s| s.reason.as_str()))
                .bind(status.and_then(|s| s.message.as_deref()))
                .bind(config.as_deref())
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                row
            }};
        }
        let row = match self.tx {
            LockedTx::Sqlite(tx) => run!(tx),
            LockedTx::Postgres(tx) => run!(tx),
        };
        AccountRecord::try_from(row)
    }

    /// Releases the lock without changes.
    pub async fn release(self) -> Result<(), StoreError> {
        match self.tx {
            LockedTx::Sqlite(tx) => tx.rollback().await?,
            LockedTx::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}
