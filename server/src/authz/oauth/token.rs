//! `POST /token` (form-encoded, public clients): `authorization_code` (the code from
//! [`super::flow`], single use, its PKCE verifier checked against the S256 challenge, the
//! client and redirect URI as at `/authorize`, `resource` if sent = this server's MCP URL) and
//! `refresh_token` (rotating: each refresh token works once; presenting a spent one revokes
//! the client's access tokens for that identifier and the whole refresh family). Access
//! tokens are per-identifier tokens ([`crate::authz::token`]) bound to the MCP URL, 1 hour;
//! refresh tokens are sealed (`twr_...`), 30 days. Errors use RFC 6749's JSON shape.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use toolwire_runtime::Toolwire;
use toolwire_runtime::store::NewAccessToken;

use super::client::oauth_error;
use super::flow::{CODE, Code};
use super::{resource, seal};
use crate::authz::token as access;
use crate::ui::UiState;

const REFRESH: &str = "mcp_refresh";
const ACCESS_TTL_S: i64 = 3600;
const REFRESH_TTL_S: i64 = 30 * 24 * 3600;

/// A refresh token's contents (sealed; one- or two-letter names on the wire keep it short).
#[derive(Serialize, Deserialize)]
struct Refresh {
    #[serde(rename = "c")]
    client_id: String,
    #[serde(rename = "i")]
    identifier: String,
    /// The rotation family: reusing a spent member revokes the family.
    #[serde(rename = "f")]
    family: String,
    #[serde(rename = "exp")]
    expires_at: i64,
    #[serde(rename = "n")]
    nonce: String,
}

/// The token request (RFC 6749 §4.1.3, §6). `Debug` leaves out the code, the verifier and the
/// refresh token.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    resource: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("code", &self.code.as_ref().map(|_| "[redacted]"))
            .field("redirect_uri", &self.redirect_uri)
            .field("client_id", &self.client_id)
            .field(
                "code_verifier",
                &self.code_verifier.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("resource", &self.resource)
            .finish()
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn at(ts: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default()
}

fn invalid_grant(why: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why)
}

/// Exchanges a code or a refresh token for tokens.
#[utoipa::path(post, path = "/token", tag = "mcp",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "access_token, refresh_token, expires_in (RFC 6749)", body = Object),
        (status = 400, description = "invalid_grant / invalid_request / invalid_target / unsupported_grant_type (RFC 6749 shape)", body = Object)))]
pub async fn token(
    State(ui): State<Option<Arc<UiState>>>,
    State(tw): State<Toolwire>,
    axum::Form(req): axum::Form<TokenRequest>,
) -> Response {
    let Some(ui) = ui else {
        return oauth_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "OAuth is off (no onboarding UI)",
        );
    };
    if req.resource.as_deref().is_some_and(|r| r != resource(&ui)) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_target",
            &format!("resource must be {}", resource(&ui)),
        );
    }
    let Some(client_id) = req.client_id.as_deref() else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_id is required",
        );
    };
    match req.grant_type.as_str() {
        "authorization_code" => {
            let Some(raw) = req.code.as_deref() else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "code is required",
                );
            };
            let Some(code) = raw
                .strip_prefix("twa_")
                .and_then(|c| seal::open::<Code>(&ui, CODE, c))
                .filter(|c| c.expires_at > now())
            else {
                return invalid_grant("the code is invalid or has expired");
            };
            if code.client_id != client_id
                || req
                    .redirect_uri
                    .as_deref()
                    .is_some_and(|r| r != code.redirect_uri)
            {
                return invalid_grant("the code was issued to another client or redirect URI");
            }
            let verifier = req.code_verifier.as_deref().unwrap_or_default();
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(Sha256::digest(verifier.as_bytes()));
            if verifier.len() < 43 || !constant_eq(&computed, &code.code_challenge) {
                return invalid_grant("the code_verifier does not match the code_challenge");
            }
            match tw
                .store()
                .spend_token(CODE, &access::hash(raw), at(code.expires_at))
                .await
            {
                Ok(true) => {}
                Ok(false) => return invalid_grant("the code was already used"),
                Err(_) => {
                    return oauth_error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "temporarily_unavailable",
                        "try again",
                    );
                }
            }
            issue(&ui, &tw, &code.client_id, &code.identifier, &seal::nonce()).await
        }
        "refresh_token" => {
            let Some(raw) = req.refresh_token.as_deref() else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "refresh_token is required",
                );
            };
            let Some(r) = raw
                .strip_prefix("twr_")
                .and_then(|t| seal::open::<Refresh>(&ui, REFRESH, t))
                .filter(|r| r.expires_at > now())
            else {
                return invalid_grant("the refresh token is invalid or has expired");
            };
            if r.client_id != client_id {
                return invalid_grant("the refresh token was issued to another client");
            }
            let store = tw.store();
            let family_revoked = store.token_spent("mcp_refresh_family", &r.family).await;
            if !matches!(family_revoked, Ok(false)) {
                return invalid_grant("this refresh token's family was revoked");
            }
            match store
                .spend_token(REFRESH, &access::hash(raw), at(r.expires_at))
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    // Reuse: someone else holds a copy. End the family and the client's tokens.
                    let _ = store
                        .spend_token("mcp_refresh_family", &r.family, at(now() + REFRESH_TTL_S))
                        .await;
                    let _ = store
                        .revoke_client_access_tokens(&r.identifier, &r.client_id)
                        .await;
                    return invalid_grant("the refresh token was already used; sign in again");
                }
                Err(_) => {
                    return oauth_error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "temporarily_unavailable",
                        "try again",
                    );
                }
            }
            issue(&ui, &tw, &r.client_id, &r.identifier, &r.family).await
        }
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "authorization_code or refresh_token",
        ),
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

async fn issue(
    ui: &UiState,
    tw: &Toolwire,
    client_id: &str,
    identifier: &str,
    family: &str,
) -> Response {
    let new = NewAccessToken {
        identifier: identifier.to_string(),
        toolset: None,
        read_only: false,
        audience: Some(resource(ui)),
        client_id: Some(client_id.to_string()),
        expires_at: Some(at(now() + ACCESS_TTL_S)),
    };
    let Ok((access_token, _)) = access::mint(tw.store(), &new).await else {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "try again",
        );
    };
    let refresh = Refresh {
        client_id: client_id.to_string(),
        identifier: identifier.to_string(),
        family: family.to_string(),
        expires_at: now() + REFRESH_TTL_S,
        nonce: seal::nonce(),
    };
    let refresh_token = format!("twr_{}", seal::seal(ui, REFRESH, &refresh));
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TTL_S,
            "refresh_token": refresh_token,
            "scope": "mcp",
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_codes_verifiers_or_refresh_tokens() {
        let req: TokenRequest = serde_json::from_value(serde_json::json!({
            "grant_type": "refresh_token", "code": "CANARY_CODE_1",
            "code_verifier": "CANARY_VERIFIER_2", "refresh_token": "CANARY_REFRESH_3",
            "client_id": "cid"
        }))
        .unwrap();
        let shown = format!("{req:?}");
        assert!(!shown.contains("CANARY"), "{shown}");
        assert!(
            shown.contains("refresh_token") && shown.contains("cid"),
            "{shown}"
        );
    }
}
