//! `GET /connect/{token}` shows the connect page of a magic link; `POST` saves credentials
//! (verified live by the runtime first) or starts OAuth (binding the authorization to this
//! browser, see [`binding`]). Order of checks on POST: link signature and expiry → CSRF → one
//! attempt at a time per link → link not used → hold the link ([`hold`], the store's atomic
//! insert) → save. A failed save gives the link back and shows the form again with the error
//! and what was typed (never the secret fields).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use toolwire_runtime::{AccountRecord, AccountStatus, Credentials, Toolwire};
use toolwire_spec::{AuthScheme, ConnectorSpec};

use super::form::{FormError, FormView, Submission, UiForm};
use super::page::Page;
use super::state::require;
use super::{PageError, UiState, binding, csrf, headers};
use crate::error::ServerError;
use crate::links::{LinkClaims, LinkError, SPEND_KIND};

/// The OAuth "which link started this" cookie, read back by the callback
/// (`__Host-tw_link` on https).
pub const LINK_COOKIE: csrf::CookieSpec = csrf::CookieSpec {
    name: "tw_link",
    path: "/oauth/callback",
    same_site: "Lax",
    max_age: 900,
    host_only: true,
};

/// The "Connect your account" page of a magic link (`GET /connect/{token}`).
#[utoipa::path(get, path = "/connect/{token}", operation_id = "connect_show", tag = "ui",
    params(("token" = String, Path, description = "The magic-link token")),
    responses((status = 200, description = "HTML form", content_type = "text/html", body = String),
        (status = 400, description = "Invalid, expired or used link (HTML)", content_type = "text/html", body = String)))]
