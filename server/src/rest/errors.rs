//! Error responses: every failure becomes `{"error": {code, message, retry_after_s?, details?,
//! reconnect_url?}}` with the status from [`ServerError::http_status`].

use axum::Json;
use axum::http::header;
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
        if let Some(s) = self.retry_after_s() {
            body.insert("retry_after_s".into(), json!(s));
        }
        if let ServerError::Runtime(e) = &self {
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
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        if let Some(s) = self.retry_after_s()
            && let Ok(v) = s.to_string().parse()
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// Layer: an error answer that is not already JSON — the router's 405, an extractor's
/// rejection (a bad query string, path or body), the MCP transport's 406/413/415 texts —
/// becomes the JSON error shape with a stable code ([`ServerError::Http`]); its status and its
/// `Allow` / `WWW-Authenticate` / `Retry-After` headers are kept. The UI's HTML error pages are
/// left as they are.
pub async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !(status.is_client_error() || status.is_server_error())
        || content_type.starts_with("application/json")
        || content_type.starts_with("text/html")
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text.chars().take(500).collect()
    };
    let mut out = ServerError::Http { status, message }.into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE, header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// Fallback for unknown routes.
pub async fn not_found(uri: axum::http::Uri) -> ServerError {
    ServerError::NotFound(format!("no route {}", uri.path()))
}
