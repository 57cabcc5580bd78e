//! OAuth 2.1 for MCP clients end to end over real HTTP, this test playing the MCP client, the
//! browser and the host app (which signs the login assertion with the shared secret): the 401
//! naming the resource metadata, RFC 9728 / RFC 8414 metadata, dynamic registration,
//! `/authorize` with PKCE and `resource`, the consent page bound to the browser that started
//! it (cookie + CSRF), the code exchange, calls as the signed-in identifier only, rotating
//! refresh tokens with reuse detection; client ID metadata documents fetched from an HTTPS
//! stand-in through the runtime's resolve/extra-CA mechanism. The real router, simulator and
//! SQLite.

mod common;

use base64::Engine as _;
use common::{API_KEY, bind, connectors};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use toolwire_runtime::MasterKey;
use toolwire_server::app::{self, AppState};
use toolwire_server::authz::oauth::documents::ClientDocuments;
use toolwire_server::authz::oauth::{AuthzConfig, assertion};
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_server::web::ApiKeys;
use toolwire_sim::Sim;

const SECRET: &[u8] = b"host-app-shared-secret-0123456789abcdef";
const LOGIN: &str = "https://app.example/login";
const REDIRECT: &str = "http://localhost:9999/callback";

struct Env {
    sim: Sim,
    base: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start() -> Env {
    start_with(Default::default()).await
}

/// A server fetching client metadata documents with `client_documents`.
async fn start_with(client_documents: std::sync::Arc<ClientDocuments>) -> Env {
    let sim = Sim::builder().seed(42).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("connectors");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::copy(
        connectors().join("zendesk.yaml"),
        specs.join("zendesk.yaml"),
    )
    .unwrap();
    let listener = bind().await;
    let addr = listener.local_addr().unwrap();
    let opts = RuntimeOptions {
        data_dir: dir.path().to_path_buf(),
        connectors: Some(specs),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: Some(format!("http://{addr}")),
        ..Default::default()
    };
    let tw = setup::build(&opts, MasterKey::generate()).await.unwrap();
    let state = AppState::new(tw, ApiKeys::default().with_key(API_KEY))
        .with_ui(setup::ui_state(&opts, &[]).unwrap())
        .with_authz(AuthzConfig {
            login_url: Some(LOGIN.into()),
            login_secret: Some(std::sync::Arc::new(SECRET.to_vec())),
            client_documents,
        });
    tokio::spawn(async move {
        app::serve(listener, app::router(state), std::future::pending())
            .await
            .unwrap();
    });
    Env {
        sim,
        base: format!("http://{addr}"),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

impl Env {
    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.base)
    }

    async fn connect(&self, sub: &str) {
        let agent = self.sim.tenant(sub).unwrap().agent().unwrap().clone();
        let resp = self
            .http
            .post(self.url("/v1/connected_accounts"))
            .bearer_auth(API_KEY)
            .json(&json!({"connection_name": "zendesk", "identifier": sub,
                "config": {"subdomain": sub},
                "credentials": {"email": agent.email, "api_token": agent.api_token}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
    }

    async fn mcp(&self, token: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .post(self.url("/mcp"))
            .bearer_auth(token)
            .header("Accept", "application/json, text/event-stream")
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn token(&self, form: &[(&str, &str)]) -> (u16, Value) {
        let resp = self
            .http
            .post(self.url("/token"))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }
}

fn location(resp: &reqwest::Response) -> url::Url {
    url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap()
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

fn pkce() -> (String, String) {
    let verifier =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 48]>());
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// Registers a client; returns its id.
async fn register(env: &Env) -> String {
    let resp = env
        .http
        .post(env.url("/register"))
        .json(
            &json!({"redirect_uris": [REDIRECT], "client_name": "Test <Client>",
            "token_endpoint_auth_method": "client_secret_post"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["token_endpoint_auth_method"], "none");
    body["client_id"].as_str().unwrap().to_string()
}

/// `/authorize` → login redirect; returns (cookie, request, login url).
async fn authorize(env: &Env, client_id: &str, challenge: &str) -> (String, String) {
    let resource = env.url("/mcp");
    let resp = env
        .http
        .get(env.url("/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", REDIRECT),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
            ("state", "st-1"),
            ("resource", &resource),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_string();
    let login = location(&resp);
    assert!(login.as_str().starts_with(LOGIN), "{login}");
    assert_eq!(
        param(&login, "return_to").unwrap(),
        env.url("/authorize/login")
    );
    // The request travels through the host app and URL bars: it must not carry the cookie's
    // value (only its hash), or whoever sees it could bind another browser.
    let request = param(&login, "request").unwrap();
    let body = request.split('.').next().unwrap();
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .unwrap();
    let nonce = cookie.split_once('=').unwrap().1;
    assert!(
        !String::from_utf8_lossy(&body).contains(nonce),
        "cookie value leaked"
    );
    (cookie, request)
}

/// The host app's redirect back with a signed assertion; returns the consent page.
async fn login(
    env: &Env,
    cookie: Option<&str>,
    request: &str,
    who: &str,
    secret: &[u8],
) -> (u16, String) {
    let now = chrono::Utc::now().timestamp();
    let assertion = assertion::sign(secret, who, &env.base, now, 120);
    let mut req = env
        .http
        .get(env.url("/authorize/login"))
        .query(&[("request", request), ("assertion", &assertion)]);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

/// The whole browser flow for `who`; returns the code.
async fn code_for(env: &Env, client_id: &str, challenge: &str, who: &str) -> String {
    let (cookie, request) = authorize(env, client_id, challenge).await;
    let (status, page) = login(env, Some(&cookie), &request, who, SECRET).await;
    assert_eq!(status, 200, "{page}");
    let resp = env
        .http
        .post(env.url("/authorize/consent"))
        .header("cookie", &cookie)
        .form(&[
            ("consent", hidden(&page, "consent").as_str()),
            ("csrf", hidden(&page, "csrf").as_str()),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 303);
    let back = location(&resp);
    assert!(back.as_str().starts_with(REDIRECT));
    assert_eq!(param(&back, "state").as_deref(), Some("st-1"));
    assert_eq!(param(&back, "iss").as_deref(), Some(env.base.as_str()));
    param(&back, "code").unwrap()
}

fn list() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
}

#[tokio::test]
async fn discovery_registration_login_consent_and_tokens() {
    let env = start().await;
    env.connect("acme").await;

    // 1. The 401 names the protected resource metadata; it names this server as the AS.
    let (s, _) = env.mcp("", list()).await;
    assert_eq!(s, 401);
    let resp = env
        .http
        .post(env.url("/mcp"))
        .json(&list())
        .send()
        .await
        .unwrap();
    let www = resp.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    let prm_url = env.url("/.well-known/oauth-protected-resource/mcp");
    assert_eq!(www, format!("Bearer resource_metadata=\"{prm_url}\""));
    let prm: Value = env
        .http
        .get(&prm_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(prm["resource"], env.url("/mcp"));
    assert_eq!(prm["authorization_servers"], json!([env.base]));
    let asm: Value = env
        .http
        .get(env.url("/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(asm["issuer"], env.base.as_str());
    assert_eq!(asm["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(asm["token_endpoint"], env.url("/token"));

    // 2. Register, authorize, sign in, consent.
    let client_id = register(&env).await;
    let (verifier, challenge) = pkce();
    let (cookie, request) = authorize(&env, &client_id, &challenge).await;
    let (status, page) = login(&env, Some(&cookie), &request, "acme", SECRET).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Test &lt;Client&gt;") && !page.contains("Test <Client>"),
        "escaped client name"
    );
    assert!(
        page.contains("acme") && page.contains("zendesk_ticket_get"),
        "{page}"
    );
    // The same return in another browser (no cookie), or with a forged assertion: refused.
    assert_eq!(login(&env, None, &request, "acme", SECRET).await.0, 400);
    assert_eq!(
        login(
            &env,
            Some(&cookie),
            &request,
            "acme",
            b"not-the-host-app-secret-0123456789"
        )
        .await
        .0,
        400
    );
    // A consent POST without the browser's cookie, or without the right CSRF token: refused.
    let consent = hidden(&page, "consent");
    let csrf = hidden(&page, "csrf");
    for (c, t) in [(None, csrf.as_str()), (Some(cookie.as_str()), "forged")] {
        let mut req = env.http.post(env.url("/authorize/consent")).form(&[
            ("consent", consent.as_str()),
            ("csrf", t),
            ("decision", "approve"),
        ]);
        if let Some(c) = c {
            req = req.header("cookie", c);
        }
        assert_eq!(req.send().await.unwrap().status().as_u16(), 400);
    }
    let resp = env
        .http
        .post(env.url("/authorize/consent"))
        .header("cookie", &cookie)
        .form(&[
            ("consent", consent.as_str()),
            ("csrf", csrf.as_str()),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 303);
    let code = param(&location(&resp), "code").unwrap();

    // 3. The code needs the verifier, works once.
    let wrong = pkce().0;
    let (s, b) = env
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &wrong),
        ])
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("invalid_grant")),
        "{b}"
    );
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", client_id.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
        ("resource", &env.url("/mcp")),
    ];
    let (s, tokens) = env.token(&exchange).await;
    assert_eq!(s, 200, "{tokens}");
    let (s, b) = env.token(&exchange).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("invalid_grant")),
        "code reuse: {b}"
    );
    let access = tokens["access_token"].as_str().unwrap().to_string();
    assert_eq!(tokens["token_type"], "Bearer");

    // 4. The access token acts for acme only.
    let (s, b) = env.mcp(&access, list()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["result"]["tools"].as_array().unwrap().len(), 14);
    let (_, b) = env
        .mcp(
            &access,
            json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "zendesk_ticket_get", "arguments": {"ticket_id": 1}}}),
        )
        .await;
    assert_eq!(b["result"]["isError"], false, "{b}");

    // 5. Refresh rotates; a reused refresh token ends the family and the client's tokens.
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let (s, second) = env
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
        ])
        .await;
    assert_eq!(s, 200, "{second}");
    let access2 = second["access_token"].as_str().unwrap().to_string();
    assert_eq!(env.mcp(&access2, list()).await.0, 200);
    let (s, b) = env
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
        ])
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("invalid_grant")),
        "{b}"
    );
    assert_eq!(env.mcp(&access2, list()).await.0, 401, "revoked on reuse");
    assert_eq!(env.mcp(&access, list()).await.0, 401);
    let newer = second["refresh_token"].as_str().unwrap();
    let (s, _) = env
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", newer),
            ("client_id", &client_id),
        ])
        .await;
    assert_eq!(s, 400, "the whole family is gone");
}

