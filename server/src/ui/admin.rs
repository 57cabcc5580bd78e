//! `GET /admin`: connected accounts grouped by status (the ones needing attention first),
//! with last use and the reason of their status — never credentials. Access: the API key as
//! `Authorization: Bearer`, or a session from `POST /admin/login` (the key typed once; the
//! cookie then holds `base64url({exp}.{nonce}) "." HMAC(secret, "admin-session" ‖ that ‖
//! sha256(the key))` — HttpOnly, SameSite=Strict, 8 h — never the key). A session ends at
//! logout (its id is spent in the store, so every replica refuses it) and when the key it was
//! opened with is no longer accepted (rotated). Wrong keys are throttled per client address.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeZone as _, Utc};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use toolwire_runtime::{AccountFilter, AccountRecord, AccountStatus, Toolwire};

use super::csrf::{self, CookieSpec};
use super::form::UiForm;
use super::page::Page;
use super::state::require;
use super::{PageError, UiState};
use crate::error::ServerError;
use crate::links::{b64, unb64};
use crate::web::ApiAuth;
use crate::web::auth::bearer;
use crate::web::throttle::ClientAddr;

const SESSION: CookieSpec = CookieSpec {
    name: "tw_admin",
    path: "/admin",
    same_site: "Strict",
    max_age: 8 * 3600,
    host_only: false,
};
const PURPOSE: &str = "admin-session/v2";
/// The `spend_token` kind of ended (logged-out) admin sessions.
const ENDED_KIND: &str = "admin_session";
const MAX_ACCOUNTS: usize = 2000;
const ORDER: [AccountStatus; 6] = [
    AccountStatus::Revoked,
    AccountStatus::Expired,
    AccountStatus::Restricted,
    AccountStatus::PendingAuth,
    AccountStatus::Active,
    AccountStatus::Disconnected,
];

/// A valid admin session.
struct Session {
    /// The cookie value (what the logout form's CSRF token binds to).
    value: String,
    /// `hex(sha256(value))`: what a logout spends.
    id: String,
    expires_at: DateTime<Utc>,
}

/// The admin page: accounts by status (never secrets); needs an admin session or the API key.
#[utoipa::path(get, path = "/admin", operation_id = "admin", tag = "ui",
    responses((status = 200, description = "HTML", content_type = "text/html", body = String)))]
pub async fn show(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    State(auth): State<ApiAuth>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let session = session(&tw, &auth, &ui, &headers).await?;
    if session.is_none() {
        match auth.check(client, bearer(&headers)) {
            Ok(_) => {}
            Err(e @ ServerError::Throttled { .. }) => return Err(e.into()),
            Err(_) => return Ok(login_page(&ui, &headers, None).into_response()),
        }
    }
    let mut accounts = Vec::new();
    let mut token = None;
    loop {
        let page = tw
            .accounts()
            .list(&AccountFilter::default(), token.as_deref(), 200)
            .await?;
        accounts.extend(page.accounts);
        match page.next_page_token {
            Some(t) if accounts.len() < MAX_ACCOUNTS => token = Some(t),
            _ => break,
        }
    }
    let truncated = accounts.len() >= MAX_ACCOUNTS;
    let groups: Vec<Value> = ORDER
        .iter()
        .filter_map(|st| {
            let rows: Vec<Value> = accounts
                .iter()
                .filter(|a| a.status == *st)
                .map(row)
                .collect();
            (!rows.is_empty())
                .then(|| json!({"status": st.as_str(), "count": rows.len(), "accounts": rows}))
        })
        .collect();
    let logout = session.map(|sess| json!({"csrf": csrf::token(&ui, &sess.value, "admin-logout")}));
    Ok(Page::render(
        "admin",
        &json!({"title": "Connected accounts", "total": accounts.len(), "truncated": truncated,
                "groups": groups, "logout": logout}),
    )
    .into_response())
}

/// Admin login with the API key (form fields `api_key`, `csrf`; sets a session cookie).
#[utoipa::path(post, path = "/admin/login", operation_id = "admin_login", tag = "ui",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Redirect to /admin"),
        (status = 200, description = "The login form with an error (HTML)", content_type = "text/html", body = String)))]