pub async fn show(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Page, PageError> {
    let ui = require(ui)?;
    let claims = ui.links.open(&token)?;
    let account = tw
        .accounts()
        .get(&claims.connection, &claims.identifier)
        .await?;
    ensure_unused(&tw, &claims, account.as_ref()).await?;
    let spec = spec(&tw, &claims.connection)?;
    let (cookie, set) = csrf::ensure(&ui, &headers, &csrf::CONNECT);
    let view = FormView {
        spec,
        values: prefill(account.as_ref()),
        oauth_enabled: ui.has_oauth(&claims.connection),
        error: None,
        notice: notice(spec, account.as_ref()),
    };
    Ok(render(&ui, &claims, &token, &view, &cookie).cookie(set))
}

/// Submits the form (CSRF-protected); credentials are verified live before saving.
#[utoipa::path(post, path = "/connect/{token}", operation_id = "connect_submit", tag = "ui",
    params(("token" = String, Path, description = "The magic-link token")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Done, or the form again with the error (HTML)", content_type = "text/html", body = String)))]
pub async fn submit(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: UiForm,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let claims = ui.links.open(&token)?;
    let cookie = csrf::check(&ui, &headers, &csrf::CONNECT, form.get("csrf"), &claims.id)?;
    let lock = ui.attempt_lock(&claims.id);
    let _one_at_a_time = lock.lock().await;
    let (conn, ident) = (claims.connection.as_str(), claims.identifier.as_str());
    let account = tw.accounts().get(conn, ident).await?;
    ensure_unused(&tw, &claims, account.as_ref()).await?;
    let spec = spec(&tw, conn)?;
    let again = |values: Map<String, Value>, e: ServerError| {
        let view = FormView {
            spec,
            values,
            oauth_enabled: ui.has_oauth(conn),
            error: Some(FormError::from_error(&e, &spec.title)),
            notice: notice(spec, account.as_ref()),
        };
        render(&ui, &claims, &token, &view, &cookie)
            .status(e.http_status())
            .into_response()
    };
    let sub = match Submission::parse(spec, &form) {
        Ok(sub) => sub,
        Err(e) => return Ok(again(prefill(account.as_ref()), e)),
    };
    if sub.oauth {
        if !ui.has_oauth(conn) {
            let e = ServerError::InvalidRequest(format!(
                "connecting {} with OAuth is not set up on this server; use the other option",
                spec.title
            ));
            return Ok(again(sub.keep, e));
        }
        return match tw
            .oauth()
            .start(conn, ident, &sub.config, &ui.links.callback_url())
            .await
        {
            Ok(req) => {
                let bind = binding::cookie(&ui, &req).ok_or_else(|| {
                    ServerError::from(toolwire_runtime::Error::Internal(
                        "the authorize URL has no state".into(),
                    ))
                })?;
                Ok(Page::redirect(req.url)
                    .cookie(Some(csrf::set_cookie(&ui, &LINK_COOKIE, &token)))
                    .cookie(Some(bind))
                    .into_response())
            }
            Err(e) => Ok(again(sub.keep, e.into())),
        };
    }
    // The store decides: this attempt holds the link, or another one already spent it.
    let save = {
        let tw = tw.clone();
        let (conn, ident) = (conn.to_string(), ident.to_string());
        let (config, scheme) = (sub.config.clone(), sub.scheme.clone());
        let credentials = Credentials::from_fields(sub.credentials);
        async move {
            tw.accounts()
                .set_credentials(&conn, &ident, &config, Some(&scheme), credentials)
                .await
        }
    };
    let saved = hold(&tw, &claims, save, |_| true).await?;
    match saved {
        Ok(record) => Ok(done(spec, &record).into_response()),
        Err(e) => Ok(again(sub.keep, e.into())),
    }
}

/// Refuses a link the store has as spent, or whose account got new credentials after the
/// link was issued.
async fn ensure_unused(
    tw: &Toolwire,
    claims: &LinkClaims,
    account: Option<&AccountRecord>,
) -> Result<(), PageError> {
    if claims.used_by(account) || tw.store().token_spent(SPEND_KIND, &claims.id).await? {
        return Err(LinkError::Used.into());
    }
    Ok(())
}

/// Single use of a magic link, the one protocol of the form save and the OAuth callback: the
/// link is spent (the store's atomic insert, under a claim of this attempt) before `work`
/// runs, so no other path can use it meanwhile; if `work` fails, or `keep` says its result
/// is not the link's, this attempt's claim is given back — never a spend made by another.
/// `work` runs on a task of its own, so a browser that goes away mid-way cannot leave the
/// link spent without the work. `LINK_USED` if the link is spent already.
pub async fn hold<T, E, W, K>(
    tw: &Toolwire,
    claims: &LinkClaims,
    work: W,
    keep: K,
) -> Result<Result<T, E>, PageError>
where
    W: Future<Output = Result<T, E>> + Send + 'static,
    K: FnOnce(&T) -> bool + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let Some(claim) = tw
        .store()
        .hold_token(SPEND_KIND, &claims.id, claims.expires_at)
        .await?
    else {
        return Err(LinkError::Used.into());
    };
    let (tw, link) = (tw.clone(), claims.id.clone());
    let task = async move {
        let out = work.await;
        if !out.as_ref().is_ok_and(keep)
            && let Err(err) = tw.store().unspend_token(SPEND_KIND, &link, &claim).await
        {
            tracing::warn!(error = %err, "could not give a magic link back after a failed attempt");
        }
        out
    };
    tokio::spawn(task).await.map_err(|e| {
        ServerError::from(toolwire_runtime::Error::Internal(format!("link task: {e}"))).into()
    })
}

/// The success page.
pub fn done(spec: &ConnectorSpec, record: &AccountRecord) -> Page {
    let config: Vec<Value> = spec
        .config
        .iter()
        .filter_map(|(k, c)| {
            record
                .config
                .get(k)
                .map(|v| json!({"label": c.title, "value": v.as_str().map_or_else(|| v.to_string(), str::to_string)}))
        })
        .collect();
    let scheme = record
        .auth_scheme
        .as_deref()
        .map(|n| spec.auth.get(n).map_or(n, |s| s.title()))
        .unwrap_or_default();
    Page::render(
        "done",
        &json!({
            "title": format!("{} connected", spec.title),
            "vendor": spec.title,
            "identifier": record.identifier,
            "status": record.status.as_str(),
            "status_message": record.status_message,
            "config": config,
            "scheme": scheme,
        }),
    )
}

fn render(
    ui: &UiState,
    claims: &LinkClaims,
    token: &str,
    view: &FormView<'_>,
    cookie: &str,
) -> Page {
    let ctx = view.context(
        &claims.identifier,
        &format!("/connect/{token}"),
        &csrf::token(ui, cookie, &claims.id),
        &claims.expires_at,
    );
    let targets = if view.oauth_enabled {
        oauth_targets(view.spec)
    } else {
        Vec::new()
    };
    Page::render("connect", &ctx)
        .status(StatusCode::OK)
        .csp(headers::csp(&targets))
}

fn spec<'a>(tw: &'a Toolwire, connection: &str) -> Result<&'a ConnectorSpec, PageError> {
    tw.connector(connection).map(|c| &c.spec).ok_or_else(|| {
        toolwire_runtime::Error::UnknownConnection {
            name: connection.into(),
        }
        .into()
    })
}

/// Where OAuth buttons may lead (through our redirect): the CSP `form-action` sources.
fn oauth_targets(spec: &ConnectorSpec) -> Vec<String> {
    spec.auth
        .values()
        .filter_map(|s| match s {
            AuthScheme::Oauth2AuthorizationCode { authorize_url, .. } => {
                Some(headers::oauth_form_target(authorize_url).unwrap_or_else(|| "https:".into()))
            }
            _ => None,
        })
        .collect()
}

fn prefill(account: Option<&AccountRecord>) -> Map<String, Value> {
    account
        .map(|a| {
            a.config
                .iter()
                .map(|(k, v)| (format!("config.{k}"), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Why the page is shown for an account that already exists.
fn notice(spec: &ConnectorSpec, account: Option<&AccountRecord>) -> Option<(String, String)> {
    let a = account?;
    let why = a.status_message.clone().unwrap_or_default();
    match a.status {
        AccountStatus::PendingAuth => None,
        AccountStatus::Active => Some((
            "Already connected".into(),
            "Saving here replaces the credentials in use now.".into(),
        )),
        other => Some((
            format!(
                "Your {} connection needs new credentials ({})",
                spec.title,
                other.as_str()
            ),
            why,
        )),
    }
}
