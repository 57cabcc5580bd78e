//! The crate's one error type.

use toolwire_spec::SpecError;

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// The spec could not be read or has mistakes (each located, with a hint).
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A generated file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path written to.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A schema format name that does not exist.
    #[error("unknown schema format `{0}`; use mcp, openai or anthropic")]
    UnknownFormat(String),
    /// The generated Rust did not parse; a bug in toolwire-codegen.
    #[error("generated Rust does not parse (a bug in toolwire-codegen, please report it): {0}")]
    Syntax(#[from] syn::Error),
}

impl CodegenError {
    /// A stable code for the error kind (spec errors keep the spec's own codes).
    pub fn code(&self) -> &'static str {
        match self {
            CodegenError::Spec(e) => e.code(),
            CodegenError::Write { .. } => "CODEGEN_WRITE",
            CodegenError::UnknownFormat(_) => "CODEGEN_UNKNOWN_FORMAT",
            CodegenError::Syntax(_) => "CODEGEN_SYNTAX",
        }
    }
}
