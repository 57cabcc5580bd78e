//! Binds an OAuth authorization to the browser that started it (RFC 9700 §4.7). Without it
//! the callback would take any valid `state` + `code`: someone could start "Connect with …"
//! for their own identifier, send the vendor's authorize URL to a victim, and get the
//! victim's grant stored under their identifier.
//!
//! The browser that starts the flow gets a cookie `tw_oauth` = `HMAC(secret, "oauth-browser"
//! ‖ state)` (HttpOnly, SameSite=Lax so the vendor's top-level redirect back carries it,
//! `Secure` on https, path `/oauth/callback`, living as long as the state). The callback
//! checks it (constant time) before the code is exchanged and refuses otherwise; the state is
//! left untouched, so the right browser can still finish.
//!
//! Two ways to start: the connect page (the cookie comes with the redirect to the vendor),
//! and — for `POST .../oauth/authorize`, where the host app sends its own user — a start link
//! `{public_url}/oauth/start/{ticket}` (signed, expiring with the state, single use). Opening
//! it only shows a confirmation page naming the connection and the identifier the account
//! will be connected to; the CSRF-protected POST of that page sets the cookie and redirects to
//! the vendor. The binding cannot tell whose browser opened the link: a start link sent to
//! someone else still binds to them, and the confirmation page is the last line of defence.

use axum::http::HeaderMap;
use chrono::{DateTime, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use toolwire_runtime::oauth::AuthorizationRequest;

use super::{UiState, csrf};
use crate::links::{b64, unb64};

/// The binding cookie (`__Host-tw_oauth` on https, see [`csrf::CookieSpec`]).
pub const COOKIE: csrf::CookieSpec = csrf::CookieSpec {
    name: "tw_oauth",
    path: "/oauth/callback",
    same_site: "Lax",
    max_age: 0,
    host_only: true,
};
/// The `spend_token` kind of start links.
pub const START_KIND: &str = "oauth_start";
const PURPOSE: &str = "oauth-browser/v1";
const START_PURPOSE: &str = "oauth-start/v1";
/// Start tickets longer than this are refused before any parsing.
const MAX_TICKET: usize = 8192;

/// The `Set-Cookie` binding this browser to `req`'s state (`None` if its URL has no state).
pub fn cookie(ui: &UiState, req: &AuthorizationRequest) -> Option<String> {
    let state = state_of(&req.url)?;
    let tag = b64(&ui.links.mac(PURPOSE, &[state.as_bytes()]));
    let max_age = (req.expires_at - Utc::now()).num_seconds().max(1);
    Some(csrf::set_cookie(
        ui,
        &csrf::CookieSpec { max_age, ..COOKIE },
        &tag,
    ))
}

/// Deletes the binding cookie.
pub fn clear(ui: &UiState) -> String {
    csrf::clear_cookie(ui, &COOKIE)
}

/// Whether this request's browser started the authorization of `state`.
pub fn matches(ui: &UiState, headers: &HeaderMap, state: &str) -> bool {
    csrf::read(ui, headers, &COOKIE)
        .and_then(|v| unb64(&v))
        .is_some_and(|tag| ui.links.verify(PURPOSE, &[state.as_bytes()], &tag))
}

/// The `state` query parameter of an authorize URL.
fn state_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
}

#[derive(Serialize, Deserialize)]
struct Ticket {
    /// The vendor's authorize URL.
    u: String,
    /// Expiry (unix seconds), the state's.
    exp: i64,
    /// Connection name.
    c: String,
    /// Identifier the account is connected to.
    i: String,
}

/// `req` (for `connection` / `identifier`) with its URL replaced by a start link on this
/// server.
pub fn start_link(
    ui: &UiState,
    connection: &str,
    identifier: &str,
    req: AuthorizationRequest,
) -> AuthorizationRequest {
    let body = serde_json::to_vec(&Ticket {
        u: req.url,
        exp: req.expires_at.timestamp(),
        c: connection.to_string(),
        i: identifier.to_string(),
    })
    .expect("ticket serializes");
    let tag = ui.links.mac(START_PURPOSE, &[&body]);
    AuthorizationRequest {
        url: format!(
            "{}/oauth/start/{}.{}",
            ui.links.public_url(),
            b64(&body),
            b64(&tag)
        ),
        expires_at: req.expires_at,
    }
}

