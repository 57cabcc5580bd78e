//! The account store: connected accounts, their status history, the vault's keyring, the
//! execution audit log, pending OAuth states (PKCE verifier, until the callback) and spent
//! single-use tokens (magic links, OAuth starts), in SQLite (default: one file, WAL) or
//! PostgreSQL (several replicas).
//!
//! One API and one copy of every SQL statement for both backends: statements use `$N`
//! placeholders (which sqlx-sqlite also accepts) and only portable SQL, and each method body is
//! compiled once per backend by the `on_pool!` macro. Only the migrations differ per backend
//! (`runtime/migrations/{sqlite,postgres}`), because column types do.
//!
//! Apps read through it (accounts, history, audit rows, spent tokens) and write through
//! `Toolwire`: the writes the engine makes (credentials, statuses, keyring, audit rows) go
//! around its checks, cache and events, so they are doc-hidden — public only for the store's
//! and vault's own tests and benches.

macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}

mod access_tokens;
mod accounts;
mod canonical;
mod connect;
mod credentials;
mod error;
mod executions;
mod keys;
mod oauth;
mod outbox;
mod page;
mod records;
mod rows;
mod status;
mod transitions;
mod ts;
mod used_tokens;

pub use access_tokens::{AccessTokenRecord, NewAccessToken};
pub(crate) use canonical::canonical_json;
pub use error::StoreError;
pub(crate) use oauth::OAuthState;
pub use outbox::{OutboxEntry, OutboxState, StatusEvent};
pub(crate) use records::RewrapCandidate;
pub use records::{
    AccountConfig, AccountFilter, AccountPage, AccountRecord, ExecutionRecord, KeyId, Sealed,
    StatusHistoryEntry,
};
// Rows the engine and the vault write; public only for the store's and vault's own tests.
#[doc(hidden)]
pub use records::{CiphertextSwap, CredentialsUpdate, StatusChange, StoredKeyring, VaultKeyRecord};
pub use status::{AccountStatus, UnknownStatus};
// The store's clock (UTC, microseconds); public only for the store's own tests.
#[doc(hidden)]
pub use ts::now;

use sqlx::{PgPool, SqlitePool};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// One SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The account store. Cheap to clone (a connection pool handle).
#[derive(Clone)]
pub struct Store {
    pool: Pool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every pooled connection (SQLite checkpoints its WAL on the last close).
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

/// Maps a unique-constraint violation to `StoreError::Conflict`, other errors to `Database`.
pub(crate) fn conflict_or_db(err: sqlx::Error, what: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { what },
        _ => StoreError::Database(err),
    }
}
