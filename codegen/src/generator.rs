//! [`Generator`]: one loaded spec and the entry points every front door calls (the
//! `connector!` macro, [`crate::build::generate`], the `toolwire spec` CLI).

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use serde_json::Value;
use toolwire_spec::ConnectorSpec;

use crate::error::CodegenError;
use crate::rust::SpecSource;
use crate::schemas::SchemaFormat;

/// Generates Rust, tool JSON Schemas and docs from one connector spec.
#[derive(Debug, Clone)]
pub struct Generator {
    spec: ConnectorSpec,
    source: SpecSource,
}

impl Generator {
    /// Loads and checks the spec in `path` (named as given in diagnostics); generated Rust
    /// embeds it with `include_str!` of its absolute path.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, CodegenError> {
        let path = path.as_ref();
        let spec = toolwire_spec::load_file(path)?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Generator {
            spec,
            source: SpecSource::Include(absolute),
        })
    }

    /// Loads and checks spec text; `file` names it in diagnostics. Generated Rust embeds the
    /// text as a literal unless [`Generator::with_include_path`] names the file.
    pub fn from_source(file: &str, text: &str) -> Result<Self, CodegenError> {
        let spec = toolwire_spec::load_str(file, text)?;
        Ok(Generator {
            spec,
            source: SpecSource::Text(text.to_string()),
        })
    }

    /// A spec already loaded and checked (e.g. a running toolwire's connector, so tool schemas
    /// and docs describe exactly what it runs). Its text is not known: generated Rust needs the
    /// file named with [`Generator::with_include_path`], else its `SPEC_SOURCE` is a
    /// `compile_error!` saying so.
    pub fn from_spec(spec: ConnectorSpec) -> Self {
        Generator {
            spec,
            source: SpecSource::Unknown,
        }
    }

    /// Embeds the spec in generated Rust with `include_str!(path)` (use an absolute path, or
    /// one relative to the file the code is included into).
    pub fn with_include_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.source = SpecSource::Include(path.into());
        self
    }

    /// The loaded spec.
    pub fn spec(&self) -> &ConnectorSpec {
        &self.spec
    }

    /// The generated module (`pub mod <connector> { .. }`) as tokens.
    pub fn tokens(&self) -> TokenStream {
        let module = crate::ir::Module::lower(&self.spec);
        crate::rust::module(&self.spec, &module, &self.source)
    }

    /// The generated module as formatted Rust source (prettyplease).
    pub fn rust_source(&self) -> Result<String, CodegenError> {
        let file: syn::File = syn::parse2(self.tokens())?;
        Ok(prettyplease::unparse(&file))
    }

    /// Every tool's definition in `format`, in spec order, as a JSON array.
    pub fn tool_schemas(&self, format: SchemaFormat) -> Value {
        crate::schemas::tool_schemas(&self.spec, format)
    }

    /// The Markdown tool reference (`docs/connectors/<connector>.md`).
    pub fn docs_markdown(&self) -> String {
        crate::docs::markdown(&self.spec)
    }
}
