//! The onboarding UI over plain HTTP (reqwest, no browser): magic link → form → ACTIVE,
//! errors that keep what was typed (never the token), single use, forged and expired links,
//! CSRF, oversized forms, security headers, reconnect links, the admin page, and OAuth through
//! the simulator's consent pages.

mod ui_harness;

use serde_json::json;
use ui_harness::{API_KEY, Ui, hidden, inputs};

#[tokio::test]
async fn magic_link_form_saves_verified_credentials_once() {
    let ui = Ui::start().await;
    let link = ui.magic_link("cust_1").await;
    assert!(link.starts_with(&ui.url("/connect/")), "{link}");
    assert_eq!(ui.account("cust_1").await["status"], "PENDING_AUTH");

    let (page, cookies, csrf) = ui.open(&link).await;
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'")
            && csp.contains("form-action 'self' https://*.zendesk.com"),
        "{csp}"
    );
    assert_eq!(page.header("x-frame-options"), "DENY");
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert_eq!(page.header("cache-control"), "no-store");
    let csrf_cookie = page.set_cookie("tw_csrf").unwrap();
    assert!(
        csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"),
        "{csrf_cookie}"
    );
    // Labels and fields come from the spec.
    for text in [
        "Connect your Zendesk Support",
        "<label for=\"f-config-subdomain\">Zendesk subdomain</label>",
        "<label for=\"f-api_token-email\">Agent email</label>",
        "<label for=\"f-api_token-api_token\">API token</label>",
        "id=\"connect-oauth2\"",
        "Connect with Zendesk",
        "type=\"password\"",
    ] {
        assert!(page.body.contains(text), "missing {text}: {}", page.body);
    }
    assert!(!page.body.contains("<script"));

    let agent = ui.agent("acme");
    let done = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                (
                    "config.subdomain",
                    "https://acme.zendesk.com/agent/dashboard",
                ),
                ("api_token.email", &agent.email),
                ("api_token.api_token", &agent.api_token),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body
            .contains("id=\"account-status\" class=\"status status-ACTIVE\">ACTIVE<"),
        "{}",
        done.body
    );
    assert!(!done.body.contains(&agent.api_token));
    let account = ui.account("cust_1").await;
    assert_eq!(
        (
            account["status"].as_str(),
            account["config"]["subdomain"].as_str()
        ),
        (Some("ACTIVE"), Some("acme"))
    );

    // Used: both opening and posting again are refused, and nothing changes.
    let again = ui.get(&link, &[]).await;
    assert_eq!(again.status, 410, "{}", again.body);
    assert!(again.body.contains("LINK_USED") && again.body.contains("already used"));
    let replay = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "globex"),
                ("api_token.email", &ui.agent("globex").email),
                ("api_token.api_token", &ui.agent("globex").api_token),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(replay.status, 410, "{}", replay.body);
    assert_eq!(ui.account("cust_1").await["config"]["subdomain"], "acme");
}

