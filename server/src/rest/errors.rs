//! Error responses: every failure becomes `{"error": {code, message, retry_after_s?, details?,
//! reconnect_url?}}` with the status from [`ServerError::http_status`].

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::error::ServerError;

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.http_status();
        if status.is_server_error() {
            tracing::warn!(code = self.code(), error = %self, "request failed");
        }
        let mut body = Map::new();
        body.insert("code".into(), json!(self.code()));
        body.insert("message".into(), json!(self.to_string()));
        if let ServerError::Runtime(e) = &self {
            if let Some(s) = e.retry_after_s() {
                body.insert("retry_after_s".into(), json!(s));
            }
            if let Some(d) = e.details() {
                body.insert("details".into(), d);
            }
            if let Some(u) = e.reconnect_url() {
                body.insert("reconnect_url".into(), json!(u));
            }
        }
        let mut response = (status, Json(json!({ "error": Value::Object(body) }))).into_response();
        if matches!(self, ServerError::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        if let ServerError::Runtime(e) = &self
            && let Some(s) = e.retry_after_s()
            && let Ok(v) = s.to_string().parse()
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        response
    }
}

/// Fallback for unknown routes.
pub async fn not_found(uri: axum::http::Uri) -> ServerError {
    ServerError::NotFound(format!("no route {}", uri.path()))
}
