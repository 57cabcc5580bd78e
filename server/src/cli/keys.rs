//! `toolwire keys generate`: a new random vault master key.

use clap::Subcommand;
use secrecy::ExposeSecret as _;
use toolwire_runtime::MasterKey;

use crate::error::Result;

/// `toolwire keys ...`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print a new random master key (base64, 32 bytes); the last line is the key alone.
    ///
    /// Example: export TOOLWIRE_MASTER_KEY=$(toolwire keys generate | tail -n1)
    Generate,
}

/// Runs a `keys` command.
pub fn run(cmd: KeysCommand) -> Result<()> {
    match cmd {
        KeysCommand::Generate => {
            let key = MasterKey::generate();
            eprintln!(
                "# a new vault master key: store it in a secret manager and set TOOLWIRE_MASTER_KEY"
            );
            println!("{}", key.to_base64().expose_secret());
            Ok(())
        }
    }
}
