//! `MasterKey`: the 32-byte key-encryption key, from `TOOLWIRE_MASTER_KEY` (base64) or a key
//! file (base64 text, mode 0600). It only wraps data keys; it never encrypts credentials.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore as _;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use zeroize::Zeroizing;

use super::VaultError;

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
        match std::env::var(MASTER_KEY_ENV) {
            Ok(value) => {
                let value = Zeroizing::new(value);
                if value.trim().is_empty() {
                    Ok(None)
                } else {
                    Self::from_base64(&value).map(Some)
                }
            }
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(VaultError::InvalidMasterKey {
                reason: "TOOLWIRE_MASTER_KEY is not valid UTF-8",
            }),
        }
    }

    /// Reads a key file (base64 text).
    pub fn read_file(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let path = path.as_ref();
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
            VaultError::KeyFile {
                path: path.to_path_buf(),
                op: "read",
                source,
            }
        })?);
        warn_if_readable_by_others(path);
        Self::from_base64(&text)
    }

    /// Writes the key as base64 to a new file with permissions 0600 (owner read/write only).
    /// Refuses to overwrite an existing file: losing a master key loses every credential.
    pub fn write_file(&self, path: impl AsRef<Path>) -> Result<(), VaultError> {
        let path = path.as_ref();
        let io_err = |source| VaultError::KeyFile {
            path: path.to_path_buf(),
            op: "write",
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io_err)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(io_err)?;
        let mut text = Zeroizing::new(self.to_base64().expose_secret().to_owned());
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(io_err)?;
        file.sync_all().map_err(io_err)
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
        if let Some(key) = Self::from_env()? {
            return Ok((key, false));
        }
        if key_file.exists() {
            return Self::read_file(key_file).map(|key| (key, false));
        }
        let key = Self::generate();
        key.write_file(key_file)?;
        Ok((key, true))
    }

    pub(crate) fn expose(&self) -> &[u8; MASTER_KEY_LEN] {
        self.0.expose_secret()
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        let path: PathBuf = path.to_path_buf();
        tracing::warn!(path = %path.display(), "master key file is accessible by group or others; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}
