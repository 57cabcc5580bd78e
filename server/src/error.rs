//! The server crate's one error type: every failure of a CLI command or REST request, each
//! with a stable `code()` and the HTTP status the REST API answers with (runtime errors by
//! their typed [`ErrorKind`], every kind mapped; the codes are passed through unchanged).

use axum::http::StatusCode;
use toolwire_runtime::error::{ErrorKind, UpstreamErrorCode};

/// Everything that can go wrong in the `toolwire` binary.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// A runtime call failed (its code and agent message are passed through).
    #[error(transparent)]
    Runtime(Box<toolwire_runtime::Error>),
    /// A connector spec failed to load; the message lists every problem as `file:line:column`.
    #[error(transparent)]
    Spec(Box<toolwire_spec::SpecError>),
    /// The simulator failed to start or act.
    #[error("simulator: {0}")]
    Sim(Box<toolwire_sim::SimError>),
    /// The vault's master key could not be loaded or created.
    #[error(transparent)]
    Vault(Box<toolwire_runtime::vault::VaultError>),
    /// The store could not be opened.
    #[error(transparent)]
    Store(Box<toolwire_runtime::store::StoreError>),
    /// A file or socket operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The request body is not valid JSON.
    #[error("the request body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The request body is JSON but not the expected shape.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The request body exceeds the size limit.
    #[error("the request body is larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// No or a wrong API key.
    #[error("missing or invalid API key; send `Authorization: Bearer <api key>`")]
    Unauthorized,
    /// No such route or resource.
    #[error("{0}")]
    NotFound(String),
    /// An MCP-over-HTTP request without the `X-Toolwire-Identifier` header.
    #[error(
        "send `X-Toolwire-Identifier: <identifier>` (1 to 256 bytes) naming the account the tools act for"
    )]
    MissingIdentifier,
    /// Tool-schema generation failed.
    #[error("{0}")]
    Codegen(String),
    /// An access token's toolset or read-only limit does not reach this tool (refused when
    /// called, not only hidden from the list).
    #[error("{0}")]
    ToolNotAllowed(String),
    /// `spec check` found problems (already printed, each with `file:line:column`).
    #[error("{failed} of {total} spec file(s) have problems (listed above)")]
    SpecCheck {
        /// Files with problems.
        failed: usize,
        /// Files checked.
        total: usize,
    },
    /// `spec test` replayed cassettes and some failed (each diff already printed).
    #[error("{} of {total} cassette(s) failed: {}", failed.len(), failed.join(", "))]
    CassettesFailed {
        /// The failed cassettes' names.
        failed: Vec<String>,
        /// Cassettes replayed.
        total: usize,
    },
    /// Bad command-line usage or configuration.
    #[error("{0}")]
    Usage(String),
    /// Some rows of a bulk import failed (each is reported on its own).
    #[error("{failed} of {total} rows failed (listed above)")]
    ImportFailed {
        /// Rows that failed.
        failed: usize,
        /// Rows read.
        total: usize,
    },
    /// A magic link, CSRF token or UI session was refused.
    #[error(transparent)]
    Link(crate::links::LinkError),
    /// A demo step did not go as the story expects.
    #[error("demo: {0}")]
    Demo(String),
    /// Too many failed authentications from this client address (see [`crate::web::throttle`]).
    #[error(
        "too many failed authentication attempts from this address; check the API key and try again in {retry_after_s} s"
    )]
    Throttled {
        /// Seconds until the next attempt is accepted.
        retry_after_s: u64,
    },
    /// An error answered below the handlers (the router's 405, an extractor's rejection, the
    /// MCP transport's 406/413/415), turned into the JSON shape.
    #[error("{message}")]
    Http {
        /// The status it was answered with.
        status: StatusCode,
        /// What it said.
        message: String,
    },
}