#[tokio::test]
async fn errors_say_what_is_wrong_and_keep_input_but_never_the_token() {
    let ui = Ui::start().await;
    let link = ui.magic_link("cust_2").await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let agent = ui.agent("acme");
    let wrong = "wrong-token-do-not-echo-1234";
    let page = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme"),
                ("api_token.email", &agent.email),
                ("api_token.api_token", wrong),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(
        page.body.contains("INVALID_CREDENTIALS") && page.body.contains("role=\"alert\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(wrong),
        "the typed token must never come back"
    );
    let values: std::collections::HashMap<_, _> = inputs(&page.body).into_iter().collect();
    assert_eq!(values["config.subdomain"], "acme");
    assert_eq!(values["api_token.email"], agent.email);
    assert_eq!(values["api_token.api_token"], "");
    assert_eq!(ui.account("cust_2").await["status"], "PENDING_AUTH");

    // Wrong subdomain: the error names the field.
    let csrf = hidden(&page.body, "csrf").unwrap();
    let page = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "no-such-tenant"),
                ("api_token.email", &agent.email),
                ("api_token.api_token", &agent.api_token),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(
        page.body.contains("INVALID_CONFIG") && page.body.contains("aria-invalid=\"true\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&agent.api_token));

    // IP allowlist: RESTRICTED explained.
    ui.sim.set_ip_allowlist("acme", &["10.0.0.0/8"]).unwrap();
    let page = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme"),
                ("api_token.email", &agent.email),
                ("api_token.api_token", &agent.api_token),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.to_lowercase().contains("ip"), "{}", page.body);
    ui.sim.set_ip_allowlist("acme", &[]).unwrap();

    // The link survives failed attempts; the right token connects.
    let page = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme"),
                ("api_token.email", &agent.email),
                ("api_token.api_token", &agent.api_token),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(ui.account("cust_2").await["status"], "ACTIVE");
}

#[tokio::test]
async fn forged_expired_csrf_and_oversized_requests_are_refused_and_change_nothing() {
    let ui = Ui::start().await;
    let link = ui.magic_link("cust_3").await;
    let token = link.rsplit('/').next().unwrap().to_string();
    let (body, sig) = token.split_once('.').unwrap();

    // Forged: a changed signature, a changed payload, garbage.
    let mut bad_sig = sig.to_string();
    bad_sig.replace_range(0..1, if sig.starts_with('A') { "B" } else { "A" });
    for forged in [
        format!("{body}.{bad_sig}"),
        format!("{}x.{sig}", body),
        "nope".to_string(),
    ] {
        let a = ui.get(&ui.url(&format!("/connect/{forged}")), &[]).await;
        assert_eq!(a.status, 400, "{forged}: {}", a.body);
        assert!(a.body.contains("LINK_INVALID"));
    }
    // A link signed with another secret.
    let foreign = toolwire_server::links::LinkSigner::new(vec![1; 32], &ui.base).mint(
        "zendesk",
        "cust_3",
        chrono::Duration::minutes(5),
    );
    assert_eq!(ui.get(&foreign.url, &[]).await.status, 400);
    // Expired.
    let expired = ui
        .signer()
        .mint("zendesk", "cust_3", chrono::Duration::seconds(-1));
    let a = ui.get(&expired.url, &[]).await;
    assert_eq!(a.status, 410);
    assert!(a.body.contains("LINK_EXPIRED"));

    let (_, cookies, csrf) = ui.open(&link).await;
    let agent = ui.agent("acme");
    let fields = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("config.subdomain".into(), "acme".into()),
            ("api_token.email".into(), agent.email.clone()),
            ("api_token.api_token".into(), agent.api_token.clone()),
            ("scheme".into(), "api_token".into()),
        ]
    };
    let post = |cookies: Vec<String>, form: Vec<(String, String)>| {
        let mut req = ui.http.post(&link).form(&form);
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        Ui::answer(req)
    };
    // No CSRF field; no cookie; a field for another link; a field from another browser.
    let a = post(cookies.clone(), fields("")).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("CSRF_FAILED"));
    assert_eq!(post(vec![], fields(&csrf)).await.status, 403);
    let other_link = ui.magic_link("cust_other").await;
    let (_, other_cookies, other_csrf) = ui.open(&other_link).await;
    assert_eq!(post(cookies.clone(), fields(&other_csrf)).await.status, 403);
    assert_eq!(post(other_cookies, fields(&csrf)).await.status, 403);
    // Oversized form.
    let big = "x".repeat(64 * 1024);
    let mut huge = fields(&csrf);
    huge.push(("padding".into(), big));
    let a = post(cookies.clone(), huge).await;
    assert_eq!(a.status, 413, "{}", a.body);
    assert!(a.body.contains("BODY_TOO_LARGE"));
    // Not a form.
    let a = Ui::answer(
        ui.http
            .post(&link)
            .header("cookie", cookies.join("; "))
            .json(&json!({})),
    )
    .await;
    assert_eq!(a.status, 400);

    assert_eq!(
        ui.account("cust_3").await["status"],
        "PENDING_AUTH",
        "nothing changed"
    );
    assert!(
        ui.sim.request_log().is_empty(),
        "no call reached the vendor"
    );
}

