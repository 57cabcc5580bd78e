//! The crate's one error type, [`SimError`], for start-up, admin helpers and the CLI.

/// Everything that can go wrong outside of an HTTP request (requests get Zendesk-style errors).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Binding or serving the socket failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// Generating the test CA or the wildcard certificate failed.
    #[error("certificate generation failed: {0}")]
    Cert(#[from] rcgen::Error),
    /// Building the rustls server config failed.
    #[error("tls configuration failed: {0}")]
    Tls(#[from] rustls::Error),
    /// An admin operation named a tenant that does not exist.
    #[error("unknown tenant `{0}`")]
    UnknownTenant(String),
    /// An admin operation named a user that does not exist in the tenant.
    #[error("unknown user `{email}` in tenant `{tenant}`")]
    UnknownUser { tenant: String, email: String },
    /// An admin operation got an invalid argument.
    #[error("invalid argument: {0}")]
    Invalid(String),
}
