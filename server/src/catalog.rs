//! The tool catalog: tool definitions in MCP / OpenAI / Anthropic form and Markdown docs,
//! always produced by `toolwire-codegen`'s `Generator` (never by an emitter of our own), plus
//! a plain listing of a spec's tools.
//!
//! TODO(codegen): `toolwire-codegen` does not compile yet; the `codegen` feature switches the
//! real calls on. Once it builds, make the feature default (see server/Cargo.toml).

use std::path::Path;

use serde_json::Value;
use toolwire_spec::ConnectorSpec;

use crate::error::{Result, ServerError};

/// A tool-definition format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// MCP `tools/list` entries (name, title, description, inputSchema, outputSchema, annotations).
    Mcp,
    /// OpenAI function tools (strict JSON Schema).
    Openai,
    /// Anthropic tools (`input_schema`).
    Anthropic,
}

/// Every tool of the spec in `path`, in spec order, as a JSON array in `format`.
pub fn tool_schemas_file(path: &Path, format: Format) -> Result<Value> {
    #[cfg(feature = "codegen")]
    {
        let generator = toolwire_codegen::Generator::from_file(path)
            .map_err(|e| ServerError::Codegen(e.to_string()))?;
        Ok(generator.tool_schemas(codegen_format(format)))
    }
    #[cfg(not(feature = "codegen"))]
    {
        let _ = (path, format);
        Err(ServerError::CodegenUnavailable)
    }
}

/// The Markdown tool reference of the spec in `path`.
pub fn docs_markdown(path: &Path) -> Result<String> {
    #[cfg(feature = "codegen")]
    {
        let generator = toolwire_codegen::Generator::from_file(path)
            .map_err(|e| ServerError::Codegen(e.to_string()))?;
        Ok(generator.docs_markdown())
    }
    #[cfg(not(feature = "codegen"))]
    {
        let _ = path;
        Err(ServerError::CodegenUnavailable)
    }
}

#[cfg(feature = "codegen")]
fn codegen_format(format: Format) -> toolwire_codegen::SchemaFormat {
    // TODO(codegen): check the variant names once SchemaFormat exists.
    match format {
        Format::Mcp => toolwire_codegen::SchemaFormat::Mcp,
        Format::Openai => toolwire_codegen::SchemaFormat::OpenAi,
        Format::Anthropic => toolwire_codegen::SchemaFormat::Anthropic,
    }
}

/// One line per tool: name, hints (read-only / destructive / idempotent) and title.
pub fn list_lines(spec: &ConnectorSpec) -> Vec<String> {
    spec.tools
        .iter()
        .map(|t| {
            let a = &t.annotations;
            let kind = if a.read_only {
                "read"
            } else if a.destructive {
                "write, destructive"
            } else {
                "write"
            };
            let idem = if a.idempotent { ", idempotent" } else { "" };
            format!(
                "{:<34} {:<28} {}",
                t.name,
                format!("[{kind}{idem}]"),
                t.title
            )
        })
        .collect()
}
