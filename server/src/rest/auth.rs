//! API-key authentication: keys are kept only as SHA-256 hashes and compared in constant time;
//! `/v1/*` requires `Authorization: Bearer <api key>`.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppState;
use crate::error::ServerError;

/// The accepted API keys (hashes).
#[derive(Default)]
pub struct ApiKeys {
    hashes: Vec<[u8; 32]>,
}

impl ApiKeys {
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

/// Middleware: 401 `UNAUTHORIZED` unless a valid bearer key is sent.
pub async fn require_api_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match presented {
        Some(token) if state.keys.verify(token) => next.run(req).await,
        _ => ServerError::Unauthorized.into_response(),
    }
}