#[tokio::test]
async fn bad_authorization_requests_are_refused() {
    let env = start().await;
    let client_id = register(&env).await;
    let (_, challenge) = pkce();
    let get = |q: Vec<(&'static str, String)>| {
        let req = env.http.get(env.url("/authorize")).query(&q);
        async move { req.send().await.unwrap() }
    };
    let good = |skip: &str, over: Option<(&'static str, String)>| {
        let mut q: Vec<(&'static str, String)> = vec![
            ("response_type", "code".into()),
            ("client_id", client_id.clone()),
            ("redirect_uri", REDIRECT.into()),
            ("code_challenge", challenge.clone()),
            ("code_challenge_method", "S256".into()),
            ("resource", env.url("/mcp")),
        ];
        q.retain(|(k, _)| *k != skip);
        if let Some((k, v)) = over {
            q.retain(|(x, _)| *x != k);
            q.push((k, v));
        }
        q
    };
    // Unknown client or redirect URI: an error page, never a redirect.
    let resp = get(good("", Some(("client_id", "twc_forged.x".into())))).await;
    assert_eq!(resp.status().as_u16(), 400);
    let resp = get(good(
        "",
        Some(("redirect_uri", "https://evil.example/cb".into())),
    ))
    .await;
    assert_eq!(resp.status().as_u16(), 400);
    // Otherwise back to the client with the OAuth error.
    for (q, error) in [
        (good("code_challenge", None), "invalid_request"),
        (
            good("", Some(("code_challenge_method", "plain".into()))),
            "invalid_request",
        ),
        (good("resource", None), "invalid_target"),
        (
            good("", Some(("resource", "https://other.example/mcp".into()))),
            "invalid_target",
        ),
        (
            good("", Some(("response_type", "token".into()))),
            "unsupported_response_type",
        ),
    ] {
        let resp = get(q).await;
        assert_eq!(resp.status().as_u16(), 302);
        assert_eq!(param(&location(&resp), "error").as_deref(), Some(error));
    }
    // Registration refuses non-loopback http and fragments.
    for uri in [
        "http://evil.example/cb",
        "https://ok.example/cb#frag",
        "javascript:alert(1)",
    ] {
        let resp = env
            .http
            .post(env.url("/register"))
            .json(&json!({"redirect_uris": [uri]}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 400, "{uri}");
    }
}

#[tokio::test]
async fn a_second_user_reaches_only_their_own_account() {
    let env = start().await;
    env.connect("acme").await;
    env.connect("globex").await;
    let client_id = register(&env).await;
    let mut answers = Vec::new();
    for who in ["acme", "globex"] {
        let (verifier, challenge) = pkce();
        let code = code_for(&env, &client_id, &challenge, who).await;
        let (_, t) = env
            .token(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", &client_id),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &verifier),
            ])
            .await;
        let access = t["access_token"].as_str().unwrap().to_string();
        let (_, b) = env
            .mcp(
                &access,
                json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
                "name": "zendesk_ticket_get", "arguments": {"ticket_id": 1},
                "_meta": {"identifier": "acme"}}}),
            )
            .await;
        answers.push(b["result"]["structuredContent"].clone());
    }
    assert_ne!(
        answers[0], answers[1],
        "globex's token reached globex's account, not acme's"
    );
    // A token bound to another resource (audience) is refused here.
    let refused = env
        .http
        .post(env.url("/mcp"))
        .bearer_auth("twm_not_a_real_token")
        .json(&list())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
}