pub async fn login(
    State(ui): State<Option<Arc<UiState>>>,
    State(auth): State<ApiAuth>,
    client: ClientAddr,
    headers: HeaderMap,
    form: UiForm,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    csrf::check(&ui, &headers, &csrf::ADMIN, form.get("csrf"), "admin-login")?;
    let key = form.get("api_key").unwrap_or_default().trim();
    let key_hash = match auth.check(client, Some(key)) {
        Ok(hash) => Some(hash),
        Err(e @ ServerError::Throttled { .. }) => return Err(e.into()),
        Err(_) => None,
    };
    let Some(key_hash) = key_hash else {
        return Ok(
            login_page(&ui, &headers, Some("That is not a valid API key."))
                .status(StatusCode::UNAUTHORIZED)
                .into_response(),
        );
    };
    let exp = (Utc::now().timestamp() + SESSION.max_age).to_string();
    let nonce = b64(&rand::random::<[u8; 16]>());
    let body = b64(format!("{exp}.{nonce}").as_bytes());
    let tag = b64(&ui.links.mac(PURPOSE, &[body.as_bytes(), &key_hash]));
    Ok(Page::redirect("/admin".into())
        .cookie(Some(csrf::set_cookie(
            &ui,
            &SESSION,
            &format!("{body}.{tag}"),
        )))
        .into_response())
}

/// Admin logout (`csrf` bound to the session): ends the session on every replica.
#[utoipa::path(post, path = "/admin/logout", operation_id = "admin_logout", tag = "ui",
    responses((status = 303, description = "Redirect to /admin")))]
pub async fn logout(
    State(tw): State<Toolwire>,
    State(ui): State<Option<Arc<UiState>>>,
    State(auth): State<ApiAuth>,
    headers: HeaderMap,
    form: UiForm,
) -> Result<Response, PageError> {
    let ui = require(ui)?;
    let sess = session(&tw, &auth, &ui, &headers)
        .await?
        .ok_or(crate::links::LinkError::Csrf)?;
    let expected = csrf::token(&ui, &sess.value, "admin-logout");
    let given = form.get("csrf").unwrap_or_default();
    if !constant_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(crate::links::LinkError::Csrf.into());
    }
    tw.store()
        .spend_token(ENDED_KIND, &sess.id, sess.expires_at)
        .await?;
    let gone = CookieSpec {
        max_age: 0,
        ..SESSION
    };
    Ok(Page::redirect("/admin".into())
        .cookie(Some(csrf::set_cookie(&ui, &gone, "")))
        .into_response())
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

fn login_page(ui: &UiState, headers: &HeaderMap, error: Option<&str>) -> Page {
    let (cookie, set) = csrf::ensure(ui, headers, &csrf::ADMIN);
    Page::render(
        "admin_login",
        &json!({"title": "Sign in", "error": error,
                "csrf": csrf::token(ui, &cookie, "admin-login")}),
    )
    .status(StatusCode::UNAUTHORIZED)
    .cookie(set)
}

/// The request's session when it is valid, unexpired, opened with a key still accepted, and
/// not logged out.
async fn session(
    tw: &Toolwire,
    auth: &ApiAuth,
    ui: &UiState,
    headers: &HeaderMap,
) -> Result<Option<Session>, PageError> {
    let Some(sess) = csrf::read_cookie(headers, SESSION.name).and_then(|v| open(auth, ui, v))
    else {
        return Ok(None);
    };
    if tw.store().token_spent(ENDED_KIND, &sess.id).await? {
        return Ok(None);
    }
    Ok(Some(sess))
}

fn open(auth: &ApiAuth, ui: &UiState, value: String) -> Option<Session> {
    let (body, tag) = value.split_once('.')?;
    let tag = unb64(tag)?;
    let key_still_accepted = auth
        .keys()
        .hashes()
        .iter()
        .any(|h| ui.links.verify(PURPOSE, &[body.as_bytes(), h], &tag));
    if !key_still_accepted {
        return None;
    }
    let text = String::from_utf8(unb64(body)?).ok()?;
    let exp: i64 = text.split_once('.')?.0.parse().ok()?;
    let expires_at = Utc.timestamp_opt(exp, 0).single()?;
    (Utc::now() < expires_at).then(|| Session {
        id: hex::encode(Sha256::digest(value.as_bytes())),
        value,
        expires_at,
    })
}

fn row(a: &AccountRecord) -> Value {
    let config = a
        .config
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.as_str().map_or_else(|| v.to_string(), str::to_string)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    json!({
        "connection": a.connection,
        "identifier": a.identifier,
        "scheme": a.auth_scheme.clone().unwrap_or_else(|| "—".into()),
        "config": config,
        "last_used": a.last_used_at.map_or_else(|| "never".into(), fmt),
        "since": fmt(a.updated_at),
        "reason": a.status_reason,
        "message": a.status_message,
    })
}
