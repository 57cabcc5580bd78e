//! `GET /oauth/callback`: where the vendor sends the browser back. With `state` + `code` it
//! checks that this browser started the flow ([`binding`], before anything else), then
//! completes the authorization ([`toolwire_runtime::OAuth::complete`]: single-use state,
//! PKCE, live verify) and shows the account; with `error` it says what the vendor refused.
//! When the flow started from a magic link (its `tw_link` cookie), that link is spent on
//! success and offered as "try again" on failure. `GET /oauth/start/{ticket}` is the start
//! link handed out by `POST .../oauth/authorize`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use toolwire_runtime::Toolwire;

use super::connect::{LINK_COOKIE, done, spend};
use super::page::Page;
use super::state::require;
use super::{PageError, UiState, binding, csrf};
use crate::error::ServerError;
use crate::links::LinkError;

/// The callback's query.
#[derive(Debug, Deserialize)]
pub struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The OAuth redirect target (`GET /oauth/callback`).
#[utoipa::path(get, path = "/oauth/callback", operation_id = "oauth_callback", tag = "ui",
    params(("code" = Option<String>, Query, description = "Authorization code"),
        ("state" = Option<String>, Query, description = "The state issued with the authorization")),
    responses((status = 200, description = "Result page (HTML)", content_type = "text/html", body = String),
        (status = 403, description = "OAUTH_BROWSER_MISMATCH: not the browser that started the flow (HTML)", content_type = "text/html", body = String)))]
pub async fn callback(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let link = csrf::read_cookie(&headers, LINK_COOKIE)
        .and_then(|t| ui.links.open(&t).ok().map(|c| (t, c)));
    let retry = link.as_ref().map(|(t, _)| format!("/connect/{t}"));
    let vendor = link
        .as_ref()
        .and_then(|(_, c)| tw.connector(&c.connection))
        .map_or_else(|| "The provider".to_string(), |c| c.spec.title.clone());
    if let Some(err) = q.error {
        let detail = q
            .error_description
            .map(|d| format!(" ({})", d.chars().take(300).collect::<String>()))
            .unwrap_or_default();
        let why = if err == "access_denied" {
            "access was not granted".to_string()
        } else {
            err.chars().take(64).collect()
        };
        return Err(PageError::from(ServerError::InvalidRequest(format!(
            "{vendor} did not connect: {why}{detail}. Nothing was saved."
        )))
        .retry(retry));
    }
    let (Some(state), Some(code)) = (q.state, q.code) else {
        return Err(PageError::from(ServerError::InvalidRequest(
            "this page needs the `state` and `code` the provider sends back; start from your link again"
                .into(),
        ))
        .retry(retry));
    };
    // Before the code is exchanged: only the browser that started the flow may finish it.
    if !binding::matches(&ui, &headers, &state) {
        return Err(PageError::from(LinkError::OAuthBrowser).retry(retry));
    }
    let record = match tw.oauth().complete(&state, &code).await {
        Ok(r) => r,
        Err(e) => return Err(PageError::from(e).retry(retry)),
    };
    if let Some((_, claims)) = &link
        && claims.connection == record.connection
        && claims.identifier == record.identifier
    {
        spend(&tw, claims).await;
    }
    let spec = &tw
        .connector(&record.connection)
        .ok_or_else(|| toolwire_runtime::Error::UnknownConnection {
            name: record.connection.clone(),
        })?
        .spec;
    let clear = format!("{LINK_COOKIE}=; Path=/oauth/callback; Max-Age=0; HttpOnly; SameSite=Lax");
    Ok(done(spec, &record)
        .cookie(Some(clear))
        .cookie(Some(binding::clear()))
        .into_response())
}

/// The start link of `POST .../oauth/authorize`: binds the authorization to the browser
/// opening it (cookie) and redirects to the vendor. Single use.
#[utoipa::path(get, path = "/oauth/start/{ticket}", operation_id = "oauth_start", tag = "ui",
    params(("ticket" = String, Path, description = "The signed start ticket")),
    responses((status = 303, description = "Redirect to the vendor's authorize page"),
        (status = 400, description = "Invalid, expired or used start link (HTML)", content_type = "text/html", body = String)))]
pub async fn start(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path(ticket): Path<String>,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let refused = || PageError::from(toolwire_runtime::Error::OAuthState);
    let start = binding::open_start(&ui, &ticket, Utc::now()).ok_or_else(refused)?;
    if !tw
        .store()
        .spend_token(binding::START_KIND, &start.id, start.request.expires_at)
        .await?
    {
        return Err(refused());
    }
    let bind = binding::cookie(&ui, &start.request).ok_or_else(refused)?;
    Ok(Page::redirect(start.request.url)
        .cookie(Some(bind))
        .into_response())
}
