//! The authorization endpoint (RFC 6749 §4.1.1, PKCE per RFC 7636):
//! `GET /oauth/authorizations/new` validates and shows the sign-in form,
//! `POST /oauth/authorizations/new` checks email + password and shows the consent page,
//! `POST /oauth/authorizations` (nonce + `decision=allow|deny`) redirects back with `code`
//! and `state` or `error=access_denied`. An unknown client or unregistered redirect URI gets
//! an HTML error page, never a redirect (§4.1.2.1); other errors redirect with `error=`.

use chrono::{DateTime, Duration, Utc};

use super::clients::{parse_scopes, valid_scope};
use super::pages;
use super::params::{Params, html, redirect};
use super::store::{AuthCode, CODE_TTL, CONSENT_TTL, Consent, random_hex};
use crate::api::reply::Reply;
use crate::tenants::Tenant;

/// The parameters carried from the first GET through the sign-in POST.
const CARRIED: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

/// A request that passed validation.
struct Valid {
    client: String,
    client_name: String,
    redirect_uri: String,
    scopes: Vec<String>,
    state: Option<String>,
    challenge: Option<String>,
}

fn redirect_error(uri: &str, error: &str, desc: &str, state: Option<&str>) -> Reply {
    let mut pairs = vec![("error", error), ("error_description", desc)];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect(uri, &pairs)
}

/// RFC 7636 §4.2: 43–128 characters of `[A-Za-z0-9-._~]` (an S256 challenge is 43).
pub fn pkce_token_ok(s: &str) -> bool {
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn validate(t: &Tenant, p: &Params) -> Result<Valid, Reply> {
    let client_id = p.get("client_id").unwrap_or("");
    let Some(client) = t.oauth.client(client_id) else {
        return Err(html(
            400,
            pages::error(
                "invalid_client",
                &format!("Unknown OAuth client `{client_id}` for this account."),
            ),
        ));
    };
    let redirect_uri = p.get("redirect_uri").unwrap_or("");
    if !client.redirect_allowed(redirect_uri) {
        return Err(html(
            400,
            pages::error(
                "invalid_redirect_uri",
                &format!(
                    "The redirect URI `{redirect_uri}` is not registered for client `{client_id}`."
                ),
            ),
        ));
    }
    let state = p.get("state");
    let fail = |e: &str, d: &str| Err(redirect_error(redirect_uri, e, d, state));
    if p.get("response_type") != Some("code") {
        return fail(
            "unsupported_response_type",
            "The authorization server does not support this response type.",
        );
    }
    let scopes = parse_scopes(p.get("scope").unwrap_or(""));
    if scopes.is_empty() {
        return fail("invalid_scope", "Missing required parameter: scope.");
    }
    if let Some(bad) = scopes
        .iter()
        .find(|s| !valid_scope(s) || !client.scope_allowed(s))
    {
        return fail(
            "invalid_scope",
            &format!("The requested scope is invalid, unknown, or malformed: {bad}."),
        );
    }
    let challenge = p.get("code_challenge");
    let method = p.get("code_challenge_method");
    match (challenge, method) {
        (None, None) if client.pkce_required => {
            return fail(
                "invalid_request",
                "Missing required parameter: code_challenge (PKCE with S256 is required).",
            );
        }
        (None, Some(_)) => {
            return fail(
                "invalid_request",
                "Missing required parameter: code_challenge.",
            );
        }
        (Some(_), m) if m != Some("S256") => {
            return fail(
                "invalid_request",
                "code_challenge_method must be S256 (plain is not supported).",
            );
        }
        (Some(c), _) if !pkce_token_ok(c) => {
            return fail("invalid_request", "code_challenge is malformed.");
        }
        _ => {}
    }
    Ok(Valid {
        client: client.identifier.clone(),
        client_name: client.name.clone(),
        redirect_uri: redirect_uri.to_string(),
        scopes,
        state: state.map(str::to_string),
        challenge: challenge.map(str::to_string),
    })
}

fn login_page(t: &Tenant, v: &Valid, p: &Params, error: Option<&str>, status: u16) -> Reply {
    let hidden: Vec<(&str, &str)> = CARRIED
        .iter()
        .filter_map(|k| p.get(k).map(|v| (*k, v)))
        .collect();
    html(
        status,
        pages::login(&t.subdomain, &v.client_name, &hidden, error),
    )
}

/// `GET /oauth/authorizations/new`: validate, then the sign-in form.
pub fn show(t: &Tenant, p: &Params) -> (Reply, String) {
    match validate(t, p) {
        Ok(v) => (login_page(t, &v, p, None, 200), "none".into()),
        Err(r) => (r, "none".into()),
    }
}

/// `POST /oauth/authorizations/new`: check the sign-in, then the consent page.
pub fn login(t: &mut Tenant, p: &Params, now: DateTime<Utc>) -> (Reply, String) {
    let v = match validate(t, p) {
        Ok(v) => v,
        Err(r) => return (r, "none".into()),
    };
    let email = p.get("email").unwrap_or("").to_string();
    let user = t
        .user_by_email(&email)
        .filter(|u| u.active)
        .filter(|u| t.passwords.get(&u.id).map(String::as_str) == p.get("password"))
        .map(|u| (u.id, u.name.clone(), u.email.clone().unwrap_or_default()));
    let Some((user_id, name, email)) = user else {
        let page = login_page(t, &v, p, Some("Invalid email or password."), 401);
        return (page, format!("login:{email} (rejected)"));
    };
    t.oauth.prune(now);
    let nonce = random_hex(16);
    let page = pages::consent(
        &v.client_name,
        &format!("{name} <{email}>"),
        &v.scopes,
        &nonce,
    );
    t.oauth.consents.insert(
        nonce,
        Consent {
            client: v.client,
            user_id,
            redirect_uri: v.redirect_uri,
            scopes: v.scopes,
            state: v.state,
            challenge: v.challenge,
            expires_at: now + Duration::seconds(CONSENT_TTL),
        },
    );
    (html(200, page), format!("login:{email}"))
}

/// `POST /oauth/authorizations`: the user's decision → redirect with a code or `access_denied`.
pub fn decide(t: &mut Tenant, p: &Params, now: DateTime<Utc>) -> (Reply, String) {
    let consent = p
        .get("nonce")
        .and_then(|n| t.oauth.consents.remove(n))
        .filter(|c| c.expires_at > now);
    let Some(c) = consent else {
        let page = pages::error(
            "invalid_request",
            "This authorization request expired or was already answered. Start again from the application.",
        );
        return (html(400, page), "consent (rejected)".into());
    };
    let who = t
        .users
        .get(&c.user_id)
        .and_then(|u| u.email.clone())
        .unwrap_or_default();
    if p.get("decision") != Some("allow") {
        let r = redirect_error(
            &c.redirect_uri,
            "access_denied",
            "The resource owner or authorization server denied the request.",
            c.state.as_deref(),
        );
        return (r, format!("consent:{who} deny"));
    }
    let code = random_hex(20);
    let grant_id = t.oauth.new_grant();
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = c.state.as_deref() {
        pairs.push(("state", s));
    }
    let r = redirect(&c.redirect_uri, &pairs);
    t.oauth.codes.insert(
        code.clone(),
        AuthCode {
            client: c.client,
            user_id: c.user_id,
            redirect_uri: c.redirect_uri,
            scopes: c.scopes,
            challenge: c.challenge,
            expires_at: now + Duration::seconds(CODE_TTL),
            used: false,
            grant_id,
        },
    );
    (r, format!("consent:{who} allow"))
}
