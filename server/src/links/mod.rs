//! Magic links: signed, expiring, single-use URLs bound to (connection, identifier) that open
//! the onboarding page. [`LinkSigner`] owns the server secret and every MAC made from it
//! (links, CSRF tokens, admin sessions — each under its own purpose label); [`rest`] has the
//! `/v1` routes that mint links and start OAuth authorizations.
//!
//! A token is `base64url(payload JSON) "." base64url(HMAC-SHA256(secret, "magic-link" ‖ payload))`;
//! the payload names the connection, the identifier, the issue time (µs), the expiry and a
//! random nonce. Single use, decided by the store: a save first spends the link with
//! [`Store::spend_token`](toolwire_runtime::Store::spend_token) (one atomic insert on the
//! token's id, so two attempts — on two replicas too — cannot both hold it) and gives it back
//! only if the save fails; a spent link stays refused even after its account is deleted. A
//! link is also void once its account's credentials change after it was issued.

pub mod rest;
mod secret;
mod token;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

pub use token::{LinkClaims, MagicLink};

/// How long a magic link lives unless asked otherwise.
pub const DEFAULT_TTL: Duration = Duration::minutes(30);
/// The `spend_token` kind of magic links.
pub const SPEND_KIND: &str = "magic_link";

/// Why a link, form or session was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Malformed or with a wrong signature (edited, truncated or issued elsewhere).
    #[error(
        "this link is not valid: it was changed, cut short or not issued by this server; ask for a new link"
    )]
    Invalid,
    /// Past its expiry.
    #[error("this link has expired; ask for a new link")]
    Expired,
    /// Already used (the account's credentials were saved after it was issued).
    #[error(
        "this link was already used; the account was connected with it. Ask for a new link to change the credentials"
    )]
    Used,
    /// The form's CSRF token is missing or does not match this browser and link.
    #[error(
        "this form was not sent from the page it belongs to (or the page is too old); open the link again and resubmit"
    )]
    Csrf,
    /// The server has no public URL / link secret (onboarding UI disabled).
    #[error("the onboarding UI is not enabled on this server (start it with `toolwire serve`)")]
    Disabled,
    /// The OAuth callback came to a browser that did not start the authorization (no or a
    /// wrong binding cookie: RFC 9700 §4.7); nothing was exchanged or saved.
    #[error(
        "this authorization was started in another browser (or its cookie was lost); nothing was saved. Open your link again in this browser and connect from there"
    )]
    OAuthBrowser,
}

impl LinkError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LinkError::Invalid => "LINK_INVALID",
            LinkError::Expired => "LINK_EXPIRED",
            LinkError::Used => "LINK_USED",
            LinkError::Csrf => "CSRF_FAILED",
            LinkError::Disabled => "UI_DISABLED",
            LinkError::OAuthBrowser => "OAUTH_BROWSER_MISMATCH",
        }
    }

    /// The HTTP status.
    pub fn http_status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            LinkError::Invalid => StatusCode::BAD_REQUEST,
            LinkError::Expired | LinkError::Used => StatusCode::GONE,
            LinkError::Csrf | LinkError::OAuthBrowser => StatusCode::FORBIDDEN,
            LinkError::Disabled => StatusCode::NOT_FOUND,
        }
    }
}

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

    /// The secret from `TOOLWIRE_LINK_SECRET`, else `data_dir/link.secret` (created, mode
    /// 0600, on first start).
    pub fn load(data_dir: &std::path::Path, public_url: &str) -> crate::Result<Self> {
        Ok(Self::new(secret::load_or_create(data_dir)?, public_url))
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

    /// A new link for (connection, identifier) valid for `ttl`.
    pub fn mint(&self, connection: &str, identifier: &str, ttl: Duration) -> MagicLink {
        token::mint(self, connection, identifier, Utc::now(), ttl)
    }

    /// Checks a token's signature and expiry (not whether it was used: see [`LinkClaims::used_by`]).
    pub fn open(&self, token: &str) -> Result<LinkClaims, LinkError> {
        token::open(self, token, Utc::now())
    }

    /// Opens a token as of `now` (tests).
    pub fn open_at(&self, token: &str, now: DateTime<Utc>) -> Result<LinkClaims, LinkError> {
        token::open(self, token, now)
    }
}

/// URL-safe base64 without padding.
pub(crate) fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes [`b64`].
pub(crate) fn unb64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()
}
