//! The link secret: `TOOLWIRE_LINK_SECRET` (32+ characters), else `link.secret` in the data
//! directory, created with 32 random bytes (mode 0600) on first start and never printed.

use std::io::Write as _;
use std::path::Path;

use crate::error::{Result, ServerError};

/// The file name in the data directory.
pub const FILE: &str = "link.secret";

/// Loads or creates the secret.
pub fn load_or_create(data_dir: &Path) -> Result<Vec<u8>> {
    if let Ok(s) = std::env::var("TOOLWIRE_LINK_SECRET")
        && !s.trim().is_empty()
    {
        let s = s.trim();
        if s.len() < 32 {
            return Err(ServerError::Usage(
                "TOOLWIRE_LINK_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)"
                    .into(),
            ));
        }
        return Ok(s.as_bytes().to_vec());
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| ServerError::io(format!("create {}", data_dir.display()), e))?;
    let path = data_dir.join(FILE);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(&path) {
        Ok(mut f) => {
            let bytes: [u8; 32] = rand::random();
            f.write_all(super::b64(&bytes).as_bytes())
                .and_then(|_| f.sync_all())
                .map_err(|e| ServerError::io(format!("write {}", path.display()), e))?;
            Ok(bytes.to_vec())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ServerError::io(format!("read {}", path.display()), e))?;
            super::unb64(text.trim())
                .filter(|b| b.len() >= 32)
                .ok_or_else(|| {
                    ServerError::Usage(format!(
                        "{} is not a valid link secret (delete it to make a new one; open links stop working)",
                        path.display()
                    ))
                })
        }
        Err(e) => Err(ServerError::io(format!("create {}", path.display()), e)),
    }
}
