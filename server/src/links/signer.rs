//! [`LinkSigner`]: the server's link secret and every MAC made from it — magic links, CSRF
//! tokens, OAuth browser bindings, admin sessions — each under its own purpose label. The
//! secret is the data directory's `TOOLWIRE_LINK_SECRET` / `link.secret`
//! ([`toolwire_runtime::secret_file::SecretFile`]).

use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;
use toolwire_runtime::secret_file::{SecretFile, SecretOrigin};

use super::b64::{b64, unb64};
use crate::error::{Result, ServerError};

/// The variable that can hold the link secret (shared by every replica).
pub const SECRET_ENV: &str = "TOOLWIRE_LINK_SECRET";
/// The link secret's file in the data directory.
pub const SECRET_FILE: &str = "link.secret";

/// Mints and checks magic links and every other MAC the UI needs. Cheap to clone; its Debug
/// never shows the secret.
#[derive(Clone)]
pub struct LinkSigner {
    secret: Arc<SecretSlice<u8>>,
    public_url: Arc<str>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkSigner")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl LinkSigner {
    /// A signer with `secret` (at least 32 bytes) for a server reachable at `public_url`.
    pub fn new(secret: Vec<u8>, public_url: &str) -> Self {
        LinkSigner {
            secret: Arc::new(SecretSlice::from(secret)),
            public_url: public_url.trim_end_matches('/').into(),
        }
    }

    /// The secret from `TOOLWIRE_LINK_SECRET` (32+ characters), else `data_dir/link.secret`
    /// (32 random bytes, base64url), created with mode 0600 on first start and never printed.
    pub fn load(data_dir: &Path, public_url: &str) -> Result<Self> {
        let file = SecretFile::new(SECRET_ENV, data_dir.join(SECRET_FILE));
        let (text, origin) = file.load_or_create(|| b64(&rand::random::<[u8; 32]>()).into())?;
        let text = text.expose_secret();
        let secret = match origin {
            SecretOrigin::Env if text.len() < 32 => {
                return Err(ServerError::Usage(format!(
                    "{SECRET_ENV} must be at least 32 characters (e.g. `openssl rand -base64 32`)"
                )));
            }
            SecretOrigin::Env => text.as_bytes().to_vec(),
            _ => unb64(text).filter(|b| b.len() >= 32).ok_or_else(|| {
                ServerError::Usage(format!(
                    "{} is not a valid link secret (delete it to make a new one; open links stop working)",
                    file.path().display()
                ))
            })?,
        };
        Ok(Self::new(secret, public_url))
    }

    /// `https://host[:port]` the UI is reached at (no trailing slash).
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The OAuth redirect URI: `{public_url}/oauth/callback`.
    pub fn callback_url(&self) -> String {
        format!("{}/oauth/callback", self.public_url)
    }

    /// HMAC-SHA256 under `purpose` of the length-prefixed `parts`.
    pub fn mac(&self, purpose: &str, parts: &[&[u8]]) -> [u8; 32] {
        self.mac_state(purpose, parts)
            .finalize()
            .into_bytes()
            .into()
    }

    /// Whether `tag` is the MAC of `parts` under `purpose` (constant time).
    pub fn verify(&self, purpose: &str, parts: &[&[u8]], tag: &[u8]) -> bool {
        self.mac_state(purpose, parts).verify_slice(tag).is_ok()
    }

    fn mac_state(&self, purpose: &str, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(self.secret.expose_secret())
            .expect("HMAC takes any key length");
        m.update(b"toolwire/");
        m.update(purpose.as_bytes());
        m.update(&[0]);
        for p in parts {
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p);
        }
        m
    }
}
