//! Account rows: race-free get-or-create, lookups, keyset-paginated listing, counts by status,
//! last-used, delete.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rows::{self, AccountRow, account_columns};
use super::ts::{Ts, now};
use super::{AccountFilter, AccountPage, AccountRecord, AccountStatus, Store, StoreError, page};

/// Reason code and message of the history row written when an account is created.
pub const CREATED_REASON: &str = "created";
const CREATED_MESSAGE: &str = "Waiting for credentials: connect this account to start using it.";

/// The largest page `list_accounts` returns.
pub const MAX_PAGE_SIZE: u32 = 1000;

impl Store {
    /// Returns the account for `(connection, identifier)`, creating it as `PENDING_AUTH` if it
    /// does not exist, and whether this call created it. Safe under any concurrency: exactly one
    /// row ever exists per pair (`INSERT .. ON CONFLICT DO NOTHING`, then `SELECT`). An existing
    /// account is found with one read, without a write transaction.
    #[doc(hidden)]
    pub async fn get_or_create_account(
        &self,
        connection: &str,
        identifier: &str,
    ) -> Result<(AccountRecord, bool), StoreError> {
        if let Some(existing) = self.get_account(connection, identifier).await? {
            return Ok((existing, false));
        }
        let id = Uuid::now_v7();
        let at = Ts::new(now());
        let status = AccountStatus::PendingAuth.as_str();
        let created = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO accounts (id, connection, identifier, status, status_reason, \
                 status_message, config, created_at, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, $7, 1) \
                 ON CONFLICT (connection, identifier) DO NOTHING",
            )
            .bind(id)
            .bind(connection)
            .bind(identifier)
            .bind(status)
            .bind(CREATED_REASON)
            .bind(CREATED_MESSAGE)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                sqlx::query(
                    "INSERT INTO account_status_history \
                     (account_id, from_status, to_status, reason, message, at) \
                     VALUES ($1, NULL, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(status)
                .bind(CREATED_REASON)
                .bind(CREATED_MESSAGE)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            inserted
        });
        let account =
            self.get_account(connection, identifier)
                .await?
                .ok_or(StoreError::Corrupt {
                    table: "accounts",
                    detail: "account vanished right after get-or-create (deleted concurrently?)",
                })?;
        Ok((account, created))
    }

    /// The account for `(connection, identifier)`, if any.
    pub async fn get_account(
        &self,
        connection: &str,
        identifier: &str,
    ) -> Result<Option<AccountRecord>, StoreError> {
        let row: Option<AccountRow> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                account_columns!(),
                " FROM accounts WHERE connection = $1 AND identifier = $2"
            ))
            .bind(connection)
            .bind(identifier)
            .fetch_optional(pool)
            .await?
        });
        row.map(AccountRecord::try_from).transpose()
    }

    /// The account with this id, if any.
    pub async fn get_account_by_id(&self, id: Uuid) -> Result<Option<AccountRecord>, StoreError> {
        let row: Option<AccountRow> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                account_columns!(),
                " FROM accounts WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(AccountRecord::try_from).transpose()
    }

    /// One page of accounts matching `filter`, in a stable order (by id, i.e. creation order).
    /// `limit` is clamped to `1..=MAX_PAGE_SIZE`; pass the returned `next_page_token` back to
    /// continue. Accounts created while paging appear on later pages, never twice.
    pub async fn list_accounts(
        &self,
        filter: &AccountFilter,
        page_token: Option<&str>,
        limit: u32,
    ) -> Result<AccountPage, StoreError> {
        let after = page_token.map(page::decode).transpose()?;
        let limit = limit.clamp(1, MAX_PAGE_SIZE);
        let status = filter.status.map(AccountStatus::as_str);
        let rows: Vec<AccountRow> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                account_columns!(),
                " FROM accounts \
                 WHERE ($1 IS NULL OR connection = $1) \
                 AND ($2 IS NULL OR status = $2) \
                 AND ($3 IS NULL OR auth_scheme = $3) \
                 AND ($4 IS NULL OR id > $4) \
                 ORDER BY id LIMIT $5"
            ))
            .bind(filter.connection.as_deref())
            .bind(status)
            .bind(filter.auth_scheme.as_deref())
            .bind(after)
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await?
        });
        let mut accounts = rows::accounts(rows)?;
        let next_page_token = if accounts.len() > limit as usize {
            accounts.truncate(limit as usize);
            accounts.last().map(|a| page::encode(a.id))
        } else {
            None
        };
        Ok(AccountPage {
            accounts,
            next_page_token,
        })
    }

    /// How many accounts each (connection, status) pair has, from one grouped count (pairs
    /// with no account are absent).
    pub async fn count_accounts_by_status(
        &self,
    ) -> Result<Vec<(String, AccountStatus, i64)>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT connection, status, COUNT(*) FROM accounts GROUP BY connection, status",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(connection, status, n)| {
                Ok((connection, rows::parse_status("accounts", &status)?, n))
            })
            .collect()
    }

    /// Records that a tool ran with this account at `at` (never moves the time backwards;
    /// does not bump `version`). A missing account is not an error.
    #[doc(hidden)]
    pub async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        let at = Ts::new(at);
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE accounts SET last_used_at = $2 \
                 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
            )
            .bind(id)
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Deletes the account, its ciphertext and its status history. Returns whether it existed.
    /// The execution audit log keeps its rows.
    #[doc(hidden)]
    pub async fn delete_account(&self, id: Uuid) -> Result<bool, StoreError> {
        let deleted = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM accounts WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted == 1)
    }

    /// The current `version` of each of these accounts that still exists (one query per 500
    /// ids): lets a cache confirm many entries at once instead of re-reading each row.
    pub(crate) async fn account_versions(
        &self,
        ids: &[Uuid],
    ) -> Result<Vec<(Uuid, i64)>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<(Uuid, i64)> = on_pool!(self, |pool| {
                let mut query =
                    sqlx::QueryBuilder::new("SELECT id, version FROM accounts WHERE id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                // Not kept in the statement cache: each list length would be another cached
                // statement (hundreds of them, tens of MB), and this runs twice a second at most.
                query
                    .build_query_as()
                    .persistent(false)
                    .fetch_all(pool)
                    .await?
            });
            out.extend(rows);
        }
        Ok(out)
    }
}
