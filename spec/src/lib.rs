//! The toolwire connector spec format, version 1.
//!
//! A connector is one YAML file (`connectors/zendesk.yaml`): base-URL template, config
//! variables, auth schemes, a credential verify probe, error rules, output models and tools.
//! This crate owns the format and nothing else:
//!
//! - [`model`]: the typed spec (what the runtime interprets and codegen turns into Rust);
//! - [`load`]: YAML → a located tree → JSON (every node keeps its `line:column`);
//! - [`validate`]: two passes over a loaded spec — shape (against `connector.schema.json`),
//!   then meaning (templates, path params, annotations, names) — reporting **all** problems;
//! - [`template`]: `{{namespace.path}}` templates, parsed once at load time.
//!
//! ```no_run
//! let spec = toolwire_spec::load_file("connectors/zendesk.yaml")?;
//! assert_eq!(spec.connector, "zendesk");
//! # Ok::<(), toolwire_spec::SpecError>(())
//! ```

pub mod diagnostic;
pub mod load;
pub mod model;
pub mod pointer;
pub mod template;
pub mod typed;
pub mod validate;

mod error;
mod format;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use error::SpecError;
pub use format::CONNECTOR_SCHEMA;
pub use model::*;
pub use typed::{Tool, fingerprint};

use std::path::Path;

/// Loads, checks and returns the spec in `path`; every problem found is in the error.
pub fn load_file(path: impl AsRef<Path>) -> Result<ConnectorSpec, SpecError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.display().to_string(),
        source,
    })?;
    load_str(&path.display().to_string(), &text)
}

/// Loads and checks a spec from text; `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<ConnectorSpec, SpecError> {
    let doc = load::Document::parse(file, text).map_err(SpecError::Invalid)?;
    validate::validate(&doc).map_err(SpecError::Invalid)
}