/// A stand-in answer: `status`, `headers`, a JSON body.
fn answer(status: u16, headers: Value, body: Value) -> toolwire_testkit::model::Response {
    serde_json::from_value(json!({"status": status, "headers": headers, "json": body})).unwrap()
}

/// `/authorize` for `client_id` (with this test's redirect URI): status and body.
async fn authorize_status(env: &Env, client_id: &str) -> (u16, String) {
    let (_, challenge) = pkce();
    let resource = env.url("/mcp");
    let resp = env
        .http
        .get(env.url("/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("resource", &resource),
        ])
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn client_id_metadata_documents_are_fetched_checked_and_cached() {
    let stand_in = toolwire_testkit::standin::StandIn::start(&["app.example".into()])
        .await
        .unwrap();
    let http = toolwire_runtime::http::HttpOptions {
        extra_roots_pem: vec![stand_in.ca_pem().to_string()],
        resolve_suffixes: vec![("app.example".into(), stand_in.addr())],
        connect_timeout: None,
    };
    let env = start_with(std::sync::Arc::new(ClientDocuments::new(&http, false))).await;
    env.connect("acme").await;
    let asm: Value = env
        .http
        .get(env.url("/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(asm["client_id_metadata_document_supported"], true);

    // A good document: the consent page names the client from it; the flow completes.
    let id = "https://app.example/oauth/client.json";
    let doc = json!({"client_id": id, "client_name": "Doc <Client>",
        "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"});
    stand_in.script(vec![answer(
        200,
        json!({"cache-control": "public, max-age=600"}),
        doc,
    )]);
    let (verifier, challenge) = pkce();
    let (cookie, request) = authorize(&env, id, &challenge).await;
    let fetched = stand_in.received();
    assert_eq!(fetched.len(), 1);
    assert_eq!(
        (
            fetched[0].method.as_str(),
            fetched[0].host.as_str(),
            fetched[0].path.as_str()
        ),
        ("GET", "app.example", "/oauth/client.json")
    );
    let (status, page) = login(&env, Some(&cookie), &request, "acme", SECRET).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Doc &lt;Client&gt; (app.example)"), "{page}");
    // Cached for its max-age: a second flow fetches nothing (the stand-in has no answer left).
    let code = code_for(&env, id, &challenge, "acme").await;
    assert_eq!(stand_in.received().len(), 1, "fetched again");
    let (status, tokens) = env
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", id),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
            ("resource", &env.url("/mcp")),
        ])
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let (status, listed) = env.mcp(access, list()).await;
    assert_eq!(status, 200, "{listed}");

    // Documents this server refuses: an error page, never a redirect to the client.
    let big = "x".repeat(6 * 1024);
    for (url, doc, why) in [
        (
            "https://app.example/other.json",
            json!({"client_id": "https://app.example/oauth/client.json", "redirect_uris": [REDIRECT]}),
            "another client_id",
        ),
        (
            "https://app.example/elsewhere.json",
            json!({"client_id": "https://app.example/elsewhere.json",
                "redirect_uris": ["https://elsewhere.example/cb"]}),
            "redirect URI is not one this client registered",
        ),
        (
            "https://app.example/big.json",
            json!({"client_id": "https://app.example/big.json", "client_name": big,
                "redirect_uris": [REDIRECT]}),
            "larger than 5120 bytes",
        ),
        (
            "https://app.example/secret.json",
            json!({"client_id": "https://app.example/secret.json", "client_secret": "s",
                "redirect_uris": [REDIRECT]}),
            "client_secret",
        ),
    ] {
        stand_in.script(vec![answer(200, json!({}), doc)]);
        let (status, page) = authorize_status(&env, url).await;
        assert_eq!(status, 400, "{url}: {page}");
        assert!(page.contains(why), "{url}: {page}");
        assert_eq!(stand_in.received().len(), 1, "{url}");
    }
    // A document that is not there.
    stand_in.script(vec![answer(404, json!({}), json!({}))]);
    let (status, page) = authorize_status(&env, "https://app.example/gone.json").await;
    assert_eq!(status, 400);
    assert!(page.contains("HTTP 404"), "{page}");
    // Private or local addresses: refused before any request.
    stand_in.script(vec![]);
    let port = stand_in.addr().port();
    for url in [
        format!("https://127.0.0.1:{port}/oauth/client.json"),
        format!("https://localhost:{port}/oauth/client.json"),
        "https://169.254.169.254/latest/meta-data.json".to_string(),
    ] {
        let (status, page) = authorize_status(&env, &url).await;
        assert_eq!(status, 400, "{url}");
        assert!(page.contains("private or local address"), "{url}: {page}");
    }
    assert!(stand_in.received().is_empty());
}

#[tokio::test]
async fn metadata_document_fetches_are_bounded_per_host_and_in_all() {
    use toolwire_server::authz::oauth::fetch_limit::Limits;
    let hosts = ["app.example".to_string(), "other.example".to_string()];
    let stand_in = toolwire_testkit::standin::StandIn::start(&hosts)
        .await
        .unwrap();
    let http = toolwire_runtime::http::HttpOptions {
        extra_roots_pem: vec![stand_in.ca_pem().to_string()],
        resolve_suffixes: hosts.iter().map(|h| (h.clone(), stand_in.addr())).collect(),
        connect_timeout: None,
    };
    let hour = std::time::Duration::from_secs(3600);
    let limits = Limits {
        host_burst: 2,
        host_refill: hour,
        global_burst: 3,
        global_refill: hour,
    };
    let env = start_with(std::sync::Arc::new(ClientDocuments::limited(
        &http, false, limits,
    )))
    .await;
    // `/authorize` for `client_id`: status, Retry-After, page.
    let ask = |client_id: &str| {
        let (_, challenge) = pkce();
        let req = env.http.get(env.url("/authorize")).query(&[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("resource", &env.url("/mcp")),
        ]);
        async move {
            let resp = req.send().await.unwrap();
            let wait = resp
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
            (resp.status().as_u16(), wait, resp.text().await.unwrap())
        }
    };

    // One fetch of app.example, cached: asking again fetches nothing and costs no token.
    let id = "https://app.example/oauth/client.json";
    stand_in.script(vec![answer(
        200,
        json!({"cache-control": "max-age=600"}),
        json!({"client_id": id, "redirect_uris": [REDIRECT]}),
    )]);
    for _ in 0..4 {
        let (status, _, page) = ask(id).await;
        assert_eq!(status, 302, "{page}");
    }
    assert_eq!(stand_in.received().len(), 1);
    // The host's second fetch is allowed; its third is refused without a request.
    stand_in.script(vec![answer(404, json!({}), json!({}))]);
    let (status, _, page) = ask("https://app.example/gone.json").await;
    assert_eq!((status, page.contains("HTTP 404")), (400, true), "{page}");
    stand_in.script(vec![answer(404, json!({}), json!({}))]);
    let (status, wait, page) = ask("https://APP.example/again.json").await;
    assert_eq!(status, 429, "{page}");
    assert!(wait.is_some_and(|s| (1..=3600).contains(&s)), "{wait:?}");
    assert!(page.contains("its host was asked for too many"), "{page}");
    assert!(stand_in.received().is_empty());
    // Another host still gets its fetch: the server's third.
    let (status, _, page) = ask("https://other.example/gone.json").await;
    assert_eq!((status, page.contains("HTTP 404")), (400, true), "{page}");
    assert_eq!(stand_in.received().len(), 1);
    // The fourth fetch, whatever the host, is past the global bound.
    stand_in.script(vec![answer(404, json!({}), json!({}))]);
    let (status, wait, page) = ask("https://other.example/next.json").await;
    assert_eq!((status, wait.is_some()), (429, true), "{page}");
    assert!(page.contains("this server has fetched too many"), "{page}");
    assert!(stand_in.received().is_empty());
    // The cached document still signs in.
    assert_eq!(ask(id).await.0, 302);
}
