//! `toolwire spec check|docs`: validate connector specs (every problem, with `file:line:column`)
//! and print their Markdown tool reference.

use std::path::PathBuf;

use clap::Subcommand;

use crate::error::{Result, ServerError};

/// `toolwire spec ...`
#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Check specs; prints every problem as `file:line:column: message` and exits non-zero.
    ///
    /// Example: toolwire spec check connectors/*.yaml
    Check {
        /// Spec files (YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the Markdown tool reference of a spec (what docs/connectors/<name>.md holds).
    Docs {
        /// Spec file (YAML).
        file: PathBuf,
    },
}

/// Runs a `spec` command.
pub fn run(cmd: SpecCommand) -> Result<()> {
    match cmd {
        SpecCommand::Check { files } => check(&files),
        SpecCommand::Docs { file } => {
            print!("{}", crate::catalog::docs_markdown(&file)?);
            Ok(())
        }
    }
}

fn check(files: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for file in files {
        match toolwire_spec::load_file(file) {
            Ok(spec) => println!(
                "ok    {} ({}: {} tools)",
                file.display(),
                spec.connector,
                spec.tools.len()
            ),
            Err(e) => {
                failed += 1;
                eprintln!("{e}");
            }
        }
    }
    if failed > 0 {
        return Err(ServerError::Usage(format!(
            "{failed} of {} spec file(s) have problems (listed above)",
            files.len()
        )));
    }
    Ok(())
}