impl ServerError {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        ServerError::Io {
            context: context.into(),
            source,
        }
    }

    /// The stable code (runtime errors keep theirs: `INVALID_INPUT`, `ACCOUNT_REVOKED`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            ServerError::Runtime(e) => e.code(),
            ServerError::Spec(_) => "SPEC_INVALID",
            ServerError::Sim(_) => "SIM_FAILED",
            ServerError::Vault(e) => e.code(),
            ServerError::Store(e) => e.code(),
            ServerError::Io { .. } => "IO",
            ServerError::InvalidJson(_) => "INVALID_JSON",
            ServerError::InvalidRequest(_) => "INVALID_REQUEST",
            ServerError::BodyTooLarge { .. } => "BODY_TOO_LARGE",
            ServerError::Unauthorized => "UNAUTHORIZED",
            ServerError::NotFound(_) => "NOT_FOUND",
            ServerError::MissingIdentifier => "MISSING_IDENTIFIER",
            ServerError::Codegen(_) => "CODEGEN_FAILED",
            ServerError::ToolNotAllowed(_) => "TOOL_NOT_ALLOWED",
            ServerError::SpecCheck { .. } => "SPEC_INVALID",
            ServerError::CassettesFailed { .. } => "CASSETTES_FAILED",
            ServerError::Usage(_) => "USAGE",
            ServerError::ImportFailed { .. } => "INVALID_IMPORT_ROWS",
            ServerError::Demo(_) => "DEMO_FAILED",
            ServerError::Link(e) => e.code(),
            ServerError::Throttled { .. } => "AUTH_THROTTLED",
            ServerError::Http { status, .. } => status_code(*status),
        }
    }

    /// Seconds to wait before retrying, when known (also sent as `Retry-After`).
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            ServerError::Runtime(e) => e.retry_after_s(),
            ServerError::Throttled { retry_after_s } => Some(*retry_after_s),
            _ => None,
        }
    }

    /// The HTTP status the REST API answers this error with.
    pub fn http_status(&self) -> StatusCode {
        match self {
            ServerError::InvalidJson(_)
            | ServerError::InvalidRequest(_)
            | ServerError::Usage(_)
            | ServerError::MissingIdentifier => StatusCode::BAD_REQUEST,
            ServerError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::ToolNotAllowed(_) => StatusCode::FORBIDDEN,
            ServerError::Runtime(e) => kind_status(e.kind()),
            ServerError::Link(e) => e.http_status(),
            ServerError::Store(e) => kind_status(e.kind()),
            ServerError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServerError::Http { status, .. } => *status,
            ServerError::Spec(_)
            | ServerError::Sim(_)
            | ServerError::Vault(_)
            | ServerError::Io { .. }
            | ServerError::Codegen(_)
            | ServerError::SpecCheck { .. }
            | ServerError::CassettesFailed { .. }
            | ServerError::ImportFailed { .. }
            | ServerError::Demo(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The stable code of an error answered below the handlers, by its status.
fn status_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "UNAUTHORIZED",
        StatusCode::NOT_FOUND => "NOT_FOUND",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        StatusCode::NOT_ACCEPTABLE => "NOT_ACCEPTABLE",
        StatusCode::PAYLOAD_TOO_LARGE => "BODY_TOO_LARGE",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
        s if s.is_server_error() => "INTERNAL",
        _ => "INVALID_REQUEST",
    }
}

/// The HTTP status of a runtime, store or vault error, by its kind (every kind mapped).
fn kind_status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput | ErrorKind::Authorization => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        // A token without a scope the tool needs: the account is unusable for it until
        // re-authorized, like a revoked one.
        ErrorKind::AccountUnusable
        | ErrorKind::ScopeNotGranted
        | ErrorKind::Conflict
        | ErrorKind::SpecMismatch => StatusCode::CONFLICT,
        ErrorKind::Upstream(code) => upstream_status(code),
        // A 401 the verify probe did not confirm: the vendor's doing, not the account's.
        ErrorKind::UpstreamAuthFailed | ErrorKind::OutcomeUnknown => StatusCode::BAD_GATEWAY,
        ErrorKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorKind::Unreachable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::SpecInvalid | ErrorKind::Vault | ErrorKind::Store | ErrorKind::Internal => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// The HTTP status of an upstream error, by the code its spec rule gave it.
fn upstream_status(code: UpstreamErrorCode) -> StatusCode {
    match code {
        UpstreamErrorCode::RateLimited | UpstreamErrorCode::QuotaExceeded => {
            StatusCode::TOO_MANY_REQUESTS
        }
        UpstreamErrorCode::NotFound => StatusCode::NOT_FOUND,
        UpstreamErrorCode::Conflict
        | UpstreamErrorCode::AccountRevoked
        | UpstreamErrorCode::AccountExpired
        | UpstreamErrorCode::AccountRestricted => StatusCode::CONFLICT,
        UpstreamErrorCode::UpstreamValidation => StatusCode::UNPROCESSABLE_ENTITY,
        UpstreamErrorCode::Forbidden => StatusCode::FORBIDDEN,
        UpstreamErrorCode::UpstreamBadRequest
        | UpstreamErrorCode::UpstreamUnavailable
        | UpstreamErrorCode::UpstreamError => StatusCode::BAD_GATEWAY,
    }
}

impl From<toolwire_runtime::Error> for ServerError {
    fn from(e: toolwire_runtime::Error) -> Self {
        ServerError::Runtime(Box::new(e))
    }
}

impl From<toolwire_spec::SpecError> for ServerError {
    fn from(e: toolwire_spec::SpecError) -> Self {
        ServerError::Spec(Box::new(e))
    }
}

impl From<crate::links::LinkError> for ServerError {
    fn from(e: crate::links::LinkError) -> Self {
        ServerError::Link(e)
    }
}

impl From<toolwire_runtime::secret_file::SecretFileError> for ServerError {
    fn from(e: toolwire_runtime::secret_file::SecretFileError) -> Self {
        use toolwire_runtime::secret_file::SecretFileError as E;
        match e {
            E::Io { path, op, source } => {
                ServerError::io(format!("{op} {}", path.display()), source)
            }
            other => ServerError::Usage(other.to_string()),
        }
    }
}

impl From<toolwire_sim::SimError> for ServerError {
    fn from(e: toolwire_sim::SimError) -> Self {
        ServerError::Sim(Box::new(e))
    }
}

impl From<toolwire_runtime::vault::VaultError> for ServerError {
    fn from(e: toolwire_runtime::vault::VaultError) -> Self {
        ServerError::Vault(Box::new(e))
    }
}

impl From<toolwire_runtime::store::StoreError> for ServerError {
    fn from(e: toolwire_runtime::store::StoreError) -> Self {
        ServerError::Store(Box::new(e))
    }
}

/// Shorthand.
pub type Result<T, E = ServerError> = std::result::Result<T, E>;
