//! Opaque keyset-pagination tokens: the last account id of a page, base64url-encoded.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::StoreError;

const PREFIX: u8 = 1;

pub(crate) fn encode(last_id: Uuid) -> String {
    let mut bytes = Vec::with_capacity(17);
    bytes.push(PREFIX);
    bytes.extend_from_slice(last_id.as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn decode(token: &str) -> Result<Uuid, StoreError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| StoreError::InvalidPageToken)?;
    match bytes.split_first() {
        Some((&PREFIX, id)) => Uuid::from_slice(id).map_err(|_| StoreError::InvalidPageToken),
        _ => Err(StoreError::InvalidPageToken),
    }
}