#[tokio::test]
async fn rest_magic_link_and_authorize_contracts() {
    let ui = Ui::start().await;
    let url = ui.url("/v1/connected_accounts/zendesk/cust_4/magic_link");
    assert_eq!(Ui::answer(ui.http.post(&url)).await.status, 401);
    let a = Ui::answer(
        ui.http
            .post(&url)
            .bearer_auth(API_KEY)
            .json(&json!({"expires_in_s": 120})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let exp =
        chrono::DateTime::parse_from_rfc3339(a.json()["expires_at"].as_str().unwrap()).unwrap();
    let left = exp.signed_duration_since(chrono::Utc::now()).num_seconds();
    assert!((100..=121).contains(&left), "{left}");
    let a = Ui::answer(
        ui.http
            .post(&url)
            .bearer_auth(API_KEY)
            .json(&json!({"expires_in_s": 5})),
    )
    .await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("INVALID_REQUEST"))
    );
    let a = Ui::answer(ui.http.post(&url).bearer_auth(API_KEY).body("{not json")).await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("INVALID_JSON"))
    );
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/connected_accounts/nope/x/magic_link"))
            .bearer_auth(API_KEY),
    )
    .await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (404, Some("UNKNOWN_CONNECTION"))
    );

    let auth = ui.url("/v1/connected_accounts/zendesk/cust_4/oauth/authorize");
    let a = Ui::answer(
        ui.http
            .post(&auth)
            .bearer_auth(API_KEY)
            .json(&json!({"config": {"subdomain": "https://acme.zendesk.com"}})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    // A start link on this server, which sends the browser on to the vendor.
    let start = a.json()["url"].as_str().unwrap().to_string();
    assert!(start.starts_with(&ui.url("/oauth/start/")), "{start}");
    let (_, cookies, csrf) = ui.open(&start).await;
    let go = ui.post_form(&start, &cookies, &[("csrf", &csrf)]).await;
    assert_eq!(go.status, 303, "{}", go.body);
    let vendor = url::Url::parse(go.header("location")).unwrap();
    assert_eq!(vendor.host_str(), Some("acme.zendesk.com"));
    let q: std::collections::HashMap<_, _> = vendor.query_pairs().into_owned().collect();
    assert_eq!(q["redirect_uri"], ui.url("/oauth/callback"));
    assert_eq!(q["code_challenge_method"], "S256");
    let a = Ui::answer(
        ui.http
            .post(&auth)
            .bearer_auth(API_KEY)
            .json(&json!({"config": {"subdomain": "bad host!"}})),
    )
    .await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (400, Some("INVALID_CONFIG"))
    );
}

#[tokio::test]
async fn revoked_accounts_carry_a_magic_link_that_recredentials_them() {
    let ui = Ui::start().await;
    let agent = ui.agent("acme");
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/connected_accounts"))
            .bearer_auth(API_KEY)
            .json(&json!({
        "connection_name": "zendesk", "identifier": "cust_5", "config": {"subdomain": "acme"},
        "credentials": {"email": agent.email, "api_token": agent.api_token}})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let fresh = ui.sim.rotate_token("acme", &agent.email).unwrap();
    let call = json!({"identifier": "cust_5", "tool_name": "zendesk_search_tickets", "tool_input": {"query": "status:open"}});
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/execute_tool"))
            .bearer_auth(API_KEY)
            .json(&call),
    )
    .await;
    let err = &a.json()["error"];
    assert_eq!(err["code"], "ACCOUNT_REVOKED", "{}", a.body);
    let link = err["reconnect_url"]
        .as_str()
        .expect("reconnect_url")
        .to_string();
    assert!(link.starts_with(&ui.url("/connect/")), "{link}");

    let (page, cookies, csrf) = ui.open(&link).await;
    assert!(
        page.body.contains("id=\"notice\"") && page.body.contains("REVOKED"),
        "{}",
        page.body
    );
    assert_eq!(
        hidden(&page.body, "config.subdomain").as_deref(),
        Some("acme"),
        "config prefilled"
    );
    let done = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme"),
                ("api_token.email", &agent.email),
                ("api_token.api_token", &fresh),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/execute_tool"))
            .bearer_auth(API_KEY)
            .json(&call),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn admin_page_needs_the_key_or_a_signed_session_and_shows_no_secrets() {
    let ui = Ui::start().await;
    let agent = ui.agent("acme");
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/connected_accounts"))
            .bearer_auth(API_KEY)
            .json(&json!({
        "connection_name": "zendesk", "identifier": "cust_6", "config": {"subdomain": "acme"},
        "credentials": {"email": agent.email, "api_token": agent.api_token}})),
    )
    .await;
    assert_eq!(a.status, 200);
    ui.magic_link("cust_pending").await;

    let login = ui.get(&ui.url("/admin"), &[]).await;
    assert_eq!(login.status, 401);
    assert!(
        login
            .body
            .contains("<label for=\"api_key\">API key</label>")
    );
    let a = Ui::answer(ui.http.get(ui.url("/admin")).bearer_auth(API_KEY)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body.contains("cust_6")
            && a.body.contains("cust_pending")
            && a.body.contains("PENDING_AUTH")
    );
    assert!(!a.body.contains(&agent.api_token));

    let cookies = login.cookies();
    let csrf = hidden(&login.body, "csrf").unwrap();
    let bad = ui
        .post_form(
            &ui.url("/admin/login"),
            &cookies,
            &[("csrf", &csrf), ("api_key", "wrong")],
        )
        .await;
    assert_eq!(bad.status, 401);
    assert!(!bad.body.contains("wrong\""));
    let no_csrf = ui
        .post_form(&ui.url("/admin/login"), &cookies, &[("api_key", API_KEY)])
        .await;
    assert_eq!(no_csrf.status, 403);
    let ok = ui
        .post_form(
            &ui.url("/admin/login"),
            &cookies,
            &[("csrf", &csrf), ("api_key", API_KEY)],
        )
        .await;
    assert_eq!(ok.status, 303);
    let session = ok.set_cookie("tw_admin").unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    assert!(!session.contains(API_KEY));
    let session = ok
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("tw_admin="))
        .unwrap();
    let page = ui
        .get(&ui.url("/admin"), std::slice::from_ref(&session))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("cust_6"));
    // A tampered session is not a session.
    let tampered = format!("{}A", session);
    assert_eq!(ui.get(&ui.url("/admin"), &[tampered]).await.status, 401);
    // Sign out.
    let out_csrf = hidden(&page.body, "csrf").unwrap();
    let out = ui
        .post_form(
            &ui.url("/admin/logout"),
            std::slice::from_ref(&session),
            &[("csrf", &out_csrf)],
        )
        .await;
    assert_eq!(out.status, 303);
    assert!(out.set_cookie("tw_admin").unwrap().contains("Max-Age=0"));
}

