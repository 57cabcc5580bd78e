//! [`JsonBody`]: the JSON request-body extractor with toolwire's error contract — bodies over
//! [`BODY_LIMIT`] get 413 `BODY_TOO_LARGE`, unparsable JSON 400 `INVALID_JSON`, JSON of the
//! wrong shape 400 `INVALID_REQUEST` (all as JSON error bodies); [`parse`] applies the same
//! contract to a body already read.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::ServerError;

/// Largest accepted request body (1 MiB).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON body parsed into `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let declared = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > BODY_LIMIT) {
            return Err(ServerError::BodyTooLarge { limit: BODY_LIMIT });
        }
        let bytes = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
            .await
            .map_err(|_| ServerError::BodyTooLarge { limit: BODY_LIMIT })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses a JSON body into `T` with the contract above.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ServerError> {
    if body.len() > BODY_LIMIT {
        return Err(ServerError::BodyTooLarge { limit: BODY_LIMIT });
    }
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ServerError::InvalidRequest(e.to_string()),
        _ => ServerError::InvalidJson(e.to_string()),
    })
}
