//! Status transitions and their history. Every change that moves status or reason writes a
//! history row and a status-event outbox row (`outbox.rs`) in the same transaction as the
//! account update: one event per change, however many replicas tried to make it.

use uuid::Uuid;

use super::outbox::{event_for, insert_outbox};
use super::rows::{AccountRow, HistoryRow, account_columns};
use super::ts::{Ts, now};
use super::{
    AccountRecord, AccountStatus, StatusChange, StatusEvent, StatusHistoryEntry, Store, StoreError,
};

/// The status of a row locked for update (see [`lock_account!`]).
#[derive(sqlx::FromRow)]
pub(crate) struct Locked {
    pub(crate) connection: String,
    pub(crate) identifier: String,
    pub(crate) status: String,
    pub(crate) status_reason: Option<String>,
    pub(crate) status_message: Option<String>,
    pub(crate) version: i64,
}

/// Locks an account row inside a transaction and reads its status, portably: a no-op UPDATE
/// takes PostgreSQL's row lock and SQLite's write lock (as the transaction's first statement it
/// waits on the busy timeout instead of failing on a read-to-write upgrade).
macro_rules! lock_account {
    ($tx:expr, $id:expr) => {
        sqlx::query_as::<_, $crate::store::transitions::Locked>(
            "UPDATE accounts SET version = version WHERE id = $1 \
             RETURNING connection, identifier, status, status_reason, status_message, version",
        )
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?
        .ok_or($crate::store::StoreError::AccountNotFound { id: $id })?
    };
}
pub(crate) use lock_account;

/// Inserts one status history row.
macro_rules! insert_history {
    ($tx:expr, $id:expr, $from:expr, $change:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO account_status_history \
             (account_id, from_status, to_status, reason, message, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind($from)
        .bind($change.status.as_str())
        .bind($change.reason.as_str())
        .bind($change.message.as_deref())
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use insert_history;

impl Store {
    /// Sets the account's status, reason and message. A history row is written only when the
    /// status or the reason changes; a new message alone updates the account quietly. Nothing
    /// changes (and `version` stays) when all three are equal. Returns the updated account.
    #[doc(hidden)]
    pub async fn set_status(
        &self,
        id: Uuid,
        change: &StatusChange,
    ) -> Result<AccountRecord, StoreError> {
        self.set_status_evented(id, change).await.map(|(a, _)| a)
    }

    /// [`Store::set_status`], with the event it wrote (`None` when status and reason stayed).
    pub(crate) async fn set_status_evented(
        &self,
        id: Uuid,
        change: &StatusChange,
    ) -> Result<(AccountRecord, Option<StatusEvent>), StoreError> {
        self.transition(id, None, change)
            .await?
            .ok_or(StoreError::AccountNotFound { id })
    }

    /// Like [`Store::set_status`], but only while the account still has status `from.0` and
    /// reason `from.1` (checked under the row lock): `None`, and nothing written, when it moved
    /// on meanwhile.
    #[doc(hidden)]
    pub async fn set_status_from(
        &self,
        id: Uuid,
        from: (AccountStatus, Option<&str>),
        change: &StatusChange,
    ) -> Result<Option<AccountRecord>, StoreError> {
        Ok(self
            .set_status_from_evented(id, from, change)
            .await?
            .map(|(a, _)| a))
    }

    /// [`Store::set_status_from`], with the event it wrote.
    pub(crate) async fn set_status_from_evented(
        &self,
        id: Uuid,
        from: (AccountStatus, Option<&str>),
        change: &StatusChange,
    ) -> Result<Option<(AccountRecord, Option<StatusEvent>)>, StoreError> {
        self.transition(id, Some(from), change).await
    }

    async fn transition(
        &self,
        id: Uuid,
        from: Option<(AccountStatus, Option<&str>)>,
        change: &StatusChange,
    ) -> Result<Option<(AccountRecord, Option<StatusEvent>)>, StoreError> {
        let at = Ts::new(now());
        let (row, event): (AccountRow, Option<StatusEvent>) = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let current = lock_account!(tx, id);
            if let Some((status, reason)) = from
                && (current.status != status.as_str() || current.status_reason.as_deref() != reason)
            {
                return Ok(None);
            }
            let transition = current.status != change.status.as_str()
                || current.status_reason.as_deref() != Some(change.reason.as_str());
            let mut event = None;
            if transition {
                insert_history!(tx, id, Some(current.status.as_str()), change, at);
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
            let changed = transition || current.status_message != change.message;
            let row = sqlx::query_as(concat!(
                "UPDATE accounts SET status = $2, status_reason = $3, status_message = $4, \
                 updated_at = CASE WHEN $5 THEN $6 ELSE updated_at END, \
                 version = CASE WHEN $5 THEN version + 1 ELSE version END \
                 WHERE id = $1 RETURNING ",
                account_columns!()
            ))
            .bind(id)
            .bind(change.status.as_str())
            .bind(change.reason.as_str())
            .bind(change.message.as_deref())
            .bind(changed)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            (row, event)
        });
        Ok(Some((AccountRecord::try_from(row)?, event)))
    }

    /// The account's status history, oldest first.
    pub async fn status_history(&self, id: Uuid) -> Result<Vec<StatusHistoryEntry>, StoreError> {
        let rows: Vec<HistoryRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT account_id, from_status, to_status, reason, message, at \
                 FROM account_status_history WHERE account_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(StatusHistoryEntry::try_from).collect()
    }
}
