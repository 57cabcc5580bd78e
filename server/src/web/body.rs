//! [`JsonBody`]: the JSON request-body extractor with toolwire's error contract — bodies over
//! [`BODY_LIMIT`] get 413 `BODY_TOO_LARGE`, unparsable JSON 400 `INVALID_JSON`, JSON of the
//! wrong shape 400 `INVALID_REQUEST` (all as JSON error bodies); [`parse`] applies the same
//! contract to a body already read. A shape error names the field's path and what was
//! expected, never the value sent (it may be a credential).

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
    // The happy path parses once without tracking the path (which allocates each field name);
    // only a failed body is parsed again, with it, for the error's field path.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => ServerError::InvalidRequest(shape(&path, &inner)),
            _ => ServerError::InvalidJson(inner.to_string()),
        }
    })?;
    de.end()
        .map_err(|e| ServerError::InvalidJson(e.to_string()))?;
    Ok(value)
}

/// A shape error's message without the offending value: serde's `invalid type: string "…",
/// expected …` quotes it.
fn shape(path: &str, e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    let at = if path == "." { "the body" } else { path };
    // Field names (missing / unknown) are keys, not values: kept.
    if msg.starts_with("missing field") || msg.starts_with("unknown field") {
        return format!("{at}: {msg}");
    }
    let what = if msg.starts_with("invalid type") {
        "has the wrong type"
    } else {
        "has an invalid value"
    };
    match msg.rsplit_once(", expected ") {
        Some((_, expected)) => format!("{at} {what}, expected {expected}"),
        None => format!("{at} {what}"),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        credentials: std::collections::BTreeMap<String, String>,
        mode: Option<Mode>,
    }

    #[derive(Debug, Deserialize)]
    enum Mode {
        A,
    }

    #[test]
    fn shape_errors_name_the_field_not_the_value() {
        for body in [
            r#"{"name": "n", "credentials": "canary-s3cret"}"#,
            r#"{"name": "n", "credentials": {"api_token": 7, "email": "canary-s3cret"}}"#,
            r#"{"name": "n", "credentials": {}, "mode": "canary-s3cret"}"#,
            r#"{"name": "n", "credentials": {}, "extra": "canary-s3cret"}"#,
            r#"{"name": ["canary-s3cret"], "credentials": {}}"#,
        ] {
            let e = super::parse::<Body>(body.as_bytes()).unwrap_err();
            let msg = e.to_string();
            assert_eq!(e.code(), "INVALID_REQUEST", "{msg}");
            assert!(!msg.contains("canary"), "{body}: {msg}");
        }
        let e = super::parse::<Body>(br#"{"name": "n", "credentials": {"api_token": 7}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("credentials.api_token") && e.contains("expected a string"),
            "{e}"
        );
    }
}
