//! Per-identifier access tokens: `twm_` + 32 random bytes (URL-safe base64), kept only as the
//! SHA-256 of the token ([`toolwire_runtime::store::Store::insert_access_token`]). [`verify`]
//! reads the row on every request — no cache — so a revoked or expired token stops working on
//! the next request on every replica sharing the store.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use toolwire_runtime::store::{AccessTokenRecord, NewAccessToken, Store, StoreError, now};

/// Every access token starts with this (so `/mcp` tells one from an API key at a glance).
pub const PREFIX: &str = "twm_";

/// A new random token (shown once to whoever minted it).
pub fn generate() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The hex SHA-256 of a token: what the store keeps and looks up.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `presented` looks like an access token (else it may be an API key).
pub fn is_access_token(presented: &str) -> bool {
    presented.starts_with(PREFIX)
}

/// Mints a token for `new`: the token (once) and its record.
pub async fn mint(
    store: &Store,
    new: &NewAccessToken,
) -> Result<(String, AccessTokenRecord), StoreError> {
    let token = generate();
    let record = store.insert_access_token(&hash(&token), new).await?;
    Ok((token, record))
}

/// The live token `presented` is, if any: found by its hash, the stored hash compared in
/// constant time, not revoked, not expired.
pub async fn verify(
    store: &Store,
    presented: &str,
) -> Result<Option<AccessTokenRecord>, StoreError> {
    let wanted = hash(presented);
    let Some((stored, record)) = store.access_token_by_hash(&wanted).await? else {
        return Ok(None);
    };
    let same: bool = stored.as_bytes().ct_eq(wanted.as_bytes()).into();
    Ok((same && record.is_live(now())).then_some(record))
}
