//! Per-identifier access tokens for MCP clients: the `access_tokens` table. A row holds the
//! SHA-256 of the token (never the token), the identifier it acts for, the operator's toolset
//! and read-only flag, the audience (the MCP URL an OAuth-issued token is bound to), expiry and
//! revocation. Every check reads the row, so a revocation holds on the next request, on every
//! replica sharing the database.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ts::{Ts, now};
use super::{Store, StoreError};

/// One access token (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessTokenRecord {
    /// The token's id (what `DELETE /v1/mcp_tokens/{id}` names).
    pub id: Uuid,
    /// The identifier every call made with it acts for.
    pub identifier: String,
    /// The operator-declared toolset it is limited to, if any.
    pub toolset: Option<String>,
    /// Only tools annotated read-only.
    pub read_only: bool,
    /// The resource (MCP URL) it was issued for, if bound to one.
    pub audience: Option<String>,
    /// The OAuth client it was issued to, if any.
    pub client_id: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AccessTokenRecord {
    /// Whether it is usable at `at` (not revoked, not expired).
    pub fn is_live(&self, at: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > at)
    }
}

/// What a new token is bound to (its hash is passed separately).
#[derive(Debug, Clone, Default)]
pub struct NewAccessToken {
    /// The identifier it acts for.
    pub identifier: String,
    /// The toolset it is limited to.
    pub toolset: Option<String>,
    /// Only read-only tools.
    pub read_only: bool,
    /// The resource it is bound to.
    pub audience: Option<String>,
    /// The OAuth client it is issued to.
    pub client_id: Option<String>,
    /// When it expires.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct AccessTokenRow {
    id: Uuid,
    token_hash: String,
    identifier: String,
    toolset: Option<String>,
    read_only: i64,
    audience: Option<String>,
    client_id: Option<String>,
    created_at: Ts,
    expires_at: Option<Ts>,
    revoked_at: Option<Ts>,
}

const COLUMNS: &str = "id, token_hash, identifier, toolset, read_only, audience, client_id, \
                       created_at, expires_at, revoked_at";

impl AccessTokenRow {
    fn into_record(self) -> (String, AccessTokenRecord) {
        (
            self.token_hash,
            AccessTokenRecord {
                id: self.id,
                identifier: self.identifier,
                toolset: self.toolset,
                read_only: self.read_only != 0,
                audience: self.audience,
                client_id: self.client_id,
                created_at: self.created_at.0,
                expires_at: self.expires_at.map(|t| t.0),
                revoked_at: self.revoked_at.map(|t| t.0),
            },
        )
    }
}

impl Store {
    /// Stores a new token under `token_hash` (the caller's hash of a high-entropy token).
    pub async fn insert_access_token(
        &self,
        token_hash: &str,
        new: &NewAccessToken,
    ) -> Result<AccessTokenRecord, StoreError> {
        let record = AccessTokenRecord {
            id: Uuid::new_v4(),
            identifier: new.identifier.clone(),
            toolset: new.toolset.clone(),
            read_only: new.read_only,
            audience: new.audience.clone(),
            client_id: new.client_id.clone(),
            created_at: now(),
            expires_at: new.expires_at.map(|e| Ts::new(e).0),
            revoked_at: None,
        };
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO access_tokens (id, token_hash, identifier, toolset, read_only, \
                 audience, client_id, created_at, expires_at, revoked_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)",
            )
            .bind(record.id)
            .bind(token_hash)
            .bind(&record.identifier)
            .bind(&record.toolset)
            .bind(i64::from(record.read_only))
            .bind(&record.audience)
            .bind(&record.client_id)
            .bind(Ts::new(record.created_at))
            .bind(record.expires_at.map(Ts::new))
            .execute(pool)
            .await
            .map_err(|e| super::conflict_or_db(e, "access_tokens"))?;
        });
        Ok(record)
    }

    /// The token stored under `token_hash` with that hash as stored (for a constant-time
    /// comparison by the caller), live or not.
    pub async fn access_token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<(String, AccessTokenRecord)>, StoreError> {
        let row: Option<AccessTokenRow> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM access_tokens WHERE token_hash = $1"
            ))
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(AccessTokenRow::into_record))
    }

    /// One token by id.
    pub async fn access_token(&self, id: Uuid) -> Result<Option<AccessTokenRecord>, StoreError> {
        let row: Option<AccessTokenRow> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM access_tokens WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| r.into_record().1))
    }

    /// The tokens (newest first), of one identifier or of all, at most `limit`.
    pub async fn list_access_tokens(
        &self,
        identifier: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AccessTokenRecord>, StoreError> {
        let rows: Vec<AccessTokenRow> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM access_tokens WHERE ($1 IS NULL OR identifier = $1) \
                 ORDER BY created_at DESC, id DESC LIMIT $2"
            ))
            .bind(identifier)
            .bind(i64::from(limit.clamp(1, 1000)))
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|r| r.into_record().1).collect())
    }

    /// Revokes a token; `true` if it was live until now (a second revoke is `false`).
    pub async fn revoke_access_token(&self, id: Uuid) -> Result<bool, StoreError> {
        let changed = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE access_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            )
            .bind(id)
            .bind(Ts::new(now()))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(changed == 1)
    }

    /// Revokes every live token issued to `client_id` for `identifier` (what a refresh-token
    /// reuse triggers); returns how many.
    pub async fn revoke_client_access_tokens(
        &self,
        identifier: &str,
        client_id: &str,
    ) -> Result<u64, StoreError> {
        let changed = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE access_tokens SET revoked_at = $3 \
                 WHERE identifier = $1 AND client_id = $2 AND revoked_at IS NULL",
            )
            .bind(identifier)
            .bind(client_id)
            .bind(Ts::new(now()))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(changed)
    }
}
