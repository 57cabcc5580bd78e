//! `/v1` routes (API-key auth, mounted by [`crate::rest::router`]):
//! `POST /v1/connected_accounts/{connection_name}/{identifier}/magic_link` → `{url, expires_at}`
//! (optional body `{"expires_in_s": 60..604800}`, default 30 min; creates the account as
//! PENDING_AUTH if new) and `POST .../oauth/authorize` `{config, redirect_uri?}` → `{url,
//! expires_at}` (the redirect URI defaults to the UI's `/oauth/callback`; `url` is a single-use
//! start link on this server that binds the flow to the browser opening it, see
//! [`crate::ui::binding`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use toolwire_runtime::oauth::AuthorizationRequest;

use super::{DEFAULT_TTL, LinkError, MagicLink};
use crate::error::{Result, ServerError};
use crate::rest::{AppState, BODY_LIMIT};

const MIN_TTL_S: i64 = 60;
const MAX_TTL_S: i64 = 7 * 24 * 3600;

/// `magic_link` body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MagicLinkRequest {
    #[serde(default)]
    expires_in_s: Option<i64>,
}

/// `oauth/authorize` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeRequest {
    #[serde(default)]
    config: Map<String, Value>,
    #[serde(default)]
    redirect_uri: Option<String>,
}

/// Mints a magic link for the account (created as PENDING_AUTH when new).
pub async fn magic_link(
    State(s): State<AppState>,
    Path((conn, ident)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<MagicLink>> {
    let ui = s.ui.clone().ok_or(LinkError::Disabled)?;
    let req: MagicLinkRequest = parse(&body, true)?;
    let ttl = match req.expires_in_s {
        Some(n) if !(MIN_TTL_S..=MAX_TTL_S).contains(&n) => {
            return Err(ServerError::InvalidRequest(format!(
                "expires_in_s must be between {MIN_TTL_S} and {MAX_TTL_S}"
            )));
        }
        Some(n) => chrono::Duration::seconds(n),
        None => DEFAULT_TTL,
    };
    // Checks the identifier (the runtime's one rule) before anything is minted.
    s.tw.accounts().get_or_create(&conn, &ident).await?;
    Ok(Json(ui.links.mint(&conn, &ident, ttl)))
}

/// Starts an OAuth authorization: the URL to send the user to.
pub async fn oauth_authorize(
    State(s): State<AppState>,
    Path((conn, ident)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<AuthorizationRequest>> {
    let req: AuthorizeRequest = parse(&body, false)?;
    let redirect = match (req.redirect_uri, &s.ui) {
        (Some(uri), _) => uri,
        (None, Some(ui)) => ui.links.callback_url(),
        (None, None) => {
            return Err(ServerError::InvalidRequest(
                "redirect_uri is required when the onboarding UI is not enabled".into(),
            ));
        }
    };
    let url = url::Url::parse(&redirect)
        .map_err(|e| ServerError::InvalidRequest(format!("redirect_uri: {e}")))?;
    if !matches!(url.scheme(), "https" | "http") || url.fragment().is_some() {
        return Err(ServerError::InvalidRequest(
            "redirect_uri must be an http(s) URL without a fragment".into(),
        ));
    }
    let started =
        s.tw.oauth()
            .start(&conn, &ident, &req.config, &redirect)
            .await?;
    // The browser that opens the start link is the one the callback accepts.
    Ok(Json(match &s.ui {
        Some(ui) => crate::ui::binding::start_link(ui, started),
        None => started,
    }))
}

/// Parses a JSON body with the REST error contract; an empty body is `T::default()` when
/// `allow_empty`.
fn parse<T: DeserializeOwned + Default>(body: &[u8], allow_empty: bool) -> Result<T> {
    if body.len() > BODY_LIMIT {
        return Err(ServerError::BodyTooLarge { limit: BODY_LIMIT });
    }
    if allow_empty && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ServerError::InvalidRequest(e.to_string()),
        _ => ServerError::InvalidJson(e.to_string()),
    })
}

impl Default for AuthorizeRequest {
    fn default() -> Self {
        AuthorizeRequest {
            config: Map::new(),
            redirect_uri: None,
        }
    }
}
