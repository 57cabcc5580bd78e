//! OAuth over HTTPS: the authorization-code flow with PKCE through the HTML sign-in and
//! consent forms (posted with reqwest, no browser), code and refresh-token rules, bearer
//! expiry and scopes on the API, client credentials, authorization errors, admin helpers.

mod common;

use base64::Engine;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use toolwire_sim::{DEMO_CLIENT_ID, NewOAuthClient, OAuthClientKind, OAuthStats, Sim};

const CALLBACK: &str = "http://127.0.0.1:45678/oauth/callback";

/// A verifier (RFC 7636 characters only) and its S256 challenge.
fn pkce(seed: &str) -> (String, String) {
    let seed: String = seed
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let verifier = format!("verifier-{seed}-0123456789abcdefghijklmnopqrstuvwxyz");
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `(name, value)` of every `<input type="hidden" …>` in a page.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, a: &str| {
        let key = format!("{a}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')? + start;
        Some(unescape(&tag[start..end]))
    };
    html.split("<input")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            if !tag.contains("type=\"hidden\"") {
                return None;
            }
            Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default()))
        })
        .collect()
}

struct Agent {
    email: String,
    password: String,
}

fn alex(sim: &Sim) -> Agent {
    let a = sim.tenant("acme").unwrap().agent().unwrap().clone();
    Agent {
        email: a.email,
        password: a.password,
    }
}

fn authorize_url(sim: &Sim, client_id: &str, scope: &str, state: &str, challenge: &str) -> String {
    let mut u = url::Url::parse(&url(sim, "acme", "/oauth/authorizations/new")).unwrap();
    u.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", CALLBACK)
        .append_pair("scope", scope)
        .append_pair("state", state);
    if !challenge.is_empty() {
        u.query_pairs_mut()
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
    }
    u.to_string()
}

/// Query pairs of a redirect `Location`.
fn location(r: &reqwest::Response) -> (String, Vec<(String, String)>) {
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let u = url::Url::parse(&loc).unwrap();
    let q = u.query_pairs().into_owned().collect();
    (loc, q)
}

fn q<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// Sign in and consent through the HTML forms; returns the redirect's query pairs.
async fn consent(
    sim: &Sim,
    c: &reqwest::Client,
    start: &str,
    who: &Agent,
    decision: &str,
) -> Vec<(String, String)> {
    let r = c.get(start).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("name=\"email\"") && page.contains("id=\"login\""));
    let mut form = hidden_inputs(&page);
    form.push(("email".into(), who.email.clone()));
    form.push(("password".into(), who.password.clone()));
    let r = c
        .post(url(sim, "acme", "/oauth/authorizations/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"allow\"") && page.contains("id=\"deny\""));
    let mut form = hidden_inputs(&page);
    form.push(("decision".into(), decision.into()));
    let r = c
        .post(url(sim, "acme", "/oauth/authorizations"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let (loc, pairs) = location(&r);
    assert!(loc.starts_with(CALLBACK), "{loc}");
    pairs
}

fn demo_secret(sim: &Sim) -> String {
    sim.tenant("acme")
        .unwrap()
        .oauth_client(DEMO_CLIENT_ID)
        .unwrap()
        .secret
        .clone()
}

/// Run the flow for the demo client and return `(code, verifier)`.
async fn get_code(sim: &Sim, c: &reqwest::Client, scope: &str) -> (String, String) {
    let (verifier, challenge) = pkce(scope);
    let start = authorize_url(sim, DEMO_CLIENT_ID, scope, "st-1", &challenge);
    let pairs = consent(sim, c, &start, &alex(sim), "allow").await;
    assert_eq!(q(&pairs, "state"), Some("st-1"));
    (q(&pairs, "code").unwrap().to_string(), verifier)
}

async fn token(c: &reqwest::Client, sim: &Sim, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = c
        .post(url(sim, "acme", "/oauth/tokens"))
        .form(form)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap())
}

async fn exchange(
    c: &reqwest::Client,
    sim: &Sim,
    code: &str,
    verifier: &str,
) -> (StatusCode, Value) {
    let secret = demo_secret(sim);
    token(
        c,
        sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", &secret),
        ],
    )
    .await
}

