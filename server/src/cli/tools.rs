//! `toolwire tools list|schemas`: a spec's tools, as a table or as tool definitions (JSON) for
//! MCP, OpenAI or Anthropic clients.

use std::path::PathBuf;

use clap::Subcommand;

use crate::catalog::{self, Format};
use crate::error::Result;

/// `toolwire tools ...`
#[derive(Debug, Subcommand)]
pub enum ToolsCommand {
    /// List the tools of a spec: name, read/write hints, title.
    List {
        /// Spec file (YAML), e.g. connectors/zendesk.yaml.
        file: PathBuf,
    },
    /// Print every tool's definition as JSON, ready to hand to an agent SDK.
    ///
    /// Example: toolwire tools schemas connectors/zendesk.yaml --format openai > tools.json
    Schemas {
        /// Spec file (YAML).
        file: PathBuf,
        /// Which client's tool format.
        #[arg(long, value_enum, default_value = "mcp")]
        format: Format,
    },
}

/// Runs a `tools` command.
pub fn run(cmd: ToolsCommand) -> Result<()> {
    match cmd {
        ToolsCommand::List { file } => {
            let spec = toolwire_spec::load_file(&file)?;
            println!("{} — {} tools", spec.title, spec.tools.len());
            for line in catalog::list_lines(&spec) {
                println!("{line}");
            }
            Ok(())
        }
        ToolsCommand::Schemas { file, format } => {
            let json = catalog::tool_schemas_file(&file, format)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
            Ok(())
        }
    }
}
