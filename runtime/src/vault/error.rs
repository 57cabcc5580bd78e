//! `VaultError`: every failure of the credential vault, with a stable machine `code()` and its
//! typed `kind()`.
//!
//! Messages never contain key material, plaintext, ciphertext or serde error text (which can
//! quote input); only key ids, paths and fixed explanations.

use std::path::PathBuf;

use crate::error::ErrorKind;
use crate::store::StoreError;

/// An error from the [`Vault`](super::Vault) or [`MasterKey`](super::MasterKey).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// Neither the environment variable nor a key file provided a master key.
    #[error(
        "no master key: set TOOLWIRE_MASTER_KEY to the base64 of 32 random bytes, or point to a \
         key file (create one with MasterKey::generate / `toolwire keys generate`)"
    )]
    MasterKeyMissing,
    /// The master key is not base64 of exactly 32 bytes.
    #[error("invalid master key: {reason}")]
    InvalidMasterKey {
        /// What is wrong (never the key).
        reason: &'static str,
    },
    /// Reading or writing the key file failed.
    #[error("master key file {}: could not {op}: {source}", path.display())]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// `read` or `write`.
        op: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The master key does not match the key-check value stored with the keyring.
    #[error(
        "wrong master key: it does not match the key-check value stored in this database. Use \
         the master key this database was created with (TOOLWIRE_MASTER_KEY or the key file); a \
         different key cannot decrypt the stored credentials"
    )]
    WrongMasterKey,
    /// A data key could not be unwrapped although the master key passed the check.
    #[error("vault data key {key_id} is corrupt (its wrapped bytes fail authentication)")]
    CorruptDataKey {
        /// The key id.
        key_id: u32,
    },
    /// The keyring has no primary data key.
    #[error("the vault keyring has no primary data key; run `toolwire keys rotate`")]
    NoPrimaryKey,
    /// An envelope names a data key this process does not hold.
    #[error(
        "credentials are sealed with vault data key {key_id}, which this process does not know; \
         reload the keyring (another replica may have rotated keys)"
    )]
    UnknownKey {
        /// The key id in the envelope.
        key_id: u32,
    },
    /// The bytes are not a vault envelope.
    #[error("malformed credentials envelope: {reason}")]
    MalformedEnvelope {
        /// What is wrong.
        reason: &'static str,
    },
    /// The envelope has a format version this build cannot read.
    #[error("unsupported credentials envelope version {version}")]
    UnsupportedEnvelopeVersion {
        /// The version byte.
        version: u8,
    },
    /// Authenticated decryption failed.
    #[error(
        "credentials failed authentication: the ciphertext does not belong to this account and \
         config (moved to another row, config edited in the database, or corrupted)"
    )]
    DecryptFailed,
    /// The plaintext is not a JSON object.
    #[error("invalid credentials: {reason}")]
    InvalidCredentials {
        /// What is wrong (never the content).
        reason: &'static str,
    },
    /// Encryption failed (should not happen).
    #[error("encryption failed")]
    Encrypt,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl VaultError {
    /// A stable, machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MasterKeyMissing => "MASTER_KEY_MISSING",
            Self::InvalidMasterKey { .. } => "MASTER_KEY_INVALID",
            Self::KeyFile { .. } => "MASTER_KEY_FILE",
            Self::WrongMasterKey => "WRONG_MASTER_KEY",
            Self::CorruptDataKey { .. } => "VAULT_CORRUPT_DATA_KEY",
            Self::NoPrimaryKey => "VAULT_NO_PRIMARY_KEY",
            Self::UnknownKey { .. } => "VAULT_UNKNOWN_KEY",
            Self::MalformedEnvelope { .. } => "VAULT_MALFORMED_ENVELOPE",
            Self::UnsupportedEnvelopeVersion { .. } => "VAULT_UNSUPPORTED_ENVELOPE",
            Self::DecryptFailed => "VAULT_DECRYPT_FAILED",
            Self::InvalidCredentials { .. } => "INVALID_CREDENTIALS",
            Self::Encrypt => "VAULT_ENCRYPT_FAILED",
            Self::Store(err) => err.code(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::MasterKeyMissing
            | Self::InvalidMasterKey { .. }
            | Self::KeyFile { .. }
            | Self::WrongMasterKey
            | Self::CorruptDataKey { .. }
            | Self::NoPrimaryKey
            | Self::UnknownKey { .. }
            | Self::MalformedEnvelope { .. }
            | Self::UnsupportedEnvelopeVersion { .. }
            | Self::DecryptFailed
            | Self::Encrypt => ErrorKind::Vault,
            // Credentials given (or stored) that are not a JSON object: the credentials'
            // problem (`INVALID_CREDENTIALS`), like credentials that do not fit the scheme.
            Self::InvalidCredentials { .. } => ErrorKind::InvalidInput,
            Self::Store(err) => err.kind(),
        }
    }
}
