//! The links surface's `/v1` routes (API-key auth):
//! `POST /v1/connected_accounts/{connection_name}/{identifier}/magic_link` → `{url, expires_at}`
//! (optional body `{"expires_in_s": 60..604800}`, default 30 min; creates the account as
//! PENDING_AUTH if new) and `POST .../oauth/authorize` `{config, redirect_uri?}` → `{url,
//! expires_at}` (the redirect URI defaults to the UI's `/oauth/callback`; `url` is a single-use
//! start link on this server: a confirmation page whose button binds the flow to that
//! browser, see [`crate::ui::binding`]).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::routing::post;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use toolwire_runtime::Toolwire;
use toolwire_runtime::oauth::AuthorizationRequest;
use utoipa::ToSchema;

use super::{DEFAULT_TTL, LinkError, MagicLink};
use crate::error::{Result, ServerError};
use crate::ui::UiState;
use crate::web::auth::require_api_key;
use crate::web::{ApiAuth, ErrorBody};

const MIN_TTL_S: i64 = 60;
const MAX_TTL_S: i64 = 7 * 24 * 3600;

/// The routes (behind the API key), on any app state that provides the runtime, the UI state
/// (magic links need it; `None` answers `UI_DISABLED`) and the API keys.
pub fn routes<S>(state: &S) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Toolwire: FromRef<S>,
    Option<Arc<UiState>>: FromRef<S>,
    ApiAuth: FromRef<S>,
{
    Router::new()
        .route(
            "/v1/connected_accounts/{connection_name}/{identifier}/magic_link",
            post(magic_link),
        )
        .route(
            "/v1/connected_accounts/{connection_name}/{identifier}/oauth/authorize",
            post(oauth_authorize),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            ApiAuth::from_ref(state),
            require_api_key,
        ))
}

/// The OpenAPI paths and schemas of these routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(magic_link, oauth_authorize))]
struct Doc;

/// `magic_link` body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MagicLinkRequest {
    /// Lifetime in seconds (60..=604800; default 1800).
    #[serde(default)]
    expires_in_s: Option<i64>,
}

/// `oauth/authorize` body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeRequest {
    /// Connector config, e.g. `{"subdomain": "acme"}`.
    #[serde(default)]
    config: Map<String, Value>,
    /// Where the provider sends the user back (default: the UI's `/oauth/callback`).
    #[serde(default)]
    redirect_uri: Option<String>,
}

/// `oauth/authorize` response: where to send the user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Authorization {
    /// The start link on this server (onboarding UI on), else the vendor's authorize URL.
    url: String,
    /// When the authorization's state stops being accepted (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    expires_at: DateTime<Utc>,
}

impl From<AuthorizationRequest> for Authorization {
    fn from(r: AuthorizationRequest) -> Self {
        Authorization {
            url: r.url,
            expires_at: r.expires_at,
        }
    }
}

/// Mints a magic link for the account (created as PENDING_AUTH when new).
#[utoipa::path(post, path = "/v1/connected_accounts/{connection_name}/{identifier}/magic_link",
    tag = "accounts", security(("api_key" = [])),
    description = "Mints a signed, expiring, single-use onboarding link (creates the account as \
        PENDING_AUTH when new). The body is optional.",
    params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")),
    request_body(content = Option<MagicLinkRequest>),
    responses((status = 200, description = "The link", body = MagicLink),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Unknown connection or UI disabled", body = ErrorBody)))]
pub async fn magic_link(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path((conn, ident)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<MagicLink>> {
    let ui = ui.ok_or(LinkError::Disabled)?;
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
    tw.accounts().get_or_create(&conn, &ident).await?;
    Ok(Json(ui.links.mint(&conn, &ident, ttl)))
}

/// Starts an OAuth authorization: the URL to send the user to.
#[utoipa::path(post, path = "/v1/connected_accounts/{connection_name}/{identifier}/oauth/authorize",
    tag = "accounts", security(("api_key" = [])),
    description = "Starts an OAuth authorization code + PKCE flow: the URL to send the user to. \
        With the onboarding UI on, `url` is a single-use start link on this server: it shows a \
        confirmation page naming the connection and the identifier, whose button binds the flow \
        to that browser and redirects to the vendor. Redirect your signed-in user's own browser \
        to it from an authenticated request (never email or show it); the callback refuses \
        other browsers.",
    params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk_oauth`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")),
    request_body(content = AuthorizeRequest),
    responses((status = 200, description = "Where to send the user", body = Authorization),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Unknown connection", body = ErrorBody)))]
pub async fn oauth_authorize(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path((conn, ident)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Authorization>> {
    let req: AuthorizeRequest = parse(&body, false)?;
    let redirect = match (req.redirect_uri, &ui) {
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
    let started = tw
        .oauth()
        .start(&conn, &ident, &req.config, &redirect)
        .await?;
    // The browser that confirms the start link is the one the callback accepts.
    Ok(Json(
        match &ui {
            Some(ui) => crate::ui::binding::start_link(ui, &conn, &ident, started),
            None => started,
        }
        .into(),
    ))
}

/// Parses a JSON body with the REST error contract; an empty body is `T::default()` when
/// `allow_empty`.
fn parse<T: DeserializeOwned + Default>(body: &[u8], allow_empty: bool) -> Result<T> {
    if allow_empty
        && body.len() <= crate::web::BODY_LIMIT
        && body.iter().all(u8::is_ascii_whitespace)
    {
        return Ok(T::default());
    }
    crate::web::body::parse(body)
}
