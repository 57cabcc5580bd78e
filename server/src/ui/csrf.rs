//! CSRF protection, double-submit style: the browser gets a random cookie (HttpOnly,
//! SameSite=Strict, path-scoped) and each form a hidden `csrf` field holding
//! `HMAC(secret, "csrf" ‖ cookie ‖ binding)`, where the binding is what the form acts on (the
//! magic link's id, `admin-login`, an admin session). A POST must carry both, matching. A
//! page from another site can neither read the field nor make the browser send the cookie.

use axum::http::HeaderMap;
use axum::http::header;

use super::UiState;
use crate::links::{LinkError, b64, unb64};

const PURPOSE: &str = "csrf/v1";

/// A cookie's attributes. With `host_only` and an https public URL the cookie is named
/// `__Host-{name}` with `Path=/` and `Secure`, so a sibling subdomain cannot plant it; on
/// http (development) it keeps its plain name and path.
#[derive(Clone, Copy)]
pub struct CookieSpec {
    /// Cookie name.
    pub name: &'static str,
    /// Path it is sent to.
    pub path: &'static str,
    /// `Strict` or `Lax`.
    pub same_site: &'static str,
    /// Lifetime in seconds (0 deletes).
    pub max_age: i64,
    /// `__Host-` prefixed on https.
    pub host_only: bool,
}

/// The connect page's CSRF cookie.
pub const CONNECT: CookieSpec = CookieSpec {
    name: "tw_csrf",
    path: "/connect",
    same_site: "Strict",
    max_age: 3600,
    host_only: false,
};

/// The admin login form's CSRF cookie.
pub const ADMIN: CookieSpec = CookieSpec {
    name: "tw_admin_csrf",
    path: "/admin",
    same_site: "Strict",
    max_age: 3600,
    host_only: false,
};

/// The start link confirmation form's CSRF cookie.
pub const OAUTH_START: CookieSpec = CookieSpec {
    name: "tw_start_csrf",
    path: "/oauth/start",
    same_site: "Strict",
    max_age: 3600,
    host_only: false,
};

/// The cookie's name as sent (`__Host-` prefixed when host-only on https).
pub fn name(ui: &UiState, spec: &CookieSpec) -> String {
    if spec.host_only && ui.secure_cookies() {
        format!("__Host-{}", spec.name)
    } else {
        spec.name.to_string()
    }
}

/// A `Set-Cookie` value (the one builder for every UI cookie).
pub fn set_cookie(ui: &UiState, spec: &CookieSpec, value: &str) -> String {
    let host = spec.host_only && ui.secure_cookies();
    format!(
        "{}={value}; Path={}; Max-Age={}; HttpOnly; SameSite={}{}",
        name(ui, spec),
        if host { "/" } else { spec.path },
        spec.max_age,
        spec.same_site,
        if ui.secure_cookies() { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` deleting `spec`'s cookie (same name, path and attributes).
pub fn clear_cookie(ui: &UiState, spec: &CookieSpec) -> String {
    set_cookie(
        ui,
        &CookieSpec {
            max_age: 0,
            ..*spec
        },
        "",
    )
}

/// The value of `spec`'s cookie in the request.
pub fn read(ui: &UiState, headers: &HeaderMap, spec: &CookieSpec) -> Option<String> {
    read_cookie(headers, &name(ui, spec))
}

/// The value of cookie `name` in the request, if any.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The browser's CSRF cookie value (kept if well-formed, else a new one with its
/// `Set-Cookie`).
pub fn ensure(ui: &UiState, headers: &HeaderMap, spec: &CookieSpec) -> (String, Option<String>) {
    match read(ui, headers, spec).filter(|v| unb64(v).is_some_and(|b| b.len() == 32)) {
        Some(v) => (v, None),
        None => {
            let v = b64(&rand::random::<[u8; 32]>());
            let set = set_cookie(ui, spec, &v);
            (v, Some(set))
        }
    }
}

/// The hidden-field token for `cookie` and `binding`.
pub fn token(ui: &UiState, cookie: &str, binding: &str) -> String {
    b64(&ui
        .links
        .mac(PURPOSE, &[cookie.as_bytes(), binding.as_bytes()]))
}

/// Checks a POST: the cookie is present and `field` is its token for `binding`. Returns the
/// cookie value (to re-render the form with).
pub fn check(
    ui: &UiState,
    headers: &HeaderMap,
    spec: &CookieSpec,
    field: Option<&str>,
    binding: &str,
) -> Result<String, LinkError> {
    let cookie = read(ui, headers, spec).ok_or(LinkError::Csrf)?;
    let tag = field.and_then(unb64).ok_or(LinkError::Csrf)?;
    if ui
        .links
        .verify(PURPOSE, &[cookie.as_bytes(), binding.as_bytes()], &tag)
    {
        Ok(cookie)
    } else {
        Err(LinkError::Csrf)
    }
}
