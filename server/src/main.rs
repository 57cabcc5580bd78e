//! The `toolwire` binary: parses the command line and hands over to [`toolwire_server::cli`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = toolwire_server::cli::Cli::parse();
    toolwire_server::cli::main(cli)
}
