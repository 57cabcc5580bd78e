//! Error responses: every failure becomes [`ErrorBody`] — `{"error": {code, message,
//! retry_after_s?, details?, reconnect_url?}}` — with the status from
//! [`ServerError::http_status`]; the same type documents it in the OpenAPI document.

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::ServerError;

/// Every failure: `{"error": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// An error's fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `INVALID_INPUT`, `ACCOUNT_REVOKED`, `UNAUTHORIZED`.
    pub code: String,
    /// What went wrong and what to do (the agent message for tool errors).
    pub message: String,
    /// Seconds to wait before retrying (rate limits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
    /// Structured details, e.g. every invalid input field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// Where the user can reconnect the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconnect_url: Option<String>,
}

impl ErrorBody {
    /// The body of `e` (what it says, never more: runtime messages carry no secrets).
    pub fn of(e: &ServerError) -> Self {
        let runtime = match e {
            ServerError::Runtime(r) => Some(r),
            _ => None,
        };
        ErrorBody {
            error: ErrorDetail {
                code: e.code().to_string(),
                message: e.to_string(),
                retry_after_s: e.retry_after_s(),
                details: runtime.and_then(|r| r.details()),
                reconnect_url: runtime.and_then(|r| r.reconnect_url()).map(str::to_string),
            },
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.http_status();
        if status.is_server_error() {
            tracing::warn!(code = self.code(), error = %self, "request failed");
        }
        let mut response = (status, Json(ErrorBody::of(&self))).into_response();
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
