//! The plain data the store reads and writes: account records, status changes, history,
//! execution audit rows, sealed credential blobs and vault key rows.

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::AccountStatus;

/// Non-secret per-account configuration, e.g. `{"subdomain": "acme"}`.
pub type AccountConfig = Map<String, Value>;

/// The id of a vault data key. Key ids start at 1 and only grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub u32);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "k{}", self.0)
    }
}

/// A sealed (encrypted) credentials envelope and the id of the data key that sealed it.
///
/// The bytes are ciphertext, but `Debug` still prints only their length.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The data key the envelope was sealed with (also inside the envelope header).
    pub key_id: KeyId,
    /// `version | key_id | nonce | ciphertext+tag`.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("key_id", &self.key_id)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// One connected account, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    /// Stable id (UUIDv7: ordered by creation).
    pub id: Uuid,
    /// The connection, e.g. `zendesk`.
    pub connection: String,
    /// The host application's id for its user or customer.
    pub identifier: String,
    /// Current status.
    pub status: AccountStatus,
    /// Machine code for why the account is in this status (e.g. `verify_401`).
    pub status_reason: Option<String>,
    /// Human, actionable explanation of the status.
    pub status_message: Option<String>,
    /// Which auth scheme of the connector the credentials are for (`api_token`, `oauth2`).
    pub auth_scheme: Option<String>,
    /// Non-secret configuration (bound into the credentials' associated data).
    pub config: AccountConfig,
    /// The encrypted credentials, if any.
    pub credentials: Option<Sealed>,
    /// When the row was created.
    pub created_at: DateTime<Utc>,
    /// When the row last changed (status, credentials, config).
    pub updated_at: DateTime<Utc>,
    /// When a tool last ran with this account.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When credentials were last stored.
    pub credentials_updated_at: Option<DateTime<Utc>>,
    /// Compare-and-swap counter; bumped by every status, config or credentials change
    /// (not by `touch_last_used`, nor by a vault rewrap, which leaves the plaintext unchanged).
    pub version: i64,
}

/// A status transition request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: AccountStatus,
    /// Machine code (e.g. `verify_401`, `credentials_stored`).
    pub reason: String,
    /// Human, actionable message.
    pub message: Option<String>,
}

impl StatusChange {
    /// A change to `status` for `reason`, with a human `message`.
    pub fn new(
        status: AccountStatus,
        reason: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            reason: reason.into(),
            message: Some(message.into()),
        }
    }
}

/// New credentials (and the config they are bound to) for an account.
#[derive(Debug, Clone)]
pub struct CredentialsUpdate {
    /// The `version` the caller read; the update fails with `VersionConflict` otherwise.
    pub expected_version: i64,
    /// The auth scheme the credentials are for.
    pub auth_scheme: String,
    /// The config the credentials were sealed with (exactly the one in the seal's AAD).
    pub config: AccountConfig,
    /// The sealed credentials.
    pub sealed: Sealed,
    /// The status after storing (usually `ACTIVE` once verified).
    pub status: StatusChange,
}

/// One row of an account's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusHistoryEntry {
    /// The account.
    pub account_id: Uuid,
    /// Previous status (`None` for the creation row).
    pub from: Option<AccountStatus>,
    /// New status.
    pub to: AccountStatus,
    /// Machine code.
    pub reason: String,
    /// Human message.
    pub message: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Filters for [`Store::list_accounts`](super::Store::list_accounts); `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFilter {
    /// Only this connection.
    pub connection: Option<String>,
    /// Only this status.
    pub status: Option<AccountStatus>,
    /// Only this auth scheme.
    pub auth_scheme: Option<String>,
}

/// One page of accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountPage {
    /// The accounts, ordered by id (creation order).
    pub accounts: Vec<AccountRecord>,
    /// Pass this to get the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

/// One tool execution, for the audit log. Never holds inputs or outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionRecord {
    /// The execution id returned to the caller (use UUIDv7 so listing is chronological).
    pub execution_id: Uuid,
    /// The account, if one was resolved.
    pub account_id: Option<Uuid>,
    /// The connection.
    pub connection: String,
    /// The identifier.
    pub identifier: String,
    /// The tool name.
    pub tool: String,
    /// `ok` or `error`, or any short machine word.
    pub outcome: String,
    /// The error code on failure.
    pub error_code: Option<String>,
    /// The last upstream HTTP status, if a request was sent.
    pub http_status: Option<u16>,
    /// Wall time of the whole execution.
    pub latency_ms: u64,
    /// When it finished.
    pub at: DateTime<Utc>,
}

/// A vault data key as stored: wrapped (encrypted) by the master key.
#[derive(Clone, PartialEq, Eq)]
pub struct VaultKeyRecord {
    /// The key id.
    pub key_id: KeyId,
    /// The data key, encrypted by the master key.
    pub wrapped_key: Vec<u8>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Whether new seals use it.
    pub is_primary: bool,
}

impl fmt::Debug for VaultKeyRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VaultKeyRecord")
            .field("key_id", &self.key_id)
            .field("created_at", &self.created_at)
            .field("is_primary", &self.is_primary)
            .finish_non_exhaustive()
    }
}

/// Everything the vault persists: the master key's check value and the wrapped data keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredKeyring {
    /// The key-check value, `None` before the vault was first opened.
    pub check_value: Option<Vec<u8>>,
    /// All data keys, by id.
    pub keys: Vec<VaultKeyRecord>,
}

/// An account whose credentials need re-encryption (see `accounts_not_under_key`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RewrapCandidate {
    /// The account id.
    pub id: Uuid,
    /// The connection.
    pub connection: String,
    /// The identifier.
    pub identifier: String,
    /// The config bound into the credentials' associated data.
    pub config: AccountConfig,
    /// The current envelope.
    pub sealed: Sealed,
    /// The account version when read.
    pub version: i64,
}

/// A compare-and-swap of one account's envelope: applied only if the account still has
/// `expected_key_id` and `expected_version`.
#[derive(Debug, Clone, PartialEq)]
pub struct CiphertextSwap {
    /// The account id.
    pub id: Uuid,
    /// The key id read.
    pub expected_key_id: KeyId,
    /// The version read.
    pub expected_version: i64,
    /// The new envelope.
    pub sealed: Sealed,
}
