//! [`SecretFile`]: one secret of a data directory — an environment variable, else a file only
//! its owner can read (mode 0600), created with a generated value on first use. The vault's
//! master key (`TOOLWIRE_MASTER_KEY` / `master.key`), the server's API key (`TOOLWIRE_API_KEY`
//! / `api.key`) and its link secret (`TOOLWIRE_LINK_SECRET` / `link.secret`) are each one.
//!
//! Values are trimmed, and a blank variable counts as unset. A file is never replaced (a lost
//! key can lose data); a file that group or others can access is used, with a warning to
//! `chmod 600` it. Nothing here prints, logs or returns a secret in an error.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret as _, SecretString};
use zeroize::Zeroizing;

/// Where a loaded secret came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretOrigin {
    /// The environment variable.
    Env,
    /// The existing file.
    File,
    /// Generated now and written to a new file.
    Created,
}

/// Why a secret could not be read or written (never its value).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretFileError {
    /// The variable is set but not UTF-8.
    #[error("{var} is not valid UTF-8")]
    NotUnicode {
        /// The variable's name.
        var: String,
    },
    /// Reading or writing the file failed (`AlreadyExists` when asked to replace one).
    #[error("{}: could not {op}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// `read` or `write`.
        op: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// A secret from the variable `var`, else the file `path`.
#[derive(Debug, Clone)]
pub struct SecretFile {
    var: String,
    path: PathBuf,
}

impl SecretFile {
    /// The secret in variable `var`, else in file `path`.
    pub fn new(var: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        SecretFile {
            var: var.into(),
            path: path.into(),
        }
    }

    /// The variable's name.
    pub fn var(&self) -> &str {
        &self.var
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The variable's value (trimmed), or `None` when it is unset or blank.
    pub fn from_env(&self) -> Result<Option<SecretString>, SecretFileError> {
        env(&self.var)
    }

    /// The file's text, trimmed (with a warning when group or others can access the file).
    pub fn read(&self) -> Result<SecretString, SecretFileError> {
        let text = Zeroizing::new(std::fs::read_to_string(&self.path).map_err(|source| {
            SecretFileError::Io {
                path: self.path.clone(),
                op: "read",
                source,
            }
        })?);
        warn_if_readable_by_others(&self.path);
        Ok(SecretString::from(text.trim()))
    }

    /// Writes `secret` (and a newline) to a new file with mode 0600, creating its directory;
    /// an existing file is never replaced (an `AlreadyExists` error).
    pub fn create(&self, secret: &SecretString) -> Result<(), SecretFileError> {
        let io_err = |source| SecretFileError::Io {
            path: self.path.clone(),
            op: "write",
            source,
        };
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io_err)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&self.path).map_err(io_err)?;
        let mut text = Zeroizing::new(secret.expose_secret().to_owned());
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(io_err)?;
        file.sync_all().map_err(io_err)
    }

    /// The variable if set, else the file if it exists, else `generate()` written to a new
    /// file (if another process creates it first, that one is read).
    pub fn load_or_create(
        &self,
        generate: impl FnOnce() -> SecretString,
    ) -> Result<(SecretString, SecretOrigin), SecretFileError> {
        if let Some(secret) = self.from_env()? {
            return Ok((secret, SecretOrigin::Env));
        }
        if self.path.exists() {
            return Ok((self.read()?, SecretOrigin::File));
        }
        let secret = generate();
        match self.create(&secret) {
            Ok(()) => Ok((
                SecretString::from(secret.expose_secret().trim()),
                SecretOrigin::Created,
            )),
            Err(SecretFileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists =>
            {
                Ok((self.read()?, SecretOrigin::File))
            }
            Err(e) => Err(e),
        }
    }
}

/// The value of variable `var` (trimmed), or `None` when it is unset or blank.
pub fn env(var: &str) -> Result<Option<SecretString>, SecretFileError> {
    match std::env::var(var) {
        Ok(value) => {
            let value = Zeroizing::new(value);
            let value = value.trim();
            Ok((!value.is_empty()).then(|| SecretString::from(value)))
        }
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(SecretFileError::NotUnicode { var: var.into() })
        }
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "secret file is accessible by group or others; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A variable no test or user sets, so the file decides.
    const UNSET: &str = "TOOLWIRE_TEST_SECRET_FILE_NEVER_SET";

    #[test]
    fn created_once_private_then_read_back_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let file = SecretFile::new(UNSET, dir.path().join("sub").join("x.secret"));
        let mut calls = 0;
        let (first, origin) = file
            .load_or_create(|| {
                calls += 1;
                SecretString::from("  generated-value ")
            })
            .unwrap();
        assert_eq!(
            (first.expose_secret(), origin),
            ("generated-value", SecretOrigin::Created)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, origin) = file
            .load_or_create(|| panic!("an existing file is read, not replaced"))
            .unwrap();
        assert_eq!(
            (again.expose_secret(), origin),
            ("generated-value", SecretOrigin::File)
        );
        assert_eq!(calls, 1);
        let err = file.create(&SecretString::from("other")).unwrap_err();
        assert!(
            matches!(&err, SecretFileError::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists),
            "{err}"
        );
        assert!(!err.to_string().contains("generated-value"));
    }

    #[test]
    fn a_blank_or_unset_variable_is_none() {
        assert!(env(UNSET).unwrap().is_none());
    }
}
