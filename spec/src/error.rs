//! The crate's one error type.

use crate::diagnostic::Diagnostics;

/// Why a spec could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read spec {path}: {source}")]
    Read {
        /// The path as given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec has mistakes; each is located and carries a hint.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl SpecError {
    /// A stable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            SpecError::Read { .. } => "SPEC_READ",
            SpecError::Invalid(_) => "SPEC_INVALID",
        }
    }

    /// The located problems, when the spec was read but is invalid.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            SpecError::Invalid(d) => Some(d),
            SpecError::Read { .. } => None,
        }
    }
}
