//! The tool catalog: tool definitions in MCP / OpenAI / Anthropic form and Markdown docs,
//! always produced by `toolwire-codegen`'s `Generator` (never by an emitter of our own), plus
//! a plain listing of a spec's tools.

use std::path::Path;

use serde_json::Value;
use toolwire_codegen::{Generator, SchemaFormat};
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
    Ok(generator(path)?.tool_schemas(codegen_format(format)))
}

/// The Markdown tool reference of the spec in `path`.
pub fn docs_markdown(path: &Path) -> Result<String> {
    Ok(generator(path)?.docs_markdown())
}

fn generator(path: &Path) -> Result<Generator> {
    Generator::from_file(path).map_err(|e| match e {
        toolwire_codegen::CodegenError::Spec(spec) => ServerError::from(spec),
        other => ServerError::Codegen(other.to_string()),
    })
}

fn codegen_format(format: Format) -> SchemaFormat {
    match format {
        Format::Mcp => SchemaFormat::Mcp,
        Format::Openai => SchemaFormat::OpenAi,
        Format::Anthropic => SchemaFormat::Anthropic,
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
                "{:<34} {:<34} {}",
                t.name,
                format!("[{kind}{idem}]"),
                t.title
            )
        })
        .collect()
}
