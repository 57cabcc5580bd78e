//! Rewrap: re-encrypts every account's credentials under the primary data key, in batches.
//!
//! Safe to interrupt at any point (even `kill -9`): each batch is one transaction of per-row
//! compare-and-swaps, old data keys are never deleted, so every account is readable under
//! either its old or its new key. Resuming is simply running it again: it selects only
//! accounts not yet under the primary key.

use std::ops::ControlFlow;

use uuid::Uuid;

use super::{Aad, Vault, VaultError, seal_with, unseal_with};
use crate::store::{CiphertextSwap, KeyId, Store};

/// An account whose credentials could not be re-encrypted (left as they were).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewrapFailure {
    /// The account.
    pub account_id: Uuid,
    /// The [`VaultError::code`] of the failure.
    pub code: &'static str,
}

/// Progress and outcome of a rewrap.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RewrapReport {
    /// The key everything is being re-encrypted under.
    pub primary_key_id: Option<KeyId>,
    /// Batches processed.
    pub batches: u64,
    /// Accounts examined.
    pub scanned: u64,
    /// Accounts re-encrypted.
    pub rewrapped: u64,
    /// Accounts skipped because they changed concurrently (they were written under the
    /// primary key anyway, or will be picked up by the next run).
    pub skipped_concurrent: u64,
    /// Accounts whose credentials could not be decrypted.
    pub failed: Vec<RewrapFailure>,
    /// Whether every account was examined (false if the callback stopped it early).
    pub completed: bool,
}

impl Vault {
    /// Re-encrypts all credentials not under the primary key, `batch_size` accounts per
    /// transaction, calling `progress` after each batch (return `ControlFlow::Break(())` to
    /// stop early; run again to resume). Reloads the keyring first.
    pub async fn rewrap(
        &self,
        store: &Store,
        batch_size: u32,
        mut progress: impl FnMut(&RewrapReport) -> ControlFlow<()>,
    ) -> Result<RewrapReport, VaultError> {
        self.reload(store).await?;
        let ring = self.ring();
        let primary = ring.primary();
        let mut report = RewrapReport {
            primary_key_id: Some(primary),
            ..RewrapReport::default()
        };
        let mut after = None;
        loop {
            let batch = store
                .accounts_not_under_key(primary, after, batch_size)
                .await?;
            let Some(last) = batch.last() else {
                report.completed = true;
                return Ok(report);
            };
            after = Some(last.id);
            let mut swaps = Vec::with_capacity(batch.len());
            for candidate in &batch {
                let aad = Aad::new(
                    &candidate.connection,
                    &candidate.identifier,
                    candidate.id,
                    &candidate.config,
                );
                let resealed = unseal_with(&ring, &aad, &candidate.sealed.bytes)
                    .and_then(|credentials| seal_with(&ring, primary, &aad, &credentials));
                match resealed {
                    Ok(sealed) => swaps.push(CiphertextSwap {
                        id: candidate.id,
                        expected_key_id: candidate.sealed.key_id,
                        expected_version: candidate.version,
                        sealed,
                    }),
                    Err(err) => report.failed.push(RewrapFailure {
                        account_id: candidate.id,
                        code: err.code(),
                    }),
                }
            }
            let applied = store.swap_ciphertexts(&swaps).await?;
            report.batches += 1;
            report.scanned += batch.len() as u64;
            report.rewrapped += applied;
            report.skipped_concurrent += swaps.len() as u64 - applied;
            if progress(&report).is_break() {
                return Ok(report);
            }
        }
    }
}
