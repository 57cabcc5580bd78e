//! `MasterKey`: the 32-byte key-encryption key, from `TOOLWIRE_MASTER_KEY` (base64) or a key
//! file (base64 text, mode 0600) — a [`SecretFile`], like the server's other secrets. It only
//! wraps data keys; it never encrypts credentials.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore as _;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use zeroize::Zeroizing;

use super::VaultError;
use crate::secret_file::{SecretFile, SecretFileError, SecretOrigin};

/// The environment variable holding the base64 master key.
pub const MASTER_KEY_ENV: &str = "TOOLWIRE_MASTER_KEY";

/// Length of the master key in bytes.
pub const MASTER_KEY_LEN: usize = 32;

/// The master key (a key-encryption key). Zeroized on drop; `Debug` prints nothing of it.
pub struct MasterKey(SecretBox<[u8; MASTER_KEY_LEN]>);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([REDACTED])")
    }
}

impl MasterKey {
    /// A new random key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(SecretBox::init_with_mut(
            |bytes: &mut [u8; MASTER_KEY_LEN]| rand::rng().fill_bytes(bytes),
        ))
    }

    /// A key from raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        let bytes: &[u8; MASTER_KEY_LEN] =
            bytes.try_into().map_err(|_| VaultError::InvalidMasterKey {
                reason: "it must be exactly 32 bytes",
            })?;
        Ok(Self(SecretBox::init_with_mut(
            |key: &mut [u8; MASTER_KEY_LEN]| key.copy_from_slice(bytes),
        )))
    }

    /// A key from standard base64 (surrounding whitespace ignored).
    pub fn from_base64(encoded: &str) -> Result<Self, VaultError> {
        let decoded = Zeroizing::new(STANDARD.decode(encoded.trim()).map_err(|_| {
            VaultError::InvalidMasterKey {
                reason: "it is not valid base64",
            }
        })?);
        Self::from_bytes(&decoded)
    }

    /// The key as standard base64, e.g. to print once when generating it.
    pub fn to_base64(&self) -> SecretString {
        SecretString::from(STANDARD.encode(self.0.expose_secret()))
    }

    /// The key from `TOOLWIRE_MASTER_KEY`, or `None` if it is unset or empty.
    pub fn from_env() -> Result<Option<Self>, VaultError> {
        crate::secret_file::env(MASTER_KEY_ENV)
            .map_err(file_error)?
            .map(|text| Self::from_base64(text.expose_secret()))
            .transpose()
    }

    /// Reads a key file (base64 text).
    pub fn read_file(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let text = Self::secret_file(path.as_ref())
            .read()
            .map_err(file_error)?;
        Self::from_base64(text.expose_secret())
    }

    /// Writes the key as base64 to a new file with permissions 0600 (owner read/write only).
    /// Refuses to overwrite an existing file: losing a master key loses every credential.
    pub fn write_file(&self, path: impl AsRef<Path>) -> Result<(), VaultError> {
        Self::secret_file(path.as_ref())
            .create(&self.to_base64())
            .map_err(file_error)
    }

    /// The key from `TOOLWIRE_MASTER_KEY` if set, else from `key_file`.
    pub fn load(key_file: Option<&Path>) -> Result<Self, VaultError> {
        if let Some(key) = Self::from_env()? {
            return Ok(key);
        }
        match key_file {
            Some(path) => Self::read_file(path),
            None => Err(VaultError::MasterKeyMissing),
        }
    }

    /// Like [`load`](Self::load), but generates and writes `key_file` if neither the variable
    /// nor the file exists (first start of a local deployment). Returns whether it generated.
    pub fn load_or_generate(key_file: &Path) -> Result<(Self, bool), VaultError> {
        let (text, origin) = Self::secret_file(key_file)
            .load_or_create(|| Self::generate().to_base64())
            .map_err(file_error)?;
        Ok((
            Self::from_base64(text.expose_secret())?,
            origin == SecretOrigin::Created,
        ))
    }

    /// `TOOLWIRE_MASTER_KEY`, else `path` (the data directory's one routine for secrets).
    fn secret_file(path: &Path) -> SecretFile {
        SecretFile::new(MASTER_KEY_ENV, path)
    }

    pub(crate) fn expose(&self) -> &[u8; MASTER_KEY_LEN] {
        self.0.expose_secret()
    }
}

fn file_error(e: SecretFileError) -> VaultError {
    match e {
        SecretFileError::Io { path, op, source } => VaultError::KeyFile { path, op, source },
        SecretFileError::NotUnicode { .. } => VaultError::InvalidMasterKey {
            reason: "TOOLWIRE_MASTER_KEY is not valid UTF-8",
        },
    }
}
