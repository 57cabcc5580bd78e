//! One-time tokens (magic links, ...): spending one is atomic, so two requests racing with the
//! same link cannot both succeed, across replicas too.

use chrono::{DateTime, Utc};

use super::ts::{Ts, now};
use super::{Store, StoreError};

impl Store {
    /// Marks the token (by hash) spent; `true` the first time only. Expired rows are pruned.
    pub async fn spend_token(
        &self,
        kind: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let inserted = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM used_tokens WHERE expires_at < $1")
                .bind(Ts::new(now()))
                .execute(pool)
                .await?;
            sqlx::query("INSERT INTO used_tokens (token_hash, kind, expires_at) VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO NOTHING")
                .bind(token_hash)
                .bind(kind)
                .bind(Ts::new(expires_at))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(inserted == 1)
    }
}
