//! API-key authentication: keys are kept only as SHA-256 hashes and compared in constant time.
//! [`ApiAuth`] — the accepted keys and the failed-attempt [`throttle`](super::throttle) — is
//! the sub-state a surface takes (`State<ApiAuth>`, via axum's `FromRef`) to check a key;
//! [`require_api_key`] guards whole routers (`/v1/*`, `/metrics`) with
//! `Authorization: Bearer <api key>`. `toolwire serve` refuses keys shorter than
//! [`MIN_KEY_LEN`] unless told otherwise.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::throttle::{AuthThrottle, ClientAddr};
use crate::error::ServerError;

/// The shortest API key `toolwire serve` accepts without `--allow-weak-api-key`.
pub const MIN_KEY_LEN: usize = 24;

/// The accepted API keys (hashes).
#[derive(Default)]
pub struct ApiKeys {
    hashes: Vec<[u8; 32]>,
}

impl ApiKeys {
    /// The SHA-256 of each accepted key (what admin sessions are bound to: a session ends when
    /// the key it was opened with is no longer accepted).
    pub fn hashes(&self) -> &[[u8; 32]] {
        &self.hashes
    }

    /// Which accepted key `presented` is (its hash), if any; constant time in the contents.
    pub fn find(&self, presented: &str) -> Option<[u8; 32]> {
        let h: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let found = self
            .hashes
            .iter()
            .fold(subtle::Choice::from(0), |acc, k| acc | k.ct_eq(&h));
        bool::from(found).then_some(h)
    }

    /// Accepts `key` (only its hash is kept).
    pub fn with_key(mut self, key: &str) -> Self {
        self.hashes.push(Sha256::digest(key.as_bytes()).into());
        self
    }

    /// A new random API key (`tw_` + 32 random bytes, URL-safe base64).
    pub fn generate_key() -> String {
        use base64::Engine as _;
        let bytes: [u8; 32] = rand::random();
        format!(
            "tw_{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    }
}

/// The accepted keys and the failures per client address: what checking a key needs. Cheap
/// to clone (shared).
#[derive(Clone)]
pub struct ApiAuth {
    keys: Arc<ApiKeys>,
    throttle: Arc<AuthThrottle>,
}

impl ApiAuth {
    /// Accepts `keys`, with the default throttle.
    pub fn new(keys: ApiKeys) -> Self {
        ApiAuth {
            keys: Arc::new(keys),
            throttle: Arc::default(),
        }
    }

    /// The accepted keys.
    pub fn keys(&self) -> &ApiKeys {
        &self.keys
    }

    /// The failed-attempt throttle (shared with other bearer credentials, e.g. MCP tokens).
    pub fn throttle(&self) -> &AuthThrottle {
        &self.throttle
    }

    /// Checks a presented API key with throttling: `Unauthorized` without one or with a wrong
    /// one (counted against `client`), `Throttled` — before the key is looked at — while
    /// `client` has failed too often. Returns the key's hash (what admin sessions bind to).
    pub fn check(
        &self,
        client: ClientAddr,
        presented: Option<&str>,
    ) -> Result<[u8; 32], ServerError> {
        let Some(key) = presented.filter(|k| !k.is_empty()) else {
            return Err(ServerError::Unauthorized);
        };
        if let Some(retry_after_s) = self.throttle.wait(client) {
            return Err(ServerError::Throttled { retry_after_s });
        }
        match self.keys.find(key) {
            Some(hash) => Ok(hash),
            None => {
                self.throttle.failed(client);
                Err(ServerError::Unauthorized)
            }
        }
    }
}

/// Middleware: 401 `UNAUTHORIZED` unless a valid bearer key is sent (429 `AUTH_THROTTLED`
/// after too many wrong ones from this address).
pub async fn require_api_key(State(auth): State<ApiAuth>, req: Request, next: Next) -> Response {
    let client = ClientAddr::of(req.extensions());
    match auth.check(client, bearer(req.headers())) {
        Ok(_) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// The `Authorization: Bearer` key of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}
