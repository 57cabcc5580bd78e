//! [`SecretFile`]: one secret of a data directory — an environment variable, else a file only
//! its owner can read (mode 0600), created with a generated value on first use. The vault's
//! master key (`TOOLWIRE_MASTER_KEY` / `master.key`), the server's API key (`TOOLWIRE_API_KEY`
//! / `api.key`) and its link secret (`TOOLWIRE_LINK_SECRET` / `link.secret`) are each one.
//!
//! Values are trimmed, and a blank variable counts as unset. A file is never replaced (a lost
//! key can lose data) and appears whole (written aside, then hard-linked into place), so
//! processes starting together agree on one secret. A file that group or others can access
//! is used, with a warning to `chmod 600` it. Nothing here prints, logs or returns a secret in an error.

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
    /// an existing file is never replaced (an `AlreadyExists` error). The file appears whole:
    /// the secret is written to a temporary file in the same directory, then hard-linked to
    /// the name (which fails if the name exists), so no process ever reads it half-written.
    pub fn create(&self, secret: &SecretString) -> Result<(), SecretFileError> {
        let io_err = |source| SecretFileError::Io {
            path: self.path.clone(),
            op: "write",
            source,
        };
        let parent = self.path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(parent) = parent {
            std::fs::create_dir_all(parent).map_err(io_err)?;
        }
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let temp = self.path.with_file_name(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            uuid::Uuid::now_v7().simple()
        ));
        let written = write_new(&temp, secret).and_then(|()| std::fs::hard_link(&temp, &self.path));
        let _ = std::fs::remove_file(&temp);
        written.map_err(io_err)?;
        #[cfg(unix)]
        if let Some(parent) = parent {
            // Best effort: make the new name durable too.
            let _ = std::fs::File::open(parent).and_then(|d| d.sync_all());
        }
        Ok(())
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

/// Writes `secret` and a newline to the new file `path` (mode 0600) and syncs it.
fn write_new(path: &Path, secret: &SecretString) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    let mut text = Zeroizing::new(secret.expose_secret().to_owned());
    text.push('\n');
    file.write_all(text.as_bytes())?;
    file.sync_all()
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
    fn concurrent_creators_end_with_the_same_secret() {
        const CREATORS: usize = 4;
        for round in 0..200 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("master.key");
            let start = std::sync::Barrier::new(CREATORS);
            let results: Vec<(String, SecretOrigin)> = std::thread::scope(|s| {
                let creators: Vec<_> = (0..CREATORS)
                    .map(|i| {
                        let (path, start) = (&path, &start);
                        s.spawn(move || {
                            let file = SecretFile::new(UNSET, path);
                            start.wait();
                            let (secret, origin) = file
                                .load_or_create(|| SecretString::from(format!("secret-{i}")))
                                .unwrap();
                            (secret.expose_secret().to_string(), origin)
                        })
                    })
                    .collect();
                creators.into_iter().map(|c| c.join().unwrap()).collect()
            });
            let created = results
                .iter()
                .filter(|(_, o)| *o == SecretOrigin::Created)
                .count();
            assert_eq!(created, 1, "round {round}: one creator wins: {results:?}");
            let winner = &results
                .iter()
                .find(|(_, o)| *o == SecretOrigin::Created)
                .unwrap()
                .0;
            assert!(
                results.iter().all(|(s, _)| s == winner),
                "round {round}: every creator has the winner's secret: {results:?}"
            );
            let on_disk = std::fs::read_to_string(&path).unwrap();
            assert_eq!(on_disk.trim(), winner, "round {round}");
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(names.len(), 1, "round {round}: no temporary file left");
        }
    }

    #[test]
    fn a_blank_or_unset_variable_is_none() {
        assert!(env(UNSET).unwrap().is_none());
    }
}
