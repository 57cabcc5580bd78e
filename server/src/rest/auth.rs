//! API-key authentication: keys are kept only as SHA-256 hashes and compared in constant time;
//! `/v1/*` requires `Authorization: Bearer <api key>`. Wrong keys are throttled per client
//! address ([`super::throttle`]). `toolwire serve` refuses keys shorter than [`MIN_KEY_LEN`]
//! unless told otherwise.

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppState;
use super::throttle::ClientAddr;
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

    /// Whether `presented` is one of the keys (constant time in the key's contents).
    pub fn verify(&self, presented: &str) -> bool {
        let h: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        self.hashes
            .iter()
            .fold(subtle::Choice::from(0), |acc, k| acc | k.ct_eq(&h))
            .into()
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

/// Middleware: 401 `UNAUTHORIZED` unless a valid bearer key is sent (429 `AUTH_THROTTLED`
/// after too many wrong ones from this address).
pub async fn require_api_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = ClientAddr::of(req.extensions());
    match check_key(&state, client, bearer(req.headers())) {
        Ok(()) => next.run(req).await,
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

/// Checks a presented API key with throttling: `Unauthorized` without one or with a wrong one
/// (counted against `client`), `Throttled` — before the key is looked at — while `client` has
/// failed too often.
pub fn check_key(
    state: &AppState,
    client: ClientAddr,
    presented: Option<&str>,
) -> Result<(), ServerError> {
    let Some(key) = presented.filter(|k| !k.is_empty()) else {
        return Err(ServerError::Unauthorized);
    };
    if let Some(retry_after_s) = state.throttle.wait(client) {
        return Err(ServerError::Throttled { retry_after_s });
    }
    if state.keys.verify(key) {
        Ok(())
    } else {
        state.throttle.failed(client);
        Err(ServerError::Unauthorized)
    }
}