#[tokio::test]
async fn oauth_from_the_magic_link_through_sim_consent_to_a_tool_call() {
    let ui = Ui::start().await;
    let link = ui.magic_link("cust_oauth").await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let go = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme.zendesk.com"),
                ("api_token.email", ""),
                ("api_token.api_token", ""),
                ("scheme", "oauth2"),
            ],
        )
        .await;
    assert_eq!(go.status, 303, "{}", go.body);
    let vendor = go.header("location").to_string();
    assert!(
        vendor.starts_with("https://acme.zendesk.com/oauth/authorizations/new?"),
        "{vendor}"
    );
    // This browser's cookies: which link started the flow, and the binding to its state.
    let browser = go.cookies();
    assert!(
        browser.iter().any(|c| c.starts_with("tw_link="))
            && browser.iter().any(|c| c.starts_with("tw_oauth=")),
        "{browser:?}"
    );

    let agent = ui.agent("acme");
    let callback = ui.consent(&vendor, &agent.email, &agent.password).await;
    assert!(
        callback.starts_with(&ui.url("/oauth/callback?")),
        "{callback}"
    );
    let done = ui.get(&callback, &browser).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains(">ACTIVE<") && done.body.contains("Connect with Zendesk"),
        "{}",
        done.body
    );
    assert_eq!(ui.account("cust_oauth").await["auth_scheme"], "oauth2");

    // Replayed callback, same browser: the link it carries is used up.
    let replay = ui.get(&callback, &browser).await;
    assert_eq!(replay.status, 410, "{}", replay.body);
    assert!(replay.body.contains("LINK_USED"));
    // Without the link cookie: refused by the runtime (single-use state).
    let binding_only: Vec<String> = browser
        .iter()
        .filter(|c| c.starts_with("tw_oauth="))
        .cloned()
        .collect();
    let replay = ui.get(&callback, &binding_only).await;
    assert_eq!(replay.status, 400, "{}", replay.body);
    assert!(replay.body.contains("OAUTH_STATE_INVALID"));
    // The link is spent.
    assert_eq!(ui.get(&link, &[]).await.status, 410);
    // A tool call goes out with the bearer token.
    ui.sim.clear_request_log();
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/execute_tool"))
            .bearer_auth(API_KEY)
            .json(&json!({
        "identifier": "cust_oauth", "tool_name": "zendesk_search_tickets",
        "tool_input": {"query": "status:open"}})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        ui.sim
            .request_log()
            .iter()
            .any(|r| r.credential.starts_with("bearer:")),
        "{:?}",
        ui.sim.request_log()
    );
    // Filter by auth scheme.
    let a = Ui::answer(
        ui.http
            .get(ui.url("/v1/connected_accounts?auth_scheme=oauth2"))
            .bearer_auth(API_KEY),
    )
    .await;
    let list = a.json()["connected_accounts"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["identifier"], "cust_oauth");
}

#[tokio::test]
async fn oauth_denied_or_broken_callbacks_show_errors() {
    let ui = Ui::start().await;
    let a = ui
        .get(
            &ui.url(
                "/oauth/callback?error=access_denied&error_description=The+user+said+no&state=x",
            ),
            &[],
        )
        .await;
    assert_eq!(a.status, 400);
    assert!(
        a.body.contains("access was not granted") && a.body.contains("The user said no"),
        "{}",
        a.body
    );
    // A state this browser did not start is refused before anything is exchanged.
    let a = ui
        .get(&ui.url("/oauth/callback?state=forged&code=abc"), &[])
        .await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("OAUTH_BROWSER_MISMATCH"), "{}", a.body);
    let a = ui.get(&ui.url("/oauth/callback"), &[]).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.header("x-frame-options"), "DENY");
}
