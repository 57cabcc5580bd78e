//! Sealed blobs: `base64url(JSON).base64url(HMAC)` under a purpose, with the link secret — how
//! in-flight OAuth state (requests, consent forms, codes, refresh tokens, client ids) travels
//! without server-side storage. Each payload carries its own expiry.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ui::UiState;

/// Seals `value` under `purpose`.
pub fn seal<T: Serialize>(ui: &UiState, purpose: &str, value: &T) -> String {
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default());
    let tag = ui.links.mac(purpose, &[body.as_bytes()]);
    format!("{body}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// Opens a blob sealed under `purpose` (`None` if forged, altered or another purpose's).
pub fn open<T: DeserializeOwned>(ui: &UiState, purpose: &str, blob: &str) -> Option<T> {
    let (body, tag) = blob.split_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    if !ui.links.verify(purpose, &[body.as_bytes()], &tag) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
}

/// A random nonce (base64url of 18 bytes).
pub fn nonce() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>())
}
