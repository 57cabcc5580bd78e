//! The execution audit log: one row per tool call, never its inputs or outputs; old rows are
//! pruned in small batches when a retention is set.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rows::ExecutionRow;
use super::ts::Ts;
use super::{ExecutionRecord, Store, StoreError};

impl Store {
    /// Appends one execution to the audit log.
    #[doc(hidden)]
    pub async fn record_execution(&self, record: &ExecutionRecord) -> Result<(), StoreError> {
        self.record_usage(std::slice::from_ref(record), &[]).await
    }

    /// The most recent executions (newest first), optionally of one account.
    pub async fn list_executions(
        &self,
        account_id: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<ExecutionRecord>, StoreError> {
        let limit = i64::from(limit.clamp(1, 1000));
        // Two statements, not `($1 IS NULL OR account_id = $1)`: with that form SQLite scans the
        // table for one account's rows instead of using `executions_account_idx`.
        let rows: Vec<ExecutionRow> =
            on_pool!(self, |pool| {
                match account_id {
                    Some(id) => sqlx::query_as(
                        "SELECT execution_id, account_id, connection, identifier, tool, outcome, \
                         error_code, http_status, latency_ms, at FROM executions \
                         WHERE account_id = $1 ORDER BY at DESC, execution_id DESC LIMIT $2",
                    )
                    .bind(id)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?,
                    None => sqlx::query_as(
                        "SELECT execution_id, account_id, connection, identifier, tool, outcome, \
                         error_code, http_status, latency_ms, at FROM executions \
                         ORDER BY at DESC, execution_id DESC LIMIT $1",
                    )
                    .bind(limit)
                    .fetch_all(pool)
                    .await?,
                }
            });
        Ok(rows.into_iter().map(ExecutionRecord::from).collect())
    }
}

impl Store {
    /// Deletes at most `batch` audit rows older than `older_than` (oldest first, one short
    /// statement over the table's `(at, execution_id)` key) and returns how many it deleted:
    /// call again until it returns less than `batch`.
    #[doc(hidden)]
    pub async fn prune_executions(
        &self,
        older_than: DateTime<Utc>,
        batch: u32,
    ) -> Result<u64, StoreError> {
        let deleted = on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM executions WHERE (at, execution_id) IN \
                 (SELECT at, execution_id FROM executions WHERE at < $1 \
                  ORDER BY at, execution_id LIMIT $2)",
            )
            .bind(Ts::new(older_than))
            .bind(i64::from(batch.max(1)))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(deleted)
    }
}

impl Store {
    /// Writes a batch of audit rows (multi-row inserts) and last-use times in one transaction (the engine's
    /// background ledger calls this, so tool calls never wait for these writes).
    #[doc(hidden)]
    pub async fn record_usage(
        &self,
        executions: &[ExecutionRecord],
        last_used: &[(Uuid, chrono::DateTime<chrono::Utc>)],
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in fixed_chunks(executions) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO executions (execution_id, account_id, connection, identifier, tool, \
                     outcome, error_code, http_status, latency_ms, at) ",
                );
                insert.push_values(chunk, |mut row, record| {
                    row.push_bind(record.execution_id)
                        .push_bind(record.account_id)
                        .push_bind(record.connection.as_str())
                        .push_bind(record.identifier.as_str())
                        .push_bind(record.tool.as_str())
                        .push_bind(record.outcome.as_str())
                        .push_bind(record.error_code.as_deref())
                        .push_bind(record.http_status.map(i64::from))
                        .push_bind(i64::try_from(record.latency_ms).unwrap_or(i64::MAX))
                        .push_bind(Ts::new(record.at));
                });
                insert.build().execute(&mut *tx).await?;
            }
            for (id, at) in last_used {
                sqlx::query(
                    "UPDATE accounts SET last_used_at = $2 \
                     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
                )
                .bind(*id)
                .bind(Ts::new(*at))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

/// Row counts of the multi-row `INSERT`s a batch is split into: only these few statement shapes
/// ever exist, so each is prepared once and stays in the connection's statement cache. (One
/// statement per batch size would fill that cache with up to 100 distinct large statements per
/// connection — measured as ~200 MB of server memory under load — and re-prepare on most batches.)
const CHUNK_ROWS: [usize; 3] = [64, 8, 1];

/// Splits `rows` into chunks of the sizes in [`CHUNK_ROWS`], largest first.
fn fixed_chunks<T>(mut rows: &[T]) -> Vec<&[T]> {
    let mut chunks = Vec::new();
    for size in CHUNK_ROWS {
        while rows.len() >= size {
            let (chunk, rest) = rows.split_at(size);
            chunks.push(chunk);
            rows = rest;
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::fixed_chunks;

    #[test]
    fn batches_split_into_three_statement_shapes() {
        for n in [0usize, 1, 7, 8, 9, 63, 64, 65, 200, 511, 512] {
            let rows: Vec<usize> = (0..n).collect();
            let chunks = fixed_chunks(&rows);
            let flat: Vec<usize> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
            assert_eq!(flat, rows, "every row once, in order (n = {n})");
            assert!(
                chunks.iter().all(|c| [64, 8, 1].contains(&c.len())),
                "n = {n}"
            );
        }
    }
}
