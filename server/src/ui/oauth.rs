//! `GET /oauth/callback`: where the vendor sends the browser back. With `state` + `code` it
//! checks that this browser started the flow ([`binding`], before anything else), then
//! completes the authorization ([`toolwire_runtime::OAuth::complete`]: single-use state,
//! PKCE, live verify) and shows the account; with `error` it says what the vendor refused.
//! When the flow started from a magic link (its `tw_link` cookie), that link is spent on
//! success and offered as "try again" on failure. `GET /oauth/start/{ticket}` is the start
//! link handed out by `POST .../oauth/authorize`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

use super::connect::{LINK_COOKIE, done, spend};
use super::page::Page;
use super::{PageError, binding, csrf};
use crate::error::ServerError;
use crate::links::LinkError;
use crate::rest::AppState;

/// The callback's query.
#[derive(Debug, Deserialize)]
pub struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /oauth/callback`.
pub async fn callback(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response, PageError> {
    let ui = super::require(&s)?;
    let link = csrf::read_cookie(&headers, LINK_COOKIE)
        .and_then(|t| ui.links.open(&t).ok().map(|c| (t, c)));
    let retry = link.as_ref().map(|(t, _)| format!("/connect/{t}"));
    let vendor = link
        .as_ref()
        .and_then(|(_, c)| s.tw.connector(&c.connection))
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
    let record = match s.tw.oauth().complete(&state, &code).await {
        Ok(r) => r,
        Err(e) => return Err(PageError::from(e).retry(retry)),
    };
    if let Some((_, claims)) = &link
        && claims.connection == record.connection
        && claims.identifier == record.identifier
    {
        spend(&s, claims).await;
    }
    let spec = &s
        .tw
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

/// `GET /oauth/start/{ticket}`: the start link of `POST .../oauth/authorize` — binds the
/// authorization to this browser and sends it to the vendor. Works once.
pub async fn start(
    State(s): State<AppState>,
    Path(ticket): Path<String>,
) -> Result<Response, PageError> {
    let ui = super::require(&s)?;
    let refused = || PageError::from(toolwire_runtime::Error::OAuthState);
    let start = binding::open_start(&ui, &ticket, Utc::now()).ok_or_else(refused)?;
    if !s
        .tw
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
