//! The runtime's one error type: every failure a caller can see, with a stable code (the wire
//! contract), a typed [`ErrorKind`] to decide on (status, exit code, retry) and a message
//! written for the agent (what happened and what to do). Never carries secrets.

mod kind;

pub use kind::{ErrorKind, UpstreamErrorCode};

use serde_json::Value;

use crate::store::{AccountStatus, StoreError};
use crate::vault::VaultError;

/// One bad field of a tool input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldProblem {
    /// The field (`priority`, `requester.email`, or `` for the whole input).
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// Everything that can go wrong in toolwire's runtime.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input does not match the tool's schema; nothing was sent.
    #[error("invalid input for {tool}: {}", problems.iter().map(|p| if p.field.is_empty() { p.message.clone() } else { format!("{}: {}", p.field, p.message) }).collect::<Vec<_>>().join("; "))]
    InvalidInput {
        /// The tool.
        tool: String,
        /// Every bad field.
        problems: Vec<FieldProblem>,
    },
    /// No loaded connector has this tool.
    #[error("unknown tool `{name}`")]
    UnknownTool {
        /// The name asked for.
        name: String,
    },
    /// No such connection.
    #[error("unknown connection `{name}`")]
    UnknownConnection {
        /// The name asked for.
        name: String,
    },
    /// No connected account for this identifier.
    #[error(
        "no {connection} account is connected for `{identifier}`; create one and add credentials first"
    )]
    AccountNotFound {
        /// Connection.
        connection: String,
        /// Host app's identifier.
        identifier: String,
    },
    /// The account cannot be used now (pending, revoked, expired, disconnected).
    #[error("{message}")]
    AccountNotActive {
        /// Its status.
        status: AccountStatus,
        /// What happened and what to do.
        message: String,
        /// Where the user can reconnect, when the host app configured links.
        reconnect_url: Option<String>,
    },
    /// A config value (e.g. subdomain) is not acceptable.
    #[error("invalid {field}: {message}")]
    InvalidConfig {
        /// The config variable.
        field: String,
        /// Why and what is expected.
        message: String,
    },
    /// Credentials are missing fields or were not accepted by the verify probe.
    #[error("{message}")]
    InvalidCredentials {
        /// Why.
        message: String,
    },
    /// The upstream API answered with an error (classified by the spec's error rules).
    #[error("{message}")]
    Upstream {
        /// Stable code from the spec's rule (with no rule: `UpstreamUnavailable` for 5xx,
        /// else `UpstreamError`).
        code: UpstreamErrorCode,
        /// HTTP status received.
        status: u16,
        /// Agent-facing message.
        message: String,
        /// Structured details (e.g. field errors).
        details: Option<Value>,
        /// Seconds to wait before trying again.
        retry_after_s: Option<u64>,
    },
    /// The upstream API refused the credentials for this call, but the verify probe did not
    /// confirm it: the account's status is unchanged.
    #[error("{message}")]
    UpstreamAuthFailed {
        /// HTTP status received.
        status: u16,
        /// What happened and what to do.
        message: String,
    },
    /// No answer in time.
    #[error("the {connector} API did not answer within {after_ms} ms")]
    Timeout {
        /// Connector.
        connector: String,
        /// The timeout.
        after_ms: u64,
    },
    /// The connection failed (DNS, TLS, reset).
    #[error("could not reach the {connector} API: {message}")]
    Network {
        /// Connector.
        connector: String,
        /// What failed (never contains credentials).
        message: String,
    },
    /// A write that must not be repeated blindly (no idempotency key) was sent, but its answer
    /// was lost (connection cut, timeout): it may or may not have been applied.
    #[error(
        "the request reached the {connector} API but its answer was lost ({message}); it may have been applied: check (e.g. read or search) before repeating it"
    )]
    OutcomeUnknown {
        /// Connector.
        connector: String,
        /// What failed (never contains credentials).
        message: String,
    },
    /// An OAuth step failed (token endpoint error, no client configured).
    #[error("{message}")]
    OAuth {
        /// What failed and what to do.
        message: String,
    },
    /// The OAuth callback's state is unknown, already used or expired.
    #[error(
        "this authorization link was already used, has expired or was not issued here; start the connection again"
    )]
    OAuthState,
    /// The OAuth grant lacks scopes the tool declares.
    #[error(
        "the tool {tool} needs the OAuth scope(s) {missing}, which this connection was not granted; reconnect and grant them"
    )]
    ScopeNotGranted {
        /// Tool.
        tool: String,
        /// Missing scopes, comma-separated.
        missing: String,
    },
    /// Generated code was built from a different spec than the one loaded.
    #[error(
        "the typed tool `{tool}` was generated from a different version of the {connector} spec than the one loaded; rebuild"
    )]
    SpecMismatch {
        /// Connector.
        connector: String,
        /// Tool.
        tool: String,
    },
    /// A connector spec failed to load.
    #[error(transparent)]
    Spec(#[from] toolwire_spec::SpecError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A bug or an impossible state.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The stable code (`INVALID_INPUT`, `ACCOUNT_REVOKED`, `RATE_LIMITED`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "INVALID_INPUT",
            Error::UnknownTool { .. } => "UNKNOWN_TOOL",
            Error::UnknownConnection { .. } => "UNKNOWN_CONNECTION",
            Error::AccountNotFound { .. } => "ACCOUNT_NOT_FOUND",
            Error::AccountNotActive { status, .. } => match status {
                AccountStatus::PendingAuth => "ACCOUNT_PENDING_AUTH",
                AccountStatus::Revoked => "ACCOUNT_REVOKED",
                AccountStatus::Expired => "ACCOUNT_EXPIRED",
                AccountStatus::Restricted => "ACCOUNT_RESTRICTED",
                AccountStatus::Disconnected => "ACCOUNT_DISCONNECTED",
                AccountStatus::Active => "ACCOUNT_ACTIVE",
            },
            Error::InvalidConfig { .. } => "INVALID_CONFIG",
            Error::InvalidCredentials { .. } => "INVALID_CREDENTIALS",
            Error::Upstream { code, .. } => code.as_str(),
            Error::UpstreamAuthFailed { .. } => "UPSTREAM_AUTH_FAILED",
            Error::Timeout { .. } => "TIMEOUT",
            Error::Network { .. } => "UPSTREAM_UNAVAILABLE",
            Error::OutcomeUnknown { .. } => "OUTCOME_UNKNOWN",
            Error::SpecMismatch { .. } => "SPEC_MISMATCH",
            Error::OAuth { .. } => "OAUTH_FAILED",
            Error::OAuthState => "OAUTH_STATE_INVALID",
            Error::ScopeNotGranted { .. } => "SCOPE_NOT_GRANTED",
            Error::Spec(_) => "SPEC_INVALID",
            Error::Store(e) => e.code(),
            Error::Vault(e) => e.code(),
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// What kind of failure this is (the code is finer-grained; this is what to decide on).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. }
            | Error::InvalidConfig { .. }
            | Error::InvalidCredentials { .. } => ErrorKind::InvalidInput,
            Error::UnknownTool { .. }
            | Error::UnknownConnection { .. }
            | Error::AccountNotFound { .. } => ErrorKind::NotFound,
            Error::AccountNotActive { .. } => ErrorKind::AccountUnusable,
            Error::Upstream { code, .. } => ErrorKind::Upstream(*code),
            Error::UpstreamAuthFailed { .. } => ErrorKind::UpstreamAuthFailed,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Network { .. } => ErrorKind::Unreachable,
            Error::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
            Error::OAuth { .. } | Error::OAuthState => ErrorKind::Authorization,
            Error::ScopeNotGranted { .. } => ErrorKind::ScopeNotGranted,
            Error::SpecMismatch { .. } => ErrorKind::SpecMismatch,
            Error::Spec(_) => ErrorKind::SpecInvalid,
            Error::Store(e) => e.kind(),
            Error::Vault(e) => e.kind(),
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Seconds the caller should wait before retrying, when known.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            Error::Upstream { retry_after_s, .. } => *retry_after_s,
            _ => None,
        }
    }

    /// Structured details: bad input fields or the vendor's field errors.
    pub fn details(&self) -> Option<Value> {
        match self {
            Error::InvalidInput { problems, .. } => serde_json::to_value(problems).ok(),
            Error::Upstream { details, .. } => details.clone(),
            _ => None,
        }
    }

    /// The reconnect link for accounts that need the user.
    pub fn reconnect_url(&self) -> Option<&str> {
        match self {
            Error::AccountNotActive { reconnect_url, .. } => reconnect_url.as_deref(),
            _ => None,
        }
    }
}