async fn refresh(c: &reqwest::Client, sim: &Sim, rt: &str) -> (StatusCode, Value) {
    let secret = demo_secret(sim);
    token(
        c,
        sim,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", &secret),
        ],
    )
    .await
}

async fn api(c: &reqwest::Client, sim: &Sim, path: &str, bearer: &str) -> (StatusCode, Value) {
    let r = c
        .get(url(sim, "acme", path))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
}

#[tokio::test]
async fn full_code_flow_over_https() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    let acme = sim.tenant("acme").unwrap();
    let demo = acme.oauth_client(DEMO_CLIENT_ID).unwrap();
    assert_eq!(demo.kind, OAuthClientKind::Global);
    assert_eq!(demo.secret.len(), 64);
    assert_eq!(
        demo.secret,
        sim.tenant("globex")
            .unwrap()
            .oauth_client(DEMO_CLIENT_ID)
            .unwrap()
            .secret
    );
    assert!(acme.agents.iter().all(|a| a.password.starts_with("pw-")));
    let listed: Value = c
        .get(url(&sim, "acme", "/__sim/tenants"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["oauth_clients"][0]["identifier"], DEMO_CLIENT_ID);
    assert!(listed[0]["agents"][0]["password"].is_string());

    let (code, verifier) = get_code(&sim, &c, "read write").await;
    let (st, tok) = exchange(&c, &sim, &code, &verifier).await;
    assert_eq!(st, 200, "{tok}");
    assert_eq!(tok["token_type"], "bearer");
    assert_eq!(tok["scope"], "read write");
    assert_eq!(tok["expires_in"], 1800);
    assert_eq!(tok["refresh_token_expires_in"], 30 * 24 * 3600);
    let access = s(&tok, "access_token").to_string();
    let refresh_token = s(&tok, "refresh_token").to_string();

    let (st, me) = api(&c, &sim, "/api/v2/users/me.json", &access).await;
    assert_eq!(st, 200);
    assert_eq!(me["user"]["email"], alex(&sim).email.as_str());
    let r = c
        .put(url(&sim, "acme", "/api/v2/tickets/1.json"))
        .bearer_auth(&access)
        .json(&json!({"ticket": {"priority": "high"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        sim.oauth_stats("acme").unwrap(),
        OAuthStats {
            authorization_code: 1,
            refresh_token: 0,
            client_credentials: 0
        }
    );

    // The request log labels OAuth requests and never holds a secret.
    let log = serde_json::to_string(&sim.request_log()).unwrap();
    for secret in [
        &code,
        &access,
        &refresh_token,
        &demo_secret(&sim),
        &alex(&sim).password,
        &verifier,
    ] {
        assert!(!log.contains(secret.as_str()), "log leaks {secret}");
    }
    let entries = sim.request_log();
    let tok_entry = entries.iter().find(|e| e.path == "/oauth/tokens").unwrap();
    assert!(
        tok_entry
            .credential
            .starts_with("oauth:toolwire_demo grant:authorization_code -> bearer:"),
        "{}",
        tok_entry.credential
    );
    assert!(
        entries
            .iter()
            .any(|e| e.credential.starts_with("login:alex.agent@"))
    );
}

#[tokio::test]
async fn pkce_wrong_verifier_and_reused_code() {
    let sim = start().await;
    let c = client_no_redirect(&sim);

    let (code, _) = get_code(&sim, &c, "read").await;
    let (wrong, _) = pkce("someone-else");
    let (st, e) = exchange(&c, &sim, &code, &wrong).await;
    assert_eq!(st, 400);
    assert_eq!(e["error"], "invalid_grant");
    assert!(e["error_description"].is_string());

    // A used code fails, and what the first use issued is revoked.
    let (code, verifier) = get_code(&sim, &c, "read").await;
    let (st, tok) = exchange(&c, &sim, &code, &verifier).await;
    assert_eq!(st, 200);
    let access = s(&tok, "access_token").to_string();
    assert_eq!(api(&c, &sim, "/api/v2/tickets.json", &access).await.0, 200);
    let (st, e) = exchange(&c, &sim, &code, &verifier).await;
    assert_eq!(st, 400);
    assert_eq!(e["error"], "invalid_grant");
    let (st, body) = api(&c, &sim, "/api/v2/tickets.json", &access).await;
    assert_eq!(st, 401);
    assert_eq!(body["error"], "invalid_token");
    let (st, e) = refresh(&c, &sim, s(&tok, "refresh_token")).await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // Redirect URI must match; the verifier is required when a challenge was sent.
    let (code, verifier) = get_code(&sim, &c, "read").await;
    let secret = demo_secret(&sim);
    let (st, e) = token(
        &c,
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:1/other"),
            ("code_verifier", &verifier),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (code, _) = get_code(&sim, &c, "read").await;
    let (st, e) = token(
        &c,
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn refresh_rotates_and_old_pair_dies() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    let (code, verifier) = get_code(&sim, &c, "read write").await;
    let (_, first) = exchange(&c, &sim, &code, &verifier).await;
    let (a1, r1) = (s(&first, "access_token"), s(&first, "refresh_token"));

    // JSON body with HTTP Basic client authentication.
    let r = c
        .post(url(&sim, "acme", "/oauth/tokens"))
        .basic_auth(DEMO_CLIENT_ID, Some(demo_secret(&sim)))
        .json(&json!({"grant_type": "refresh_token", "refresh_token": r1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let second: Value = r.json().await.unwrap();
    let (a2, r2) = (s(&second, "access_token"), s(&second, "refresh_token"));
    assert_ne!(a1, a2);
    assert_ne!(r1, r2);
    assert_eq!(second["scope"], "read write");

    assert_eq!(api(&c, &sim, "/api/v2/tickets.json", a1).await.0, 401);
    assert_eq!(api(&c, &sim, "/api/v2/tickets.json", a2).await.0, 200);
    let (st, e) = refresh(&c, &sim, r1).await;
    assert_eq!(st, 400);
    assert_eq!(e["error"], "invalid_grant");
    assert!(s(&e, "error_description").len() > 10);
    // The failed reuse did not hurt the live pair.
    assert_eq!(api(&c, &sim, "/api/v2/tickets.json", a2).await.0, 200);
    let (st, third) = refresh(&c, &sim, r2).await;
    assert_eq!(st, 200);
    assert_eq!(
        api(&c, &sim, "/api/v2/tickets.json", s(&third, "access_token"))
            .await
            .0,
        200
    );
    assert_eq!(sim.oauth_stats("acme").unwrap().refresh_token, 3);

    // Narrowing on refresh is allowed, widening is not.
    let (st, e) = token(
        &c,
        &sim,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", s(&third, "refresh_token")),
            ("scope", "read impersonate"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", &demo_secret(&sim)),
        ],
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    // Revoked in the sim → the refresh token is dead.
    let email = alex(&sim).email;
    let n = sim.revoke_oauth_grants("acme", &email).unwrap();
    assert!(n.refresh_tokens >= 1 && n.access_tokens >= 1);
    let (st, e) = refresh(&c, &sim, s(&third, "refresh_token")).await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // Refresh tokens expire.
    sim.set_refresh_token_ttl("acme", -1).unwrap();
    let (code, verifier) = get_code(&sim, &c, "read").await;
    let (_, tok) = exchange(&c, &sim, &code, &verifier).await;
    let (st, e) = refresh(&c, &sim, s(&tok, "refresh_token")).await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn expired_access_token_is_401_invalid_token() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    sim.set_access_token_ttl("acme", 120).unwrap();
    let (code, verifier) = get_code(&sim, &c, "read").await;
    let (_, tok) = exchange(&c, &sim, &code, &verifier).await;
    assert_eq!(tok["expires_in"], 120);
    let access = s(&tok, "access_token");
    assert_eq!(api(&c, &sim, "/api/v2/tickets.json", access).await.0, 200);

    assert_eq!(
        sim.expire_access_tokens("acme", &alex(&sim).email).unwrap(),
        1
    );
    let (st, body) = api(&c, &sim, "/api/v2/tickets.json", access).await;
    assert_eq!(st, 401);
    assert_eq!(
        body,
        json!({"error": "invalid_token", "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."})
    );
    // /users/me answers 401 too (not the anonymous user).
    assert_eq!(api(&c, &sim, "/api/v2/users/me.json", access).await.0, 401);
    // The refresh token still works.
    let (st, fresh) = refresh(&c, &sim, s(&tok, "refresh_token")).await;
    assert_eq!(st, 200);
    assert_eq!(
        api(&c, &sim, "/api/v2/tickets.json", s(&fresh, "access_token"))
            .await
            .0,
        200
    );

    // A per-client lifetime wins over the tenant's; a negative one issues expired tokens.
    sim.set_client_access_token_ttl("acme", DEMO_CLIENT_ID, Some(-5))
        .unwrap();
    let (st, t2) = refresh(&c, &sim, s(&fresh, "refresh_token")).await;
    assert_eq!(st, 200);
    assert_eq!(t2["expires_in"], -5);
    assert_eq!(
        api(&c, &sim, "/api/v2/tickets.json", s(&t2, "access_token"))
            .await
            .0,
        401
    );
    assert_eq!(
        api(&c, &sim, "/api/v2/tickets.json", "not-a-token").await.0,
        401
    );
}

#[tokio::test]
async fn missing_scope_is_403() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    let (code, verifier) = get_code(&sim, &c, "tickets:read").await;
    let (st, tok) = exchange(&c, &sim, &code, &verifier).await;
    assert_eq!(st, 200);
    assert_eq!(tok["scope"], "tickets:read");
    let access = s(&tok, "access_token");
    assert_eq!(api(&c, &sim, "/api/v2/tickets.json", access).await.0, 200);
    let (st, body) = api(&c, &sim, "/api/v2/users.json", access).await;
    assert_eq!(st, 403);
    assert_eq!(
        body,
        json!({"error": "Forbidden", "description": "You are missing the following required scopes: read"})
    );
    let r = c
        .put(url(&sim, "acme", "/api/v2/tickets/1.json"))
        .bearer_auth(access)
        .json(&json!({"ticket": {"priority": "high"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["description"],
        "You are missing the following required scopes: write"
    );
}

#[tokio::test]
async fn client_credentials_grant() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    let r = c
        .post(url(&sim, "acme", "/oauth/tokens"))
        .basic_auth(DEMO_CLIENT_ID, Some(demo_secret(&sim)))
        .form(&[("grant_type", "client_credentials"), ("scope", "read")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let tok: Value = r.json().await.unwrap();
    assert!(tok.get("refresh_token").is_none());
    assert_eq!(tok["scope"], "read");
    let (st, me) = api(&c, &sim, "/api/v2/users/me.json", s(&tok, "access_token")).await;
    assert_eq!(st, 200);
    assert_eq!(me["user"]["role"], "admin");

    // Wrong secret → 401 invalid_client with a Basic challenge.
    let r = c
        .post(url(&sim, "acme", "/oauth/tokens"))
        .basic_auth(DEMO_CLIENT_ID, Some("nope"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_client");
    let (st, e) = token(
        &c,
        &sim,
        &[("grant_type", "client_credentials"), ("client_id", "ghost")],
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (401, Some("invalid_client"))
    );

    // A public client may not use it.
    let mut spec = NewOAuthClient::new("spa");
    spec.confidential = false;
    sim.create_oauth_client("acme", spec).unwrap();
    let (st, e) = token(
        &c,
        &sim,
        &[("grant_type", "client_credentials"), ("client_id", "spa")],
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("unauthorized_client"))
    );

    // Grant type errors.
    let (st, e) = token(
        &c,
        &sim,
        &[("grant_type", "password"), ("client_id", "spa")],
    )
    .await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (st, e) = token(&c, &sim, &[("client_id", "spa")]).await;
    assert_eq!(
        (st.as_u16(), e["error"].as_str()),
        (400, Some("invalid_request"))
    );
    assert_eq!(sim.oauth_stats("acme").unwrap().client_credentials, 4);
}

#[tokio::test]
async fn authorization_errors_follow_rfc6749() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    let (_, challenge) = pkce("x");

    // Unknown client, unregistered redirect URI: an HTML page, not a redirect.
    let r = c
        .get(authorize_url(&sim, "ghost", "read", "s", &challenge))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let u = authorize_url(&sim, DEMO_CLIENT_ID, "read", "s", &challenge)
        .replace("127.0.0.1%3A45678", "evil.test");
    let r = c.get(u).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("invalid_redirect_uri"));

    // Other errors redirect with error= and state.
    let redirected = |u: String| {
        let c = c.clone();
        async move {
            let r = c.get(u).send().await.unwrap();
            assert_eq!(r.status(), 302);
            location(&r).1
        }
    };
    let u = authorize_url(&sim, DEMO_CLIENT_ID, "read", "s1", &challenge)
        .replace("response_type=code", "response_type=token");
    let p = redirected(u).await;
    assert_eq!(q(&p, "error"), Some("unsupported_response_type"));
    assert_eq!(q(&p, "state"), Some("s1"));
    let p = redirected(authorize_url(
        &sim,
        DEMO_CLIENT_ID,
        "read admin",
        "s2",
        &challenge,
    ))
    .await;
    assert_eq!(
        (q(&p, "error"), q(&p, "state")),
        (Some("invalid_scope"), Some("s2"))
    );
    let p = redirected(authorize_url(&sim, DEMO_CLIENT_ID, "read", "s3", "")).await;
    assert_eq!(
        (q(&p, "error"), q(&p, "state")),
        (Some("invalid_request"), Some("s3"))
    );
    let p = redirected(authorize_url(&sim, DEMO_CLIENT_ID, "read", "s4", "short")).await;
    assert_eq!(q(&p, "error"), Some("invalid_request"));

    // Wrong password: the form again, with an error.
    let page = c
        .get(authorize_url(
            &sim,
            DEMO_CLIENT_ID,
            "read",
            "s5",
            &challenge,
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = hidden_inputs(&page);
    form.push(("email".into(), alex(&sim).email));
    form.push(("password".into(), "wrong".into()));
    let r = c
        .post(url(&sim, "acme", "/oauth/authorizations/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("id=\"login\""));

    // Deny → access_denied with state; a consent nonce works once.
    let start = authorize_url(&sim, DEMO_CLIENT_ID, "read", "s6", &challenge);
    let p = consent(&sim, &c, &start, &alex(&sim), "deny").await;
    assert_eq!(
        (q(&p, "error"), q(&p, "state")),
        (Some("access_denied"), Some("s6"))
    );
    assert!(q(&p, "code").is_none());
    let r = c
        .post(url(&sim, "acme", "/oauth/authorizations"))
        .form(&[("nonce", "forged"), ("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn admin_http_oauth_endpoints() {
    let sim = start().await;
    let c = client_no_redirect(&sim);
    let admin = |p: &str| url(&sim, "acme", &format!("/__sim/tenants/acme/oauth/{p}"));
    let r = c
        .post(admin("clients"))
        .json(&json!({"identifier": "local_app", "redirect_uris": ["https://app.example.com/cb"], "scopes": ["read"], "pkce_required": false, "expires_in": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["kind"], "local");
    assert_eq!(created["access_token_expires_in"], 60);
    let secret = s(&created, "secret").to_string();
    assert_eq!(secret.len(), 64);
    let list: Value = c
        .get(admin("clients"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let dup = c
        .post(admin("clients"))
        .json(&json!({"identifier": "local_app"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 400);

    let r = c
        .put(admin("token_ttl"))
        .json(&json!({"expires_in": 90}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (code, verifier) = get_code(&sim, &c, "read").await;
    let (_, tok) = exchange(&c, &sim, &code, &verifier).await;
    assert_eq!(tok["expires_in"], 90);

    let email = alex(&sim).email;
    let r: Value = c
        .post(admin("expire"))
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["expired"], 1);
    let r: Value = c
        .post(admin("revoke"))
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["refresh_tokens"], 1);
    let stats: Value = c
        .get(admin("stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stats,
        json!({"authorization_code": 1, "refresh_token": 0, "client_credentials": 0})
    );
    assert_eq!(c.delete(admin("stats")).send().await.unwrap().status(), 204);
    assert_eq!(sim.oauth_stats("acme").unwrap(), OAuthStats::default());

    // Unknown tenant → 404.
    let r = c
        .get(url(&sim, "acme", "/__sim/tenants/nope/oauth/clients"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Unknown /oauth path → InvalidEndpoint.
    let r = c
        .get(url(&sim, "acme", "/oauth/whatever"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
