//! `POST /register` (RFC 7591 dynamic client registration) for public clients: the client id
//! is a sealed record of the client's name and redirect URIs (`twc_...`), so registration
//! needs no storage and every replica knows every client. Redirect URIs must be https, or
//! http on a loopback host (native and CLI clients). Errors use RFC 7591's JSON shape.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::seal;
use crate::ui::UiState;

const PURPOSE: &str = "mcp_client";
/// Every registered client id starts with this.
pub const PREFIX: &str = "twc_";

/// A registered client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Client {
    /// Its display name (shown on the consent page).
    #[serde(rename = "n")]
    pub name: String,
    /// Its exact redirect URIs.
    #[serde(rename = "r")]
    pub redirect_uris: Vec<String>,
}

/// The registration request (other RFC 7591 fields are accepted and ignored).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Registration {
    /// Where codes are sent (exact match at `/authorize`).
    #[serde(default)]
    redirect_uris: Vec<String>,
    /// Shown on the consent page.
    #[serde(default)]
    client_name: Option<String>,
}

/// The client `client_id` names, if this server registered it.
pub fn lookup(ui: &UiState, client_id: &str) -> Option<Client> {
    seal::open(ui, PURPOSE, client_id.strip_prefix(PREFIX)?)
}

/// An RFC 6749 / 7591 error response.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// A client's name as shown on the consent page: no control characters, at most 100.
pub(super) fn display_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(100).collect()
}

/// Whether a client may use `uri` as a redirect URI.
pub(super) fn redirect_ok(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    if url.fragment().is_some() || uri.len() > 2000 {
        return false;
    }
    match url.scheme() {
        "https" => true,
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

/// Registers a public client (`token_endpoint_auth_method: none`; PKCE is required).
#[utoipa::path(post, path = "/register", tag = "mcp", request_body = Registration,
    responses((status = 201, description = "The client (RFC 7591)", body = Object),
        (status = 400, description = "invalid_redirect_uri / invalid_client_metadata (RFC 7591 shape)", body = Object)))]
pub async fn register(State(ui): State<Option<Arc<UiState>>>, body: axum::body::Bytes) -> Response {
    let Some(ui) = ui else {
        return oauth_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "OAuth is off (no onboarding UI)",
        );
    };
    let Ok(reg) = serde_json::from_slice::<Registration>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            "the body must be a JSON object with redirect_uris",
        );
    };
    if reg.redirect_uris.is_empty()
        || reg.redirect_uris.len() > 10
        || !reg.redirect_uris.iter().all(|u| redirect_ok(u))
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_redirect_uri",
            "1 to 10 redirect_uris, each https (or http on localhost/127.0.0.1), without a fragment",
        );
    }
    let name = display_name(reg.client_name.as_deref().unwrap_or("An MCP client"));
    let client = Client {
        name,
        redirect_uris: reg.redirect_uris,
    };
    let client_id = format!("{PREFIX}{}", seal::seal(&ui, PURPOSE, &client));
    (
        StatusCode::CREATED,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "client_id": client_id,
            "client_id_issued_at": chrono::Utc::now().timestamp(),
            "client_name": client.name,
            "redirect_uris": client.redirect_uris,
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
        })),
    )
        .into_response()
}
