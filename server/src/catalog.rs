//! The tool catalog: tool definitions in MCP / OpenAI / Anthropic form and Markdown docs,
//! always produced by `toolwire-codegen`'s `Generator` (never by an emitter of our own).
//!
//! A server's [`Catalog`] is made once, at start-up, from the connectors the runtime loaded
//! (`Toolwire::connectors()`: from a directory, a file or `ToolwireBuilder::connector`), so
//! `GET /v1/tools` and MCP `tools/list` describe exactly what the runtime runs and answer
//! without touching the disk. The CLI's `tools` and `spec docs` commands work on one spec file
//! ([`tool_schemas_file`], [`docs_markdown`], [`list_lines`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use toolwire_codegen::{Generator, SchemaFormat};
use toolwire_runtime::connector::Connector;
use toolwire_spec::ConnectorSpec;

use crate::error::Result;

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

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Mcp, Format::Openai, Format::Anthropic];

    fn index(self) -> usize {
        match self {
            Format::Mcp => 0,
            Format::Openai => 1,
            Format::Anthropic => 2,
        }
    }

    fn codegen(self) -> SchemaFormat {
        match self {
            Format::Mcp => SchemaFormat::Mcp,
            Format::Openai => SchemaFormat::OpenAi,
            Format::Anthropic => SchemaFormat::Anthropic,
        }
    }
}

/// Every tool of a set of loaded connectors in every format, by connection name.
#[derive(Debug, Default)]
pub struct Catalog {
    connections: BTreeMap<String, [Vec<Value>; 3]>,
}

impl Catalog {
    /// The catalog of `connectors` (e.g. `tw.connectors()`), generated once.
    pub fn new<'a>(connectors: impl IntoIterator<Item = &'a Connector>) -> Self {
        let connections = connectors
            .into_iter()
            .map(|c| {
                let generator = Generator::from_spec(c.spec.clone());
                let forms = Format::ALL.map(|f| into_list(generator.tool_schemas(f.codegen())));
                (c.name().to_string(), forms)
            })
            .collect();
        Catalog { connections }
    }

    /// The tools of `connection` in `format` (spec order), or `None` if it is not loaded.
    pub fn tools(&self, connection: &str, format: Format) -> Option<&[Value]> {
        self.connections
            .get(connection)
            .map(|forms| forms[format.index()].as_slice())
    }

    /// Every tool in `format`: connections by name, each in spec order.
    pub fn all(&self, format: Format) -> impl Iterator<Item = &Value> {
        self.connections
            .values()
            .flat_map(move |forms| forms[format.index()].iter())
    }
}

/// Codegen's tool list (always a JSON array) as a list.
fn into_list(tools: Value) -> Vec<Value> {
    match tools {
        Value::Array(items) => items,
        other => vec![other],
    }
}

/// Every tool of the spec in `path`, in spec order, as a JSON array in `format`.
pub fn tool_schemas_file(path: &Path, format: Format) -> Result<Value> {
    let spec = toolwire_spec::load_file(path)?;
    Ok(Generator::from_spec(spec).tool_schemas(format.codegen()))
}

/// The Markdown tool reference of the spec in `path`.
pub fn docs_markdown(path: &Path) -> Result<String> {
    let spec = toolwire_spec::load_file(path)?;
    Ok(Generator::from_spec(spec).docs_markdown())
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
