//! `GET /admin`: connected accounts grouped by status (the ones needing attention first),
//! with last use and the reason of their status — never credentials. Access: the API key as
//! `Authorization: Bearer`, or a session from `POST /admin/login` (the key typed once; the
//! cookie then holds `base64url({exp, nonce}) "." HMAC(secret, "admin-session" ‖ that)` —
//! HttpOnly, SameSite=Strict, 8 h — never the key).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use toolwire_runtime::{AccountFilter, AccountRecord, AccountStatus};

use super::csrf::{self, CookieSpec};
use super::form::UiForm;
use super::page::Page;
use super::{PageError, UiState};
use crate::links::{b64, unb64};
use crate::rest::AppState;

const SESSION: CookieSpec = CookieSpec {
    name: "tw_admin",
    path: "/admin",
    same_site: "Strict",
    max_age: 8 * 3600,
};
const PURPOSE: &str = "admin-session/v1";
const MAX_ACCOUNTS: usize = 2000;
const ORDER: [AccountStatus; 6] = [
    AccountStatus::Revoked,
    AccountStatus::Expired,
    AccountStatus::Restricted,
    AccountStatus::PendingAuth,
    AccountStatus::Active,
    AccountStatus::Disconnected,
];

/// `GET /admin`.
pub async fn show(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    let ui = super::require(&s)?;
    let session = session(&ui, &headers);
    if session.is_none() && !bearer_ok(&s, &headers) {
        return Ok(login_page(&ui, &headers, None).into_response());
    }
    let mut accounts = Vec::new();
    let mut token = None;
    loop {
        let page =
            s.tw.accounts()
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
    let logout = session.map(|sess| json!({"csrf": csrf::token(&ui, &sess, "admin-logout")}));
    Ok(Page::render(
        "admin",
        &json!({"title": "Connected accounts", "total": accounts.len(), "truncated": truncated,
                "groups": groups, "logout": logout}),
    )
    .into_response())
}

/// `POST /admin/login` (`api_key`, `csrf`).
pub async fn login(
    State(s): State<AppState>,
    headers: HeaderMap,
    form: UiForm,
) -> Result<Response, PageError> {
    let ui = super::require(&s)?;
    csrf::check(&ui, &headers, &csrf::ADMIN, form.get("csrf"), "admin-login")?;
    let key = form.get("api_key").unwrap_or_default().trim();
    if key.is_empty() || !s.keys.verify(key) {
        return Ok(
            login_page(&ui, &headers, Some("That is not a valid API key."))
                .status(StatusCode::UNAUTHORIZED)
                .into_response(),
        );
    }
    let exp = (Utc::now().timestamp() + SESSION.max_age).to_string();
    let nonce = b64(&rand::random::<[u8; 16]>());
    let body = b64(format!("{exp}.{nonce}").as_bytes());
    let tag = b64(&ui.links.mac(PURPOSE, &[body.as_bytes()]));
    Ok(Page::redirect("/admin".into())
        .cookie(Some(csrf::set_cookie(
            &ui,
            &SESSION,
            &format!("{body}.{tag}"),
        )))
        .into_response())
}

/// `POST /admin/logout` (`csrf` bound to the session).
pub async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    form: UiForm,
) -> Result<Response, PageError> {
    let ui = super::require(&s)?;
    let sess = session(&ui, &headers).ok_or(crate::links::LinkError::Csrf)?;
    let expected = csrf::token(&ui, &sess, "admin-logout");
    let given = form.get("csrf").unwrap_or_default();
    if !constant_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(crate::links::LinkError::Csrf.into());
    }
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

/// The session cookie's value when it is valid and unexpired.
fn session(ui: &UiState, headers: &HeaderMap) -> Option<String> {
    let value = csrf::read_cookie(headers, SESSION.name)?;
    let (body, tag) = value.split_once('.')?;
    if !ui.links.verify(PURPOSE, &[body.as_bytes()], &unb64(tag)?) {
        return None;
    }
    let text = String::from_utf8(unb64(body)?).ok()?;
    let exp: i64 = text.split_once('.')?.0.parse().ok()?;
    (Utc::now().timestamp() < exp).then_some(value)
}

fn bearer_ok(s: &AppState, headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .is_some_and(|(_, k)| s.keys.verify(k.trim()))
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
