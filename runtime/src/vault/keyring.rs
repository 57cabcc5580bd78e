//! The keyring: the master key as a key-encryption key (KEK), the key-check value, and the data
//! keys (DEKs) it wraps. DEKs are unwrapped once when the keyring loads and kept only as AES
//! key schedules (zeroized on drop); raw DEK bytes live in `Zeroizing` buffers just long
//! enough to build them.
//!
//! Formats (all AES-256-GCM under the KEK, with a random nonce):
//! - check value: `1 | nonce | seal("toolwire key check", aad = "toolwire/key-check/v1")`
//! - wrapped DEK: `1 | nonce | seal(dek, aad = "toolwire/data-key/v1" | key_id BE)`

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore as _;
use secrecy::{ExposeSecret, SecretBox};
use zeroize::Zeroizing;

use super::envelope::NONCE_LEN;
use super::{MasterKey, VaultError};
use crate::store::{KeyId, StoredKeyring};

const FORMAT: u8 = 1;
const CHECK_AAD: &[u8] = b"toolwire/key-check/v1";
const CHECK_PLAINTEXT: &[u8] = b"toolwire key check";
const DEK_AAD: &[u8] = b"toolwire/data-key/v1";

/// A fresh random nonce.
pub(crate) fn nonce() -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    nonce
}

/// `FORMAT | nonce | AES-GCM(cipher, plaintext, aad)`.
fn seal(cipher: &Aes256Gcm, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, VaultError> {
    let nonce = nonce();
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| VaultError::Encrypt)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    out.push(FORMAT);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Opens `seal` output; `None` on any failure.
fn open(cipher: &Aes256Gcm, sealed: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (&format, rest) = sealed.split_first()?;
    if format != FORMAT || rest.len() < NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

fn dek_aad(key_id: KeyId) -> Vec<u8> {
    let mut aad = DEK_AAD.to_vec();
    aad.extend_from_slice(&key_id.0.to_be_bytes());
    aad
}

/// The master key as a cipher.
pub(crate) struct Kek(Aes256Gcm);

impl Kek {
    pub(crate) fn new(master_key: &MasterKey) -> Self {
        Self(Aes256Gcm::new(aes_gcm::Key::<Aes256Gcm>::from_slice(
            master_key.expose(),
        )))
    }

    pub(crate) fn check_value(&self) -> Result<Vec<u8>, VaultError> {
        seal(&self.0, CHECK_PLAINTEXT, CHECK_AAD)
    }

    pub(crate) fn verify(&self, check_value: &[u8]) -> Result<(), VaultError> {
        match open(&self.0, check_value, CHECK_AAD) {
            Some(plain) if plain.as_slice() == CHECK_PLAINTEXT => Ok(()),
            _ => Err(VaultError::WrongMasterKey),
        }
    }

    /// A new random data key, wrapped under this KEK for `key_id`.
    pub(crate) fn new_wrapped_key(&self, key_id: KeyId) -> Result<Vec<u8>, VaultError> {
        let dek: SecretBox<[u8; 32]> =
            SecretBox::init_with_mut(|bytes: &mut [u8; 32]| rand::rng().fill_bytes(bytes));
        seal(&self.0, dek.expose_secret(), &dek_aad(key_id))
    }

    fn unwrap_key(&self, key_id: KeyId, wrapped: &[u8]) -> Result<Aes256Gcm, VaultError> {
        let dek = open(&self.0, wrapped, &dek_aad(key_id))
            .ok_or(VaultError::CorruptDataKey { key_id: key_id.0 })?;
        Aes256Gcm::new_from_slice(&dek).map_err(|_| VaultError::CorruptDataKey { key_id: key_id.0 })
    }
}

/// Unwrapped data keys by id, and which one seals new credentials.
pub(crate) struct Keyring {
    keys: BTreeMap<KeyId, Aes256Gcm>,
    primary: KeyId,
}

impl Keyring {
    /// Verifies the check value and unwraps every data key.
    pub(crate) fn unwrap_all(kek: &Kek, stored: &StoredKeyring) -> Result<Self, VaultError> {
        let check = stored
            .check_value
            .as_deref()
            .ok_or(VaultError::NoPrimaryKey)?;
        kek.verify(check)?;
        let mut keys = BTreeMap::new();
        let mut primary = None;
        for record in &stored.keys {
            keys.insert(
                record.key_id,
                kek.unwrap_key(record.key_id, &record.wrapped_key)?,
            );
            if record.is_primary {
                primary = Some(record.key_id);
            }
        }
        Ok(Self {
            keys,
            primary: primary.ok_or(VaultError::NoPrimaryKey)?,
        })
    }

    pub(crate) fn primary(&self) -> KeyId {
        self.primary
    }

    pub(crate) fn get(&self, key_id: KeyId) -> Option<&Aes256Gcm> {
        self.keys.get(&key_id)
    }

    pub(crate) fn key_ids(&self) -> Vec<KeyId> {
        self.keys.keys().copied().collect()
    }

    pub(crate) fn max_key_id(&self) -> KeyId {
        self.keys.keys().next_back().copied().unwrap_or(KeyId(0))
    }
}
