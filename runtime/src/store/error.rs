//! `StoreError`: every failure of the account store, with a stable machine `code()` and its
//! typed `kind()`.
//!
//! Messages never contain secrets: no credentials, no ciphertext, no database URL (a URL may
//! carry a password), only ids, codes and fixed explanations.

use uuid::Uuid;

use crate::error::ErrorKind;

/// An error from the [`Store`](super::Store).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL could not be understood. The URL itself is never echoed.
    #[error("invalid database URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it (a fixed explanation, never the URL).
        reason: &'static str,
    },
    /// The database could not be reached or opened.
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// Running the embedded migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// No account has this id.
    #[error("account {id} not found")]
    AccountNotFound {
        /// The account id that was looked up.
        id: Uuid,
    },
    /// A compare-and-swap update lost a race: the account changed since it was read.
    #[error(
        "account {id} was modified concurrently (expected version {expected}, found {actual}); reload it and retry"
    )]
    VersionConflict {
        /// The account id.
        id: Uuid,
        /// The version the caller read.
        expected: i64,
        /// The version now stored.
        actual: i64,
    },
    /// A concurrent writer created the same unique row (e.g. two key rotations at once).
    #[error("conflicting concurrent write to {what}; retry")]
    Conflict {
        /// Which kind of row.
        what: &'static str,
    },
    /// No vault data key has this id.
    #[error("no vault data key with id {key_id}")]
    KeyNotFound {
        /// The key id.
        key_id: u32,
    },
    /// A pagination token was not produced by this store.
    #[error("invalid page token; pass the next_page_token returned by the previous page")]
    InvalidPageToken,
    /// A row holds a value this version of toolwire cannot read.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What could not be read (never the value itself).
        detail: &'static str,
    },
}

impl StoreError {
    /// A stable, machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "STORE_INVALID_URL",
            Self::Connect(_) => "STORE_CONNECT",
            Self::Migrate(_) => "STORE_MIGRATE",
            Self::Database(_) => "STORE_DATABASE",
            Self::AccountNotFound { .. } => "ACCOUNT_NOT_FOUND",
            Self::VersionConflict { .. } => "STORE_VERSION_CONFLICT",
            Self::Conflict { .. } => "STORE_CONFLICT",
            Self::KeyNotFound { .. } => "VAULT_KEY_NOT_FOUND",
            Self::InvalidPageToken => "INVALID_PAGE_TOKEN",
            Self::Corrupt { .. } => "STORE_CORRUPT",
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidUrl { .. }
            | Self::Connect(_)
            | Self::Migrate(_)
            | Self::Database(_)
            | Self::Corrupt { .. } => ErrorKind::Store,
            Self::AccountNotFound { .. } => ErrorKind::NotFound,
            Self::VersionConflict { .. } | Self::Conflict { .. } => ErrorKind::Conflict,
            Self::KeyNotFound { .. } => ErrorKind::Vault,
            Self::InvalidPageToken => ErrorKind::InvalidInput,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        Self::Database(err)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Self::Migrate(err)
    }
}
