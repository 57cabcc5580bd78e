//! The credential vault: seals account credentials with AES-256-GCM under data keys (DEKs)
//! that the master key (a KEK) wraps, binds each ciphertext to its account row, and rotates
//! and rewraps keys without ever making an account unreadable.
//!
//! - [`MasterKey`]: the KEK, from `TOOLWIRE_MASTER_KEY` or a 0600 key file.
//! - [`Vault`]: the keyring loaded from the [`Store`] (DEKs unwrapped once, cached); key
//!   rotation and rewrap. The engine seals and unseals with it on the hot path, no I/O.
//! - [`Credentials`]: decrypted credentials, readable but never printable.
//! - `Aad`: what a ciphertext is bound to (connection, identifier, account id, config).
//!
//! Apps store credentials through `Toolwire::accounts()` (`set_credentials`, or
//! `import_credentials` for credentials verified elsewhere), never by sealing them here.

mod aad;
mod credentials;
mod envelope;
mod error;
mod keyring;
mod master_key;
mod rewrap;

// What a ciphertext is bound to; public only for the vault's own tests and benches.
#[doc(hidden)]
pub use aad::Aad;
pub use credentials::Credentials;
pub use error::VaultError;
pub use master_key::{MASTER_KEY_ENV, MASTER_KEY_LEN, MasterKey};
pub use rewrap::{RewrapFailure, RewrapReport};

pub use crate::store::{KeyId, Sealed};

use std::fmt;
use std::sync::{Arc, RwLock};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use crate::store::{AccountRecord, Store, StoreError, VaultKeyRecord, now};
use keyring::{Kek, Keyring};

/// How many times `rotate` retries after losing a race with another rotation.
const ROTATE_ATTEMPTS: usize = 3;

/// The credential vault. Share it (`Arc<Vault>`); all methods take `&self`.
pub struct Vault {
    kek: Kek,
    ring: RwLock<Arc<Keyring>>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("primary_key_id", &self.primary_key_id())
            .field("key_ids", &self.key_ids())
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Loads the keyring from `store`, creating it on first start (data key 1 and the master
    /// key's check value). Fails with [`VaultError::WrongMasterKey`] if `master_key` is not the
    /// key the keyring was created with.
    pub async fn open(store: &Store, master_key: MasterKey) -> Result<Self, VaultError> {
        let kek = Kek::new(&master_key);
        drop(master_key);
        let mut stored = store.load_keyring().await?;
        if stored.check_value.is_none() {
            let first = VaultKeyRecord {
                key_id: KeyId(1),
                wrapped_key: kek.new_wrapped_key(KeyId(1))?,
                created_at: now(),
                is_primary: true,
            };
            // If another process initialized first, its keyring wins (and is checked below).
            store.init_keyring(&kek.check_value()?, &first).await?;
            stored = store.load_keyring().await?;
        }
        let ring = Keyring::unwrap_all(&kek, &stored)?;
        Ok(Self {
            kek,
            ring: RwLock::new(Arc::new(ring)),
        })
    }

    /// The data key new seals use.
    pub fn primary_key_id(&self) -> KeyId {
        self.ring().primary()
    }

    /// Every data key this vault holds.
    pub fn key_ids(&self) -> Vec<KeyId> {
        self.ring().key_ids()
    }

    /// Encrypts `credentials` under the primary data key, bound to `aad`. Doc-hidden: the
    /// engine seals; public for the vault's own tests and benches.
    #[doc(hidden)]
    pub fn seal(&self, aad: &Aad, credentials: &Credentials) -> Result<Sealed, VaultError> {
        let ring = self.ring();
        seal_with(&ring, ring.primary(), aad, credentials)
    }

    /// Decrypts an envelope sealed for `aad`. Fails with `DecryptFailed` if the envelope was
    /// sealed for another account or config, or was altered in any bit. Doc-hidden, like
    /// [`seal`](Self::seal).
    #[doc(hidden)]
    pub fn unseal(&self, aad: &Aad, envelope: &[u8]) -> Result<Credentials, VaultError> {
        unseal_with(&self.ring(), aad, envelope)
    }

    /// Decrypts a stored account's credentials (`None` if it has none yet). Doc-hidden: the
    /// engine decrypts; public for tests and benches that check what was stored.
    #[doc(hidden)]
    pub fn unseal_account(
        &self,
        account: &AccountRecord,
    ) -> Result<Option<Credentials>, VaultError> {
        account
            .credentials
            .as_ref()
            .map(|sealed| self.unseal(&Aad::for_account(account), &sealed.bytes))
            .transpose()
    }

    /// Re-reads the keyring from `store` (e.g. after another replica rotated keys, signalled by
    /// [`VaultError::UnknownKey`]).
    pub async fn reload(&self, store: &Store) -> Result<(), VaultError> {
        let stored = store.load_keyring().await?;
        let ring = Keyring::unwrap_all(&self.kek, &stored)?;
        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(ring);
        Ok(())
    }

    /// Adds a new random data key and makes it the primary: new seals use it; existing
    /// ciphertexts stay readable under their old keys until [`rewrap`](Self::rewrap).
    pub async fn rotate(&self, store: &Store) -> Result<KeyId, VaultError> {
        let mut attempt = 0;
        loop {
            self.reload(store).await?;
            let key_id = KeyId(self.ring().max_key_id().0 + 1);
            let record = VaultKeyRecord {
                key_id,
                wrapped_key: self.kek.new_wrapped_key(key_id)?,
                created_at: now(),
                is_primary: true,
            };
            match store.add_primary_key(&record).await {
                Ok(()) => {
                    self.reload(store).await?;
                    return Ok(key_id);
                }
                Err(StoreError::Conflict { .. }) if attempt + 1 < ROTATE_ATTEMPTS => attempt += 1,
                Err(err) => return Err(err.into()),
            }
        }
    }

    fn ring(&self) -> Arc<Keyring> {
        self.ring.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn seal_with(
    ring: &Keyring,
    key_id: KeyId,
    aad: &Aad,
    credentials: &Credentials,
) -> Result<Sealed, VaultError> {
    let cipher: &Aes256Gcm = ring
        .get(key_id)
        .ok_or(VaultError::UnknownKey { key_id: key_id.0 })?;
    let plaintext = Zeroizing::new(
        serde_json::to_vec(credentials.expose_json()).map_err(|_| VaultError::Encrypt)?,
    );
    let header = envelope::header(key_id);
    let nonce = keyring::nonce();
    let full_aad = [header.as_slice(), aad.as_bytes()].concat();
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plaintext,
                aad: &full_aad,
            },
        )
        .map_err(|_| VaultError::Encrypt)?;
    let mut bytes = Vec::with_capacity(header.len() + nonce.len() + ciphertext.len());
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&ciphertext);
    Ok(Sealed { key_id, bytes })
}

fn unseal_with(ring: &Keyring, aad: &Aad, bytes: &[u8]) -> Result<Credentials, VaultError> {
    let envelope = envelope::parse(bytes)?;
    let cipher = ring.get(envelope.key_id).ok_or(VaultError::UnknownKey {
        key_id: envelope.key_id.0,
    })?;
    let full_aad = [envelope.header, aad.as_bytes()].concat();
    let plaintext = cipher
        .decrypt(
            Nonce::from_slice(envelope.nonce),
            Payload {
                msg: envelope.ciphertext,
                aad: &full_aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| VaultError::DecryptFailed)?;
    Credentials::from_plaintext(&plaintext)
}
