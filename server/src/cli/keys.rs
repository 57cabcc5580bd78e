//! `toolwire keys generate|rotate|rewrap`: the vault's master key and data keys.
//!
//! `rotate` adds a new primary data key (new writes use it; old ciphertexts stay readable);
//! `rewrap` re-encrypts every account's credentials under the primary key in batches, with
//! progress on stderr — safe to interrupt, and running it again resumes.

use std::ops::ControlFlow;

use clap::Subcommand;
use secrecy::ExposeSecret as _;
use serde_json::json;
use toolwire_runtime::{MasterKey, Store, Vault};

use super::runtime_args::StoreArgs;
use crate::error::Result;
use crate::setup;

/// `toolwire keys ...`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print a new random master key (base64, 32 bytes); the last line is the key alone.
    ///
    /// Example: export TOOLWIRE_MASTER_KEY=$(toolwire keys generate | tail -n1)
    Generate,
    /// Add a new primary data key (wrapped by the master key); then run `keys rewrap`.
    Rotate {
        #[command(flatten)]
        data: DataDir,
    },
    /// Re-encrypt all credentials under the primary data key, in batches (resumable).
    Rewrap {
        #[command(flatten)]
        data: DataDir,
        /// Accounts per transaction.
        #[arg(long, default_value_t = 100)]
        batch_size: u32,
    },
}

/// The store (the master key comes from TOOLWIRE_MASTER_KEY or DATA_DIR/master.key).
#[derive(Debug, Clone, clap::Args)]
pub struct DataDir {
    /// `--data-dir` and `--database-url`, as for `toolwire serve`.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs a `keys` command.
pub async fn run(cmd: KeysCommand) -> Result<()> {
    match cmd {
        KeysCommand::Generate => {
            let key = MasterKey::generate();
            eprintln!(
                "# a new vault master key: store it in a secret manager and set TOOLWIRE_MASTER_KEY"
            );
            println!("{}", key.to_base64().expose_secret());
            Ok(())
        }
        KeysCommand::Rotate { data } => {
            let (store, vault) = open(&data).await?;
            let key_id = vault.rotate(&store).await?;
            if data.json {
                println!("{}", json!({"primary_key_id": key_id.0}));
            } else {
                println!(
                    "data key {} is now primary; run `toolwire keys rewrap` to re-encrypt existing credentials",
                    key_id.0
                );
            }
            Ok(())
        }
        KeysCommand::Rewrap { data, batch_size } => {
            let (store, vault) = open(&data).await?;
            let total: u64 = store
                .count_credentials_by_key()
                .await?
                .iter()
                .map(|(_, n)| n)
                .sum();
            let report = vault
                .rewrap(&store, batch_size.max(1), |r| {
                    eprintln!(
                        "rewrap: batch {}, {}/{} examined, {} re-encrypted, {} failed",
                        r.batches,
                        r.scanned,
                        total,
                        r.rewrapped,
                        r.failed.len()
                    );
                    ControlFlow::Continue(())
                })
                .await?;
            let failed: Vec<_> = report
                .failed
                .iter()
                .map(|f| json!({"account_id": f.account_id.to_string(), "code": f.code}))
                .collect();
            if data.json {
                println!(
                    "{}",
                    json!({"primary_key_id": report.primary_key_id.map(|k| k.0), "scanned": report.scanned,
                        "rewrapped": report.rewrapped, "skipped_concurrent": report.skipped_concurrent,
                        "failed": failed, "completed": report.completed})
                );
            } else {
                println!(
                    "rewrap done: {} re-encrypted, {} skipped (changed concurrently), {} failed",
                    report.rewrapped,
                    report.skipped_concurrent,
                    failed.len()
                );
            }
            if report.failed.is_empty() {
                Ok(())
            } else {
                Err(crate::ServerError::Usage(format!(
                    "{} account(s) could not be re-encrypted (listed above); they keep their old key",
                    report.failed.len()
                )))
            }
        }
    }
}

async fn open(data: &DataDir) -> Result<(Store, Vault)> {
    let key = setup::master_key(&data.store.data_dir)?;
    let store = data.store.open_store().await?;
    let vault = Vault::open(&store, key).await?;
    Ok((store, vault))
}