/// Shorthand.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn store_errors() -> Vec<StoreError> {
        let id = uuid::Uuid::nil();
        vec![
            StoreError::InvalidUrl { reason: "x" },
            StoreError::Connect(sqlx::Error::PoolTimedOut),
            StoreError::Migrate(sqlx::migrate::MigrateError::VersionMissing(1)),
            StoreError::Database(sqlx::Error::PoolClosed),
            StoreError::AccountNotFound { id },
            StoreError::VersionConflict {
                id,
                expected: 1,
                actual: 2,
            },
            StoreError::Conflict { what: "x" },
            StoreError::KeyNotFound { key_id: 1 },
            StoreError::InvalidPageToken,
            StoreError::Corrupt {
                table: "x",
                detail: "x",
            },
        ]
    }

    fn vault_errors() -> Vec<VaultError> {
        vec![
            VaultError::MasterKeyMissing,
            VaultError::InvalidMasterKey { reason: "x" },
            VaultError::KeyFile {
                path: "k".into(),
                op: "read",
                source: std::io::Error::other("x"),
            },
            VaultError::WrongMasterKey,
            VaultError::CorruptDataKey { key_id: 1 },
            VaultError::NoPrimaryKey,
            VaultError::UnknownKey { key_id: 1 },
            VaultError::MalformedEnvelope { reason: "x" },
            VaultError::UnsupportedEnvelopeVersion { version: 9 },
            VaultError::DecryptFailed,
            VaultError::InvalidCredentials { reason: "x" },
            VaultError::Encrypt,
            VaultError::Store(StoreError::InvalidPageToken),
        ]
    }

    fn errors() -> Vec<Error> {
        let text = || "x".to_string();
        let upstream = |code| Error::Upstream {
            code,
            status: 400,
            message: text(),
            details: None,
            retry_after_s: None,
        };
        let mut out = vec![
            Error::InvalidInput {
                tool: text(),
                problems: vec![],
            },
            Error::UnknownTool { name: text() },
            Error::UnknownConnection { name: text() },
            Error::AccountNotFound {
                connection: text(),
                identifier: text(),
            },
            Error::InvalidConfig {
                field: text(),
                message: text(),
            },
            Error::InvalidCredentials { message: text() },
            Error::UpstreamAuthFailed {
                status: 401,
                message: text(),
            },
            Error::Timeout {
                connector: text(),
                after_ms: 1,
            },
            Error::Network {
                connector: text(),
                message: text(),
            },
            Error::OutcomeUnknown {
                connector: text(),
                message: text(),
            },
            Error::OAuth { message: text() },
            Error::OAuthState,
            Error::ScopeNotGranted {
                tool: text(),
                missing: text(),
            },
            Error::SpecMismatch {
                connector: text(),
                tool: text(),
            },
            Error::Spec(toolwire_spec::SpecError::Read {
                path: text(),
                source: std::io::Error::other("x"),
            }),
            Error::Internal(text()),
        ];
        for status in [
            AccountStatus::PendingAuth,
            AccountStatus::Revoked,
            AccountStatus::Expired,
            AccountStatus::Restricted,
            AccountStatus::Disconnected,
        ] {
            out.push(Error::AccountNotActive {
                status,
                message: text(),
                reconnect_url: None,
            });
        }
        use UpstreamErrorCode as U;
        for code in [
            U::AccountRevoked,
            U::AccountExpired,
            U::AccountRestricted,
            U::Forbidden,
            U::NotFound,
            U::Conflict,
            U::UpstreamValidation,
            U::UpstreamBadRequest,
            U::RateLimited,
            U::UpstreamUnavailable,
            U::UpstreamError,
        ] {
            out.push(upstream(code));
        }
        out.extend(store_errors().into_iter().map(Error::Store));
        out.extend(vault_errors().into_iter().map(Error::Vault));
        out
    }

    /// The kind agrees with the wire code's family, for every error the runtime can return.
    #[test]
    fn kinds_agree_with_codes() {
        for e in errors() {
            let (code, kind) = (e.code(), e.kind());
            let expected = match code {
                "ACCOUNT_NOT_FOUND" | "UNKNOWN_TOOL" | "UNKNOWN_CONNECTION" => ErrorKind::NotFound,
                "OAUTH_FAILED" | "OAUTH_STATE_INVALID" => ErrorKind::Authorization,
                "SCOPE_NOT_GRANTED" => ErrorKind::ScopeNotGranted,
                "SPEC_MISMATCH" => ErrorKind::SpecMismatch,
                "SPEC_INVALID" => ErrorKind::SpecInvalid,
                "UPSTREAM_AUTH_FAILED" => ErrorKind::UpstreamAuthFailed,
                "TIMEOUT" => ErrorKind::Timeout,
                "OUTCOME_UNKNOWN" => ErrorKind::OutcomeUnknown,
                "INTERNAL" => ErrorKind::Internal,
                "STORE_VERSION_CONFLICT" | "STORE_CONFLICT" => ErrorKind::Conflict,
                "UPSTREAM_UNAVAILABLE" if matches!(e, Error::Network { .. }) => {
                    ErrorKind::Unreachable
                }
                c if c.starts_with("INVALID_") => ErrorKind::InvalidInput,
                c if matches!(e, Error::Upstream { .. }) => ErrorKind::Upstream(match kind {
                    ErrorKind::Upstream(u) if u.as_str() == c => u,
                    _ => panic!("{c}: the upstream code is not kept"),
                }),
                c if c.starts_with("ACCOUNT_") => ErrorKind::AccountUnusable,
                c if c.starts_with("VAULT_")
                    || c.starts_with("MASTER_KEY")
                    || c == "WRONG_MASTER_KEY" =>
                {
                    ErrorKind::Vault
                }
                c if c.starts_with("STORE_") => ErrorKind::Store,
                c => panic!("no family for {c}"),
            };
            assert_eq!(kind, expected, "{code}");
        }
    }
}
