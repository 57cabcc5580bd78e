//! The magic-link token format: `base64url(payload) "." base64url(mac)`, where the payload is
//! a small JSON object (connection, identifier, issue time in µs, expiry in s, nonce);
//! [`LinkSigner::mint`] makes one, [`LinkSigner::open`] checks one.

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use toolwire_runtime::AccountRecord;

use super::b64::{b64, unb64};
use super::error::LinkError;
use super::signer::LinkSigner;

const PURPOSE: &str = "magic-link/v1";
/// Tokens longer than this are refused before any parsing.
const MAX_TOKEN: usize = 4096;

/// A freshly minted link (the `magic_link` response: `{url, expires_at}`).
#[derive(Clone, Serialize, utoipa::ToSchema)]
pub struct MagicLink {
    /// `{public_url}/connect/{token}`.
    pub url: String,
    /// When it stops working (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTime<Utc>,
    /// The token alone.
    #[serde(skip)]
    pub token: String,
}

/// Redacts the token (and the URL carrying it).
impl std::fmt::Debug for MagicLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MagicLink")
            .field("url", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkClaims {
    /// Connection.
    pub connection: String,
    /// Host app's identifier.
    pub identifier: String,
    /// When the link was made (µs precision, like the store).
    pub issued_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// `hex(sha256(token))`: the spend key, and what CSRF tokens bind to.
    pub id: String,
}

impl LinkClaims {
    /// Whether `account`'s credentials changed since the link was issued (through this link or
    /// otherwise): then the link is used up.
    pub fn used_by(&self, account: Option<&AccountRecord>) -> bool {
        account
            .and_then(|a| a.credentials_updated_at)
            .is_some_and(|t| t >= self.issued_at)
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    c: String,
    i: String,
    iat: i64,
    exp: i64,
    n: String,
}

impl LinkSigner {
    /// A new link for (connection, identifier) valid for `ttl`.
    pub fn mint(&self, connection: &str, identifier: &str, ttl: Duration) -> MagicLink {
        mint(self, connection, identifier, Utc::now(), ttl)
    }

    /// Checks a token's signature and expiry (not whether it was used: see [`LinkClaims::used_by`]).
    pub fn open(&self, token: &str) -> Result<LinkClaims, LinkError> {
        open(self, token, Utc::now())
    }
}

fn mint(
    signer: &LinkSigner,
    connection: &str,
    identifier: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> MagicLink {
    let expires_at = now + ttl;
    let nonce: [u8; 16] = rand::random();
    let payload = Payload {
        c: connection.into(),
        i: identifier.into(),
        iat: now.timestamp_micros(),
        exp: expires_at.timestamp(),
        n: b64(&nonce),
    };
    let body = serde_json::to_vec(&payload).expect("payload serializes");
    let tag = signer.mac(PURPOSE, &[&body]);
    let token = format!("{}.{}", b64(&body), b64(&tag));
    MagicLink {
        url: format!("{}/connect/{token}", signer.public_url()),
        expires_at: Utc
            .timestamp_opt(payload.exp, 0)
            .single()
            .unwrap_or(expires_at),
        token,
    }
}

fn open(signer: &LinkSigner, token: &str, now: DateTime<Utc>) -> Result<LinkClaims, LinkError> {
    if token.len() > MAX_TOKEN {
        return Err(LinkError::Invalid);
    }
    let (body, tag) = token.split_once('.').ok_or(LinkError::Invalid)?;
    let body = unb64(body).ok_or(LinkError::Invalid)?;
    let tag = unb64(tag).ok_or(LinkError::Invalid)?;
    if !signer.verify(PURPOSE, &[&body], &tag) {
        return Err(LinkError::Invalid);
    }
    let p: Payload = serde_json::from_slice(&body).map_err(|_| LinkError::Invalid)?;
    let issued_at = Utc
        .timestamp_micros(p.iat)
        .single()
        .ok_or(LinkError::Invalid)?;
    let expires_at = Utc
        .timestamp_opt(p.exp, 0)
        .single()
        .ok_or(LinkError::Invalid)?;
    if now >= expires_at {
        return Err(LinkError::Expired);
    }
    Ok(LinkClaims {
        connection: p.c,
        identifier: p.i,
        issued_at,
        expires_at,
        id: hex::encode(Sha256::digest(token.as_bytes())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> LinkSigner {
        LinkSigner::new(vec![7; 32], "http://127.0.0.1:1/")
    }

    #[test]
    fn debug_hides_the_token() {
        let link = signer().mint("zendesk", "u", Duration::minutes(30));
        let shown = format!("{link:?}");
        assert!(
            !shown.contains(&link.token) && !shown.contains("/connect/"),
            "{shown}"
        );
    }

    #[test]
    fn round_trip_and_binding() {
        let s = signer();
        let link = s.mint("zendesk", "user 1/é", Duration::minutes(30));
        assert!(link.url.starts_with("http://127.0.0.1:1/connect/"));
        let c = s.open(&link.token).unwrap();
        assert_eq!(
            (c.connection.as_str(), c.identifier.as_str()),
            ("zendesk", "user 1/é")
        );
        assert_eq!(c.id.len(), 64);
    }

    #[test]
    fn forged_tampered_and_foreign_tokens_are_invalid() {
        let s = signer();
        let link = s.mint("zendesk", "a", Duration::minutes(30));
        let (body, tag) = link.token.split_once('.').unwrap();
        let other = String::from_utf8(unb64(body).unwrap())
            .unwrap()
            .replace("\"a\"", "\"b\"");
        let forged = format!("{}.{tag}", b64(other.as_bytes()));
        assert_eq!(s.open(&forged), Err(LinkError::Invalid));
        assert_eq!(s.open("garbage"), Err(LinkError::Invalid));
        assert_eq!(s.open(&format!("{body}.")), Err(LinkError::Invalid));
        let foreign = LinkSigner::new(vec![8; 32], "http://x");
        assert_eq!(foreign.open(&link.token), Err(LinkError::Invalid));
    }

    #[test]
    fn expiry() {
        let s = signer();
        let link = s.mint("zendesk", "a", Duration::minutes(30));
        let later = Utc::now() + Duration::minutes(31);
        assert_eq!(open(&s, &link.token, later), Err(LinkError::Expired));
    }
}
