//! The browser side of the OAuth flow for MCP clients:
//!
//! 1. `GET /authorize` checks the client, its exact redirect URI, PKCE (S256 only) and the
//!    `resource` (RFC 8707: must be this server's MCP URL), sets a cookie holding a nonce that
//!    binds the flow to this browser, and redirects to the operator's login URL with
//!    `return_to` and the sealed request;
//! 2. the host app signs the user in and sends the browser to
//!    `GET /authorize/login?request=..&assertion=<HS256 JWS naming the identifier>`, which
//!    answers the consent page: the client's name, the identifier and the tools it will reach
//!    (only in the browser holding the cookie);
//! 3. `POST /authorize/consent` (CSRF token tied to the cookie) redirects to the client with a
//!    single-use code (or `access_denied`).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use toolwire_runtime::Toolwire;

use super::documents::{ClientDocuments, Refusal};
use super::{AuthzConfig, assertion, client, resource, seal};
use crate::authz::reach;
use crate::catalog::{Catalog, Format};
use crate::ui::UiState;

const REQUEST: &str = "mcp_authz_request";
const CONSENT: &str = "mcp_authz_consent";
const CSRF: &str = "mcp_authz_csrf";
/// Purpose of sealed authorization codes (opened by the token endpoint).
pub const CODE: &str = "mcp_code";
/// How long a flow may take, end to end.
const FLOW_TTL_S: i64 = 600;
/// How long a code lives.
pub const CODE_TTL_S: i64 = 60;

/// An authorization request in flight (sealed, travels through the host app's login).
#[derive(Debug, Clone, Serialize, Deserialize)]
/// Field names are one or two letters on the wire (serde renames) to keep sealed blobs short.
pub struct Pending {
    #[serde(rename = "c")]
    client_id: String,
    #[serde(rename = "n")]
    client_name: String,
    #[serde(rename = "r")]
    redirect_uri: String,
    #[serde(rename = "cc")]
    code_challenge: String,
    #[serde(rename = "s")]
    state: Option<String>,
    /// SHA-256 of the browser cookie's nonce (the request travels through the host app and
    /// the URL bar: the cookie value itself never leaves the browser).
    #[serde(rename = "nh")]
    nonce_hash: String,
    #[serde(rename = "exp")]
    expires_at: i64,
}

/// A consent page's form state: the request and who the user is.
#[derive(Serialize, Deserialize)]
struct Consent {
    #[serde(rename = "p")]
    pending: Pending,
    #[serde(rename = "i")]
    identifier: String,
    #[serde(rename = "exp")]
    expires_at: i64,
}

/// A code's contents (sealed under [`CODE`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Code {
    /// Client id.
    #[serde(rename = "c")]
    pub client_id: String,
    /// Redirect URI.
    #[serde(rename = "r")]
    pub redirect_uri: String,
    /// PKCE challenge (S256).
    #[serde(rename = "cc")]
    pub code_challenge: String,
    /// Identifier.
    #[serde(rename = "i")]
    pub identifier: String,
    /// Expiry (unix s).
    #[serde(rename = "exp")]
    pub expires_at: i64,
    /// Makes every code unique.
    #[serde(rename = "n")]
    pub nonce: String,
}

/// `/authorize` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    state: Option<String>,
    resource: Option<String>,
    scope: Option<String>,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn cookie_name(ui: &UiState) -> &'static str {
    if ui.links.public_url().starts_with("https://") {
        "__Host-tw_mcp_authz"
    } else {
        "tw_mcp_authz"
    }
}

fn nonce_hash(nonce: &str) -> String {
    hex::encode(sha2::Sha256::digest(nonce.as_bytes()))
}

/// Whether this browser holds the cookie of the flow whose nonce hash is `nh`.
fn bound(ui: &UiState, headers: &HeaderMap, nh: &str) -> bool {
    cookie_nonce(ui, headers).is_some_and(|n| same(&nonce_hash(&n), nh))
}

fn cookie_nonce(ui: &UiState, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(ui);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// An HTML page with the UI's strict headers.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <meta name=\"viewport\" content=\"width=device-width\"></head><body><main>\
         <h1>{}</h1>{body}</main></body></html>",
        esc(title),
        esc(title)
    );
    let mut resp = (status, html).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    resp
}

fn refuse(message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "This sign-in cannot continue",
        &format!("<p>{}</p>", esc(message)),
    )
}

/// A client whose metadata document cannot be used: 400, or 429 with `Retry-After` when
/// too many documents were fetched (waiting helps).
fn refuse_document(why: &Refusal) -> Response {
    let message = format!(
        "<p>{}</p>",
        esc(&format!("This client cannot sign in here: {why}."))
    );
    let Some(wait) = why.retry_after_s() else {
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in cannot continue",
            &message,
        );
    };
    let mut resp = page(
        StatusCode::TOO_MANY_REQUESTS,
        "This sign-in cannot continue yet",
        &message,
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    resp
}