/// An opened start link: where to send the browser, and the ticket's spend key and expiry.
pub struct Start {
    /// The authorization (vendor URL, state expiry).
    pub request: AuthorizationRequest,
    /// `hex(sha256(ticket))`.
    pub id: String,
    /// Connection name.
    pub connection: String,
    /// Identifier the account is connected to.
    pub identifier: String,
}

/// Checks a start ticket's signature and expiry (not whether it was used).
pub fn open_start(ui: &UiState, ticket: &str, now: DateTime<Utc>) -> Option<Start> {
    if ticket.len() > MAX_TICKET {
        return None;
    }
    let (body, tag) = ticket.split_once('.')?;
    let (body, tag) = (unb64(body)?, unb64(tag)?);
    if !ui.links.verify(START_PURPOSE, &[&body], &tag) {
        return None;
    }
    let t: Ticket = serde_json::from_slice(&body).ok()?;
    let expires_at = Utc.timestamp_opt(t.exp, 0).single()?;
    (now < expires_at).then(|| Start {
        request: AuthorizationRequest {
            url: t.u,
            expires_at,
        },
        id: hex::encode(Sha256::digest(ticket.as_bytes())),
        connection: t.c,
        identifier: t.i,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::LinkSigner;

    fn ui() -> UiState {
        UiState::new(LinkSigner::new(vec![7; 32], "https://tw.example"))
    }

    fn req(state: &str) -> AuthorizationRequest {
        AuthorizationRequest {
            url: format!("https://acme.example.com/oauth/authorize?client_id=c&state={state}"),
            expires_at: Utc::now() + chrono::Duration::minutes(10),
        }
    }

    #[test]
    fn the_cookie_binds_one_state() {
        let ui = ui();
        let set = cookie(&ui, &req("s1")).unwrap();
        assert!(
            set.starts_with("__Host-tw_oauth=")
                && set.contains("HttpOnly")
                && set.contains("SameSite=Lax")
                && set.contains("Secure")
                && set.contains("Path=/;"),
            "{set}"
        );
        let cleared = clear(&ui);
        assert!(
            cleared.starts_with("__Host-tw_oauth=;")
                && cleared.contains("Path=/;")
                && cleared.contains("Secure")
                && cleared.contains("Max-Age=0"),
            "{cleared}"
        );
        let dev = UiState::new(LinkSigner::new(vec![7; 32], "http://localhost:8080"));
        let plain = cookie(&dev, &req("s1")).unwrap();
        assert!(
            plain.starts_with("tw_oauth=") && plain.contains("Path=/oauth/callback"),
            "{plain}"
        );
        let mut headers = HeaderMap::new();
        let value = set.split(';').next().unwrap();
        headers.insert("cookie", value.parse().unwrap());
        assert!(matches(&ui, &headers, "s1"));
        assert!(!matches(&ui, &headers, "s2"));
        assert!(!matches(&ui, &HeaderMap::new(), "s1"));
        let other = UiState::new(LinkSigner::new(vec![8; 32], "https://tw.example"));
        assert!(!matches(&other, &headers, "s1"));
    }

    #[test]
    fn start_links_are_signed_and_expire() {
        let ui = ui();
        let link = start_link(&ui, "conn", "cust_1", req("s1"));
        let ticket = link.url.rsplit('/').next().unwrap();
        let start = open_start(&ui, ticket, Utc::now()).unwrap();
        assert!(start.request.url.ends_with("state=s1"));
        assert_eq!(
            (start.connection.as_str(), start.identifier.as_str()),
            ("conn", "cust_1")
        );
        let later = Utc::now() + chrono::Duration::minutes(11);
        assert!(open_start(&ui, ticket, later).is_none());
        let (body, tag) = ticket.split_once('.').unwrap();
        assert!(open_start(&ui, &format!("{body}x.{tag}"), Utc::now()).is_none());
    }
}
