//! One-time tokens (magic links, OAuth start links, admin sessions ended by a logout): the
//! `used_tokens` table, keyed by the token's hash. Spending is one atomic insert on that unique
//! key, so two requests racing with the same token cannot both succeed — across replicas
//! sharing PostgreSQL too. A row lives until its token expires anyway.

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

    /// Whether the token (by hash) was spent.
    pub async fn token_spent(&self, kind: &str, token_hash: &str) -> Result<bool, StoreError> {
        let found: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT kind FROM used_tokens WHERE token_hash = $1 AND kind = $2")
                .bind(token_hash)
                .bind(kind)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.is_some())
    }

    /// Spends the token for one attempt that may still fail: `Some(claim)` the first time
    /// only; [`Store::unspend_token`] with that claim gives it back.
    pub async fn hold_token(
        &self,
        kind: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let claim = uuid::Uuid::new_v4().simple().to_string();
        let inserted = on_pool!(self, |pool| {
            sqlx::query("INSERT INTO used_tokens (token_hash, kind, expires_at, claim) VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING")
                .bind(token_hash)
                .bind(kind)
                .bind(Ts::new(expires_at))
                .bind(&claim)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok((inserted == 1).then_some(claim))
    }

    /// Gives a token back: the attempt holding it under `claim` ([`Store::hold_token`]) failed,
    /// and the token may be tried again. Only that claim is released, never a spend made by
    /// another attempt. `true` if it was released.
    pub async fn unspend_token(
        &self,
        kind: &str,
        token_hash: &str,
        claim: &str,
    ) -> Result<bool, StoreError> {
        let deleted = on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM used_tokens WHERE token_hash = $1 AND kind = $2 AND claim = $3",
            )
            .bind(token_hash)
            .bind(kind)
            .bind(claim)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(deleted == 1)
    }
}