fn redirect(status: StatusCode, location: &str, cookie: Option<String>) -> Response {
    let mut resp = status.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn with_params(base: &str, params: &[(&str, &str)]) -> String {
    let mut url = match url::Url::parse(base) {
        Ok(u) => u,
        Err(_) => return base.to_string(),
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

/// Back to the client with an OAuth error (only once its redirect URI is known good).
fn client_error(
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Response {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    redirect(StatusCode::FOUND, &with_params(redirect_uri, &params), None)
}

/// Starts an authorization (see the module docs).
#[utoipa::path(get, path = "/authorize", tag = "mcp", params(AuthorizeQuery),
    responses((status = 302, description = "To the operator's login URL, or back to the client with an error"),
        (status = 400, description = "Unknown client or redirect URI (HTML page)"),
        (status = 429, description = "Too many client metadata documents fetched, from that host or in all (HTML page, Retry-After)")))]
pub async fn authorize(
    State(ui): State<Option<Arc<UiState>>>,
    State(config): State<Arc<AuthzConfig>>,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    let (Some(ui), Some(login_url), Some(_)) = (ui, &config.login_url, &config.login_secret) else {
        return page(
            StatusCode::NOT_FOUND,
            "Sign-in is not set up",
            "<p>This server has no login URL for MCP clients (--mcp-login-url and TOOLWIRE_MCP_LOGIN_SECRET).</p>",
        );
    };
    let Some(client_id) = q.client_id.as_deref() else {
        return refuse("The request names no client (client_id).");
    };
    let client = if ClientDocuments::is_document_id(client_id) {
        match config.client_documents.lookup(client_id).await {
            Ok(client) => client,
            Err(why) => return refuse_document(&why),
        }
    } else {
        let Some(client) = client::lookup(&ui, client_id) else {
            return refuse("This client is not registered here.");
        };
        client
    };
    let redirect_uri = match q.redirect_uri.as_deref() {
        Some(r) if client.redirect_uris.iter().any(|x| x == r) => r.to_string(),
        None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
        _ => return refuse("The redirect URI is not one this client registered."),
    };
    let state = q.state.as_deref();
    if q.response_type.as_deref() != Some("code") {
        return client_error(
            &redirect_uri,
            state,
            "unsupported_response_type",
            "only response_type=code",
        );
    }
    let challenge = match (
        q.code_challenge.as_deref(),
        q.code_challenge_method.as_deref(),
    ) {
        (Some(c), Some("S256")) if (43..=128).contains(&c.len()) => c.to_string(),
        _ => {
            return client_error(
                &redirect_uri,
                state,
                "invalid_request",
                "PKCE with code_challenge_method=S256 is required",
            );
        }
    };
    if q.resource.as_deref() != Some(resource(&ui).as_str()) {
        return client_error(
            &redirect_uri,
            state,
            "invalid_target",
            &format!("resource must be {}", resource(&ui)),
        );
    }
    if q.scope
        .as_deref()
        .is_some_and(|s| s.split(' ').any(|s| !s.is_empty() && s != "mcp"))
    {
        return client_error(
            &redirect_uri,
            state,
            "invalid_scope",
            "the only scope is mcp",
        );
    }
    let pending = Pending {
        client_id: client_id.to_string(),
        client_name: client.name,
        redirect_uri,
        code_challenge: challenge,
        state: q.state,
        nonce_hash: String::new(),
        expires_at: now() + FLOW_TTL_S,
    };
    let nonce = seal::nonce();
    let pending = Pending {
        nonce_hash: nonce_hash(&nonce),
        ..pending
    };
    let secure = if ui.links.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={FLOW_TTL_S}{secure}",
        cookie_name(&ui),
        nonce
    );
    let login = with_params(
        login_url,
        &[
            (
                "return_to",
                &format!("{}/authorize/login", ui.links.public_url()),
            ),
            ("request", &seal::seal(&ui, REQUEST, &pending)),
        ],
    );
    redirect(StatusCode::FOUND, &login, Some(cookie))
}

/// `/authorize/login` query: what the host app sends the browser back with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginReturn {
    request: String,
    assertion: String,
}

/// The consent page, once the host app has named the user.
#[utoipa::path(get, path = "/authorize/login", tag = "mcp", params(LoginReturn),
    responses((status = 200, description = "The consent page (HTML)"),
        (status = 400, description = "Expired, forged, or another browser's (HTML page)")))]
