//! `GET /oauth/callback`: where the vendor sends the browser back. With `state` + `code` it
//! checks that this browser started the flow ([`binding`], before anything else), then
//! completes the authorization ([`toolwire_runtime::OAuth::complete`]: single-use state,
//! PKCE, live verify) and shows the account; with `error` it says what the vendor refused.
//! When the flow started from a magic link (its `tw_link` cookie), that link is held before
//! the code is exchanged ([`hold`], the form save's protocol): a used link refuses, a failure
//! gives it back and offers it as "try again". `GET /oauth/start/{ticket}` is the start
//! link handed out by `POST .../oauth/authorize`: a confirmation page naming the connection
//! and identifier, whose CSRF-protected `POST` binds this browser and redirects to the vendor.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use toolwire_runtime::Toolwire;

use super::connect::{LINK_COOKIE, done, hold};
use super::form::UiForm;
use super::page::Page;
use super::state::require;
use super::{PageError, UiState, binding, csrf, headers as ui_headers};
use crate::error::ServerError;
use crate::links::LinkError;

/// The callback's query.
#[derive(Deserialize)]
pub struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Redacts the code and state (bearer-like secrets of the flow).
impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redact = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("Callback")
            .field("state", &redact(&self.state))
            .field("code", &redact(&self.code))
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
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
    let link = csrf::read(&ui, &headers, &LINK_COOKIE)
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
    let complete = {
        let tw = tw.clone();
        async move { tw.oauth().complete(&state, &code).await }
    };
    // Started from a magic link: the link is held (spent) before the code is exchanged, like a
    // form save, and given back if the authorization fails or was for another account.
    let completed = match &link {
        Some((_, claims)) => {
            let (conn, ident) = (claims.connection.clone(), claims.identifier.clone());
            hold(&tw, claims, complete, move |r| {
                r.connection == conn && r.identifier == ident
            })
            .await?
        }
        None => complete.await,
    };
    let record = match completed {
        Ok(r) => r,
        Err(e) => return Err(PageError::from(e).retry(retry)),
    };
    let spec = &tw
        .connector(&record.connection)
        .ok_or_else(|| toolwire_runtime::Error::UnknownConnection {
            name: record.connection.clone(),
        })?
        .spec;
    Ok(done(spec, &record)
        .cookie(Some(csrf::clear_cookie(&ui, &LINK_COOKIE)))
        .cookie(Some(binding::clear(&ui)))
        .into_response())
}

/// The start link of `POST .../oauth/authorize`: a confirmation page naming the connection
/// and the identifier; nothing is bound until its form is posted.
#[utoipa::path(get, path = "/oauth/start/{ticket}", operation_id = "oauth_start", tag = "ui",
    params(("ticket" = String, Path, description = "The signed start ticket")),
    responses((status = 200, description = "Confirmation page (HTML)", content_type = "text/html", body = String),
        (status = 400, description = "Invalid, expired or used start link (HTML)", content_type = "text/html", body = String)))]
pub async fn start(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path(ticket): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let start = open_unused(&tw, &ui, &ticket).await?;
    let vendor = tw
        .connector(&start.connection)
        .map_or_else(|| start.connection.clone(), |c| c.spec.title.clone());
    let (cookie, set) = csrf::ensure(&ui, &headers, &csrf::OAUTH_START);
    let target = url::Url::parse(&start.request.url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| "https:".into());
    Ok(Page::render(
        "oauth_start",
        &json!({
            "title": format!("Connect {vendor}"),
            "vendor": vendor,
            "identifier": start.identifier,
            "action": format!("/oauth/start/{ticket}"),
            "csrf": csrf::token(&ui, &cookie, &start.id),
        }),
    )
    .csp(ui_headers::csp(&[target]))
    .cookie(set)
    .into_response())
}

/// The confirmation page's form: binds the authorization to this browser (cookie) and
/// redirects to the vendor. Single use.
#[utoipa::path(post, path = "/oauth/start/{ticket}", operation_id = "oauth_start_confirm", tag = "ui",
    params(("ticket" = String, Path, description = "The signed start ticket")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Redirect to the vendor's authorize page"),
        (status = 400, description = "Invalid, expired or used start link (HTML)", content_type = "text/html", body = String),
        (status = 403, description = "CSRF check failed (HTML)", content_type = "text/html", body = String)))]
pub async fn confirm(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path(ticket): Path<String>,
    headers: HeaderMap,
    form: UiForm,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let refused = || PageError::from(toolwire_runtime::Error::OAuthState);
    let start = binding::open_start(&ui, &ticket, Utc::now()).ok_or_else(refused)?;
    csrf::check(
        &ui,
        &headers,
        &csrf::OAUTH_START,
        form.get("csrf"),
        &start.id,
    )?;
    if !tw
        .store()
        .spend_token(binding::START_KIND, &start.id, start.request.expires_at)
        .await?
    {
        return Err(refused());
    }
    let bind = binding::cookie(&ui, &start.request).ok_or_else(refused)?;
    // Not started from a magic link: the callback must not spend one left in this browser.
    Ok(Page::redirect(start.request.url)
        .cookie(Some(bind))
        .cookie(Some(csrf::clear_cookie(&ui, &LINK_COOKIE)))
        .into_response())
}

/// A start ticket that is signed, unexpired and not used yet.
async fn open_unused(
    tw: &Toolwire,
    ui: &UiState,
    ticket: &str,
) -> Result<binding::Start, PageError> {
    let refused = || PageError::from(toolwire_runtime::Error::OAuthState);
    let start = binding::open_start(ui, ticket, Utc::now()).ok_or_else(refused)?;
    if tw
        .store()
        .token_spent(binding::START_KIND, &start.id)
        .await?
    {
        return Err(refused());
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_callback_query_debugs_without_code_or_state() {
        let q = super::Callback {
            state: Some("canary-state".into()),
            code: Some("canary-code".into()),
            error: None,
            error_description: None,
        };
        let shown = format!("{q:?}");
        assert!(!shown.contains("canary"), "{shown}");
    }
}
