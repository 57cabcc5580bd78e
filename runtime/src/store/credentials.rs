//! Writing encrypted credentials: the compare-and-swap store used by the accounts API, and the
//! batch re-encryption primitives used by the vault's rewrap.

use uuid::Uuid;

use super::outbox::{event_for, insert_outbox};
use super::rows::{self, AccountRow, account_columns};
use super::transitions::{insert_history, lock_account};
use super::ts::{Ts, now};
use super::{
    AccountRecord, CiphertextSwap, CredentialsUpdate, KeyId, RewrapCandidate, StatusEvent, Store,
    StoreError, canonical_json,
};

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    connection: String,
    identifier: String,
    config: String,
    credentials: Vec<u8>,
    key_id: i64,
    version: i64,
}

impl Store {
    /// Stores new sealed credentials with their auth scheme and config, and moves the account
    /// to `update.status`, in one transaction that also writes a status history row. Fails with
    /// `VersionConflict` unless the account's version is still `update.expected_version`.
    #[doc(hidden)]
    pub async fn store_credentials(
        &self,
        id: Uuid,
        update: &CredentialsUpdate,
    ) -> Result<AccountRecord, StoreError> {
        self.store_credentials_evented(id, update)
            .await
            .map(|(a, _)| a)
    }

    /// [`Store::store_credentials`], with the status event it wrote (when status or reason
    /// changed: that change also has an outbox row, in the same transaction).
    pub(crate) async fn store_credentials_evented(
        &self,
        id: Uuid,
        update: &CredentialsUpdate,
    ) -> Result<(AccountRecord, Option<StatusEvent>), StoreError> {
        let at = Ts::new(now());
        let config = canonical_json(&serde_json::Value::Object(update.config.clone()));
        let change = &update.status;
        let (row, event): (AccountRow, Option<StatusEvent>) = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let current = lock_account!(tx, id);
            if current.version != update.expected_version {
                return Err(StoreError::VersionConflict {
                    id,
                    expected: update.expected_version,
                    actual: current.version,
                });
            }
            insert_history!(tx, id, Some(current.status.as_str()), change, at);
            let mut event = None;
            if current.status != change.status.as_str()
                || current.status_reason.as_deref() != Some(change.reason.as_str())
            {
                let e = event_for(
                    id,
                    &current.connection,
                    &current.identifier,
                    &current.status,
                    change,
                    at,
                )?;
                insert_outbox!(tx, &e);
                event = Some(e);
            }
            let row = sqlx::query_as(concat!(
                "UPDATE accounts SET auth_scheme = $2, config = $3, credentials = $4, key_id = $5, \
                 status = $6, status_reason = $7, status_message = $8, updated_at = $9, \
                 credentials_updated_at = $9, version = version + 1 \
                 WHERE id = $1 RETURNING ",
                account_columns!()
            ))
            .bind(id)
            .bind(update.auth_scheme.as_str())
            .bind(config.as_str())
            .bind(update.sealed.bytes.as_slice())
            .bind(i64::from(update.sealed.key_id.0))
            .bind(change.status.as_str())
            .bind(change.reason.as_str())
            .bind(change.message.as_deref())
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            (row, event)
        });
        Ok((AccountRecord::try_from(row)?, event))
    }

    /// Up to `limit` accounts with credentials sealed under a key other than `key_id`, with
    /// ids greater than `after` (keyset order by id), for re-encryption.
    pub(crate) async fn accounts_not_under_key(
        &self,
        key_id: KeyId,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<RewrapCandidate>, StoreError> {
        let rows: Vec<CandidateRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, connection, identifier, config, credentials, key_id, version \
                 FROM accounts \
                 WHERE credentials IS NOT NULL AND key_id <> $1 AND ($2 IS NULL OR id > $2) \
                 ORDER BY id LIMIT $3",
            )
            .bind(i64::from(key_id.0))
            .bind(after)
            .bind(i64::from(limit.max(1)))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(RewrapCandidate {
                    id: row.id,
                    config: rows::parse_config(&row.config)?,
                    sealed: super::Sealed {
                        key_id: rows::key_id("accounts", row.key_id)?,
                        bytes: row.credentials,
                    },
                    connection: row.connection,
                    identifier: row.identifier,
                    version: row.version,
                })
            })
            .collect()
    }

    /// Replaces envelopes in one transaction, each only if its account still has the expected
    /// key id and version (otherwise that swap is skipped: the account changed meanwhile).
    /// Does not bump `version`: the plaintext is unchanged. Returns how many were applied.
    #[doc(hidden)]
    pub async fn swap_ciphertexts(&self, swaps: &[CiphertextSwap]) -> Result<u64, StoreError> {
        if swaps.is_empty() {
            return Ok(0);
        }
        let applied = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut applied = 0;
            for swap in swaps {
                applied += sqlx::query(
                    "UPDATE accounts SET credentials = $2, key_id = $3 \
                     WHERE id = $1 AND key_id = $4 AND version = $5",
                )
                .bind(swap.id)
                .bind(swap.sealed.bytes.as_slice())
                .bind(i64::from(swap.sealed.key_id.0))
                .bind(i64::from(swap.expected_key_id.0))
                .bind(swap.expected_version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            applied
        });
        Ok(applied)
    }

    /// How many accounts hold credentials under each key id, by key id.
    pub async fn count_credentials_by_key(&self) -> Result<Vec<(KeyId, u64)>, StoreError> {
        let rows: Vec<(i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT key_id, COUNT(*) FROM accounts WHERE key_id IS NOT NULL \
                 GROUP BY key_id ORDER BY key_id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(key, count)| Ok((rows::key_id("accounts", key)?, count.max(0) as u64)))
            .collect()
    }
}
