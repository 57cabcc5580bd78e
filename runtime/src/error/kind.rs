//! [`ErrorKind`]: what kind of failure an error is, for the decisions a host app makes on it
//! (an HTTP status, an exit code, whether to retry or ask the user) — checked by the compiler,
//! unlike the string codes, which stay the finer-grained wire contract.

pub use toolwire_spec::UpstreamErrorCode;

/// What kind of failure a runtime error is (see `Error::kind`, `StoreError::kind`,
/// `VaultError::kind`). Not `#[non_exhaustive]` on purpose: a new kind must be mapped by
/// every `match` that chooses a status or an exit code from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The caller's input, config or credentials are not acceptable; nothing was sent
    /// (`INVALID_INPUT`, `INVALID_CONFIG`, `INVALID_CREDENTIALS`, `INVALID_PAGE_TOKEN`).
    InvalidInput,
    /// No such tool, connection or account (`UNKNOWN_TOOL`, `UNKNOWN_CONNECTION`,
    /// `ACCOUNT_NOT_FOUND`).
    NotFound,
    /// The account cannot be used now: its user must reconnect or fix it
    /// (`ACCOUNT_PENDING_AUTH`, `ACCOUNT_REVOKED`, `ACCOUNT_EXPIRED`, `ACCOUNT_RESTRICTED`,
    /// `ACCOUNT_DISCONNECTED`).
    AccountUnusable,
    /// An OAuth authorization failed, or its state is unknown, used or expired
    /// (`OAUTH_FAILED`, `OAUTH_STATE_INVALID`).
    Authorization,
    /// The OAuth grant lacks scopes the tool declares (`SCOPE_NOT_GRANTED`).
    ScopeNotGranted,
    /// A concurrent change won; reload and retry (`STORE_VERSION_CONFLICT`, `STORE_CONFLICT`).
    Conflict,
    /// Generated code was built from another version of the loaded spec (`SPEC_MISMATCH`).
    SpecMismatch,
    /// A connector spec failed to load (`SPEC_INVALID`).
    SpecInvalid,
    /// The upstream API answered with an error, classified by the spec's rule (the code is the
    /// rule's; with no rule, `UPSTREAM_UNAVAILABLE` for 5xx, else `UPSTREAM_ERROR`), or the
    /// runtime held the call back because the API asked to slow down (`RATE_LIMITED`).
    Upstream(UpstreamErrorCode),
    /// The API refused the credentials for one call but the verify probe did not confirm it;
    /// the account is unchanged (`UPSTREAM_AUTH_FAILED`).
    UpstreamAuthFailed,
    /// The API did not answer in time (`TIMEOUT`).
    Timeout,
    /// The API could not be reached: DNS, TLS, connection (`UPSTREAM_UNAVAILABLE`).
    Unreachable,
    /// A write that must not be repeated blindly lost its answer; it may have been applied
    /// (`OUTCOME_UNKNOWN`).
    OutcomeUnknown,
    /// The vault: master key missing, invalid or wrong, a data key missing or corrupt,
    /// credentials that do not decrypt (`MASTER_KEY_*`, `WRONG_MASTER_KEY`, `VAULT_*`).
    Vault,
    /// The store failed: URL, connection, migration, query, corrupt row (`STORE_*`).
    Store,
    /// A bug or an impossible state (`INTERNAL`).
    Internal,
}
