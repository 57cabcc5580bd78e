//! The kit's one error enum, each variant with a stable code.

use toolwire_spec::{Diagnostics, SpecError};

/// What can stop a cassette run before any cassette runs.
#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The connector's spec is invalid.
    #[error("{0}")]
    Spec(Box<SpecError>),
    /// The cassette file has problems (all of them, located).
    #[error("{0}")]
    Invalid(Diagnostics),
    /// No cassette file beside the spec and none named.
    #[error(
        "no cassettes for {spec}: expected {expected} (write one, or name it with --cassettes FILE)"
    )]
    NoCassettes {
        /// The spec file.
        spec: String,
        /// Where they were looked for.
        expected: String,
    },
    /// The local HTTPS stand-in could not start.
    #[error("the HTTPS stand-in could not start: {0}")]
    StandIn(String),
}

impl TestkitError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            TestkitError::Read { .. } => "READ_FAILED",
            TestkitError::Spec(_) => "SPEC_INVALID",
            TestkitError::Invalid(_) => "CASSETTE_INVALID",
            TestkitError::NoCassettes { .. } => "NO_CASSETTES",
            TestkitError::StandIn(_) => "STAND_IN_FAILED",
        }
    }
}

impl From<SpecError> for TestkitError {
    fn from(e: SpecError) -> Self {
        TestkitError::Spec(Box::new(e))
    }
}

/// The kit's result.
pub type Result<T, E = TestkitError> = std::result::Result<T, E>;
