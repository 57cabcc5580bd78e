//! Raw rows as decoded by sqlx (the same on both backends), and their conversion into records.

use uuid::Uuid;

use super::records::{AccountRecord, KeyId, Sealed, StatusHistoryEntry, VaultKeyRecord};
use super::ts::Ts;
use super::{AccountConfig, AccountStatus, ExecutionRecord, StoreError};

/// The columns of `accounts`, in [`AccountRow`] order.
macro_rules! account_columns {
    () => {
        "id, connection, identifier, status, status_reason, status_message, auth_scheme, config, \
         credentials, key_id, created_at, updated_at, last_used_at, credentials_updated_at, version"
    };
}
pub(crate) use account_columns;

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: Uuid,
    connection: String,
    identifier: String,
    status: String,
    status_reason: Option<String>,
    status_message: Option<String>,
    auth_scheme: Option<String>,
    config: String,
    credentials: Option<Vec<u8>>,
    key_id: Option<i64>,
    created_at: Ts,
    updated_at: Ts,
    last_used_at: Option<Ts>,
    credentials_updated_at: Option<Ts>,
    version: i64,
}

pub(crate) fn parse_status(table: &'static str, s: &str) -> Result<AccountStatus, StoreError> {
    s.parse().map_err(|_| StoreError::Corrupt {
        table,
        detail: "unknown status value",
    })
}

pub(crate) fn parse_config(s: &str) -> Result<AccountConfig, StoreError> {
    serde_json::from_str(s).map_err(|_| StoreError::Corrupt {
        table: "accounts",
        detail: "config is not a JSON object",
    })
}

pub(crate) fn key_id(table: &'static str, raw: i64) -> Result<KeyId, StoreError> {
    u32::try_from(raw)
        .map(KeyId)
        .map_err(|_| StoreError::Corrupt {
            table,
            detail: "key_id out of range",
        })
}

pub(crate) fn sealed(
    credentials: Option<Vec<u8>>,
    raw_key_id: Option<i64>,
) -> Result<Option<Sealed>, StoreError> {
    match (credentials, raw_key_id) {
        (Some(bytes), Some(raw)) => Ok(Some(Sealed {
            key_id: key_id("accounts", raw)?,
            bytes,
        })),
        (None, None) => Ok(None),
        _ => Err(StoreError::Corrupt {
            table: "accounts",
            detail: "credentials and key_id must be set together",
        }),
    }
}

impl TryFrom<AccountRow> for AccountRecord {
    type Error = StoreError;

    fn try_from(row: AccountRow) -> Result<Self, StoreError> {
        Ok(AccountRecord {
            id: row.id,
            status: parse_status("accounts", &row.status)?,
            config: parse_config(&row.config)?,
            credentials: sealed(row.credentials, row.key_id)?,
            connection: row.connection,
            identifier: row.identifier,
            status_reason: row.status_reason,
            status_message: row.status_message,
            auth_scheme: row.auth_scheme,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
            last_used_at: row.last_used_at.map(|t| t.0),
            credentials_updated_at: row.credentials_updated_at.map(|t| t.0),
            version: row.version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct HistoryRow {
    account_id: Uuid,
    from_status: Option<String>,
    to_status: String,
    reason: String,
    message: Option<String>,
    at: Ts,
}

impl TryFrom<HistoryRow> for StatusHistoryEntry {
    type Error = StoreError;

    fn try_from(row: HistoryRow) -> Result<Self, StoreError> {
        const T: &str = "account_status_history";
        Ok(StatusHistoryEntry {
            account_id: row.account_id,
            from: row
                .from_status
                .as_deref()
                .map(|s| parse_status(T, s))
                .transpose()?,
            to: parse_status(T, &row.to_status)?,
            reason: row.reason,
            message: row.message,
            at: row.at.0,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct KeyRow {
    key_id: i64,
    wrapped_key: Vec<u8>,
    created_at: Ts,
    is_primary: bool,
}

impl TryFrom<KeyRow> for VaultKeyRecord {
    type Error = StoreError;

    fn try_from(row: KeyRow) -> Result<Self, StoreError> {
        Ok(VaultKeyRecord {
            key_id: key_id("vault_keys", row.key_id)?,
            wrapped_key: row.wrapped_key,
            created_at: row.created_at.0,
            is_primary: row.is_primary,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ExecutionRow {
    execution_id: Uuid,
    account_id: Option<Uuid>,
    connection: String,
    identifier: String,
    tool: String,
    outcome: String,
    error_code: Option<String>,
    http_status: Option<i64>,
    latency_ms: i64,
    at: Ts,
}

impl From<ExecutionRow> for ExecutionRecord {
    fn from(row: ExecutionRow) -> Self {
        ExecutionRecord {
            execution_id: row.execution_id,
            account_id: row.account_id,
            connection: row.connection,
            identifier: row.identifier,
            tool: row.tool,
            outcome: row.outcome,
            error_code: row.error_code,
            http_status: row.http_status.and_then(|s| u16::try_from(s).ok()),
            latency_ms: u64::try_from(row.latency_ms).unwrap_or(0),
            at: row.at.0,
        }
    }
}

pub(crate) fn accounts(rows: Vec<AccountRow>) -> Result<Vec<AccountRecord>, StoreError> {
    rows.into_iter().map(AccountRecord::try_from).collect()
}