pub async fn login(
    State(ui): State<Option<Arc<UiState>>>,
    State(config): State<Arc<AuthzConfig>>,
    State(tw): State<Toolwire>,
    State(catalog): State<Arc<Catalog>>,
    headers: HeaderMap,
    Query(q): Query<LoginReturn>,
) -> Response {
    let (Some(ui), Some(secret)) = (ui, &config.login_secret) else {
        return refuse("Sign-in is not set up on this server.");
    };
    let Some(pending) =
        seal::open::<Pending>(&ui, REQUEST, &q.request).filter(|p| p.expires_at > now())
    else {
        return refuse(
            "This sign-in request is invalid or has expired; start again from your app.",
        );
    };
    if !bound(&ui, &headers, &pending.nonce_hash) {
        return refuse(
            "This sign-in was started in another browser; start again from your app here.",
        );
    }
    let identifier = match assertion::verify(secret, &q.assertion, ui.links.public_url(), now()) {
        Ok(id) => id,
        Err(why) => return refuse(&format!("The sign-in was not accepted: {why}.")),
    };
    let connected = match reach::connected(&tw, &identifier).await {
        Ok(c) => c,
        Err(_) => return refuse("The accounts of this user could not be read; try again."),
    };
    let mut tools = String::new();
    for conn in &connected {
        for t in catalog.tools(conn, Format::Mcp).unwrap_or_default() {
            let name = t["name"].as_str().unwrap_or_default();
            tools.push_str(&format!("<li><code>{}</code></li>", esc(name)));
        }
    }
    if tools.is_empty() {
        tools = "<li>No account is connected yet: it will be offered a link to connect one.</li>"
            .into();
    }
    let csrf = seal::seal(&ui, CSRF, &pending.nonce_hash);
    let consent = seal::seal(
        &ui,
        CONSENT,
        &Consent {
            identifier: identifier.clone(),
            expires_at: pending.expires_at,
            pending: pending.clone(),
        },
    );
    let body = format!(
        "<p><strong>{client}</strong> wants to use your connected accounts as <strong>{who}</strong>.</p>\
         <p>It will be able to call these tools:</p><ul>{tools}</ul>\
         <p>It will send you back to <code>{redirect}</code>. Continue only if you started this.</p>\
         <form method=\"post\" action=\"/authorize/consent\">\
         <input type=\"hidden\" name=\"consent\" value=\"{consent}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
        client = esc(&pending.client_name),
        who = esc(&identifier),
        redirect = esc(&pending.redirect_uri),
        consent = esc(&consent),
        csrf = esc(&csrf),
    );
    page(
        StatusCode::OK,
        &format!("Allow {}?", pending.client_name),
        &body,
    )
}

/// The consent form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ConsentForm {
    consent: String,
    csrf: String,
    decision: String,
}

/// Allow or deny: back to the client with a code or `access_denied`.
#[utoipa::path(post, path = "/authorize/consent", tag = "mcp",
    request_body(content = ConsentForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Back to the client with a code or access_denied"),
        (status = 400, description = "Expired, forged, another browser's or without the CSRF token (HTML page)")))]
pub async fn consent(
    State(ui): State<Option<Arc<UiState>>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ConsentForm>,
) -> Response {
    let Some(ui) = ui else {
        return refuse("Sign-in is not set up on this server.");
    };
    let Some(c) =
        seal::open::<Consent>(&ui, CONSENT, &form.consent).filter(|c| c.expires_at > now())
    else {
        return refuse("This consent form is invalid or has expired; start again from your app.");
    };
    let csrf_ok = seal::open::<String>(&ui, CSRF, &form.csrf)
        .is_some_and(|nh| same(&nh, &c.pending.nonce_hash));
    if !csrf_ok || !bound(&ui, &headers, &c.pending.nonce_hash) {
        return refuse("This consent was not submitted from the page this browser was shown.");
    }
    let clear = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        cookie_name(&ui)
    );
    let state = c.pending.state.as_deref();
    if form.decision != "approve" {
        let mut resp = client_error(
            &c.pending.redirect_uri,
            state,
            "access_denied",
            "the user denied access",
        );
        if let Ok(v) = HeaderValue::from_str(&clear) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
        return resp;
    }
    let code = Code {
        client_id: c.pending.client_id.clone(),
        redirect_uri: c.pending.redirect_uri.clone(),
        code_challenge: c.pending.code_challenge.clone(),
        identifier: c.identifier,
        expires_at: now() + CODE_TTL_S,
        nonce: seal::nonce(),
    };
    let code = format!("twa_{}", seal::seal(&ui, CODE, &code));
    let mut params = vec![("code", code.as_str()), ("iss", ui.links.public_url())];
    if let Some(s) = state {
        params.push(("state", s));
    }
    redirect(
        StatusCode::SEE_OTHER,
        &with_params(&c.pending.redirect_uri, &params),
        Some(clear),
    )
}
