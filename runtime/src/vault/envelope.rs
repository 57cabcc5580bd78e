//! The credentials envelope: `version (1) | key_id (u32 BE) | nonce (12) | ciphertext+tag`.
//! The 5-byte header is authenticated too (prepended to the associated data).

use super::VaultError;
use crate::store::KeyId;

/// The only envelope version so far.
pub(crate) const ENVELOPE_VERSION: u8 = 1;
pub(crate) const HEADER_LEN: usize = 5;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// A parsed envelope, borrowing the bytes.
pub(crate) struct Envelope<'a> {
    pub(crate) header: &'a [u8],
    pub(crate) key_id: KeyId,
    pub(crate) nonce: &'a [u8],
    pub(crate) ciphertext: &'a [u8],
}

pub(crate) fn header(key_id: KeyId) -> [u8; HEADER_LEN] {
    let id = key_id.0.to_be_bytes();
    [ENVELOPE_VERSION, id[0], id[1], id[2], id[3]]
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Envelope<'_>, VaultError> {
    let Some(&version) = bytes.first() else {
        return Err(VaultError::MalformedEnvelope { reason: "empty" });
    };
    if version != ENVELOPE_VERSION {
        return Err(VaultError::UnsupportedEnvelopeVersion { version });
    }
    if bytes.len() < HEADER_LEN + NONCE_LEN + TAG_LEN {
        return Err(VaultError::MalformedEnvelope {
            reason: "too short",
        });
    }
    let (header, rest) = bytes.split_at(HEADER_LEN);
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let key_id = KeyId(u32::from_be_bytes([
        header[1], header[2], header[3], header[4],
    ]));
    Ok(Envelope {
        header,
        key_id,
        nonce,
        ciphertext,
    })
}
