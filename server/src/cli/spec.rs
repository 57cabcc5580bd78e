//! `toolwire spec check|docs|test`: validate connector specs (every problem, with
//! `file:line:column`), print their Markdown tool reference, and replay a connector's cassettes
//! offline through the real engine (the test kit, `toolwire-testkit`).

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
    /// Replay the connector's cassettes (recorded exchanges) through the real engine against a
    /// local HTTPS stand-in; prints `ok <name>` / `FAIL <name>` with a diff, exits non-zero on
    /// any failure. No network is used.
    ///
    /// Example: toolwire spec test connectors/zendesk.yaml
    Test {
        /// Spec file (YAML).
        file: PathBuf,
        /// The cassette file (default: cassettes/<file name> beside the spec).
        #[arg(long)]
        cassettes: Option<PathBuf>,
    },
}

/// Runs a `spec` command.
pub async fn run(cmd: SpecCommand) -> Result<()> {
    match cmd {
        SpecCommand::Test { file, cassettes } => test(&file, cassettes.as_deref()).await,
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
        return Err(ServerError::SpecCheck {
            failed,
            total: files.len(),
        });
    }
    Ok(())
}

async fn test(file: &std::path::Path, cassettes: Option<&std::path::Path>) -> Result<()> {
    let report = toolwire_testkit::run(file, cassettes)
        .await
        .map_err(|e| match e {
            toolwire_testkit::TestkitError::Spec(e) => ServerError::Spec(e),
            other => ServerError::Usage(other.to_string()),
        })?;
    print!("{}", report.render());
    let failed = report.failed();
    if !failed.is_empty() {
        return Err(ServerError::CassettesFailed {
            failed: failed.iter().map(|name| name.to_string()).collect(),
            total: report.outcomes.len(),
        });
    }
    Ok(())
}
